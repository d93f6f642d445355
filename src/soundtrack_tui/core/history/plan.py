"""What an import would do, worked out in full before anything is written:
for each installed show, the episodes it would mark, those already marked
and the rows that matched no episode (with why), and the rows for shows
that are not installed.

Importing only ever adds marks: `add_marks` unions the new episodes into
whatever the progress file holds when it is written, under its lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from soundtrack_tui.core.history.matching import Matcher, row_label
from soundtrack_tui.core.history.rows import HistoryShow, WatchedRow
from soundtrack_tui.core.progress_document import PackProgress


@dataclass
class ShowPlan:
    show: HistoryShow
    rows: int = 0
    new: set[int] = field(default_factory=set)
    already: set[int] = field(default_factory=set)
    unmatched: Counter[str] = field(default_factory=Counter)  # rows by reason
    marked: frozenset[int] = frozenset()  # the show's marks when planned


@dataclass
class Plan:
    shows: dict[str, ShowPlan] = field(default_factory=dict)  # by show id, shows with rows only
    elsewhere: Counter[tuple[str, int | None]] = field(default_factory=Counter)  # rows by (title, year)
    rows: int = 0
    duplicates: int = 0

    @property
    def marks(self) -> int:
        return sum(len(plan.new) for plan in self.shows.values())


def build_plan(
    rows: Iterable[WatchedRow], shows: Sequence[HistoryShow], watched: Mapping[str, frozenset[int]]
) -> Plan:
    """Match every row; `watched` is each show's marks now, to tell new
    marks from old ones. Consumes `rows` once and keeps only counts, so a
    history of any length plans in constant memory (but for the set of row
    hashes that spots exact duplicates)."""
    matcher = Matcher(shows)
    plan = Plan()
    seen: set[int] = set()
    count = duplicates = 0
    for row in rows:
        count += 1
        fingerprint = hash(row)
        if fingerprint in seen:
            duplicates += 1
            continue
        seen.add(fingerprint)
        show = matcher.show_for(row)
        if show is None:
            plan.elsewhere[row.show_title, row.show_year] += 1
            continue
        entry = plan.shows.get(show.id)
        if entry is None:
            entry = plan.shows[show.id] = ShowPlan(show, marked=watched.get(show.id, frozenset()))
        entry.rows += 1
        episode = matcher.episode_for(show, row)
        if episode is None:
            entry.unmatched[f"{row_label(row)}: no such episode in the pack"] += 1
        elif episode.number in entry.marked:
            entry.already.add(episode.number)
        else:
            entry.new.add(episode.number)
    plan.rows, plan.duplicates = count, duplicates
    return plan


@dataclass
class MarksAdded:
    """What `add_marks` did, once the store has run it."""

    count: int = 0


def add_marks(
    new: Iterable[int], notice: Callable[[int], str]
) -> tuple[Callable[[PackProgress], PackProgress], MarksAdded]:
    """A change for `ProgressStore.update` that adds `new` to the watched
    episodes and, when that marks anything, leaves `notice(count)` for the
    next launch. The count is taken from the file as it is under the lock,
    not from the plan, which another window may have overtaken."""
    chosen = frozenset(new)
    added = MarksAdded()

    def change(progress: PackProgress) -> PackProgress:
        added.count = len(chosen - progress.watched)
        if not added.count:
            return progress
        return replace(progress, watched=progress.watched | chosen, notice=notice(added.count))

    return change, added


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
