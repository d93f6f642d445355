"""A scrollable text overlay over the main screen: the base of the story so
far and the soundtrack.

Its lines are `Content` built by the subclass from pack text, never parsed
Markdown: pack text is untrusted and must not become links or markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ReadingScreen(ModalScreen[None]):
    """Lines of text to read, scrolled from the keyboard, closed with Esc."""

    TITLE_TEXT: ClassVar[str] = ""
    SCROLL_ID: ClassVar[str] = "reading"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close-overlay", tooltip="Back to the episodes"),
        Binding("j", "scroll('down')", "Down", show=False, id="overlay-down", tooltip="Scroll down"),
        Binding("k", "scroll('up')", "Up", show=False, id="overlay-up", tooltip="Scroll up"),
    ]

    def lines(self) -> Iterable[tuple[Content, str]]:
        """(content, css class) pairs, top to bottom."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll(id=self.SCROLL_ID, classes="reading", can_focus=True) as scroll:
            scroll.border_title = self.TITLE_TEXT
            scroll.border_subtitle = "esc close"
            for content, classes in self.lines():
                yield Static(content, classes=classes)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(f"#{self.SCROLL_ID}", VerticalScroll)
        if direction == "down":
            scroll.scroll_down()
        else:
            scroll.scroll_up()
