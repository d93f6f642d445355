"""The reviewer-thoughts pane: the selected episode's reviews, then the
whole-series reviews the policy allows, each labelled with how far its
writer had watched."""

from __future__ import annotations

import re
from collections.abc import Iterator

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from soundtrack_tui.core.policy import EpisodeView, ReviewView
from soundtrack_tui.ui.text import join, marked
from soundtrack_tui.ui.widgets.marks import TextMark
from soundtrack_tui.ui.widgets.state_pane import StatePane

_LINE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")


def readable(text: str) -> str:
    """Join lines broken inside a paragraph, keeping every offset: a search
    span into the original text points at the same characters here."""
    return _LINE_BREAK.sub(" ", text).rstrip()


def review_block(view: ReviewView, mark: TextMark | None = None) -> Content:
    """Outlet, rating and label, then verdict and thoughts as one text: the
    text `Review.text` indexes, so match spans apply directly."""
    review = view.review
    header = join(
        [
            Content.styled(review.outlet, "bold"),
            Content.styled(review.rating, "$accent bold") if review.rating else Content(""),
            Content.styled(view.label, "dim"),
        ]
    )
    text = readable(review.text)
    body = marked(text, mark.spans if mark is not None else ()).stylize_before(
        "italic", 0, len(review.verdict)
    )
    return Content("\n").join([header, body])


class ReviewsPane(StatePane):
    """Reviews of the selected episode and of the whole series."""

    STATE = ("episode", "series", "hidden_series", "mark")
    episode: reactive[EpisodeView | None] = reactive(None, recompose=True)
    series: reactive[tuple[ReviewView, ...]] = reactive((), recompose=True)
    hidden_series: reactive[int] = reactive(0, recompose=True)
    mark: reactive[TextMark | None] = reactive(None, recompose=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Reviewer thoughts", id=id)

    def compose_pane(self) -> Iterator[Widget]:
        episode = self.episode
        if episode is not None:
            yield Static(Content.styled(f"Episode {episode.number}", "bold underline"), classes="section")
            if episode.locked:
                yield Static(
                    Content.styled(
                        f"Reviews of episode {episode.number} are hidden until you have watched it.",
                        "dim italic",
                    ),
                    classes="empty",
                )
            elif not episode.reviews:
                yield Static(Content.styled("No reviews of this episode yet.", "dim italic"), classes="empty")
            for index, review in enumerate(episode.reviews):
                yield self._block(review, f"episode-{index}")
        yield Static(Content.styled("Whole series", "bold underline"), classes="section")
        if not self.series:
            yield Static(
                Content.styled("No whole-series review is visible yet.", "dim italic"), classes="empty"
            )
        for index, review in enumerate(self.series):
            yield self._block(review, f"series-{index}")
        if self.hidden_series:
            count = self.hidden_series
            noun = "review unlocks" if count == 1 else "reviews unlock"
            yield Static(
                Content.styled(f"{count} more whole-series {noun} in later episodes", "dim italic"),
                classes="hidden-count",
            )

    def _block(self, review: ReviewView, block: str) -> Static:
        mark = self.mark if self.mark is not None and self.mark.block == block else None
        widget = Static(review_block(review, mark), classes="review -target" if mark else "review")
        if mark is not None:
            self.scroll_target = widget
        return widget
