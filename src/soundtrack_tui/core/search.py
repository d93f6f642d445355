"""Spoiler-aware full-text search over a pack.

The search box runs a query on every keystroke, over packs of up to a few
thousand episodes, so no query scans raw text. `SearchIndex.build` folds every
document once (case, accents and punctuation removed, as `textnorm` does) into
token ids and keeps:

- a sorted vocabulary: ids follow sorted order, so the word still being typed
  is a prefix, which is an id range found with two bisections;
- postings (token -> documents, with how often) stored flat (CSR);
- a hashed table of adjacent token pairs (pair -> documents), so that one
  typed token such as "sunwoo" finds "Sun-woo" and "Sun woo" without storing
  every word bigram as a string;
- each document's token ids in order, as codes in which only a token's first
  byte has the high bit set, so `bytes.find` / `bytes.count` check adjacency
  exactly at C speed (all documents' codes in one buffer); and, in one array
  shared by all documents, each one's ids sorted (to count a prefix range
  by bisection). Character offsets are worked out again for the hits
  shown, by tokenizing their text.

A query becomes terms, each read in every way it cuts into indexed tokens.
Candidate documents come from set operations on postings and pair rows and
are verified with byte searches; occurrences are counted only where ranking
needs them. Matches are counted exactly, but a hit works out its spans,
snippet and target only when first read: a screen shows a few of the
`limit` hits. Recap paragraphs and reviews are not kept as text: a hit
makes its text again from the pack's episodes.

Scripts written without spaces between words (Hangul, kana, CJK ideographs)
are indexed one character per token, so "선우" finds "한선우는" the way a
reader expects.

Spoilers: every document has a gate episode and is visible exactly when the
policy says so (`viewer.unlocked`, or `shows_title` for titles and loglines;
a note also needs its character). A hidden document never yields a hit, a
snippet or a label: it only adds one to `SearchResults.locked[gate]`.
"""

from __future__ import annotations

import dataclasses
import operator
import re
import sys
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import accumulate, chain, compress, pairwise, repeat
from types import MappingProxyType
from typing import Literal, TypeVar

from soundtrack_tui.core import textnorm
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Viewer, shows_title
from soundtrack_tui.core.textnorm import squash

__all__ = [
    "Field",
    "Hit",
    "Query",
    "SearchIndex",
    "SearchResults",
    "Target",
    "parse_query",
]

Field = Literal["title", "logline", "recap", "review", "name", "alias", "intro", "note", "series review"]

DEFAULT_LIMIT = 200

# Bounds on the work one keystroke may cause; real queries are far inside them.
_MAX_QUERY_CHARS = 256
_MAX_WORDS = 12  # unquoted words kept
_MAX_PHRASES = 6
_MAX_GROUP = 3  # consecutive query words that may be squashed into one name
_MAX_TERM_CHARS = 160  # longest squashed term we try to segment
_MAX_SEGMENTATIONS = 16  # ways of cutting one term into indexed words
_MAX_TAIL_FANOUT = 4096  # prefix expansions worth a pair lookup each
_MIN_TAIL = 2  # a prefix that follows other words needs this many letters
# Document ids the term cache may hold (sets and tallies), and the
# adjacency cache too. Each costs ~60 bytes: at a thousand episodes one
# common word holds ~17,000, and unbounded, a few keystrokes of cached terms
# took 40 MB. Smaller, a long query's earlier terms (the "s" of "eun-soo s")
# are evicted and worked out again: the p95 keystroke got 1-4 ms slower.
_TERM_CACHE_IDS = 3 << 15

_SNIPPET_WIDTH = 160
_SNIPPET_LEAD = 50  # characters of context kept before the match
_SNIPPET_SNAP = 24  # how far we move a cut to land on a space
_ELLIPSIS = "…"

_ITEM = array("I").itemsize
_K = TypeVar("_K")
_V = TypeVar("_V")
_GOLDEN = 0x9E3779B1

_QUOTE = re.compile('["“”]')
_SPACE_RUN = re.compile(r"\s+")
_CHAR_LEVEL = re.compile(
    "[\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)


# ---------------------------------------------------------------- results


@dataclasses.dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: what to look for, already folded.

    `words` must all occur in a document, in any order; each phrase must occur
    as consecutive words. `prefix` says the last word is still being typed
    and may match the start of a longer word.
    """

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: bool = False

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """Where a hit lives, precisely enough to jump there and highlight.

    `spans` are [start, end) offsets of every match in the document text:
    the title, logline, intro or note text; the recap paragraph
    (`Episode.paragraphs[paragraph]`); the name or alias itself; for a review,
    `Review.text`. `review_index` indexes `Episode.reviews` or, for a
    series review, `Show.reviews`.
    """

    spans: tuple[tuple[int, int], ...]
    character_id: str | None = None
    paragraph: int | None = None
    review_index: int | None = None
    note_index: int | None = None
    alias_index: int | None = None


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)
class Hit:
    """One visible matching document.

    `gate` is the episode that unlocks it; `episode` is the episode page it
    belongs to (None for characters and series reviews). `spans` locate the
    matches inside `snippet`. Hits come sorted; `score` is higher for better
    hits and equal scores keep story order.

    A search ranks every match but a screen shows a few, so `snippet`,
    `spans` and `target` are worked out on first access, then kept. Hits
    may be made in a worker thread and read on another: they are computed
    from immutable index data, so two threads asking at once get equal
    values.
    """

    gate: int
    episode: int | None
    field: Field
    label: str
    score: float
    _locator: _Locator
    _doc: int
    _details: _Details | None = dataclasses.field(default=None, init=False)

    @property
    def snippet(self) -> str:
        return self._detailed()[0]

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return self._detailed()[1]

    @property
    def target(self) -> Target:
        return self._detailed()[2]

    def _detailed(self) -> _Details:
        details = self._details
        if details is None:
            details = self._locator.details(self._doc)
            object.__setattr__(self, "_details", details)
        return details

    def _key(self) -> tuple[object, ...]:
        return (self.gate, self.episode, self.field, self.label, *self._detailed(), self.score)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Hit(gate={self.gate!r}, episode={self.episode!r}, field={self.field!r}, label={self.label!r}, "
            f"snippet={self.snippet!r}, spans={self.spans!r}, target={self.target!r}, score={self.score!r})"
        )


_Details = tuple[str, tuple[tuple[int, int], ...], Target]  # snippet, its spans, target


def _no_locks() -> Mapping[int, int]:
    return MappingProxyType({})


@dataclasses.dataclass(frozen=True, slots=True)
class SearchResults:
    """What a query found for one viewer.

    `hits` holds at most `limit` hits; `total` counts every visible match.
    `locked` maps a gate episode to the number of matching documents the
    viewer may not see yet, so the UI can say that more exist without saying
    what they are.
    """

    hits: tuple[Hit, ...] = ()
    locked: Mapping[int, int] = dataclasses.field(default_factory=_no_locks)
    total: int = 0

    def summary_locked(self) -> str | None:
        """ "4 more matches in locked episodes 3 and 4", or None."""
        if not self.locked:
            return None
        count = sum(self.locked.values())
        noun = "match" if count == 1 else "matches"
        gates = sorted(self.locked)
        where = f"episode {gates[0]}" if len(gates) == 1 else f"episodes {_list_episodes(gates)}"
        return f"{count:,} more {noun} in locked {where}"


def _list_episodes(numbers: Sequence[int]) -> str:
    """ "2, 3 and 4"; runs of four or more become "5–9"; long lists end
    with "and N others" so a status line stays one line."""
    items: list[str] = []
    index = 0
    while index < len(numbers):
        end = index
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        if end - index >= 3:
            items.append(f"{numbers[index]}–{numbers[end]}")
        else:
            items.extend(str(n) for n in numbers[index : end + 1])
        index = end + 1
    if len(items) > 6:
        return f"{', '.join(items[:5])} and {len(items) - 5} others"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# ---------------------------------------------------------------- folding


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """`textnorm`'s folding of one character ("" for a combining mark)."""
    return squash(char)


def _split_char_level(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The tokens of the word text[start:end]: each Hangul/kana/CJK character
    alone, other runs together. Marks stay with the token before them."""
    run: list[str] = []
    run_start = last_end = -1
    for index in range(start, end):
        folded = _fold_char(text[index])
        if folded and _CHAR_LEVEL.match(folded):
            if run:
                yield "".join(run), run_start, last_end
                run = []
            yield folded, index, index + 1
            last_end = -1
        elif folded:
            if not run:
                run_start = index
            run.append(folded)
            last_end = index + 1
        elif run:
            last_end = index + 1
    if run:
        yield "".join(run), run_start, last_end


def _tokenize(text: str) -> tuple[list[str], list[int]]:
    """Indexed tokens of `text` and their flat offsets: words, with
    Hangul, kana and CJK characters split off one per token."""
    tokens, offsets = textnorm.split_words(text)
    if text.isascii():
        return tokens, offsets
    starts = offsets[::2]
    touched = sorted({bisect_right(starts, match.start()) - 1 for match in _CHAR_LEVEL.finditer(text)} - {-1})
    if not touched:
        return tokens, offsets
    split: list[str] = []
    spans: list[int] = []
    done = 0
    for index in touched:
        split += tokens[done:index]
        spans += offsets[2 * done : 2 * index]
        for piece, start, end in _split_char_level(text, offsets[2 * index], offsets[2 * index + 1]):
            split.append(piece)
            spans += (start, end)
        done = index + 1
    return split + tokens[done:], spans + offsets[2 * done :]


# ---------------------------------------------------------------- queries


def parse_query(query: str) -> Query:
    """Split a typed query into folded words and "quoted phrases".

    Straight and curly double quotes delimit phrases; an unclosed quote makes
    the rest of the query a phrase. The last unquoted word is a prefix only
    when it ends the query: after a space or a phrase the user has finished
    it. Absurdly long queries are cut, so one paste cannot stall the UI.
    """
    parts = _QUOTE.split(query[:_MAX_QUERY_CHARS])
    found: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for index, part in enumerate(parts):
        folded = tuple(word for word, _, _ in textnorm.words(part))
        if index % 2:
            if folded and len(phrases) < _MAX_PHRASES:
                phrases.append(folded)
        else:
            found.extend(folded)
    tail = textnorm.words(parts[-1]) if len(parts) % 2 else []
    prefix = bool(tail) and tail[-1][2] == len(parts[-1]) and len(found) <= _MAX_WORDS
    return Query(tuple(found[:_MAX_WORDS]), tuple(phrases), prefix)


class _Seg:
    """One way to read a term as consecutive indexed tokens: `exact` ids,
    then optionally one token whose id lies in `tail` (a prefix range).
    `needle` is the exact part as stored in a document's byte sequence."""

    __slots__ = ("exact", "needle", "tail", "width")

    def __init__(self, exact: tuple[int, ...], tail: tuple[int, int] | None, needle: bytes) -> None:
        self.exact = exact
        self.tail = tail
        self.needle = needle
        self.width = len(exact) + (tail is not None)


class _Reading:
    """A reading and the documents it occurs in. `tally` (occurrences per
    document) is filled while a multi-token reading is found, and for a
    single token the first time ranking needs it in bulk; it lives as long
    as the cached term, so the next keystroke reuses it."""

    __slots__ = ("docs", "seg", "tally")

    def __init__(self, seg: _Seg, docs: frozenset[int], tally: Mapping[int, int] | None = None) -> None:
        self.seg = seg
        self.docs = docs
        self.tally = tally


@dataclasses.dataclass(frozen=True, slots=True)
class _Term:
    """A squashed term: its readings that occur somewhere, and the union of
    their documents. `implied` readings are cut at every one of the query's
    own word boundaries ("eun"+"soo" for the words "eun soo"): a document
    holding one also matches the words one by one, so they never add a
    match. They are only located inside hits (and, for the whole query,
    resolved to documents to rank adjacency), which saves counting them in
    thousands of documents."""

    readings: tuple[_Reading, ...]
    implied: tuple[_Seg, ...]
    docs: frozenset[int]


# ---------------------------------------------------------------- documents


@dataclasses.dataclass(frozen=True, slots=True)
class _Doc:
    """Everything a hit on one searchable text reports. Not stored: an
    index keeps each document as three numbers (`_Place`) and makes this,
    and the text, again from the pack when a hit needs them."""

    field: Field
    gate: int
    label: str
    episode: int | None = None
    title_gate: bool = False  # visible by `shows_title`, not `unlocked`
    requires: int | None = None  # a second gate: a note's character
    owner: int | None = None  # character index for names and aliases
    character_id: str | None = None
    paragraph: int | None = None
    review_index: int | None = None
    note_index: int | None = None
    alias_index: int | None = None


# A document's place in the pack: (field, owner, item). The owner is the
# episode number (title, logline, recap, review), the character's index
# (name, alias, intro, note) or the series review's index; the item is the
# paragraph, review, alias or note index (0 where there is one text).
_FIELDS: tuple[Field, ...] = (
    "title", "logline", "recap", "review", "name", "alias", "intro", "note", "series review"
)  # fmt: skip
_TITLE, _LOGLINE, _RECAP, _REVIEW, _NAME, _ALIAS, _INTRO, _NOTE, _SERIES = range(len(_FIELDS))
# Ranking tiers: names and titles, then loglines, then prose.
_TIER_OF = tuple(
    0 if field in ("title", "name", "alias") else 1 if field == "logline" else 2 for field in _FIELDS
)
_Place = tuple[int, int, int]
_Story = tuple[int, int, int, int]  # sort key: story order
_Source = tuple[_Story, _Place, str]  # a document and its text, to index


def _episode_docs(pack: Pack) -> Iterator[_Source]:
    """Title and logline (shown by `shows_title`), each recap paragraph and
    each review (shown once the episode is unlocked)."""
    for n, episode in pack.episodes.items():
        yield (n, 0, 0, 0), (_TITLE, n, 0), episode.title
        yield (n, 1, 0, 0), (_LOGLINE, n, 0), episode.logline
        for index, paragraph in enumerate(episode.paragraphs):
            yield (n, 2, index, 0), (_RECAP, n, index), paragraph
        for index, review in enumerate(episode.reviews):
            yield (n, 3, index, 0), (_REVIEW, n, index), review.text


def _character_docs(pack: Pack) -> Iterator[_Source]:
    """Names, aliases and intro are gated by the first episode; a note by
    its own (see `_Texts.doc`)."""
    for index, person in enumerate(pack.characters):
        first = person.first_episode
        yield (first, 4, index, 0), (_NAME, index, 0), person.name
        for number, alias in enumerate(person.aliases):
            yield (first, 4, index, number + 1), (_ALIAS, index, number), alias
        yield (first, 4, index, len(person.aliases) + 1), (_INTRO, index, 0), person.intro
        for number, note in enumerate(person.notes):
            yield (note.episode, 5, index, number), (_NOTE, index, number), note.text


def _series_docs(pack: Pack) -> Iterator[_Source]:
    """Whole-series reviews, gated by the episode each assumes seen."""
    for index, review in enumerate(pack.show.reviews):
        yield (review.after_episode, 6, index, 0), (_SERIES, index, 0), review.text


def _sources(pack: Pack) -> Iterator[_Source]:
    """Every searchable text, with its place in story order."""
    return chain(_episode_docs(pack), _character_docs(pack), _series_docs(pack))


class _Texts:
    """The pack's parts an index refers to, and what a document's place
    means in them: its `_Doc` and its text, made when a hit needs them
    rather than kept (a thousand episodes have 17,000 documents)."""

    __slots__ = ("characters", "episodes", "series")

    def __init__(self, pack: Pack) -> None:
        self.episodes = dict(pack.episodes)
        self.characters = pack.characters
        self.series = pack.show.reviews

    def doc(self, field: int, owner: int, item: int) -> _Doc:
        """Gates follow `policy`: episode texts by their episode (titles and
        loglines by `shows_title`); names, aliases and intros by the
        character's first episode; a note by its own episode and also its
        character's first, as in `policy.character_views` (watched episodes
        need not be consecutive); series reviews by the episode each
        assumes seen."""
        kind, label = _FIELDS[field], self.label(field, owner, item)
        if field <= _REVIEW:
            return _Doc(
                kind,
                owner,
                label,
                owner,
                title_gate=field <= _LOGLINE,
                paragraph=item if field == _RECAP else None,
                review_index=item if field == _REVIEW else None,
            )
        if field == _SERIES:
            return _Doc(kind, self.series[owner].after_episode, label, review_index=owner)
        person = self.characters[owner]
        first = person.first_episode
        return _Doc(
            kind,
            person.notes[item].episode if field == _NOTE else first,
            label,
            owner=owner if field in (_NAME, _ALIAS) else None,
            character_id=person.id,
            requires=first if field == _NOTE else None,
            alias_index=item if field == _ALIAS else None,
            note_index=item if field == _NOTE else None,
        )

    def label(self, field: int, owner: int, item: int) -> str:
        """What a hit on the document is listed under: its episode, the
        review's outlet, or the character's name."""
        if field <= _REVIEW:
            return self.episodes[owner].reviews[item].outlet if field == _REVIEW else f"Episode {owner}"
        return self.series[owner].outlet if field == _SERIES else self.characters[owner].name

    def text(self, field: int, owner: int, item: int) -> str:
        """The text the document's offsets refer to."""
        if field == _SERIES:
            return self.series[owner].text
        if field <= _REVIEW:
            episode = self.episodes[owner]
            if field == _RECAP:
                return episode.paragraphs[item]
            if field == _REVIEW:
                return episode.reviews[item].text
            return episode.title if field == _TITLE else episode.logline
        person = self.characters[owner]
        if field == _NOTE:
            return person.notes[item].text
        if field == _ALIAS:
            return person.aliases[item]
        return person.name if field == _NAME else person.intro


# ---------------------------------------------------------------- storage


class _Codec:
    """Token ids as bytes where only the first byte of a token has its high
    bit set. A needle can then only match at a token boundary, so
    `bytes.find` and `bytes.count` search a document's id sequence exactly,
    at C speed. Each byte holds 7 bits of the id: the narrowest width that
    holds the vocabulary is used (two bytes up to 16,384 words, three up to
    2**21, else four), since searches read these bytes for every candidate."""

    __slots__ = ("width",)

    def __init__(self, vocabulary: int) -> None:
        self.width = 2 if vocabulary <= 1 << 14 else 3 if vocabulary <= 1 << 21 else 4

    def code(self, token: int) -> bytes:
        shifts = range(7 * (self.width - 1), -1, -7)
        return bytes((0x80 | token >> shifts[0], *(token >> shift & 0x7F for shift in shifts[1:])))

    def pack(self, tokens: Iterable[int]) -> bytes:
        return b"".join(map(self.code, tokens))

    def token(self, data: bytes, index: int) -> int:
        """The id at token position `index` of `data`."""
        at = index * self.width
        value = data[at] & 0x7F
        for byte in data[at + 1 : at + self.width]:
            value = value << 7 | byte
        return value

    def positions(self, data: bytes, needle: bytes) -> list[int]:
        """Token positions of `needle` in `data`, left to right, not
        overlapping (the way `bytes.count` counts)."""
        found: list[int] = []
        position = data.find(needle)
        while position >= 0:
            found.append(position // self.width)
            position = data.find(needle, position + len(needle))
        return found


class _Csr:
    """Many sorted lists of document ids in one flat array: row `i` is
    flat[offsets[i]:offsets[i + 1]]. A Python list per word or per word pair
    would take more memory than the ids themselves."""

    __slots__ = ("flat", "offsets")

    def __init__(self, flat: array[int], offsets: array[int]) -> None:
        self.flat = flat
        self.offsets = offsets

    @classmethod
    def grouped(cls, keys: Iterable[Iterable[int]], size: int, docs: int) -> _Csr:
        """Row k lists (ascending) every document d with k in keys[d]. Only
        rows in use get a list, and the appends run as C-level maps: the
        pair table has a row per hash bucket, most of them empty."""
        rows: defaultdict[int, list[int]] = defaultdict(list)
        for doc, row in enumerate(keys):
            deque(map(list.append, map(rows.__getitem__, row), repeat(doc)), maxlen=0)
        lists = list(map(rows.get, range(size), repeat(())))
        offsets = array("I", accumulate(map(len, lists), initial=0))
        return cls(array(_ids(docs), chain.from_iterable(lists)), offsets)

    @classmethod
    def weighted(cls, sequences: Sequence[Sequence[int]], size: int, docs: int) -> tuple[_Csr, array[int]]:
        """Like `grouped`, plus a parallel array of each entry's weight (the
        number of times word k occurs in document d, capped at 255: beyond
        that a paragraph's rank cannot change). The appends run as C-level
        maps, as in `grouped`."""
        rows: list[list[int]] = [[] for _ in range(size)]
        weights: list[list[int]] = [[] for _ in range(size)]
        for doc, sequence in enumerate(sequences):
            counter = Counter(sequence)
            counts: Iterable[int] = counter.values()
            if len(sequence) > 0xFF:
                counts = map(min, counts, repeat(0xFF))
            deque(map(list.append, map(rows.__getitem__, counter), repeat(doc)), maxlen=0)
            deque(map(list.append, map(weights.__getitem__, counter), counts), maxlen=0)
        offsets = array("I", accumulate(map(len, rows), initial=0))
        flat = array(_ids(docs), chain.from_iterable(rows))
        return cls(flat, offsets), array("B", chain.from_iterable(weights))

    def row(self, index: int) -> array[int]:
        return self.flat[self.offsets[index] : self.offsets[index + 1]]

    def rows(self, start: int, stop: int) -> array[int]:
        """Rows start..stop-1 concatenated (ids may repeat)."""
        return self.flat[self.offsets[start] : self.offsets[stop]]


def _encode(text: str, ids: dict[str, int]) -> array[int]:
    """Token ids of `text` (new tokens get the next ids)."""
    tokens = _tokenize(text)[0]
    for token in set(tokens).difference(ids):
        ids[token] = len(ids)
    return array("I", map(ids.__getitem__, tokens))


def _ids(largest: int) -> str:
    """The narrowest array type for ids up to `largest`: a thousand
    episodes have fewer than 65,536 documents."""
    return "H" if largest <= 0xFFFF else "I"


def _pair_key(first: int, second: int, mask: int) -> int:
    return (first * _GOLDEN ^ second) & mask


def _pair_keys(sequence: array[int], mask: int) -> set[int]:
    """`_pair_key` of every adjacent pair of `sequence`, with C-level maps:
    this runs once per indexed word."""
    products = map(_GOLDEN.__mul__, sequence[:-1])
    return set(map(mask.__and__, map(int.__xor__, products, sequence[1:])))


def _pair_bits(tokens: int) -> int:
    """Size of the pair hash table: about one bucket per four token pairs,
    enough to keep collisions (which searching the bytes filters out) rare."""
    return min(20, max(8, (tokens // 4).bit_length()))


def _only(docs: Iterable[int], within: AbstractSet[int] | None) -> list[int]:
    """`docs` as a list, keeping only those `within` when it is given."""
    return list(docs if within is None else filter(within.__contains__, docs))


def _repeated(docs: Sequence[int], counts: Iterable[int]) -> Iterator[int]:
    """Each doc repeated by its count: food for Counter's C-level tally."""
    return chain.from_iterable(map(repeat, docs, counts))


# ---------------------------------------------------------------- the index


class SearchIndex:
    """A pack's text, indexed once at load; `search` answers each keystroke.

    Immutable after `build`, apart from small caches: the documents each
    recent viewer may see, and recently resolved query terms (typing "the
    tarot" asks for "the" at every keystroke after the third). `search` may
    be called from several threads at once.
    """

    __slots__ = (
        "_adjacent",
        "_alias_owner",
        "_bags",
        "_blob",
        "_byte_at",
        "_classes",
        "_codec",
        "_fields",
        "_frequencies",
        "_gates",
        "_ids",
        "_items",
        "_longest",
        "_owners",
        "_pair_mask",
        "_pairs",
        "_postings",
        "_seen",
        "_terms",
        "_texts",
        "_tier_starts",
        "_token_at",
        "_vocab",
    )

    # What an index entry stores (`__getstate__`): arrays and one bytes
    # object, which a cache entry maps rather than loads, so a thousand
    # episodes' index costs about a megabyte of heap. The rest is derived.
    _STORED = (
        "_bags",
        "_blob",
        "_byte_at",
        "_classes",
        "_fields",
        "_frequencies",
        "_gates",
        "_items",
        "_owners",
        "_pair_mask",
        "_pairs",
        "_postings",
        "_texts",
        "_token_at",
        "_vocab",
    )

    def __init__(
        self, pack: Pack, places: Sequence[_Place], vocab: list[str], sequences: list[array[int]]
    ) -> None:
        """Use `build`; this lays out the tables for tokenized documents."""
        self._texts = texts = _Texts(pack)
        self._vocab = vocab
        codec = _Codec(len(vocab))
        codes = list(map(codec.code, range(len(vocab))))
        # Every document's ids in order, as codes, in one bytes object:
        # document d is blob[byte_at[d]:byte_at[d + 1]] (`_data`).
        self._blob = b"".join(b"".join(map(codes.__getitem__, sequence)) for sequence in sequences)
        self._byte_at = array(
            "L" if len(self._blob) >> 32 else "I",
            accumulate((len(s) * codec.width for s in sequences), initial=0),
        )
        # Each document's ids sorted, in one array rather than one per
        # document (an array object costs memory and a place in every GC
        # pass). Character offsets are not kept: the few hits shown
        # tokenize their text again (`_spans`).
        self._token_at = array("I", accumulate(map(len, sequences), initial=0))
        self._bags = array(_ids(len(vocab)), chain.from_iterable(map(sorted, sequences)))
        self._postings, self._frequencies = _Csr.weighted(sequences, len(vocab), len(places))
        bits = _pair_bits(sum(map(len, sequences)))
        self._pair_mask = mask = (1 << bits) - 1
        self._pairs = _Csr.grouped(map(_pair_keys, sequences, repeat(mask)), 1 << bits, len(places))
        fields, owners, items = zip(*places, strict=True) if places else ((), (), ())
        self._fields = array("B", fields)
        self._owners = array(_ids(max(owners, default=0)), owners)
        self._items = array(_ids(max(items, default=0)), items)
        docs = list(map(texts.doc, fields, owners, items))
        self._gates = array("i", (doc.gate for doc in docs))
        classes: dict[tuple[int, bool, int | None], list[int]] = {}
        for d, doc in enumerate(docs):
            classes.setdefault((doc.gate, doc.title_gate, doc.requires), []).append(d)
        self._classes = {key: array(_ids(len(docs)), members) for key, members in classes.items()}
        self._derive()

    def _derive(self) -> None:
        """What is quick to make again from the stored tables, and the caches."""
        self._ids = {word: index for index, word in enumerate(self._vocab)}
        self._longest = max(map(len, self._vocab), default=0)
        self._codec = _Codec(len(self._vocab))
        # Ids run through the tiers in order (see `build`): tier t is the
        # ids from _tier_starts[t] to _tier_starts[t + 1].
        sizes = Counter(map(_TIER_OF.__getitem__, self._fields))
        self._tier_starts = tuple(accumulate((sizes[tier] for tier in range(3)), initial=0))
        names = map((_NAME, _ALIAS).__contains__, self._fields)
        self._alias_owner = dict(compress(enumerate(self._owners), names))
        self._seen: dict[Viewer, tuple[frozenset[int], dict[int, int]]] = {}
        self._terms: dict[tuple[str, frozenset[int], bool, bool], _Term] = {}
        self._adjacent: dict[tuple[Query, Viewer], frozenset[int]] = {}

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self._STORED}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name in self._STORED:
            setattr(self, name, state[name])
        self._derive()

    @classmethod
    def build(cls, pack: Pack) -> SearchIndex:
        """Index every searchable text of `pack` (see `Field`)."""
        first_seen: dict[str, int] = {}
        encoded = [(story, place, _encode(text, first_seen)) for story, place, text in _sources(pack)]
        # Ids follow field tier, then story order. Ranking works one tier at
        # a time, so sorted ids are story order there, the final
        # tie-breaker; and what a viewer sees first (titles and names,
        # loglines, the early episodes) sits together in the tables, so a
        # search reads few of their pages. Texts were encoded as they came,
        # so they are never all held at once.
        encoded.sort(key=lambda source: (_TIER_OF[source[1][0]], source[0]))
        vocab = sorted(first_seen)
        rank = array("I", bytes(_ITEM * len(vocab)))
        for new, word in enumerate(vocab):
            rank[first_seen[word]] = new
        sequences = [array("I", map(rank.__getitem__, sequence)) for _, _, sequence in encoded]
        places = [place for _, place, _ in encoded]
        del encoded  # before the tables are laid out: the build's peak
        return cls(pack, places, vocab, sequences)

    def __len__(self) -> int:
        """Number of indexed documents."""
        return len(self._fields)

    def search(self, query: str, viewer: Viewer, *, limit: int = DEFAULT_LIMIT) -> SearchResults:
        """Documents matching `query` that `viewer` may see, best first (at
        most `limit` of them), and a count of the hidden ones per gate."""
        parsed = parse_query(query)
        if parsed.empty:
            return SearchResults()
        seen, moved = self._visible(viewer)
        run = _Run(self, parsed, viewer, seen)
        matched = self._one_per_character(run)
        visible = matched & seen
        hidden = matched - seen
        locked = Counter(map(moved.get, hidden, map(self._gates.__getitem__, hidden)))
        hits = tuple(self._rank(run, visible, limit))
        run.locator.keep(frozenset(hit._doc for hit in hits))
        return SearchResults(
            hits, MappingProxyType({gate: locked[gate] for gate in sorted(locked)}), len(visible)
        )

    # ------------------------------------------------------------ policy

    def _visible(self, viewer: Viewer) -> tuple[frozenset[int], dict[int, int]]:
        """Documents `viewer` may see, decided by the policy per gate and
        cached (the viewer changes when an episode is marked, not per key);
        and the hidden documents to count under another gate than their
        own: a note of a watched episode whose character is still locked."""
        cached = self._seen.get(viewer)
        if cached is None:
            docs: set[int] = set()
            moved: dict[int, int] = {}
            for (gate, title_gate, requires), members in self._classes.items():
                if not (shows_title(viewer, gate) if title_gate else viewer.unlocked(gate)):
                    continue
                if requires is None or viewer.unlocked(requires):
                    docs.update(members)
                else:
                    moved.update(dict.fromkeys(members, requires))
            cached = (frozenset(docs), moved)
            _remember(self._seen, viewer, cached, 4)
        return cached

    def _one_per_character(self, run: _Run) -> set[int]:
        """A character is one result however many of its names match: the
        best-ranked matching name, the display name on a tie. Locked names
        are counted once per character for the same reason."""
        named = run.matched & self._alias_owner.keys()
        if len(named) < 2:
            return run.matched
        best: dict[int, int] = {}
        for d in sorted(named, key=lambda d: (run.kind(d), d)):
            best.setdefault(self._alias_owner[d], d)
        return (run.matched - named) | set(best.values())

    # ------------------------------------------------------------ ranking

    def _rank(self, run: _Run, visible: set[int], limit: int) -> list[Hit]:
        """Hits ordered by (adjacency, field tier, -occurrences, story).
        Occurrences are counted only in the buckets needed to fill `limit`,
        so a one-letter query does not count "t" in every recap."""
        hits: list[Hit] = []
        for kind, docs in run.kinds(visible):
            ordered = sorted(docs)
            cuts = [bisect_left(ordered, start) for start in self._tier_starts]
            for tier in range(3):
                room = limit - len(hits)
                if room <= 0:
                    return hits
                bucket = ordered[cuts[tier] : cuts[tier + 1]]
                if not bucket:
                    continue
                counts = self._tally(run, bucket)
                best = sorted(range(len(bucket)), key=counts.__getitem__, reverse=True)[:room]
                hits.extend(self._hit(run.locator, bucket[i], kind, tier, counts[i]) for i in best)
        return hits

    def _tally(self, run: _Run, bucket: list[int]) -> list[int]:
        """Occurrences of every query term in each document of `bucket`
        (aligned with it), summed with C-level maps over per-reading
        tallies, or bytes.count / bisect where building a tally costs more
        than counting the bucket directly."""
        counts = [0] * len(bucket)
        for reading in run.counted:
            counts = list(map(operator.add, counts, self._occurrences(reading, bucket)))
        return counts

    def _occurrences(self, reading: _Reading, bucket: list[int]) -> Iterable[int]:
        """How often `reading` occurs in each of `bucket`. A single token's
        tally is built from postings when that is cheaper than counting the
        bucket, and is then kept for the following keystrokes."""
        seg = reading.seg
        low, high = seg.tail or (seg.exact[0], seg.exact[0] + 1)
        if reading.tally is None and seg.width == 1:
            start, stop = self._postings.offsets[low], self._postings.offsets[high]
            weights = self._frequencies[start:stop]
            if (stop - start if high - low == 1 else sum(weights)) <= 8 * len(bucket):
                docs = self._postings.flat[start:stop]
                reading.tally = (
                    dict(zip(docs, weights, strict=True))
                    if high - low == 1
                    else Counter(_repeated(docs, weights))
                )
        if reading.tally is not None:
            return map(reading.tally.get, bucket, repeat(0))
        if seg.tail is None:
            return map(bytes.count, self._datas(bucket), repeat(seg.needle))
        bags, at = repeat(self._bags), self._token_at
        los = list(map(at.__getitem__, bucket))
        his = list(map(at.__getitem__, map((1).__add__, bucket)))
        highs = map(bisect_left, bags, repeat(high), los, his)
        return map(operator.sub, highs, map(bisect_left, bags, repeat(low), los, his))

    def _hit(self, locator: _Locator, d: int, kind: int, tier: int, count: int) -> Hit:
        """A visible document as a hit, its snippet and target left for
        later. The score encodes the sort key (adjacency, tier, then
        occurrences squashed below 1)."""
        field, owner = self._fields[d], self._owners[d]
        label = self._texts.label(field, owner, self._items[d])
        score = (1 - kind) * 10 + (2 - tier) * 2 + count / (count + 1)
        return Hit(
            self._gates[d], owner if field <= _REVIEW else None, _FIELDS[field], label, score, locator, d
        )

    def _doc(self, d: int) -> _Doc:
        return self._texts.doc(self._fields[d], self._owners[d], self._items[d])

    def _text(self, d: int) -> str:
        """The text of document `d`, the one its offsets refer to."""
        return self._texts.text(self._fields[d], self._owners[d], self._items[d])

    def _data(self, d: int) -> bytes:
        """Document `d`'s token codes, in order."""
        return bytes(self._blob[self._byte_at[d] : self._byte_at[d + 1]])

    def _datas(self, docs: Sequence[int]) -> Iterator[bytes]:
        """`_data` of each of `docs`, with C-level maps."""
        at = self._byte_at.__getitem__
        spans = map(slice, map(at, docs), map(at, map((1).__add__, docs)))
        return map(bytes, map(self._blob.__getitem__, spans))

    # ------------------------------------------------------------ terms

    def _term(self, text: str, bounds: frozenset[int], prefix: bool, split: bool = True) -> _Term:
        """Documents where the squashed `text` occurs as consecutive tokens,
        however the text splits into indexed words ("sunwoo" is "sun woo").
        With `split`, readings implied by the separate words are set aside."""
        key = (text, bounds, prefix, split)
        term = self._terms.get(key)
        if term is None:
            readings: list[_Reading] = []
            implied: list[_Seg] = []
            for seg in self._segmentations(text, bounds, prefix):
                if split and len(bounds) > 1 and bounds <= self._cuts(seg, len(text)):
                    implied.append(seg)
                elif (reading := self._read(seg)).docs:
                    readings.append(reading)
            term = _Term(tuple(readings), tuple(implied), frozenset().union(*(r.docs for r in readings)))
            _remember(self._terms, key, term, 64, _term_weight)
        return term

    def _together(self, term: _Term, within: AbstractSet[int], key: tuple[Query, Viewer]) -> frozenset[int]:
        """The documents of `term`, its implied readings included: where the
        query's words stand together. Implied readings, the costly part, are
        looked for only `within` the documents the caller will ask about;
        the answer is cached under `key`, the query and viewer that make
        `within`."""
        found = self._adjacent.get(key)
        if found is None:
            found = term.docs.union(*(frozenset(self._run_docs(seg, False, within)) for seg in term.implied))
            _remember(self._adjacent, key, found, 16, len)
        return found

    def _cuts(self, seg: _Seg, length: int) -> frozenset[int]:
        """Offsets in the squashed term (of `length`) where a token of `seg`
        ends."""
        return frozenset((*accumulate(len(self._vocab[token]) for token in seg.exact), length))

    def _segmentations(self, text: str, bounds: frozenset[int], prefix: bool) -> list[_Seg]:
        """Ways to cut `text` into vocabulary tokens (the last one possibly a
        prefix), the cut at the query's own word boundaries first."""
        if not text or len(text) > _MAX_TERM_CHARS:
            return []
        steps, tails = self._lattice(text, prefix)
        found: list[tuple[tuple[int, ...], tuple[int, int] | None]] = []
        _walk(text, 0, (), (steps, tails, bounds, self._ids), found)
        return [_Seg(exact, tail, self._codec.pack(exact)) for exact, tail in found]

    def _lattice(self, text: str, prefix: bool) -> tuple[list[list[int]], list[tuple[int, int] | None]]:
        """For each position i: the ends j such that text[i:j] is a token
        and text[j:] can still be cut, and the prefix range of text[i:].
        A prefix after other tokens needs two letters, or "ane" would match
        every "a new"."""
        n = len(text)
        steps: list[list[int]] = [[] for _ in range(n)]
        tails: list[tuple[int, int] | None] = [None] * n
        alive = [False] * n + [True]
        for i in range(n - 1, -1, -1):
            char_level = _CHAR_LEVEL.match(text, i) is not None
            if prefix and not char_level and (i == 0 or n - i >= _MIN_TAIL):
                tails[i] = self._prefix_range(text[i:])
            ends = (i + 1,) if char_level else range(min(n, i + self._longest), i, -1)
            steps[i] = [j for j in ends if alive[j] and text[i:j] in self._ids and not (j == n and tails[i])]
            alive[i] = bool(steps[i]) or tails[i] is not None
        return steps, tails

    def _prefix_range(self, prefix: str) -> tuple[int, int] | None:
        """Ids of the tokens starting with `prefix`: ids follow sorted order."""
        low = bisect_left(self._vocab, prefix)
        high = bisect_left(self._vocab, prefix + "\U0010ffff", low)
        return (low, high) if high > low else None

    # ------------------------------------------------------------ readings

    def _read(self, seg: _Seg) -> _Reading:
        """Where `seg` occurs. One token: straight from postings. Several:
        candidates from the pair table, then an exact byte search in each."""
        if seg.tail is not None and not seg.exact:
            return _Reading(seg, frozenset(self._postings.rows(*seg.tail)))
        if seg.width == 1:
            return _Reading(seg, frozenset(self._postings.row(seg.exact[0])))
        counts = Counter(self._run_docs(seg, True))
        return _Reading(seg, frozenset(counts), counts)

    def _run_docs(self, seg: _Seg, each: bool, within: AbstractSet[int] | None = None) -> Iterator[int]:
        """Documents holding the multi-token `seg` (only those `within`, if
        given), once per occurrence when `each`. Candidates come from the
        pair table; a prefix tail is either expanded into whole needles
        (exact ids + one tail id, each searched where its last pair occurs)
        or checked token by token in the candidates, whichever touches
        fewer rows."""
        pool = self._pair_candidates(seg.exact)
        if pool is not None and not pool:
            return iter(())
        if seg.tail is None:
            return self._needle_docs(pool or (), seg.needle, each, within)
        low, high = seg.tail
        docs = _only(self._postings.row(seg.exact[0]) if pool is None else pool, within)
        if high - low > min(_MAX_TAIL_FANOUT, 2 * len(docs)):
            found = list(map(len, map(self._starts, docs, repeat(seg))))
            return _repeated(docs, found) if each else compress(docs, found)
        last = seg.exact[-1]
        needles = (
            (self._pair_row(last, token), seg.needle + self._codec.code(token)) for token in range(low, high)
        )
        return chain.from_iterable(
            self._needle_docs(row, needle, each, within) for row, needle in needles if row
        )

    def _needle_docs(
        self, docs: Iterable[int], needle: bytes, each: bool, within: AbstractSet[int] | None = None
    ) -> Iterator[int]:
        """Those of `docs` (and `within`) holding `needle`, once per
        occurrence when `each`."""
        pool = _only(docs, within)
        data = self._datas(pool)
        if each:
            return _repeated(pool, map(bytes.count, data, repeat(needle)))
        return compress(pool, map(operator.contains, data, repeat(needle)))

    def _pair_candidates(self, exact: Sequence[int]) -> set[int] | None:
        """Documents whose pair rows hold every adjacent pair of `exact`
        (a superset: hash collisions let extra ids in); None for one token."""
        rows = sorted((self._pair_row(a, b) for a, b in pairwise(exact)), key=len)
        if not rows:
            return None
        found = set(rows[0])
        for row in rows[1:]:
            found.intersection_update(row)
        return found

    def _pair_row(self, first: int, second: int) -> array[int]:
        return self._pairs.row(_pair_key(first, second, self._pair_mask))

    def _starts(self, d: int, seg: _Seg) -> list[int]:
        """Token positions where `seg` occurs in document `d`, in order. A
        prefix tail after exact tokens is checked from whichever side is
        rarer in the document ("the" + "ta…": the "ta…" words)."""
        data, codec = self._data(d), self._codec
        if seg.tail is None:
            return codec.positions(data, seg.needle)
        low, high = seg.tail
        if not seg.exact:
            return self._tail_positions(d, seg.tail)
        after, needle, width = len(seg.exact), seg.needle, codec.width
        bags, lo, hi = self._bags, self._token_at[d], self._token_at[d + 1]
        if bisect_left(bags, high, lo, hi) - bisect_left(bags, low, lo, hi) <= data.count(needle):
            tails = self._tail_positions(d, seg.tail)
            return [
                i - after for i in tails if i >= after and data[(i - after) * width : i * width] == needle
            ]
        last = len(data) // width - after
        return [
            i
            for i in codec.positions(data, needle)
            if i < last and low <= codec.token(data, i + after) < high
        ]

    def _tail_positions(self, d: int, tail: tuple[int, int]) -> list[int]:
        """Positions in `d` of the tokens whose ids lie in `tail`: the sorted
        ids say which of them occur, bytes.find says where."""
        data, codec, bags = self._data(d), self._codec, self._bags
        lo, hi = self._token_at[d], self._token_at[d + 1]
        present = set(bags[bisect_left(bags, tail[0], lo, hi) : bisect_left(bags, tail[1], lo, hi)])
        return sorted(i for token in present for i in codec.positions(data, codec.code(token)))

    def _spans(self, d: int, seg: _Seg, offsets: Sequence[int]) -> list[tuple[int, int]]:
        """Character spans of the occurrences of `seg` in `d`, whose tokens'
        flat [start, end) offsets are `offsets` (`_tokenize(self._text(d))`)."""
        width = seg.width
        return [(offsets[2 * i], offsets[2 * (i + width) - 1]) for i in self._starts(d, seg)]


def _walk(
    text: str,
    i: int,
    pieces: tuple[int, ...],
    lattice: tuple[list[list[int]], list[tuple[int, int] | None], frozenset[int], Mapping[str, int]],
    found: list[tuple[tuple[int, ...], tuple[int, int] | None]],
) -> None:
    """Depth-first enumeration of the cuts of `text` from position i, the
    query's own word boundaries tried first, at most _MAX_SEGMENTATIONS."""
    steps, tails, bounds, ids = lattice
    if len(found) >= _MAX_SEGMENTATIONS:
        return
    if i == len(text):
        found.append((pieces, None))
        return
    tail = tails[i]
    if tail is not None:
        found.append((pieces, tail))
    for j in sorted(steps[i], key=lambda j: j not in bounds):
        _walk(text, j, (*pieces, ids[text[i:j]]), lattice, found)


_CACHE_LOCK = threading.Lock()


def _remember(
    cache: dict[_K, _V], key: _K, value: _V, size: int, weight: Callable[[_V], int] | None = None
) -> None:
    """Insert into a small cache, evicting the oldest entries beyond `size`
    of them or, with `weight`, beyond `_TERM_CACHE_IDS` in weight (the
    newest entry is always kept). Weights are taken anew each time: a
    term's tallies grow after it is cached. Searches run in worker threads
    and a superseded one may still be finishing, so eviction (iterate,
    then delete) happens under a lock; reads are single dict lookups and
    need none."""
    with _CACHE_LOCK:
        cache.pop(key, None)
        cache[key] = value
        total = sum(map(weight, cache.values())) if weight else 0
        while len(cache) > 1 and (len(cache) > size or total > _TERM_CACHE_IDS):
            evicted = cache.pop(next(iter(cache)))
            total -= weight(evicted) if weight else 0


def _term_weight(term: _Term) -> int:
    """Document ids a cached term holds."""
    return len(term.docs) + sum(len(r.docs) + len(r.tally or ()) for r in term.readings)


# ---------------------------------------------------------------- one query


class _Run:
    """One query against one index. Terms are resolved once and shared by
    matching, ranking and highlighting, so the three always agree."""

    def __init__(self, index: SearchIndex, query: Query, viewer: Viewer, seen: frozenset[int]) -> None:
        self._index = index
        typed, prefix = query.words, query.prefix
        m = len(typed)
        groups = {
            (i, j): self._term(typed[i:j], prefix and j == m)
            for j in range(1, m + 1)
            for i in range(max(0, j - _MAX_GROUP), j)
        }
        phrases = [self._term(phrase, False, split=False) for phrase in query.phrases]
        whole = [self._term(typed, prefix)] if m > 1 else []
        self.matched = _match(m, groups, phrases)
        self.adjacent = self._together(whole[0], viewer, seen, query) if whole else None
        highlight = [*groups.values(), *phrases, *(whole if m > _MAX_GROUP else [])]
        self.counted = [reading for term in highlight for reading in term.readings]
        self.locator = _Locator(index, _roles(highlight, whole + phrases, self.adjacent))

    def _together(self, whole: _Term, viewer: Viewer, seen: frozenset[int], query: Query) -> frozenset[int]:
        """Where the words stand together, as far as anyone will ask: the
        ranking of visible matches, which of a character's names stands for
        it (visible or not), and the snippets of hits."""
        named = self.matched.intersection(self._index._alias_owner)
        return self._index._together(whole, (self.matched & seen) | named, (query, viewer))

    def _term(self, parts: Sequence[str], prefix: bool, *, split: bool = True) -> _Term:
        """The term of consecutive query words `parts`, squashed."""
        bounds = frozenset(accumulate(map(len, parts)))
        return self._index._term("".join(parts), bounds, prefix, split)

    def kind(self, d: int) -> int:
        """0 when the unquoted words occur together as typed, else 1."""
        return 0 if self.adjacent is None or d in self.adjacent else 1

    def kinds(self, docs: set[int]) -> Iterator[tuple[int, set[int]]]:
        """The documents of each kind, the second made only if asked for."""
        if self.adjacent is None:
            yield 0, docs
            return
        yield 0, docs & self.adjacent
        yield 1, docs - self.adjacent


_Role = tuple[_Seg, frozenset[int] | None, bool, bool]


class _Locator:
    """What a query's hits need to work out their snippet and target: the
    index and the query's readings with their roles (see `_roles`). Shared
    by the hits of one search: narrowed to them (`keep`) before any is
    read, never changed after."""

    __slots__ = ("_index", "_roles")

    def __init__(self, index: SearchIndex, roles: list[_Role]) -> None:
        self._index = index
        self._roles = roles

    def keep(self, docs: frozenset[int]) -> None:
        """Forget every document but `docs`, the hits: results live as long
        as the screen shows them, and a query's readings can list most of a
        big pack's documents. Called once, before any hit is read."""
        self._roles = [
            (seg, None if known is None else known & docs, lit, anchored)
            for seg, known, lit, anchored in self._roles
        ]

    def details(self, d: int) -> _Details:
        """Snippet, spans inside it, and target of a hit on document `d`."""
        index = self._index
        doc = index._doc(d)
        text = index._text(d)
        spans, anchor = self.locate(d, text)
        snippet, inside = _snippet(text, spans, anchor)
        target = Target(
            tuple(spans), doc.character_id, doc.paragraph, doc.review_index, doc.note_index, doc.alias_index
        )
        return snippet, inside, target

    def locate(self, d: int, text: str) -> tuple[list[tuple[int, int]], int]:
        """Merged match spans in `d` (whose text is `text`), and which one the
        snippet should show: the first phrase or adjacent occurrence if
        any, else the first."""
        spans: list[tuple[int, int]] = []
        strong: list[tuple[int, int]] = []
        offsets = _tokenize(text)[1]
        for seg, docs, highlight, anchor in self._roles:
            if docs is None or d in docs:
                found = self._index._spans(d, seg, offsets)
                if highlight:
                    spans += found
                if anchor:
                    strong += found
        merged = _merge(sorted(set(spans)))
        if not strong or not merged:
            return merged, 0
        return merged, bisect_right(merged, (min(strong)[0], sys.maxsize)) - 1


def _roles(
    highlight: Sequence[_Term], strong: Sequence[_Term], adjacent: frozenset[int] | None
) -> list[_Role]:
    """Each reading once: the documents it may occur in (None: not known,
    look), whether it is highlighted, and whether it anchors the snippet (a
    phrase or the whole query together, whose documents are `adjacent`)."""
    roles: dict[int, _Role] = {}
    for terms, anchor in ((highlight, False), (strong, True)):
        for term in terms:
            where = adjacent if anchor else None
            segs = [(r.seg, r.docs) for r in term.readings] + [(seg, where) for seg in term.implied]
            for seg, docs in segs:
                _, known, lit, anchored = roles.get(id(seg), (seg, docs, False, False))
                roles[id(seg)] = (
                    seg,
                    known if known is not None else docs,
                    lit or not anchor,
                    anchored or anchor,
                )
    return list(roles.values())


def _match(m: int, groups: Mapping[tuple[int, int], _Term], phrases: Sequence[_Term]) -> set[int]:
    """Every unquoted word is required, but consecutive words may also match
    together as one squashed name: reach[j] holds the documents matching
    words[:j] under some grouping into runs of up to three."""
    reach: list[frozenset[int] | None] = [None]
    for j in range(1, m + 1):
        found: set[int] = set()
        for i in range(max(0, j - _MAX_GROUP), j):
            before, docs = reach[i], groups[i, j].docs
            found |= docs if before is None else before & docs
        reach.append(frozenset(found))
    last = reach[m]
    matched = None if last is None else set(last)
    for term in sorted(phrases, key=lambda term: len(term.docs)):
        matched = set(term.docs) if matched is None else matched & term.docs
    return matched or set()


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


def _snippet(
    text: str, spans: Sequence[tuple[int, int]], anchor: int
) -> tuple[str, tuple[tuple[int, int], ...]]:
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
