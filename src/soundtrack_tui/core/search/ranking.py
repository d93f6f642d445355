"""Which documents match a query, and in what order they are shown.

Every unquoted word is required, in any order; consecutive words may also
match together as one squashed name. Hits are ordered by (adjacency: the
words stand together as typed; field tier; occurrences; story order), and
occurrences are counted only where filling the screen needs them.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, repeat

from soundtrack_tui.core.search.documents import FIELDS, TIERS, Documents
from soundtrack_tui.core.search.query import Query
from soundtrack_tui.core.search.results import Hit, Locating
from soundtrack_tui.core.search.storage import TokenTables, repeated
from soundtrack_tui.core.search.terms import MAX_GROUP, Reading, Term, Terms

__all__ = ["Ranker", "Run"]


class Run:
    """One query's terms, resolved once and shared by matching, ranking and
    highlighting, so the three always agree. `groups` are the runs of up to
    `MAX_GROUP` consecutive words; `highlight` the terms whose readings are
    marked in a hit; `strong` those that anchor its snippet (the phrases,
    and the whole query as typed)."""

    def __init__(self, terms: Terms, query: Query) -> None:
        self._terms = terms
        typed, prefix = query.words, query.prefix
        self.words = m = len(typed)
        self.groups = {
            (i, j): self._term(typed[i:j], prefix and j == m)
            for j in range(1, m + 1)
            for i in range(max(0, j - MAX_GROUP), j)
        }
        self.phrases = [self._term(phrase, False, split=False) for phrase in query.phrases]
        self.whole = self._term(typed, prefix) if m > 1 else None
        whole = [] if self.whole is None else [self.whole]
        self.highlight = [*self.groups.values(), *self.phrases, *(whole if m > MAX_GROUP else [])]
        self.strong = whole + self.phrases
        self.counted = [reading for term in self.highlight for reading in term.readings]

    def _term(self, parts: Sequence[str], prefix: bool, *, split: bool = True) -> Term:
        """The term of consecutive query words `parts`, squashed."""
        bounds = frozenset(accumulate(map(len, parts)))
        return self._terms.term("".join(parts), bounds, prefix, split)

    def matched(self, within: AbstractSet[int] | None = None) -> set[int]:
        """The documents matching every word (and phrase), only those
        `within` when given. reach[j] holds the documents matching
        words[:j] under some grouping into runs of up to three."""
        reach: list[AbstractSet[int] | None] = [None if within is None else within]
        for j in range(1, self.words + 1):
            found: set[int] = set()
            for i in range(max(0, j - MAX_GROUP), j):
                before, docs = reach[i], self.groups[i, j].docs
                found |= docs if before is None else before & docs
            reach.append(frozenset(found))
        last = reach[self.words]
        matched = None if last is None else set(last)
        for term in sorted(self.phrases, key=lambda term: len(term.docs)):
            matched = set(term.docs) if matched is None else matched & term.docs
        return matched or set()

    def adjacent(self, within: AbstractSet[int], key: object) -> frozenset[int] | None:
        """Where the unquoted words stand together as typed, as far as
        anyone will ask (`within`, cached under `key`); None for one word
        (`whole` is None: callers skip making `within` then)."""
        return None if self.whole is None else self._terms.together(self.whole, within, key)


def kind_of(d: int, adjacent: frozenset[int] | None) -> int:
    """0 when the query's words stand together in document `d` as typed
    (`adjacent`, None for a one-word query), else 1."""
    return 0 if adjacent is None or d in adjacent else 1


def kinds(docs: set[int], adjacent: frozenset[int] | None) -> Iterator[tuple[int, set[int]]]:
    """The documents of each kind (see `kind_of`), the second made only if
    asked for."""
    if adjacent is None:
        yield 0, docs
        return
    yield 0, docs & adjacent
    yield 1, docs - adjacent


class Ranker:
    """Orders one index's visible matches into hits."""

    __slots__ = ("documents", "tables")

    def __init__(self, tables: TokenTables, documents: Documents) -> None:
        self.tables = tables
        self.documents = documents

    def rank(
        self, run: Run, visible: set[int], adjacent: frozenset[int] | None, limit: int, locator: Locating
    ) -> list[tuple[int, Hit]]:
        """Hits (with their documents) ordered by (adjacency, field tier,
        -occurrences, story). Occurrences are counted only in the buckets
        needed to fill `limit`, so a one-letter query does not count "t" in
        every recap."""
        hits: list[tuple[int, Hit]] = []
        tier_starts = self.documents.tier_starts
        for kind, docs in kinds(visible, adjacent):
            ordered = sorted(docs)
            cuts = [bisect_left(ordered, start) for start in tier_starts]
            for tier in range(TIERS):
                room = limit - len(hits)
                if room <= 0:
                    return hits
                bucket = ordered[cuts[tier] : cuts[tier + 1]]
                if not bucket:
                    continue
                counts = self._tally(run.counted, bucket)
                best = sorted(range(len(bucket)), key=counts.__getitem__, reverse=True)[:room]
                hits.extend((bucket[i], self._hit(locator, bucket[i], kind, tier, counts[i])) for i in best)
        return hits

    def _tally(self, readings: Sequence[Reading], bucket: list[int]) -> list[int]:
        """Occurrences of every query term in each document of `bucket`
        (aligned with it), summed with C-level maps over per-reading
        tallies, or bytes.count / bisect where building a tally costs more
        than counting the bucket directly."""
        counts = [0] * len(bucket)
        for reading in readings:
            counts = list(map(operator.add, counts, self._occurrences(reading, bucket)))
        return counts

    def _occurrences(self, reading: Reading, bucket: list[int]) -> Iterable[int]:
        """How often `reading` occurs in each of `bucket`. A single token's
        tally is built from postings when that is cheaper than counting the
        bucket, and is then kept for the following keystrokes."""
        seg, tables = reading.seg, self.tables
        low, high = seg.tail or (seg.exact[0], seg.exact[0] + 1)
        # Postings hold each document once per token, with a weight of at
        # least one: their count bounds the occurrences without summing.
        budget = 8 * len(bucket)
        if reading.tally is None and seg.width == 1 and tables.posting_count(low, high) <= budget:
            docs, weights = tables.weighted_postings(low, high)
            if (len(docs) if high - low == 1 else sum(weights)) <= budget:
                reading.tally = _tally_of(docs, weights, high - low == 1)
        if reading.tally is not None:
            return map(reading.tally.get, bucket, repeat(0))
        if seg.tail is None:
            return map(bytes.count, tables.datas(bucket), repeat(seg.needle))
        return tables.range_counts(bucket, low, high)

    def _hit(self, locator: Locating, d: int, kind: int, tier: int, count: int) -> Hit:
        """A visible document as a hit, its snippet and target left for
        later. The score encodes the sort key (adjacency, tier, then
        occurrences squashed below 1)."""
        documents = self.documents
        score = (1 - kind) * 10 + (2 - tier) * 2 + count / (count + 1)
        field = FIELDS[documents.fields[d]]
        return Hit(documents.gates[d], documents.episode(d), field, documents.label(d), score, locator, d)


def _tally_of(docs: Sequence[int], weights: Sequence[int], single: bool) -> Mapping[int, int]:
    """Occurrences per document from postings rows: one token's row has
    each document once; a prefix range's rows may repeat one."""
    return dict(zip(docs, weights, strict=True)) if single else Counter(repeated(docs, weights))
