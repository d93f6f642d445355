"""The episode list: number, title (or a hidden marker), watched and locked
marks, as the spoiler policy allows.

A `CursorList` of one-line rows: while the search is open the list shows
only the episodes with matches, that set changes on most keystrokes, and a
change here is a new list of numbers; rows are built only when drawn.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.reactive import reactive

from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import EpisodeRow, Viewer, episode_row
from soundtrack_tui.ui.messages import EpisodeChosen, EpisodeSelected
from soundtrack_tui.ui.panes import PANE_TITLES
from soundtrack_tui.ui.widgets.cursor_list import CursorList

WATCHED = "✓"
LOCKED = "⊘"
PEEKING = "◐"
OPEN = "·"
NO_MATCH = Content.styled("no episode matches", "dim italic")


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
    measure each of the six parts separately."""
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


class EpisodeList(CursorList):
    """Episodes of the pack; the cursor row is the selected episode.

    Fed by the main screen through data binding (`viewer`, `selected`,
    `only`); reports what the user does with `EpisodeSelected` (the cursor
    moved) and `EpisodeChosen` (Enter or a click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list-down", tooltip="Next episode"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list-up", tooltip="Previous episode"),
        Binding("home", "first", "First", show=False, id="list-first", tooltip="First episode"),
        Binding("end", "last", "Last", show=False, id="list-last", tooltip="Last episode"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down", tooltip="A page down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up", tooltip="A page up"),
        Binding("enter", "select", "Open", id="list-open", tooltip="Open the episode in the Recap pane"),
    ]
    ONE_LINE = True
    EMPTY = Content.styled("no episode matches", "dim italic")

    viewer: reactive[Viewer] = reactive(Viewer, init=False)
    selected: reactive[int] = reactive(1, init=False)
    only: reactive[frozenset[int] | None] = reactive(None, init=False)
    """While searching: the episodes with matches; None lists every episode."""

    def __init__(self, pack: Pack, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.pack = pack
        self._numbers: list[int] = []
        self._index: dict[int, int] | None = None
        self._built: tuple[Viewer, frozenset[int] | None] | None = None
        self._prompts: dict[int, Content] = {}
        """Rows drawn for the viewer of `_built`, kept while only the
        search filter changes."""
        self._number_width = len(str(pack.show.episode_count))
        self.border_title = PANE_TITLES["episodes"]

    def on_mount(self) -> None:
        self.rebuild()

    def watch_viewer(self) -> None:
        self.rebuild()

    def watch_only(self) -> None:
        self.rebuild()

    def watch_selected(self, number: int) -> None:
        self.place_cursor(self.row_of(number))

    def rebuild(self) -> None:
        """List the episodes `only` allows, as the viewer may see them.

        Data binding sets every bound value again after mount, so an
        unchanged viewer and filter are skipped."""
        if self._built == (self.viewer, self.only):
            return
        if self._built is None or self._built[0] != self.viewer:
            self._prompts.clear()
        self._built = (self.viewer, self.only)
        self._numbers = list(self.pack.numbers) if self.only is None else sorted(self.only)
        self._index = None
        self.cursor = None
        self.items_changed()
        self.place_cursor(self.row_of(self.selected))

    # -- rows ------------------------------------------------------------------

    @property
    def item_count(self) -> int:
        return len(self._numbers)

    @property
    def row_count(self) -> int:
        return len(self._numbers)

    def item_content(self, index: int) -> Content:
        number = self._numbers[index]
        prompt = self._prompts.get(number)
        if prompt is None:
            prompt = episode_prompt(episode_row(self.pack, self.viewer, number), self._number_width)
            self._prompts[number] = prompt
        return prompt

    def row_of(self, number: int) -> int | None:
        """The row that lists episode `number`, if it is listed."""
        if self.only is None:
            return number - 1 if 1 <= number <= len(self._numbers) else None
        if self._index is None:  # built on demand: most filter changes never need it
            self._index = {number: row for row, number in enumerate(self._numbers)}
        return self._index.get(number)

    def number_at(self, row: int | None) -> int | None:
        if row is None or not 0 <= row < len(self._numbers):
            return None
        return self._numbers[row]

    @property
    def highlighted_episode(self) -> int | None:
        """The episode under the cursor now. Ahead of `selected` while the
        `EpisodeSelected` of a move is still queued: keys that arrive in one
        write run their actions before it lands."""
        return self.number_at(self.cursor)

    def rows_text(self) -> list[str]:
        """Every row as plain text, before it is cut to the list's width."""
        return [self.item_content(row).plain for row in range(self.item_count)]

    # -- what the user does ----------------------------------------------------

    def cursor_moved(self, index: int) -> None:
        number = self._numbers[index]
        if number != self.selected:
            self.post_message(EpisodeSelected(number))

    def item_chosen(self, index: int) -> None:
        self.post_message(EpisodeChosen(self._numbers[index]))
