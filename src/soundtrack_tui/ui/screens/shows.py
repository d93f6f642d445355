"""Shows: the library, each show with your progress; Enter opens one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from soundtrack_tui.core.library import LibraryShow
from soundtrack_tui.core.sanitize import one_line
from soundtrack_tui.ui import app_keys


class ShowsScreen(ModalScreen[str | None]):
    """Dismissed with the chosen show's id, or None when closed."""

    DEFAULT_CSS = """
    ShowsScreen { align: center middle; }
    #shows-box { width: 80%; max-width: 90; height: auto; max-height: 80%; border: round $primary;
                 background: $surface; padding: 0 1; }
    #shows-list { height: auto; max-height: 20; border: none; }
    #shows-title { padding-bottom: 1; }
    #shows-hint { color: $text-muted; padding-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="close-shows", tooltip="Close the list of shows"),
        Binding(
            "S", "dismiss(None)", "Close", show=False, id="close-shows-key", tooltip="Close the list of shows"
        ),
        app_keys.QUIT,
    ]

    def __init__(self, shows: Sequence[LibraryShow], current: str | None) -> None:
        super().__init__(id="shows-screen")
        self.shows = list(shows)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="shows-box"):
            yield Static(Content.styled("Your shows", "bold"), id="shows-title")
            yield OptionList(*(self._option(show) for show in self.shows), id="shows-list")
            yield Static(
                Content("Enter opens a show, with its own progress. soundtrack add PATH installs more."),
                id="shows-hint",
            )

    def _option(self, show: LibraryShow) -> Option:
        mark = "▶ " if show.id == self.current else "  "
        prompt = Content.assemble(
            (mark, "bold"),
            (one_line(show.title), "bold" if show.id == self.current else ""),
            (f"  {one_line(show.id)}", "dim"),
            (f"  {show.progress}", "italic"),
        )
        return Option(prompt, id=show.id)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [show.id for show in self.shows]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
