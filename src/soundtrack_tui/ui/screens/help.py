"""Help: every key and what it does, generated from the bindings.

The table is built from the live binding definitions with the user's
keymap applied, so a key remapped in keys.toml shows its new key here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from soundtrack_tui.core.sanitize import one_line
from soundtrack_tui.ui import app_keys
from soundtrack_tui.ui.bindings import KeySection
from soundtrack_tui.ui.widgets.key_bar import KeyBar
from soundtrack_tui.ui.widgets.scrolling import ReadingScroll

LEGEND = (
    ("✓", "watched"),
    ("⊘", "locked: not watched yet"),
    ("◐", "peeking"),
    ("·", "not watched, shown because spoilers are on"),
)


class HelpScreen(ModalScreen[None]):
    """Keys by context, the marks legend, and where keys are configured."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close-help", tooltip="Close the help"),
        Binding(
            "question_mark", "dismiss", "Close", show=False, id="close-help-key", tooltip="Close the help"
        ),
        app_keys.QUIT,
    ]

    def __init__(self, sections: Sequence[KeySection], config_path: str) -> None:
        super().__init__(id="help-screen")
        self.sections = sections
        self.config_path = one_line(config_path)  # a file name may hold any byte

    def compose(self) -> ComposeResult:
        with ReadingScroll(id="help") as scroll:
            scroll.border_title = "Keys"
            for section in self.sections:
                yield Static(Content.styled(section.title, "bold underline"), classes="help-title")
                for row in section.rows:
                    description = Content(row.description)
                    if row.binding_id:
                        description = Content.assemble(description, "  ", (row.binding_id, "dim"))
                    with Horizontal(classes="help-row"):
                        yield Static(Content.styled(row.keys, "bold $accent"), classes="help-key")
                        yield Static(description, classes="help-description")
            legend = [Content.styled("Marks in the episode list", "bold underline")]
            legend += [Content.assemble((glyph, "bold"), "  ", meaning) for glyph, meaning in LEGEND]
            yield Static(Content("\n").join(legend), classes="help-section")
            yield Static(
                Content.assemble(
                    ("Remap keys ", "bold"),
                    "in ",
                    (self.config_path, "italic"),
                    ': one line per binding id, e.g. toggle-watched = "m". The ids are the grey names above.',
                ),
                classes="help-section",
            )
        yield KeyBar(id="help-keys")
