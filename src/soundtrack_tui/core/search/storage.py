"""The token tables an index stores, laid out for search at C speed.

- a sorted vocabulary: ids follow sorted order, so the word still being
  typed is a prefix, which is an id range found with two bisections;
- postings (token -> documents, with how often) stored flat (CSR);
- each document's token ids in order, as codes in which only a token's
  first byte has the high bit set, so `bytes.find` / `bytes.count` and
  byte patterns check adjacency exactly at C speed (all documents' codes
  in one buffer): a phrase, or one typed token such as "sunwoo" read as
  "Sun-woo", is looked for in the documents that hold all its words; and,
  in one array shared by all documents, each one's ids sorted (to count a
  prefix range by bisection).

Everything stored is arrays and one bytes object, which a cache entry maps
rather than loads (so any of them may come back as a read-only memoryview
of the same type); the rest is derived on load. The bulk loops here run as
C-level maps because building and searching a thousand episodes' tables
is where the time goes; elsewhere search uses plain loops.
"""

from __future__ import annotations

import operator
import re
from array import array
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, chain, repeat

__all__ = ["Codec", "Csr", "TokenTables", "id_type", "picked", "repeated"]

_ITEM = array("I").itemsize


def id_type(largest: int) -> str:
    """The narrowest array type for ids up to `largest`: a thousand
    episodes have fewer than 65,536 documents."""
    return "H" if largest <= 0xFFFF else "I"


def picked(table: Sequence[int], indexes: Collection[int]) -> Sequence[int]:
    """table[i] for each of `indexes`, gathered by one C call (an
    `itemgetter` of them all): searches ask where thousands of documents
    start, and a `map` of `__getitem__` costs a Python call for each."""
    if len(indexes) > 1:
        return operator.itemgetter(*indexes)(table)  # type: ignore[no-any-return]
    return [table[i] for i in indexes]


def repeated(docs: Iterable[int], counts: Iterable[int]) -> Iterator[int]:
    """Each doc repeated by its count: food for Counter's C-level tally."""
    return chain.from_iterable(map(repeat, docs, counts))


class Codec:
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
        return b"".join(self.code(token) for token in tokens)

    def followed(self, needle: bytes, tail: tuple[int, int]) -> re.Pattern[bytes]:
        """A pattern matching `needle` where the next token's id lies in
        [low, high) (`tail`), the match holding `needle` only: findall and
        finditer give the leftmost occurrences of `needle` so followed, not
        overlapping one another. Ids follow byte order, so the range is a
        few byte classes, which the regex engine checks at C speed."""
        low, high = tail
        branches = (
            b"".join(b"[\\x%02x-\\x%02x]" % pair for pair in [(0x80 | a, 0x80 | b), *rest])
            for (a, b), *rest in _digit_ranges(low, high - 1, self.width)
        )
        return re.compile(re.escape(needle) + b"(?=" + b"|".join(branches) + b")")

    def positions(self, data: bytes, needle: bytes) -> list[int]:
        """Token positions of `needle` in `data`, left to right, not
        overlapping (the way `bytes.count` counts)."""
        found: list[int] = []
        position = data.find(needle)
        while position >= 0:
            found.append(position // self.width)
            position = data.find(needle, position + len(needle))
        return found


def _digit_ranges(low: int, high: int, width: int) -> list[list[tuple[int, int]]]:
    """The ids low..high (inclusive) as runs of base-128 digit ranges, most
    significant first, `width` digits each: 130..300 is [1][2-127],
    [2][0-44] (the usual way to write a number range as a pattern)."""
    if width == 1:
        return [[(low, high)]]
    size = 128 ** (width - 1)
    (low_head, low_rest), (high_head, high_rest) = divmod(low, size), divmod(high, size)
    if low_head == high_head:
        return [[(low_head, low_head), *rest] for rest in _digit_ranges(low_rest, high_rest, width - 1)]
    runs: list[list[tuple[int, int]]] = []
    if low_rest:
        runs += [[(low_head, low_head), *rest] for rest in _digit_ranges(low_rest, size - 1, width - 1)]
        low_head += 1
    last: list[list[tuple[int, int]]] = []
    if high_rest != size - 1:
        last = [[(high_head, high_head), *rest] for rest in _digit_ranges(0, high_rest, width - 1)]
        high_head -= 1
    if low_head <= high_head:
        runs.append([(low_head, high_head), *[(0, 127)] * (width - 1)])
    return runs + last


class Csr:
    """Many sorted lists of document ids in one flat array: row `i` is
    flat[offsets[i]:offsets[i + 1]]. A Python list per word
    would take more memory than the ids themselves."""

    __slots__ = ("flat", "offsets")

    def __init__(self, flat: Sequence[int], offsets: Sequence[int]) -> None:
        self.flat = flat
        self.offsets = offsets

    @classmethod
    def weighted(cls, sequences: Sequence[Sequence[int]], size: int, docs: int) -> tuple[Csr, array[int]]:
        """Row k lists (ascending) every document d whose sequence holds k,
        and a parallel array holds each entry's weight (the number of times
        word k occurs in document d, capped at 255: beyond that a
        paragraph's rank cannot change). The appends run as C-level maps."""
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
        flat, flat_weights = array(id_type(docs)), array("B")
        deque(map(flat.fromlist, rows), maxlen=0)
        deque(map(flat_weights.fromlist, weights), maxlen=0)
        return cls(flat, offsets), flat_weights

    def rows(self, start: int, stop: int) -> Sequence[int]:
        """Rows start..stop-1 concatenated (ids may repeat)."""
        return self.flat[self.offsets[start] : self.offsets[stop]]


class TokenTables:
    """Every document's tokens (see the module docstring). Immutable; the
    methods are the questions search asks of them."""

    __slots__ = (
        "bags",
        "blob",
        "byte_at",
        "byte_end",
        "codec",
        "frequencies",
        "ids",
        "longest",
        "postings",
        "token_at",
        "token_end",
        "vocab",
    )
    STORED = ("bags", "blob", "byte_at", "frequencies", "token_at", "vocab")

    vocab: list[str]
    blob: bytes
    byte_at: array[int]
    byte_end: Sequence[int]
    token_at: array[int]
    token_end: Sequence[int]
    bags: array[int]
    postings: Csr
    frequencies: array[int]
    ids: dict[str, int]
    longest: int
    codec: Codec

    def __init__(self, vocab: list[str], sequences: Sequence[Sequence[int]]) -> None:
        """Lays out the tables for documents whose token ids (indexes into
        the sorted `vocab`) are `sequences`."""
        self.vocab = vocab
        codec = Codec(len(vocab))
        codes = list(map(codec.code, range(len(vocab))))
        # Every document's ids in order, as codes, in one bytes object:
        # document d is blob[byte_at[d]:byte_at[d + 1]] (`data`).
        self.blob = b"".join(b"".join(map(codes.__getitem__, sequence)) for sequence in sequences)
        self.byte_at = array(
            "L" if len(self.blob) >> 32 else "I",
            accumulate((len(s) * codec.width for s in sequences), initial=0),
        )
        # Each document's ids sorted, in one array rather than one per
        # document (an array object costs memory and a place in every GC
        # pass). Character offsets are not kept: the few hits shown
        # tokenize their text again.
        self.token_at = array("I", accumulate(map(len, sequences), initial=0))
        self.bags = array(id_type(len(vocab)))
        deque(map(self.bags.fromlist, map(sorted, sequences)), maxlen=0)  # lists: array's fastest input
        self.postings, self.frequencies = Csr.weighted(sequences, len(vocab), len(sequences))
        self._derive()

    def stored(self) -> dict[str, object]:
        state = {name: getattr(self, name) for name in self.STORED}
        state.update(postings=self.postings.flat, posting_at=self.postings.offsets)
        return state

    @classmethod
    def restored(cls, state: dict[str, object]) -> TokenTables:
        tables = cls.__new__(cls)
        for name in cls.STORED:
            setattr(tables, name, state[name])
        # Searched in place with bytes.count and bytes.find, which a
        # memoryview of the cache entry lacks.
        tables.blob = bytes(memoryview(tables.blob))  # a buffer, or the entry is refused
        tables.postings = Csr(state["postings"], state["posting_at"])  # type: ignore[arg-type]
        tables._derive()
        return tables

    def _derive(self) -> None:
        # Where each document ends, aligned with its id (`byte_at[d + 1]`),
        # so a search gathers the ends of thousands of documents as it
        # gathers their starts, without adding one to each id first.
        self.byte_end = self.byte_at[1:]
        self.token_end = self.token_at[1:]
        self.ids = {word: index for index, word in enumerate(self.vocab)}
        self.longest = max(map(len, self.vocab), default=0)
        self.codec = Codec(len(self.vocab))

    # ------------------------------------------------------------ vocabulary

    def prefix_range(self, prefix: str) -> tuple[int, int] | None:
        """Ids of the tokens starting with `prefix`: ids follow sorted order."""
        low = bisect_left(self.vocab, prefix)
        high = bisect_left(self.vocab, prefix + "\U0010ffff", low)
        return (low, high) if high > low else None

    # ------------------------------------------------------------ postings

    def posting_docs(self, low: int, high: int) -> Sequence[int]:
        """Documents holding a token with an id in [low, high), once per
        token (so a document may repeat)."""
        return self.postings.rows(low, high)

    def posting_count(self, low: int, high: int) -> int:
        """`len(posting_docs(low, high))`, without making it."""
        return self.postings.offsets[high] - self.postings.offsets[low]

    def weighted_postings(self, low: int, high: int) -> tuple[Sequence[int], Sequence[int]]:
        """`posting_docs(low, high)` and, aligned, how often each holds its token."""
        start, stop = self.postings.offsets[low], self.postings.offsets[high]
        return self.postings.flat[start:stop], self.frequencies[start:stop]

    def holding(self, tokens: Sequence[int], within: AbstractSet[int] | None = None) -> list[int]:
        """Documents that may hold every one of `tokens` (a superset, for
        the byte search that follows to settle), only those `within` if
        given: `within` itself when it is the smaller, else the rarest
        token's postings, narrowed by the next rarest. The commoner tokens
        are left to the byte search, which costs less than making sets of
        their postings."""
        rows = sorted((self.posting_docs(token, token + 1) for token in set(tokens)), key=len)
        if not rows:
            return []
        if within is not None and len(within) <= len(rows[0]):
            return list(within)
        docs: Iterable[int] = rows[0] if within is None else filter(within.__contains__, rows[0])
        if len(rows) > 1:
            return list(set(docs).intersection(rows[1]))
        return list(docs)

    def data(self, d: int) -> bytes:
        """Document `d`'s token codes, in order."""
        return bytes(self.blob[self.byte_at[d] : self.byte_at[d + 1]])

    def _bounds(self, docs: Sequence[int]) -> tuple[Sequence[int], Sequence[int]]:
        """Where each of `docs` starts and ends in `blob`."""
        return picked(self.byte_at, docs), picked(self.byte_end, docs)

    def counts(self, docs: Sequence[int], needle: bytes) -> Iterator[int]:
        """How often `needle` occurs in each of `docs`, searched in place
        with C-level maps (ranking and reading scan thousands of them)."""
        return map(self.blob.count, repeat(needle), *self._bounds(docs))

    def holds(self, docs: Sequence[int], needle: bytes) -> Iterator[bool]:
        """Whether each of `docs` holds `needle`."""
        return map((-1).__lt__, map(self.blob.find, repeat(needle), *self._bounds(docs)))

    def matches(self, docs: Sequence[int], pattern: re.Pattern[bytes]) -> Iterator[list[bytes]]:
        """`pattern`'s matches in each of `docs`."""
        return map(pattern.findall, repeat(self.blob), *self._bounds(docs))

    def finds(self, docs: Sequence[int], pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes] | None]:
        """`pattern`'s first match in each of `docs`, if any."""
        return map(pattern.search, repeat(self.blob), *self._bounds(docs))

    def range_counts(self, docs: Sequence[int], low: int, high: int) -> Iterator[int]:
        """How many of each of `docs`' tokens have an id in [low, high),
        by bisection of its sorted ids, with C-level maps."""
        bags = repeat(self.bags)
        los, his = picked(self.token_at, docs), picked(self.token_end, docs)
        highs = map(bisect_left, bags, repeat(high), los, his)
        return map(operator.sub, highs, map(bisect_left, bags, repeat(low), los, his))

    def range_tokens(self, d: int, low: int, high: int) -> set[int]:
        """The ids in [low, high) that occur in document `d`."""
        lo, hi = self.token_at[d], self.token_at[d + 1]
        return set(self.bags[bisect_left(self.bags, low, lo, hi) : bisect_left(self.bags, high, lo, hi)])
