"""The recap pane: episode facts, logline, then the recap or its gate.

Everything shown comes from a policy `EpisodeView`; a locked episode's view
simply has no paragraphs, and the pane explains why and which keys reveal
it. Each paragraph is its own block so `n`/`N` can scroll a match into view.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive

from soundtrack_tui.core.policy import EpisodeView
from soundtrack_tui.ui.panes import PANE_TITLES
from soundtrack_tui.ui.text import CURRENT_MATCH_STYLE, MATCH_STYLE, join, literal
from soundtrack_tui.ui.widgets.key_label import KeyLabel, default_key_label
from soundtrack_tui.ui.widgets.marks import RecapMarks
from soundtrack_tui.ui.widgets.text_pane import Block, TextPane


def facts_line(view: EpisodeView) -> Content:
    return join([Content(fact) for fact in view.facts])


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


class RecapPane(TextPane):
    """The selected episode's facts and recap, behind the spoiler gate."""

    STATE = ("view", "marks")
    view: reactive[EpisodeView | None] = reactive(None)
    marks: reactive[RecapMarks | None] = reactive(None)
    watch_view = watch_marks = TextPane.changed

    def __init__(
        self, key_label: KeyLabel = default_key_label, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(PANE_TITLES["recap"], id=id, classes=classes)
        self.key_label = key_label

    def build(self) -> tuple[list[Block], int | None]:
        view = self.view
        if view is None:
            return [], None
        blocks = [Block(join([Content.styled(view.heading, "bold"), status_words(view)]), 0)]
        facts = facts_line(view)
        if facts.plain:
            blocks.append(Block(facts, 0, muted=True))
        if view.logline:
            blocks.append(Block(literal(view.logline, "italic"), 1, 1))
        if not view.has_file:
            blocks.append(Block(Content.styled("No recap yet for this episode.", "dim italic")))
            return blocks, None
        if view.paragraphs is None:
            blocks.append(Block(self.gate(view), 0, 1, "box"))
            return blocks, None
        if view.peeked:
            banner = (
                f"Peeking at {view.label_in_sentence}: it stays unwatched, and hides again "
                "when the selection moves."
            )
            blocks.append(Block(Content.styled(banner, "italic $accent")))
        if view.previously is not None:
            previously = Content.assemble(
                (f"Previously, in {view.previously.label}: ", "bold"), view.previously.summary
            )
            blocks.append(Block(previously, 1, 1, muted=True))
        marks = self.marks if self.marks is not None and self.marks.episode == view.number else None
        current = marks.current_paragraph if marks else None
        first = len(blocks)
        blocks.extend(Block(highlighted(text, marks, index)) for index, text in enumerate(view.paragraphs))
        if view.source_note:
            blocks.append(Block(Content.styled("About the sources", "bold"), 1, 0, muted=True))
            blocks.append(Block(Content(view.source_note), 0, 1, muted=True))
        return blocks, None if current is None else first + current

    def gate(self, view: EpisodeView) -> Content:
        """Why the recap is hidden and the keys that reveal it."""
        keys = [
            (self.key_label("toggle-watched"), "mark watched"),
            (self.key_label("peek"), "peek"),
            (self.key_label("toggle-spoilers"), "spoilers on"),
        ]
        hint = join([Content.assemble((key, "bold"), f" {action}") for key, action in keys])
        return Content.assemble(
            (f"The recap of {view.label_in_sentence} is hidden", "bold"),
            " until you have watched it.\n\n",
            hint,
        )

    def episode_number(self) -> int | None:
        return self.view.number if self.view is not None else None

    def reveal_y(self, start: int, height: int) -> int:
        """A match's paragraph is centred, with text around it."""
        return max(start - max(self.scrollable_content_region.height - height, 0) // 2, 0)
