"""The recap pane: episode facts, logline, then the recap or its gate.

Everything shown comes from a policy `EpisodeView`; a locked episode's view
simply has no paragraphs, and the pane explains why and which keys reveal
it. Each paragraph is its own widget so `n`/`N` can scroll a match into view.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from soundtrack_tui.core.policy import EpisodeView
from soundtrack_tui.ui.text import CURRENT_MATCH_STYLE, MATCH_STYLE, join, literal
from soundtrack_tui.ui.widgets.key_label import KeyLabel, default_key_label
from soundtrack_tui.ui.widgets.marks import RecapMarks
from soundtrack_tui.ui.widgets.state_pane import StatePane


def facts_line(view: EpisodeView) -> Content:
    facts: list[Content] = []
    if view.aired is not None:
        facts.append(Content(f"aired {view.aired.isoformat()}"))
    if view.runtime_minutes:
        facts.append(Content(f"about {view.runtime_minutes} min"))
    return join(facts)


def status_words(view: EpisodeView) -> Content:
    if view.watched:
        return Content.styled("watched", "$success")
    if view.peeked:
        return Content.styled("peeking", "$accent")
    if view.locked:
        return Content.styled("not watched yet", "$warning")
    return Content.styled("not watched", "dim")


def highlighted(text: str, marks: RecapMarks | None, paragraph: int) -> Content:
    content = Content(text)
    if marks is None:
        return content
    others, current = marks.spans_in(paragraph)
    for start, end in others:
        content = content.stylize(MATCH_STYLE, start, end)
    for start, end in current:
        content = content.stylize(CURRENT_MATCH_STYLE, start, end)
    return content


class RecapPane(StatePane):
    """The selected episode's facts and recap, behind the spoiler gate."""

    STATE = ("view", "marks")
    view: reactive[EpisodeView | None] = reactive(None, recompose=True)
    marks: reactive[RecapMarks | None] = reactive(None, recompose=True)

    def __init__(
        self, key_label: KeyLabel = default_key_label, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__("Recap", id=id, classes=classes)
        self.key_label = key_label
        self._shown_episode: int | None = None

    def compose_pane(self) -> Iterator[Widget]:
        view = self.view
        if view is None:
            return
        yield Static(
            join([Content.styled(view.heading, "bold"), status_words(view)], "  ", ""),
            classes="heading",
        )
        facts = facts_line(view)
        if facts.plain:
            yield Static(facts, classes="facts")
        if view.source_note:
            yield Static(
                Content.assemble(("Sources differ: ", "bold"), Content(view.source_note)),
                classes="source-note",
            )
        if view.logline:
            yield Static(literal(view.logline, "italic"), classes="logline")
        if not view.has_file:
            yield Static(Content.styled("No recap yet for this episode.", "dim italic"), classes="empty")
            return
        if view.paragraphs is None:
            yield Static(self.gate(view), classes="gate")
            return
        if view.peeked:
            yield Static(
                Content.styled(
                    f"Peeking at episode {view.number}: it stays unwatched, and hides again "
                    "when the selection moves.",
                    "italic",
                ),
                classes="peek-banner",
            )
        marks = self.marks if self.marks is not None and self.marks.episode == view.number else None
        current = marks.marks[marks.current].paragraph if marks and marks.marks else None
        for index, paragraph in enumerate(view.paragraphs):
            widget = Static(highlighted(paragraph, marks, index), classes="paragraph")
            if index == current:
                self.scroll_target = widget
            yield widget

    def gate(self, view: EpisodeView) -> Content:
        """Why the recap is hidden and the keys that reveal it."""
        keys = [
            (self.key_label("toggle-watched"), "mark watched"),
            (self.key_label("peek"), "peek"),
            (self.key_label("toggle-spoilers"), "spoilers on"),
        ]
        hint = join([Content.assemble((key, "bold"), f" {action}") for key, action in keys])
        return Content.assemble(
            (f"The recap of episode {view.number} is hidden", "bold"),
            " until you have watched it.\n\n",
            hint,
        )

    def after_recompose(self) -> None:
        view = self.view
        number = view.number if view is not None else None
        if number != self._shown_episode:
            self._shown_episode = number
            self.scroll_home(animate=False, immediate=True)

    def reveal(self, target: Widget) -> None:
        self.scroll_to_center(target, animate=False, immediate=True)
