"""`SearchIndex`: a pack's text indexed once at load, answering each keystroke."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice, repeat
from types import MappingProxyType
from typing import Protocol

from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Viewer
from soundtrack_tui.core.search.documents import (
    LOGLINE,
    RECAP,
    REVIEW,
    TIER_OF,
    TITLE,
    Documents,
    Place,
    Source,
    Story,
    Visibility,
    leading_sources,
    sources,
)
from soundtrack_tui.core.search.people import People
from soundtrack_tui.core.search.query import parse_query
from soundtrack_tui.core.search.ranking import Lookup, Ranker, Run
from soundtrack_tui.core.search.results import EpisodeMatches, SearchResults, Spans
from soundtrack_tui.core.search.spans import Locator, roles
from soundtrack_tui.core.search.storage import TokenTables
from soundtrack_tui.core.search.terms import Recent, Terms
from soundtrack_tui.core.search.tokens import Encoded
from soundtrack_tui.core.search.typos import Speller, by_length
from soundtrack_tui.core.textnorm import squash

__all__ = ["DEFAULT_LIMIT", "HELPER_SHARE", "EncodingHelper", "SearchIndex"]

DEFAULT_LIMIT = 200
# The share of the episodes a helper encodes: it starts later (a new
# interpreter that loads the stored pack) than the process it helps.
HELPER_SHARE = 0.4


class EncodingHelper(Protocol):
    """Another process that encodes a pack's texts (see `SearchIndex.build`)."""

    def start(self, first: int) -> bool:
        """Begin encoding the texts of `sources(pack)` from `first` on;
        False if that cannot be."""

    def result(self) -> Encoded | None:
        """What it encoded; None if it failed."""


class SearchIndex:
    """A pack's text, indexed once at load; `search` answers each keystroke.

    Immutable after `build`, apart from small caches: the documents each
    recent viewer may see, and recently resolved query terms. `search` and
    `episode_matches` may be called from several threads at once; the
    caches share one lock per index.

    What an index stores (`__getstate__`) is the documents' and the tokens'
    arrays and one bytes object, which a cache entry maps rather than
    loads, and references to the pack's episodes, characters and series
    reviews; the rest is derived again on load.
    """

    __slots__ = ("_by_length", "_documents", "_lock", "_people", "_ranker", "_seen", "_tables", "_terms")

    def __init__(self, documents: Documents, tables: TokenTables, people: People) -> None:
        """Use `build`; this wires the search around laid-out tables."""
        self._documents = documents
        self._tables = tables
        self._people = people
        self._derive()

    def _derive(self) -> None:
        self._lock = threading.Lock()
        self._terms = Terms(self._tables, self._lock)
        self._ranker = Ranker(self._tables, self._documents)
        self._seen: Recent[Viewer, Visibility] = Recent(self._lock, 4)
        self._by_length: dict[int, list[int]] | None = None

    def __getstate__(self) -> dict[str, object]:
        return {**self._documents.stored(), **self._tables.stored(), **self._people.stored()}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._documents = Documents.restored(state)
        self._tables = TokenTables.restored(state)
        self._people = People.restored(state)
        self._derive()

    @classmethod
    def build(cls, pack: Pack, helper: EncodingHelper | None = None) -> SearchIndex:
        """Index every searchable text of `pack` (see `Field`). Cutting the
        texts into token ids is half the work; a `helper` (another process)
        may encode the last `HELPER_SHARE` of the episodes and what follows
        them, while this one encodes the rest."""
        keys: list[tuple[Story, Place]] = []

        def texts(found: Iterable[Source]) -> Iterator[str]:
            for story, place, text in found:
                keys.append((story, place))
                yield text

        shared = round(HELPER_SHARE * len(pack.episodes))
        first = leading_sources(pack, len(pack.episodes) - shared)
        helped = helper is not None and shared > 0 and helper.start(first)
        mine = texts(sources(pack))
        parts = [Encoded.of(islice(mine, first if helped else None))]
        if helper is not None and helped:
            deque(mine, maxlen=0)  # the places of the helper's texts
            part = helper.result()
            if part is None or len(part.sequences) != len(keys) - first:
                part = Encoded.of(text for _, _, text in islice(sources(pack), first, None))
            parts.append(part)
        # Ids follow field tier, then story order. Ranking works one tier at
        # a time, so sorted ids are story order there, the final
        # tie-breaker; and what a viewer sees first (titles and names,
        # loglines, the early episodes) sits together in the tables, so a
        # search reads few of their pages. Texts were encoded as they came,
        # so they are never all held at once.
        vocab = sorted({word for part in parts for word in part.words if word})
        position = {word: new for new, word in enumerate(vocab)}
        # Lists rather than arrays while the tables are laid out: counting and
        # sorting read a list's ints without boxing each one anew (a tenth
        # of the build), for 4 more bytes a token until the build ends.
        sequences: list[list[int]] = []
        for part in parts:
            rank = list(map(position.get, part.words, repeat(0)))
            empty = part.empty  # a lone voicing mark: not a word
            for sequence in part.sequences:
                kept = sequence if empty is None else filter(empty.__ne__, sequence)
                sequences.append(list(map(rank.__getitem__, kept)))
            part.sequences.clear()  # before the tables are laid out: the build's peak
        order = sorted(range(len(keys)), key=lambda i: (TIER_OF[keys[i][1][0]], keys[i][0]))
        sequences = list(map(sequences.__getitem__, order))
        places = [keys[i][1] for i in order]
        return cls(Documents(pack, places), TokenTables(vocab, sequences), People(pack.characters))

    def __len__(self) -> int:
        """Number of indexed documents."""
        return len(self._documents)

    def search(self, query: str, viewer: Viewer, *, limit: int = DEFAULT_LIMIT) -> SearchResults:
        """Documents matching `query` that `viewer` may see, best first (at
        most `limit` of them), and a count of the hidden ones per gate."""
        parsed = parse_query(query)
        if parsed.empty:
            return SearchResults()
        documents = self._documents
        seen, moved = self._visible(viewer)
        run = Run(self._terms, parsed, self._lookup(viewer, seen))
        matched = run.matched()
        adjacent = None
        if run.whole is not None:
            # Wanted for ranking the visible matches and for choosing which
            # of a character's names stands for it (visible or not).
            named = matched.intersection(documents.alias_owner)
            adjacent = run.adjacent((matched & seen) | named, (parsed, viewer))
        matched = documents.one_per_character(
            matched, lambda d: run.card_rank(d, squash(documents.text(d)), adjacent)
        )
        visible = matched & seen
        hidden = matched - seen
        locator = Locator(self._tables, documents, roles(run.highlight, run.strong, adjacent, run.named))
        ranked = self._ranker.rank(run, visible, adjacent, limit, locator)
        locator.keep(frozenset(d for d, _ in ranked))
        hits = tuple(hit for _, hit in ranked)
        by_gate = MappingProxyType(documents.locked_by_gate(hidden, moved))
        return SearchResults(hits, by_gate, len(visible), run.corrections)

    def episode_matches(self, query: str, viewer: Viewer, episode: int) -> EpisodeMatches:
        """Every match of `query` that `viewer` may see in episode
        `episode`'s title, logline, recap paragraphs and reviews, with the
        spans a search hit on each would target. The query's terms are
        resolved as a search resolves them (and shared with it through the
        term cache); matching and spans are then worked out for that
        episode's documents only, so, unlike a search's `limit` hits, it
        finds every matching paragraph however common the words are."""
        parsed = parse_query(query)
        if parsed.empty:
            return EpisodeMatches(episode)
        seen = self._visible(viewer)[0]
        run = Run(self._terms, parsed, self._lookup(viewer, seen))
        mine = [d for d in self._documents.of_episode(episode) if d in seen]
        matched = run.matched(frozenset(mine))
        locator = Locator(self._tables, self._documents, roles(run.highlight, (), None, run.named))
        found: dict[int, list[tuple[int, Spans]]] = {TITLE: [], LOGLINE: [], RECAP: [], REVIEW: []}
        for d in mine:
            if d in matched:
                found[self._documents.fields[d]].append((self._documents.items[d], locator.spans(d)))
        title, logline = (next((spans for _, spans in found[field]), ()) for field in (TITLE, LOGLINE))
        return EpisodeMatches(episode, title, logline, tuple(found[RECAP]), tuple(found[REVIEW]))

    def _lookup(self, viewer: Viewer, seen: frozenset[int]) -> Lookup:
        """What `viewer`'s search may read into typed words: the names of
        the characters met, and replacements for typos among the words of
        the texts `seen`."""
        tables = self._tables
        if self._by_length is None:
            self._by_length = by_length(tables.vocab)

        def frequency(token: int) -> int:
            return tables.posting_count(token, token + 1)

        def visible(token: int) -> bool:
            return not seen.isdisjoint(tables.posting_docs(token, token + 1))

        speller = Speller(tables.vocab, self._by_length, frequency, visible)
        return Lookup(self._people, self._people.met(viewer), speller)

    def _visible(self, viewer: Viewer) -> Visibility:
        """`Documents.visibility`, cached: the viewer changes when an
        episode is marked, not per keystroke."""
        cached = self._seen.get(viewer)
        if cached is None:
            cached = self._documents.visibility(viewer)
            self._seen.put(viewer, cached)
        return cached
