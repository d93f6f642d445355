"""The keys that scroll whatever is being read, and the scrolling container
the overlays read in.

One list for every reading surface (the recap, characters and reviews
panes, the story and soundtrack overlays, help), so `j` reads the same
everywhere and one line of keys.toml moves it everywhere: Textual applies a
remap by binding id wherever the binding is declared. Arrow keys stay
Textual's own; the page and end keys are declared again here only to give
them ids.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

SCROLL_BINDINGS: list[BindingType] = [
    Binding("j", "scroll_down", "Down", show=False, id="scroll-down", tooltip="Scroll down a line"),
    Binding("k", "scroll_up", "Up", show=False, id="scroll-up", tooltip="Scroll up a line"),
    Binding(
        "space,pagedown", "page_down", "Page down", show=False, id="page-down", tooltip="Scroll down a page"
    ),
    Binding("shift+space,pageup", "page_up", "Page up", show=False, id="page-up", tooltip="Scroll up a page"),
    Binding("home", "scroll_home", "Top", show=False, id="scroll-top", tooltip="Scroll to the top"),
    Binding("end", "scroll_end", "Bottom", show=False, id="scroll-bottom", tooltip="Scroll to the bottom"),
]


class ReadingScroll(VerticalScroll, can_focus=True):
    """A focusable column of text that scrolls with `SCROLL_BINDINGS`."""

    BINDINGS: ClassVar[list[BindingType]] = SCROLL_BINDINGS
