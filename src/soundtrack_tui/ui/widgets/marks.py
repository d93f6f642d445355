"""Where a search result points, in terms the panes understand.

The main screen turns a search hit into one of these (`pane_for` says which
pane shows it); that pane highlights the spans and scrolls them into view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from soundtrack_tui.core.model import Review
    from soundtrack_tui.core.policy import ReviewView
    from soundtrack_tui.core.search import Hit

Spans = tuple[tuple[int, int], ...]


class RecapMark(NamedTuple):
    """One match in a recap: paragraph index and span inside that paragraph
    (as `core.search.RecapMatch`, kept here so the first paint need not
    import the search package)."""

    paragraph: int
    start: int
    end: int


class RecapMarks(NamedTuple):
    """Every match of the search in episode `episode`'s recap, and which
    one is the current match, if it is in this recap."""

    episode: int
    marks: tuple[RecapMark, ...]
    current: int | None = 0

    @property
    def current_paragraph(self) -> int | None:
        return self.marks[self.current].paragraph if self.current is not None and self.marks else None

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


CHARACTER_FIELDS = frozenset({"name", "alias", "intro", "note"})
REVIEW_FIELDS = frozenset({"review", "series review"})


def pane_for(field: str) -> str:
    """The pane that shows a hit in `field`."""
    if field in CHARACTER_FIELDS:
        return "characters"
    if field in REVIEW_FIELDS:
        return "reviews"
    if field == "track":
        return "tracks"  # the soundtrack overlay, not a pane of the screen
    return "recap"


def recap_marks(hit: Hit) -> list[RecapMark]:
    """The marks a recap hit puts in its paragraph."""
    paragraph = hit.target.paragraph
    if hit.field != "recap" or paragraph is None:
        return []
    return [RecapMark(paragraph, start, end) for start, end in hit.target.spans]


def character_mark(hit: Hit) -> TextMark | None:
    target = hit.target
    if target.character_id is None:
        return None
    item = target.alias_index if hit.field == "alias" else target.note_index
    return TextMark(target.character_id, hit.field, target.spans, item)


def review_mark(hit: Hit, series_reviews: Sequence[Review], shown: Sequence[ReviewView]) -> TextMark | None:
    """An episode review's mark, or a series review's among those `shown`
    (the reviews pane names series blocks by their place in that list)."""
    index = hit.target.review_index
    if index is None:
        return None
    if hit.field != "series review":
        return TextMark(f"episode-{index}", "text", hit.target.spans)
    if not 0 <= index < len(series_reviews):
        return None
    visible = [view.review for view in shown]
    review = series_reviews[index]
    if review not in visible:
        return None
    return TextMark(f"series-{visible.index(review)}", "text", hit.target.spans)
