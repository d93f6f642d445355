"""Where a query's matches lie inside one document, and the snippet shown.

Offsets are not stored: the few documents whose details are read (a
screenful of hits, one episode's marks) are tokenized again, and the
positions of each reading come from the document's token codes.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Sequence

from soundtrack_tui.core.search.documents import Documents
from soundtrack_tui.core.search.results import Details, Spans, Target
from soundtrack_tui.core.search.storage import TokenTables
from soundtrack_tui.core.search.terms import Seg, Term, starts
from soundtrack_tui.core.search.tokens import tokenize

__all__ = ["Locator", "Role", "roles"]

_SNIPPET_WIDTH = 160
_SNIPPET_LEAD = 50  # characters of context kept before the match
_SNIPPET_SNAP = 24  # how far we move a cut to land on a space
_ELLIPSIS = "…"
_SPACE_RUN = re.compile(r"\s+")

# A reading, the documents it may occur in (None: not known, look), whether
# it is highlighted, and whether it anchors the snippet.
Role = tuple[Seg, frozenset[int] | None, bool, bool]


def roles(highlight: Sequence[Term], strong: Sequence[Term], adjacent: frozenset[int] | None) -> list[Role]:
    """Each reading once, with its role: the readings of `highlight` are
    highlighted; those of `strong` (a phrase or the whole query together,
    whose documents are `adjacent`) anchor the snippet."""
    found: dict[int, Role] = {}
    for terms, anchor in ((highlight, False), (strong, True)):
        for term in terms:
            where = adjacent if anchor else None
            segs = [(r.seg, r.docs) for r in term.readings] + [(seg, where) for seg in term.implied]
            for seg, docs in segs:
                _, known, lit, anchored = found.get(id(seg), (seg, docs, False, False))
                found[id(seg)] = (
                    seg,
                    known if known is not None else docs,
                    lit or not anchor,
                    anchored or anchor,
                )
    return list(found.values())


class Locator:
    """What a query's hits need to work out their snippet and target: the
    index's tables and documents, and the query's readings with their roles
    (see `roles`). Shared by the hits of one search: narrowed to them
    (`keep`) before any is read, never changed after."""

    __slots__ = ("documents", "roles", "tables")

    def __init__(self, tables: TokenTables, documents: Documents, found: list[Role]) -> None:
        self.tables = tables
        self.documents = documents
        self.roles = found

    def keep(self, docs: frozenset[int]) -> None:
        """Forget every document but `docs`, the hits: results live as long
        as the screen shows them, and a query's readings can list most of a
        big pack's documents. Called once, before any hit is read."""
        self.roles = [
            (seg, None if known is None else known & docs, lit, anchored)
            for seg, known, lit, anchored in self.roles
        ]

    def reading_order(self, doc: int) -> tuple[int, int, int, int]:
        return self.documents.reading_order(doc)

    def details(self, doc: int) -> Details:
        """Snippet, spans inside it, and target of a hit on document `doc`."""
        place = self.documents.doc(doc)
        text = self.documents.text(doc)
        spans, anchor = self.locate(doc, text)
        snippet, inside = _snippet(text, spans, anchor)
        target = Target(
            tuple(spans),
            place.character_id,
            place.paragraph,
            place.review_index,
            place.note_index,
            place.alias_index,
        )
        return snippet, inside, target

    def spans(self, doc: int) -> Spans:
        """The merged match spans in document `doc`: its target's spans."""
        return tuple(self.locate(doc, self.documents.text(doc))[0])

    def locate(self, doc: int, text: str) -> tuple[list[tuple[int, int]], int]:
        """Merged match spans in `doc` (whose text is `text`), and which one
        the snippet should show: the first phrase or adjacent occurrence if
        any, else the first."""
        spans: list[tuple[int, int]] = []
        strong: list[tuple[int, int]] = []
        offsets = tokenize(text)[1]
        for seg, docs, highlight, anchor in self.roles:
            if docs is None or doc in docs:
                width = seg.width
                found = [
                    (offsets[2 * i], offsets[2 * (i + width) - 1]) for i in starts(self.tables, doc, seg)
                ]
                if highlight:
                    spans += found
                if anchor:
                    strong += found
        merged = _merge(sorted(set(spans)))
        if not strong or not merged:
            return merged, 0
        return merged, bisect_right(merged, (min(strong)[0], sys.maxsize)) - 1


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# ---------------------------------------------------------------- snippets


def _snippet(text: str, spans: Sequence[tuple[int, int]], anchor: int) -> tuple[str, Spans]:
    """At most ~160 characters of `text` around spans[anchor], cut at spaces
    and marked with "…", whitespace runs collapsed; the spans that fall in
    the window, moved to snippet offsets."""
    start, end = _window(text, spans[anchor] if spans else (0, 0))
    body, moved = _squeeze(text[start:end])
    lead = _ELLIPSIS if start > 0 and not text[:start].isspace() else ""
    trail = _ELLIPSIS if end < len(text) and not text[end:].isspace() else ""
    shift = len(lead) - start
    inside = tuple(
        (moved(max(s, start) - start) + len(lead), moved(min(e, end) - start) + len(lead))
        if moved.olds
        else (max(s, start) + shift, min(e, end) + shift)
        for s, e in spans
        if s < end and e > start
    )
    return f"{lead}{body}{trail}", inside


def _window(text: str, anchor: tuple[int, int]) -> tuple[int, int]:
    """The [start, end) window: some context before the anchor, then as
    much as fits, moved to the nearest spaces; a match longer than the
    window is cut rather than the window widened."""
    n = len(text)
    if n <= _SNIPPET_WIDTH:
        return 0, n
    first, last = anchor
    start = max(0, min(first - _SNIPPET_LEAD, n - _SNIPPET_WIDTH))
    start = min(first, max(start, last - _SNIPPET_WIDTH))
    end = min(n, start + _SNIPPET_WIDTH)
    if start > 0 and not text[start - 1].isspace():
        space = _SPACE_RUN.search(text, start, min(first, start + _SNIPPET_SNAP))
        start = space.end() if space else start
    if end < n and not text[end].isspace():
        for cut in range(end - 1, max(last, end - _SNIPPET_SNAP) - 1, -1):
            if text[cut].isspace():
                end = cut
                break
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _squeeze(segment: str) -> tuple[str, _OffsetMap]:
    """`segment` with each whitespace run other than a single space turned
    into one space (recaps keep line breaks), and the offset mapping."""
    if segment.isprintable() and "  " not in segment:
        return segment, _OffsetMap([], [])
    olds, news, parts = [0], [0], list[str]()
    last = removed = 0
    for run in _SPACE_RUN.finditer(segment):
        if run[0] == " ":
            continue
        parts += (segment[last : run.start()], " ")
        removed += len(run[0]) - 1
        last = run.end()
        olds.append(last)
        news.append(last - removed)
    parts.append(segment[last:])
    return "".join(parts), _OffsetMap(olds, news)


class _OffsetMap:
    """Maps an offset in a segment to the same place after `_squeeze`;
    empty (`olds` falsy) when nothing was squeezed."""

    __slots__ = ("news", "olds")

    def __init__(self, olds: list[int], news: list[int]) -> None:
        self.olds = olds
        self.news = news

    def __call__(self, offset: int) -> int:
        if not self.olds:
            return offset
        index = bisect_right(self.olds, offset) - 1
        return offset - self.olds[index] + self.news[index]
