"""Which documents match a query, and in what order they are shown.

Every unquoted word is required, in any order; consecutive words may also
match together as one squashed name. Hits are ordered by (adjacency: the
words stand together as typed; field tier; occurrences; story order), and
occurrences are counted only where filling the screen needs them.
"""

from __future__ import annotations

import dataclasses
import operator
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, repeat

from soundtrack_tui.core.search.documents import FIELDS, TIERS, Documents
from soundtrack_tui.core.search.people import CharacterSet, People, name_runs
from soundtrack_tui.core.search.query import Query
from soundtrack_tui.core.search.results import Hit, Locating
from soundtrack_tui.core.search.storage import TokenTables, repeated
from soundtrack_tui.core.search.terms import MAX_GROUP, Reading, Term, Terms
from soundtrack_tui.core.search.typos import Speller, edits_allowed

__all__ = ["Lookup", "Ranker", "Run"]


@dataclasses.dataclass(frozen=True, slots=True)
class Lookup:
    """What one viewer's search may read into the typed words: the
    characters a name means (`people`, limited to those `met`) and, with
    a `speller`, the nearest word for one that matches nothing."""

    people: People
    met: frozenset[int]
    speller: Speller | None = None


class Run:
    """One query's terms, resolved once and shared by matching, ranking and
    highlighting, so the three always agree. Words that name a character
    the viewer has met are one term for every spelling of that character
    (`named`; `as_typed` holds the name runs squashed, as typed). A long
    word that matches nothing is replaced by the nearest vocabulary word
    (`corrections` lists those the viewer may be told: typed -> used).
    `groups` are the name runs and the other runs of up to `MAX_GROUP`
    consecutive words; `highlight` the terms whose readings are marked in
    a hit; `strong` those that anchor its snippet (the phrases, and the
    whole query as typed)."""

    def __init__(self, terms: Terms, query: Query, lookup: Lookup | None = None) -> None:
        self._terms = terms
        typed, prefix = list(query.words), query.prefix
        runs = self._names(typed, lookup)
        self.corrections: tuple[tuple[str, str], ...] = ()
        if lookup is not None and lookup.speller is not None:
            self.corrections = self._corrected(typed, prefix, runs, lookup.speller)
            if typed != list(query.words):
                prefix = prefix and typed[-1] == query.words[-1]
                runs = self._names(typed, lookup)
        self.words = m = len(typed)
        self.groups = {span: self._person(found, lookup) for span, found in runs.items()}
        self.named = list(self.groups.values())
        self.as_typed = frozenset("".join(typed[i:j]) for i, j in runs)
        for (i, j), parts in _windows(typed, runs):
            self.groups[i, j] = self._term(parts, prefix and j == m)
        self.phrases = [self._phrase(phrase, lookup) for phrase in query.phrases]
        self.whole = self._term(typed, prefix) if m > 1 and (0, m) not in runs else None
        whole = [] if self.whole is None else [self.whole]
        self.highlight = [*self.groups.values(), *self.phrases, *(whole if m > MAX_GROUP else [])]
        self.strong = whole + self.phrases
        self.counted = [reading for term in self.highlight for reading in term.readings]

    def _term(self, parts: Sequence[str], prefix: bool, *, split: bool = True) -> Term:
        """The term of consecutive query words `parts`, squashed."""
        bounds = frozenset(accumulate(map(len, parts)))
        return self._terms.term("".join(parts), bounds, prefix, split)

    def _names(self, typed: Sequence[str], lookup: Lookup | None) -> dict[tuple[int, int], CharacterSet]:
        """The runs of `typed` that name characters the viewer has met."""
        return {} if lookup is None else name_runs(typed, lambda parts: self._find(parts, lookup))

    def _find(self, parts: Sequence[str], lookup: Lookup) -> CharacterSet:
        """The met characters the words `parts` name together."""
        occurs = lambda: bool(self._term(parts, False, split=False).docs)  # noqa: E731
        return lookup.people.find("".join(parts), lookup.met, occurs)

    def _person(self, characters: CharacterSet, lookup: Lookup | None) -> Term:
        assert lookup is not None  # a name was found with it
        return self._terms.person(characters, lookup.people.spellings)

    def _phrase(self, phrase: Sequence[str], lookup: Lookup | None) -> Term:
        """A quoted phrase: a character if it names one, else its words in order."""
        found = self._find(phrase, lookup) if lookup is not None else ()
        if found:
            term = self._person(found, lookup)
            self.named.append(term)
            return term
        return self._term(phrase, False, split=False)

    def _corrected(
        self, typed: list[str], prefix: bool, runs: Mapping[tuple[int, int], CharacterSet], speller: Speller
    ) -> tuple[tuple[str, str], ...]:
        """Replace in `typed` each long word that matches nothing, alone or
        with its neighbours, by its nearest word; the replacements the
        viewer may be told of."""
        named = {k for i, j in runs for k in range(i, j)}
        unsure = {i for i, word in enumerate(typed) if i not in named and edits_allowed(word)}
        for (i, j), parts in _windows(typed, runs):
            if not unsure.isdisjoint(range(i, j)) and self._term(parts, prefix and j == len(typed)).docs:
                unsure.difference_update(range(i, j))
        fixed: list[tuple[str, str]] = []
        for i in sorted(unsure):
            found = speller.nearest(typed[i])
            if found is not None:
                used, shown = found
                if shown:
                    fixed.append((typed[i], used))
                typed[i] = used
        return tuple(fixed)

    def matched(self, within: AbstractSet[int] | None = None) -> set[int]:
        """The documents matching every word (and phrase), only those
        `within` when given. reach[j] holds the documents matching
        words[:j] under some grouping into runs (names, or up to three
        other words)."""
        ending: dict[int, list[tuple[int, Term]]] = {}
        for (i, j), term in self.groups.items():
            ending.setdefault(j, []).append((i, term))
        reach: list[AbstractSet[int] | None] = [None if within is None else within]
        for j in range(1, self.words + 1):
            found: set[int] = set()
            for i, term in ending.get(j, ()):
                before = reach[i]
                found |= term.docs if before is None else before & term.docs
            reach.append(frozenset(found))
        last = reach[self.words]
        matched = None if last is None else set(last)
        for term in sorted(self.phrases, key=lambda term: len(term.docs)):
            matched = set(term.docs) if matched is None else matched & term.docs
        return matched or set()

    def card_rank(self, d: int, spelled: str, adjacent: frozenset[int] | None) -> int:
        """Which of a character's matching names stands for it (lower is
        better): the words together as typed, then a name or alias
        `spelled` (squashed) with what was typed in it, so "eun-soo" shows
        the name "Lee Eun-soo" and "한선우" the alias line "한선우"."""
        return 2 * kind_of(d, adjacent) + (not any(typed in spelled for typed in self.as_typed))

    def adjacent(self, within: AbstractSet[int], key: object) -> frozenset[int] | None:
        """Where the unquoted words stand together as typed, as far as
        anyone will ask (`within`, cached under `key`); None for one word
        (`whole` is None: callers skip making `within` then)."""
        return None if self.whole is None else self._terms.together(self.whole, within, key)


def _windows(
    typed: Sequence[str], runs: Mapping[tuple[int, int], CharacterSet]
) -> Iterator[tuple[tuple[int, int], Sequence[str]]]:
    """The runs typed[i:j] of up to `MAX_GROUP` words that cross no name run."""
    named = {k for i, j in runs for k in range(i, j)}
    for j in range(1, len(typed) + 1):
        for i in range(max(0, j - MAX_GROUP), j):
            if named.isdisjoint(range(i, j)):
                yield (i, j), typed[i:j]


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
            return tables.counts(bucket, seg.needle)
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
