"""Where a search result points, in terms the panes understand.

The main screen turns a search hit into one of these; the pane it names
highlights the spans and scrolls them into view.
"""

from __future__ import annotations

from typing import NamedTuple

Spans = tuple[tuple[int, int], ...]


class RecapMark(NamedTuple):
    """One match in a recap: paragraph index and span inside that paragraph."""

    paragraph: int
    start: int
    end: int


class RecapMarks(NamedTuple):
    """Every match of the last search in episode `episode`'s recap, and
    which one `n`/`N` are on."""

    episode: int
    marks: tuple[RecapMark, ...]
    current: int = 0

    def moved(self, step: int) -> RecapMarks:
        if not self.marks:
            return self
        return RecapMarks(self.episode, self.marks, (self.current + step) % len(self.marks))

    def spans_in(self, paragraph: int) -> tuple[Spans, Spans]:
        """(other matches, current match) inside `paragraph`."""
        others: list[tuple[int, int]] = []
        current: list[tuple[int, int]] = []
        for index, mark in enumerate(self.marks):
            if mark.paragraph == paragraph:
                (current if index == self.current else others).append((mark.start, mark.end))
        return tuple(others), tuple(current)


class TextMark(NamedTuple):
    """A match in a character or review: which block, which part, and the
    spans in that part's text. `part` is "name", "alias" or "note" (with
    `item`: which alias or note, by position), "intro", or
    "text" for a review."""

    block: str
    part: str
    spans: Spans = ()
    item: int | None = None  # not `index`, which would hide tuple.index
