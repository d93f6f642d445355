"""The episode list: number, title (or a hidden marker), watched and locked
marks, as the spoiler policy allows.

An OptionList rather than one widget per episode, so a pack of a thousand
episodes scrolls as smoothly as the bundled four: only visible rows render.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widgets.option_list import Option

from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import EpisodeView, Viewer, episode_view
from soundtrack_tui.ui.messages import EpisodeChosen, EpisodeSelected
from soundtrack_tui.ui.widgets.marked_option_list import GUTTER, MarkedOptionList

WATCHED = "✓"
LOCKED = "⊘"
PEEKING = "◐"
OPEN = "·"


def status_mark(view: EpisodeView) -> tuple[str, str]:
    """The one-cell status of an episode and its style."""
    if view.watched:
        return WATCHED, "$success"
    if view.peeked:
        return PEEKING, "$accent"
    if view.locked:
        return LOCKED, "$warning"
    return OPEN, "dim"


def episode_prompt(view: EpisodeView, number_width: int) -> Content:
    """One row: gutter, number, status mark, title or why it is missing."""
    mark, mark_style = status_mark(view)
    if view.title is not None:
        title: Content = Content(view.title)
    elif not view.has_file:
        title = Content.styled("no recap yet", "dim italic")
    else:
        title = Content.styled("title hidden", "dim italic")
    return Content.assemble(
        GUTTER,
        (str(view.number).rjust(number_width), "bold"),
        " ",
        (mark, mark_style),
        " ",
        title,
    )


class EpisodeList(MarkedOptionList):
    """Episodes of the pack; the highlight is the selected episode.

    Fed by the main screen through data binding (`viewer`, `selected`,
    `only`); reports what the user does with `EpisodeSelected` (highlight
    moved) and `EpisodeChosen` (Enter or click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list-down", tooltip="Next episode"),
        Binding("k", "cursor_up", "Up", show=False, id="list-up", tooltip="Previous episode"),
        Binding("enter", "select", "Open", id="list-open", tooltip="Open the episode in the recap pane"),
    ]

    viewer: reactive[Viewer] = reactive(Viewer, init=False)
    selected: reactive[int] = reactive(1, init=False)
    only: reactive[frozenset[int] | None] = reactive(None, init=False)
    """While searching: the episodes with matches; None lists every episode."""

    def __init__(self, pack: Pack, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(markup=False, id=id, classes=classes)
        self.pack = pack
        self._numbers: list[int] = []
        self._index: dict[int, int] = {}
        self.border_title = "Episodes"

    def on_mount(self) -> None:
        self.rebuild()

    def watch_viewer(self) -> None:
        self.rebuild()

    def watch_only(self) -> None:
        self.rebuild()

    def watch_selected(self, number: int) -> None:
        self._highlight(number)

    def rebuild(self) -> None:
        """Rebuild every row: cheap (Content only), and needed whenever the
        viewer changes since titles and marks depend on it."""
        numbers = list(self.pack.numbers) if self.only is None else sorted(self.only)
        width = len(str(self.pack.show.episode_count))
        options: list[Option] = [
            Option(episode_prompt(episode_view(self.pack, self.viewer, number), width), id=f"e{number}")
            for number in numbers
        ]
        if not options:
            options = [Option(Content.styled(GUTTER + "no episode matches", "dim italic"), disabled=True)]
        self._numbers = numbers
        self._index = {number: index for index, number in enumerate(numbers)}
        with self.prevent(self.OptionHighlighted):
            self.set_options(options)
        self._highlight(self.selected)

    def _highlight(self, number: int) -> None:
        index = self._index.get(number)
        if index is not None and index != self.highlighted:
            with self.prevent(self.OptionHighlighted):
                self.highlighted = index
        elif index is None:
            self.highlighted = None

    def number_at(self, index: int | None) -> int | None:
        if index is None or not 0 <= index < len(self._numbers):
            return None
        return self._numbers[index]

    def on_option_list_option_highlighted(self, event: MarkedOptionList.OptionHighlighted) -> None:
        event.stop()
        number = self.number_at(event.option_index)
        if number is not None and number != self.selected:
            self.post_message(EpisodeSelected(number))

    def on_option_list_option_selected(self, event: MarkedOptionList.OptionSelected) -> None:
        event.stop()
        number = self.number_at(event.option_index)
        if number is not None:
            self.post_message(EpisodeChosen(number))
