"""The token tables an index stores, laid out for search at C speed.

- a sorted vocabulary: ids follow sorted order, so the word still being
  typed is a prefix, which is an id range found with two bisections;
- postings (token -> documents, with how often) stored flat (CSR);
- a hashed table of adjacent token pairs (pair -> documents), so that one
  typed token such as "sunwoo" finds "Sun-woo" and "Sun woo" without
  storing every word bigram as a string;
- each document's token ids in order, as codes in which only a token's
  first byte has the high bit set, so `bytes.find` / `bytes.count` check
  adjacency exactly at C speed (all documents' codes in one buffer); and,
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
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, pairwise, repeat

__all__ = ["Codec", "Csr", "TokenTables", "id_type", "repeated"]

_GOLDEN = 0x9E3779B1
_ITEM = array("I").itemsize


def id_type(largest: int) -> str:
    """The narrowest array type for ids up to `largest`: a thousand
    episodes have fewer than 65,536 documents."""
    return "H" if largest <= 0xFFFF else "I"


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


class Csr:
    """Many sorted lists of document ids in one flat array: row `i` is
    flat[offsets[i]:offsets[i + 1]]. A Python list per word or per word pair
    would take more memory than the ids themselves."""

    __slots__ = ("flat", "offsets")

    def __init__(self, flat: Sequence[int], offsets: Sequence[int]) -> None:
        self.flat = flat
        self.offsets = offsets

    @classmethod
    def grouped(cls, keys: Iterable[Iterable[int]], size: int, docs: int) -> Csr:
        """Row k lists (ascending) every document d with k in keys[d]. Only
        rows in use get a list, and the appends run as C-level maps: the
        pair table has a row per hash bucket, most of them empty."""
        rows: defaultdict[int, list[int]] = defaultdict(list)
        for doc, row in enumerate(keys):
            deque(map(list.append, map(rows.__getitem__, row), repeat(doc)), maxlen=0)
        lists = list(map(rows.get, range(size), repeat(())))
        offsets = array("I", accumulate(map(len, lists), initial=0))
        return cls(array(id_type(docs), chain.from_iterable(lists)), offsets)

    @classmethod
    def weighted(cls, sequences: Sequence[Sequence[int]], size: int, docs: int) -> tuple[Csr, array[int]]:
        """Like `grouped`, plus a parallel array of each entry's weight (the
        number of times word k occurs in document d, capped at 255: beyond
        that a paragraph's rank cannot change)."""
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
        flat = array(id_type(docs), chain.from_iterable(rows))
        return cls(flat, offsets), array("B", chain.from_iterable(weights))

    def rows(self, start: int, stop: int) -> Sequence[int]:
        """Rows start..stop-1 concatenated (ids may repeat)."""
        return self.flat[self.offsets[start] : self.offsets[stop]]


def _pair_key(first: int, second: int, mask: int) -> int:
    return (first * _GOLDEN ^ second) & mask


def _pair_keys(sequence: Sequence[int], mask: int) -> set[int]:
    """`_pair_key` of every adjacent pair of `sequence`, with C-level maps:
    this runs once per indexed word."""
    products = map(_GOLDEN.__mul__, sequence[:-1])
    return set(map(mask.__and__, map(int.__xor__, products, sequence[1:])))


def _pair_bits(tokens: int) -> int:
    """Size of the pair hash table: about one bucket per four token pairs,
    enough to keep collisions (which searching the bytes filters out) rare."""
    return min(20, max(8, (tokens // 4).bit_length()))


class TokenTables:
    """Every document's tokens (see the module docstring). Immutable; the
    methods are the questions search asks of them."""

    __slots__ = (
        "bags",
        "blob",
        "byte_at",
        "codec",
        "frequencies",
        "ids",
        "longest",
        "pair_mask",
        "pairs",
        "postings",
        "token_at",
        "vocab",
    )
    STORED = ("bags", "blob", "byte_at", "frequencies", "pair_mask", "token_at", "vocab")

    vocab: list[str]
    blob: bytes
    byte_at: array[int]
    token_at: array[int]
    bags: array[int]
    postings: Csr
    frequencies: array[int]
    pairs: Csr
    pair_mask: int
    ids: dict[str, int]
    longest: int
    codec: Codec

    def __init__(self, vocab: list[str], sequences: Sequence[array[int]]) -> None:
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
        self.bags = array(id_type(len(vocab)), chain.from_iterable(map(sorted, sequences)))
        self.postings, self.frequencies = Csr.weighted(sequences, len(vocab), len(sequences))
        bits = _pair_bits(sum(map(len, sequences)))
        self.pair_mask = mask = (1 << bits) - 1
        self.pairs = Csr.grouped(map(_pair_keys, sequences, repeat(mask)), 1 << bits, len(sequences))
        self._derive()

    def stored(self) -> dict[str, object]:
        state = {name: getattr(self, name) for name in self.STORED}
        state.update(postings=self.postings.flat, posting_at=self.postings.offsets)
        state.update(pairs=self.pairs.flat, pair_at=self.pairs.offsets)
        return state

    @classmethod
    def restored(cls, state: dict[str, object]) -> TokenTables:
        tables = cls.__new__(cls)
        for name in cls.STORED:
            setattr(tables, name, state[name])
        tables.postings = Csr(state["postings"], state["posting_at"])  # type: ignore[arg-type]
        tables.pairs = Csr(state["pairs"], state["pair_at"])  # type: ignore[arg-type]
        tables._derive()
        return tables

    def _derive(self) -> None:
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

    def pair_row(self, first: int, second: int) -> Sequence[int]:
        """Documents where some adjacent token pair hashes like (first, second)."""
        key = _pair_key(first, second, self.pair_mask)
        return self.pairs.rows(key, key + 1)

    def pair_candidates(self, exact: Sequence[int]) -> set[int] | None:
        """Documents whose pair rows hold every adjacent pair of `exact`
        (a superset: hash collisions let extra ids in); None for one token."""
        rows = sorted((self.pair_row(a, b) for a, b in pairwise(exact)), key=len)
        if not rows:
            return None
        found = set(rows[0])
        for row in rows[1:]:
            found.intersection_update(row)
        return found

    # ------------------------------------------------------------ documents

    def data(self, d: int) -> bytes:
        """Document `d`'s token codes, in order."""
        return bytes(self.blob[self.byte_at[d] : self.byte_at[d + 1]])

    def datas(self, docs: Sequence[int]) -> Iterator[bytes]:
        """`data` of each of `docs`, with C-level maps (ranking reads a
        whole bucket of documents)."""
        at = self.byte_at.__getitem__
        spans = map(slice, map(at, docs), map(at, map((1).__add__, docs)))
        return map(bytes, map(self.blob.__getitem__, spans))

    def range_count(self, d: int, low: int, high: int) -> int:
        """How many of document `d`'s tokens have an id in [low, high)."""
        lo, hi = self.token_at[d], self.token_at[d + 1]
        return bisect_left(self.bags, high, lo, hi) - bisect_left(self.bags, low, lo, hi)

    def range_counts(self, docs: Sequence[int], low: int, high: int) -> Iterator[int]:
        """`range_count` of each of `docs`, with C-level maps."""
        bags, at = repeat(self.bags), self.token_at
        los = list(map(at.__getitem__, docs))
        his = list(map(at.__getitem__, map((1).__add__, docs)))
        highs = map(bisect_left, bags, repeat(high), los, his)
        return map(operator.sub, highs, map(bisect_left, bags, repeat(low), los, his))

    def range_tokens(self, d: int, low: int, high: int) -> set[int]:
        """The ids in [low, high) that occur in document `d`."""
        lo, hi = self.token_at[d], self.token_at[d + 1]
        return set(self.bags[bisect_left(self.bags, low, lo, hi) : bisect_left(self.bags, high, lo, hi)])
