"""A scrollable text overlay over the main screen: the base of the story so
far and the soundtrack.

It has its own key bar, over the main screen's: the keys there (`w`,
`p`, `s`) do nothing while an overlay is up, and must not be offered.
Its lines are `Content` built by the subclass from pack text, never parsed
Markdown: pack text is untrusted and must not become links or markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from soundtrack_tui.ui import app_keys
from soundtrack_tui.ui.widgets.key_bar import KeyBar
from soundtrack_tui.ui.widgets.scrolling import ReadingScroll


class ReadingScreen(ModalScreen[None]):
    """Lines of text to read, scrolled from the keyboard, closed with Esc."""

    TITLE_TEXT: ClassVar[str] = ""
    SCROLL_ID: ClassVar[str] = "reading"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close-overlay", tooltip="Back to the episodes"),
        app_keys.QUIT,
        app_keys.HELP,
    ]

    def lines(self) -> Iterable[tuple[Content, str]]:
        """(content, css class) pairs, top to bottom."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with ReadingScroll(id=self.SCROLL_ID, classes="reading") as scroll:
            scroll.border_title = self.TITLE_TEXT
            for content, classes in self.lines():
                yield Static(content, classes=classes)
        yield KeyBar(id="overlay-keys")
