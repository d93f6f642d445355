"""What a search answers: hits, where they point, and what stays locked."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, Protocol

from soundtrack_tui.core.search.documents import Field

__all__ = ["EpisodeMatches", "Hit", "RecapMatch", "SearchResults", "Spans", "Target"]

Spans = tuple[tuple[int, int], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """Where a hit lives, precisely enough to jump there and highlight.

    `spans` are [start, end) offsets of every match in the document text:
    the title, logline, intro or note text; the recap paragraph
    (`Episode.paragraphs[paragraph]`); the name or alias itself; for a review,
    `Review.text`. `review_index` indexes `Episode.reviews` or, for a
    series review, `Show.reviews`.
    """

    spans: Spans
    character_id: str | None = None
    paragraph: int | None = None
    review_index: int | None = None
    note_index: int | None = None
    alias_index: int | None = None


Details = tuple[str, Spans, Target]  # snippet, its spans, target


class Locating(Protocol):
    """What works out a hit's details: the search that made it."""

    def details(self, doc: int) -> Details: ...

    def reading_order(self, doc: int) -> tuple[int, int, int, int]: ...


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
    _locator: Locating
    _doc: int
    _details: Details | None = dataclasses.field(default=None, init=False)

    @property
    def snippet(self) -> str:
        return self._detailed()[0]

    @property
    def spans(self) -> Spans:
        return self._detailed()[1]

    @property
    def target(self) -> Target:
        return self._detailed()[2]

    @property
    def reading_order(self) -> tuple[int, int, int, int]:
        """A sort key: where a reader meets this hit (see `Documents.reading_order`)."""
        return self._locator.reading_order(self._doc)

    def _detailed(self) -> Details:
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


class RecapMatch(NamedTuple):
    """One match in a recap: paragraph index and span inside that paragraph."""

    paragraph: int
    start: int
    end: int


@dataclasses.dataclass(frozen=True, slots=True)
class EpisodeMatches:
    """Every match of a query in one episode's own texts that a viewer may
    see: the spans a search hit on each of them would target, for all of
    them (no limit). `recap` and `reviews` pair a paragraph or review index
    with its spans, in order, for the matching ones only."""

    episode: int
    title: Spans = ()
    logline: Spans = ()
    recap: tuple[tuple[int, Spans], ...] = ()
    reviews: tuple[tuple[int, Spans], ...] = ()

    @property
    def recap_marks(self) -> tuple[RecapMatch, ...]:
        """The recap's matches in reading order, one per span."""
        return tuple(
            RecapMatch(paragraph, start, end) for paragraph, spans in self.recap for start, end in spans
        )
