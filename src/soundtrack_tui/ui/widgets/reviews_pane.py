"""The Reviews pane: the selected episode's reviews, then the
whole-series reviews the policy allows, each labelled with how far its
writer had watched."""

from __future__ import annotations

import re

from textual.content import Content
from textual.reactive import reactive

from soundtrack_tui.core.policy import EpisodeView, ReviewView
from soundtrack_tui.ui.panes import PANE_TITLES
from soundtrack_tui.ui.text import join, marked
from soundtrack_tui.ui.widgets.marks import TextMark
from soundtrack_tui.ui.widgets.text_pane import Block, TextPane

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


class ReviewsPane(TextPane):
    """Reviews of the selected episode and of the whole series."""

    STATE = ("episode", "series", "hidden_series", "mark")
    episode: reactive[EpisodeView | None] = reactive(None)
    series: reactive[tuple[ReviewView, ...]] = reactive(())
    hidden_series: reactive[int] = reactive(0)
    mark: reactive[TextMark | None] = reactive(None)
    watch_episode = watch_series = watch_hidden_series = watch_mark = TextPane.changed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(PANE_TITLES["reviews"], id=id)

    def episode_number(self) -> int | None:
        return self.episode.number if self.episode is not None else None

    def build(self) -> tuple[list[Block], int | None]:
        blocks: list[Block] = []
        target: int | None = None

        def add_review(review: ReviewView, name: str) -> None:
            nonlocal target
            mark = self.mark if self.mark is not None and self.mark.block == name else None
            if mark is not None:
                target = len(blocks)
            blocks.append(Block(review_block(review, mark), frame="bar" if mark else None))

        episode = self.episode
        if episode is not None:
            blocks.append(_section(episode.label))
            if episode.locked:
                blocks.append(
                    _note(f"Reviews of {episode.label_in_sentence} are hidden until you have watched it.")
                )
            elif not episode.reviews:
                below = (
                    "see the whole-series reviews below"
                    if self.series
                    else "nor is any whole-series review visible yet"
                )
                blocks.append(_note(f"No critic reviewed {episode.label_in_sentence} on its own; {below}."))
            for index, review in enumerate(episode.reviews):
                add_review(review, f"episode-{index}")
        blocks.append(_section("Whole series"))
        if not self.series:
            blocks.append(_note("No whole-series review is visible yet."))
        for index, review in enumerate(self.series):
            add_review(review, f"series-{index}")
        if self.hidden_series:
            count = self.hidden_series
            noun = "review unlocks" if count == 1 else "reviews unlock"
            blocks.append(_note(f"{count} more whole-series {noun} in later episodes"))
        return blocks, target


def _section(title: str) -> Block:
    return Block(Content.styled(title, "bold underline"))


def _note(text: str) -> Block:
    return Block(Content.styled(text, "dim italic"))
