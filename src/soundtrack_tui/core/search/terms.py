"""Query terms read as indexed tokens, and the documents they occur in.

A term is one or more consecutive query words squashed together ("sun
woo" -> "sunwoo"); a reading (`Seg`) is one way to cut it into vocabulary
tokens, the last possibly a prefix still being typed. Where a reading
occurs comes from postings for one token, or for several from a byte
search in the documents holding all of them. `Terms` resolves and caches them per index.
"""

from __future__ import annotations

import dataclasses
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, compress
from typing import Generic, TypeVar

from soundtrack_tui.core.search.storage import TokenTables, id_type
from soundtrack_tui.core.search.tokens import CHAR_LEVEL

__all__ = ["Reading", "Recent", "Seg", "Term", "Terms", "starts"]

MAX_GROUP = 3  # consecutive query words that may be squashed into one name
_MAX_TERM_CHARS = 160  # longest squashed term we try to segment
_MAX_SEGMENTATIONS = 16  # ways of cutting one term into indexed words
_MIN_TAIL = 2  # a prefix that follows other words needs this many letters
# Document ids the term cache may hold (sets and tallies), and the
# adjacency cache too. Each costs ~60 bytes: at a thousand episodes one
# common word holds ~17,000, and unbounded, a few keystrokes of cached terms
# took 40 MB. Smaller, a long query's earlier terms (the "s" of "eun-soo s")
# are evicted and worked out again: the p95 keystroke got 1-4 ms slower.
TERM_CACHE_IDS = 3 << 15
# A prefix whose postings name each of its documents this many times or
# more has its documents kept (`Terms.ranges`, at most `_WIDE_RANGES` of
# them, two or four bytes a document).
_WIDE = 3
_WIDE_RANGES = 32

_K = TypeVar("_K")
_V = TypeVar("_V")


class Seg:
    """One way to read a term as consecutive indexed tokens: `exact` ids,
    then optionally one token whose id lies in `tail` (a prefix range).
    `needle` is the exact part as stored in a document's byte sequence."""

    __slots__ = ("exact", "needle", "tail", "width")

    def __init__(self, exact: tuple[int, ...], tail: tuple[int, int] | None, needle: bytes) -> None:
        self.exact = exact
        self.tail = tail
        self.needle = needle
        self.width = len(exact) + (tail is not None)


class Reading:
    """A reading and the documents it occurs in. `tally` (occurrences per
    document) is filled while a multi-token reading is found, and for a
    single token the first time ranking needs it in bulk; it lives as long
    as the cached term, so the next keystroke reuses it."""

    __slots__ = ("docs", "seg", "tally")

    def __init__(self, seg: Seg, docs: frozenset[int], tally: Mapping[int, int] | None = None) -> None:
        self.seg = seg
        self.docs = docs
        self.tally = tally


@dataclasses.dataclass(frozen=True, slots=True)
class Term:
    """A squashed term: its readings that occur somewhere, and the union of
    their documents. `implied` readings are cut at every one of the query's
    own word boundaries ("eun"+"soo" for the words "eun soo"): a document
    holding one also matches the words one by one, so they never add a
    match. They are only located inside hits (and, for the whole query,
    resolved to documents to rank adjacency), which saves counting them in
    thousands of documents. A person's term (`Terms.person`) sets aside,
    the same way, the spellings that hold a shorter one."""

    readings: tuple[Reading, ...]
    implied: tuple[Seg, ...]
    docs: frozenset[int]

    def weight(self) -> int:
        """Document ids the term holds (its readings' tallies, filled in
        later, included; a set its lone reading shares, once)."""
        held = sum(len(r.docs) + len(r.tally or ()) for r in self.readings)
        shared = len(self.readings) == 1 and self.docs is self.readings[0].docs
        return held if shared else held + len(self.docs)


class Recent(Generic[_K, _V]):
    """A small cache of recent answers: the least recently used entries
    are evicted beyond `size` of them or, with `weight`, beyond
    `TERM_CACHE_IDS` in weight (the newest entry is always kept), so a
    name typed first stays while the words after it come and go. Weights
    are taken anew each time: a term's tallies grow after it is cached.
    Searches run in worker threads and a superseded one may still be
    finishing, so every change of order (a hit moves its entry last; an
    eviction iterates, then deletes) holds `lock`, which an index shares
    among its caches."""

    __slots__ = ("_entries", "_lock", "_size", "_weight", "budget")

    def __init__(self, lock: threading.Lock, size: int, weight: Callable[[_V], int] | None = None) -> None:
        self._entries: dict[_K, _V] = {}
        self._lock = lock
        self._size = size
        self._weight = weight
        self.budget = TERM_CACHE_IDS

    def get(self, key: _K) -> _V | None:
        with self._lock:
            value = self._entries.pop(key, None)
            if value is not None:
                self._entries[key] = value
        return value

    def put(self, key: _K, value: _V) -> None:
        weight = self._weight
        with self._lock:
            cache = self._entries
            cache.pop(key, None)
            cache[key] = value
            total = sum(map(weight, cache.values())) if weight else 0
            while len(cache) > 1 and (len(cache) > self._size or total > self.budget):
                evicted = cache.pop(next(iter(cache)))
                total -= weight(evicted) if weight else 0

    def values(self) -> list[_V]:
        return list(self._entries.values())


_Lattice = tuple[list[list[int]], list[tuple[int, int] | None], frozenset[int], Mapping[str, int]]
_Cut = tuple[tuple[int, ...], tuple[int, int] | None]


class Terms:
    """Resolves query terms against one index's tables, and keeps recently
    resolved ones (typing "the tarot" asks for "the" at every keystroke
    after the third)."""

    __slots__ = ("adjacency", "cache", "ranges", "tables")

    def __init__(self, tables: TokenTables, lock: threading.Lock) -> None:
        self.tables = tables
        self.cache: Recent[tuple[str, frozenset[int], bool, bool], Term] = Recent(lock, 64, Term.weight)
        self.adjacency: Recent[object, frozenset[int]] = Recent(lock, 16, len)
        self.ranges: Recent[tuple[int, int], array[int]] = Recent(lock, _WIDE_RANGES)

    def term(self, text: str, bounds: frozenset[int], prefix: bool, split: bool = True) -> Term:
        """Documents where the squashed `text` occurs as consecutive tokens,
        however the text splits into indexed words ("sunwoo" is "sun woo").
        `bounds` are the offsets in `text` where the query's own words end.
        With `split`, readings implied by the separate words are set aside."""
        key = (text, bounds, prefix, split)
        term = self.cache.get(key)
        if term is None:
            term = self._sorted_term(
                self._segmentations(text, bounds, prefix),
                lambda seg: split and len(bounds) > 1 and bounds <= self._cuts(seg, len(text)),
            )
            self.cache.put(key, term)
        return term

    def person(self, characters: Sequence[int], spellings: Sequence[Sequence[str]]) -> Term:
        """The documents naming any of `characters`, each of whose squashed
        `spellings[c]` is read as a quoted phrase would be: a name typed
        means every name. Each character's term is cached on its own, as
        typing a name often names two people before one ("eun-so" is
        Eun-soo and Eun-seo until the last "o"); a reading that holds a
        shorter one ("han sun woo" holds "sun woo") can only match where
        the shorter does, so it is not looked for, only highlighted inside
        hits (it is `implied`), within one character and across them."""
        terms = [self._one_person(c, spellings[c]) for c in characters]
        if len(terms) == 1:
            return terms[0]
        found: dict[tuple[int, ...], tuple[Seg, Reading | None]] = {}
        for term in terms:
            for read in term.readings:
                found.setdefault(read.seg.exact, (read.seg, read))
            for seg in term.implied:
                found.setdefault(seg.exact, (seg, None))
        needles = [seg.needle for seg, _ in found.values()]
        readings: list[Reading] = []
        implied: list[Seg] = []
        for seg, reading in found.values():
            if reading is None or _holds_shorter(seg, needles):
                implied.append(seg)
            else:
                readings.append(reading)
        return Term(tuple(readings), tuple(implied), _union(readings))

    def _one_person(self, character: int, spellings: Sequence[str]) -> Term:
        key = ("\0person", frozenset({character}), False, False)
        term = self.cache.get(key)
        if term is None:
            segs: dict[tuple[int, ...], Seg] = {}
            for text in spellings:
                for seg in self._segmentations(text, frozenset({len(text)}), False):
                    segs.setdefault(seg.exact, seg)
            needles = [seg.needle for seg in segs.values()]
            term = self._sorted_term(segs.values(), lambda seg: _holds_shorter(seg, needles))
            self.cache.put(key, term)
        return term

    def _sorted_term(self, segs: Iterable[Seg], implied_if: Callable[[Seg], bool]) -> Term:
        """The term of `segs`: those `implied_if` says are implied by others
        are set aside for highlighting, the rest read (and kept if they
        occur anywhere)."""
        readings: list[Reading] = []
        implied: list[Seg] = []
        for seg in segs:
            if implied_if(seg):
                implied.append(seg)
            elif (reading := self._read(seg)).docs:
                readings.append(reading)
        return Term(tuple(readings), tuple(implied), _union(readings))

    def together(self, term: Term, within: AbstractSet[int], key: object) -> frozenset[int]:
        """The documents of `term`, its implied readings included: where the
        query's words stand together. Implied readings, the costly part, are
        looked for only `within` the documents the caller will ask about;
        the answer is cached under `key`, which must name what makes
        `within` (the query and the viewer)."""
        found = self.adjacency.get(key)
        if found is None:
            found = term.docs.union(*(frozenset(self._run_docs(seg, within)) for seg in term.implied))
            self.adjacency.put(key, found)
        return found

    # ------------------------------------------------------------ readings

    def _cuts(self, seg: Seg, length: int) -> frozenset[int]:
        """Offsets in the squashed term (of `length`) where a token of `seg` ends."""
        return frozenset((*accumulate(len(self.tables.vocab[token]) for token in seg.exact), length))

    def _segmentations(self, text: str, bounds: frozenset[int], prefix: bool) -> list[Seg]:
        """Ways to cut `text` into vocabulary tokens (the last one possibly a
        prefix), the cut at the query's own word boundaries first."""
        if not text or len(text) > _MAX_TERM_CHARS:
            return []
        steps, tails = self._lattice(text, prefix)
        found: list[_Cut] = []
        _walk(text, 0, (), (steps, tails, bounds, self.tables.ids), found)
        return [Seg(exact, tail, self.tables.codec.pack(exact)) for exact, tail in found]

    def _lattice(self, text: str, prefix: bool) -> tuple[list[list[int]], list[tuple[int, int] | None]]:
        """For each position i: the ends j such that text[i:j] is a token
        and text[j:] can still be cut, and the prefix range of text[i:].
        A prefix after other tokens needs two letters, or "ane" would match
        every "a new"."""
        n, ids, longest = len(text), self.tables.ids, self.tables.longest
        steps: list[list[int]] = [[] for _ in range(n)]
        tails: list[tuple[int, int] | None] = [None] * n
        alive = [False] * n + [True]
        for i in range(n - 1, -1, -1):
            char_level = CHAR_LEVEL.match(text, i) is not None
            if prefix and not char_level and (i == 0 or n - i >= _MIN_TAIL):
                tails[i] = self.tables.prefix_range(text[i:])
            ends = (i + 1,) if char_level else range(min(n, i + longest), i, -1)
            steps[i] = [j for j in ends if alive[j] and text[i:j] in ids and not (j == n and tails[i])]
            alive[i] = bool(steps[i]) or tails[i] is not None
        return steps, tails

    def _read(self, seg: Seg) -> Reading:
        """Where `seg` occurs. One token: straight from postings. Several:
        a byte search in the documents that may hold them all, which
        counts the occurrences in each as it goes."""
        if seg.tail is not None and not seg.exact:
            return Reading(seg, self._range_docs(*seg.tail))
        if seg.width == 1:
            return Reading(seg, frozenset(self.tables.posting_docs(seg.exact[0], seg.exact[0] + 1)))
        tables = self.tables
        pool = tables.holding(seg.exact)
        if seg.tail is None:
            counts = list(tables.counts(pool, seg.needle))
        else:
            counts = list(map(len, tables.matches(pool, tables.codec.followed(seg.needle, seg.tail))))
        tally = dict(compress(zip(pool, counts, strict=True), counts))
        return Reading(seg, frozenset(tally), tally)

    def _range_docs(self, low: int, high: int) -> frozenset[int]:
        """The documents holding a token with an id in [low, high): a word
        still being typed. A short prefix ("c" of "tarot c") is many words
        whose postings repeat each document several times; their documents
        are kept, once each, in a compact array, which the term cache's
        sets outlive by a few keystrokes, and a set is made again from it
        at a fraction of the cost of reading the postings."""
        kept = self.ranges.get((low, high))
        if kept is not None:
            return frozenset(kept)
        docs = frozenset(self.tables.posting_docs(low, high))
        if docs and self.tables.posting_count(low, high) >= _WIDE * len(docs):
            # From a list: array's fastest input.
            self.ranges.put((low, high), array(id_type(len(self.tables.token_at)), list(docs)))
        return docs

    def _run_docs(self, seg: Seg, within: AbstractSet[int]) -> Iterator[int]:
        """Those documents `within` that hold the multi-token `seg`."""
        tables = self.tables
        pool = tables.holding(seg.exact, within)
        if seg.tail is None:
            return compress(pool, tables.holds(pool, seg.needle))
        return compress(pool, tables.finds(pool, tables.codec.followed(seg.needle, seg.tail)))


def _union(readings: Sequence[Reading]) -> frozenset[int]:
    """The documents of any of `readings`: a lone reading's own set, not
    a copy (a one-letter prefix's reading lists most documents)."""
    if len(readings) == 1:
        return readings[0].docs
    return frozenset().union(*(r.docs for r in readings))


def _holds_shorter(seg: Seg, needles: Iterable[bytes]) -> bool:
    """Whether one of `needles`, shorter than `seg`'s, lies inside it."""
    return any(len(other) < len(seg.needle) and other in seg.needle for other in needles)


def starts(tables: TokenTables, d: int, seg: Seg) -> list[int]:
    """Token positions where `seg` occurs in document `d`, in order, found
    the way reading found the document (`bytes.find`, or the same
    `Codec.followed` pattern for a prefix tail after exact tokens), so a
    hit always has the spans of what matched it."""
    data, codec = tables.data(d), tables.codec
    if seg.tail is None:
        return codec.positions(data, seg.needle)
    if not seg.exact:
        return _tail_positions(tables, d, data, seg.tail)
    pattern = codec.followed(seg.needle, seg.tail)
    return [match.start() // codec.width for match in pattern.finditer(data)]


def _tail_positions(tables: TokenTables, d: int, data: bytes, tail: tuple[int, int]) -> list[int]:
    """Positions in `d` (whose codes are `data`) of the tokens whose ids lie
    in `tail`: the sorted ids say which of them occur, bytes.find says where."""
    codec = tables.codec
    present = tables.range_tokens(d, *tail)
    return sorted(i for token in present for i in codec.positions(data, codec.code(token)))


def _walk(text: str, i: int, pieces: tuple[int, ...], lattice: _Lattice, found: list[_Cut]) -> None:
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
