"""The episode list: number, title (or a hidden marker), watched and locked
marks, as the spoiler policy allows.

An OptionList rather than one widget per episode, so a pack of a thousand
episodes scrolls as smoothly as the bundled four: only visible rows render.
The highlight is OptionList's own (app.tcss adds reverse video for NO_COLOR
terminals, where its background colour is gone).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import EpisodeRow, Viewer, episode_row
from soundtrack_tui.ui.messages import EpisodeChosen, EpisodeSelected
from soundtrack_tui.ui.panes import PANE_TITLES

WATCHED = "✓"
LOCKED = "⊘"
PEEKING = "◐"
OPEN = "·"


def status_mark(view: EpisodeRow) -> tuple[str, str]:
    """The one-cell status of an episode and its style."""
    if view.watched:
        return WATCHED, "$success"
    if view.peeked:
        return PEEKING, "$accent"
    if view.locked:
        return LOCKED, "$warning"
    return OPEN, "dim"


def episode_prompt(view: EpisodeRow, number_width: int) -> Content:
    """One row: number, status mark, title or why it is missing.

    Built as one string with spans: `Content.assemble` would clean and
    measure each of the six parts separately, a thousand rows at a time."""
    mark, mark_style = status_mark(view)
    number = str(view.number).rjust(number_width)
    if view.title is not None:
        title, title_style = view.title, ""
    else:
        title, title_style = ("no recap yet" if not view.has_file else "title hidden"), "dim italic"
    head = f"{number} {mark} "
    mark_at = len(head) - len(mark) - 1
    spans = [Span(0, len(number), "bold"), Span(mark_at, mark_at + len(mark), mark_style)]
    if title_style:
        spans.append(Span(len(head), len(head) + len(title), title_style))
    return Content(head + title, spans)


class EpisodeList(OptionList):
    """Episodes of the pack; the highlight is the selected episode.

    Fed by the main screen through data binding (`viewer`, `selected`,
    `only`); reports what the user does with `EpisodeSelected` (highlight
    moved) and `EpisodeChosen` (Enter or click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list-down", tooltip="Next episode"),
        Binding("k", "cursor_up", "Up", show=False, id="list-up", tooltip="Previous episode"),
        Binding("enter", "select", "Open", id="list-open", tooltip="Open the episode in the Recap pane"),
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
        self._built: tuple[Viewer, frozenset[int] | None] | None = None
        self._prompts: dict[int, Content] = {}
        """Rows drawn for the viewer of `_built`: a search narrows the list
        on every keystroke, and redrawing a thousand rows each time is slow."""
        self.border_title = PANE_TITLES["episodes"]

    def on_mount(self) -> None:
        self.rebuild()

    def on_resize(self) -> None:
        """A terminal made shorter keeps the selected episode in view."""
        self.call_after_refresh(self.scroll_to_highlight)

    def watch_viewer(self) -> None:
        self.rebuild()

    def watch_only(self) -> None:
        self.rebuild()

    def watch_selected(self, number: int) -> None:
        self._highlight(number)

    def rebuild(self) -> None:
        """List the episodes `only` allows, as the viewer may see them.

        Data binding sets every bound value again after mount, so an
        unchanged viewer and filter are skipped."""
        if self._built == (self.viewer, self.only):
            return
        if self._built is None or self._built[0] != self.viewer:
            self._prompts.clear()
        self._built = (self.viewer, self.only)
        numbers = list(self.pack.numbers) if self.only is None else sorted(self.only)
        options = [Option(self._row_prompt(number), id=f"e{number}") for number in numbers]
        if not options:
            options = [Option(Content.styled("no episode matches", "dim italic"), disabled=True)]
        self._numbers = numbers
        self._index = {number: index for index, number in enumerate(numbers)}
        with self.prevent(self.OptionHighlighted):
            self.set_options(options)
        self._highlight(self.selected)

    def _row_prompt(self, number: int) -> Content:
        prompt = self._prompts.get(number)
        if prompt is None:
            width = len(str(self.pack.show.episode_count))
            prompt = episode_prompt(episode_row(self.pack, self.viewer, number), width)
            self._prompts[number] = prompt
        return prompt

    def _highlight(self, number: int) -> None:
        index = self._index.get(number)
        if index is not None and index != self.highlighted:
            with self.prevent(self.OptionHighlighted):
                self.highlighted = index
        elif index is None:
            self.highlighted = None

    @property
    def highlighted_episode(self) -> int | None:
        """The episode the list shows highlighted now. Ahead of `selected`
        while the `EpisodeSelected` of a move is still queued: keys that
        arrive in one write run their actions before it lands."""
        return self.number_at(self.highlighted)

    def number_at(self, index: int | None) -> int | None:
        if index is None or not 0 <= index < len(self._numbers):
            return None
        return self._numbers[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        number = self.number_at(event.option_index)
        if number is not None and number != self.selected:
            self.post_message(EpisodeSelected(number))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        number = self.number_at(event.option_index)
        if number is not None:
            self.post_message(EpisodeChosen(number))
