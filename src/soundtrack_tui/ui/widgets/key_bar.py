"""The key bar: the keys that work here, on one line at the bottom.

One widget drawing one line, instead of Textual's `Footer`, which mounts a
widget per key and rebuilds them all on every change of bindings: on our
screen (a dozen keys, bindings refreshed as focus and selection move) that
cost more start-up time than the rest of the layout. It behaves the same:
the focused widget's keys first, then its ancestors'; a disabled key is
dimmed; hovering a key highlights it and shows its tooltip; clicking it
presses it. Help and the command palette keys sit on the right, so a
narrow terminal still shows where every key is explained.
"""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"
DISABLED_STYLE = "dim"
HOVER_STYLE = "on $block-hover-background"
SEPARATOR = "▏"
PALETTE = "command-palette"
PINNED = ("help", PALETTE)
"""Keys kept on the right however many others there are: help, which
explains the rest, then the command palette."""


class KeyItem(NamedTuple):
    """One key as drawn: where it is on the line and what it does."""

    key: str
    label: Content
    tooltip: str
    enabled: bool
    start: int = 0

    @property
    def end(self) -> int:
        return self.start + self.label.cell_length


class KeyBar(Widget, can_focus=False):
    """Shows the active bindings marked `show=True`, one per action."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    hover: reactive[int | None] = reactive(None)
    """The index in `items` of the key under the mouse."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[KeyItem] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._collect()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._collect()

    def _collect(self) -> None:
        """Read the screen's active bindings: one item per action, in order."""
        items: dict[str, KeyItem] = {}
        pinned: dict[str, KeyItem] = {}
        app = self.app
        for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items():
            is_palette = key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE
            pin = PALETTE if is_palette else binding.id if binding.id in PINNED else None
            if not (binding.show or is_palette) or binding.action in items or (pin and pin in pinned):
                continue
            label = self._label(app.get_key_display(binding), binding.description)
            item = KeyItem(key, label, tooltip or binding.tooltip, enabled)
            if pin:
                pinned[pin] = item
            else:
                items[binding.action] = item
        right = [pinned[name] for name in PINNED if name in pinned]
        self.items = self._place(list(items.values()), right)
        self.hover = None
        self.refresh()

    @staticmethod
    def _label(display: str, description: str) -> Content:
        return Content.assemble((f" {display} ", KEY_STYLE), (f"{description} ", DESCRIPTION_STYLE))

    def _place(self, items: list[KeyItem], pinned: list[KeyItem]) -> list[KeyItem]:
        """Give each item its column: keys from the left, as many as fit
        whole, and the pinned keys on the right, as many as fit in half the
        bar (the first of `PINNED` last to go)."""
        width = self.size.width
        right = [
            KeyItem(item.key, Content.assemble((SEPARATOR, "dim"), item.label), item.tooltip, item.enabled)
            for item in pinned
        ]
        while len(right) > 1 and sum(item.label.cell_length for item in right) > width // 2:
            right.pop()
        start = max(0, width - sum(item.label.cell_length for item in right))
        placed: list[KeyItem] = []
        column = 0
        for item in items:
            if column + item.label.cell_length > start:
                break
            placed.append(KeyItem(item.key, item.label, item.tooltip, item.enabled, column))
            column += item.label.cell_length
        for item in right:
            placed.append(KeyItem(item.key, item.label, item.tooltip, item.enabled, start))
            start += item.label.cell_length
        return placed

    def on_resize(self) -> None:
        self._collect()

    def render(self) -> RenderResult:
        parts: list[Content] = []
        column = 0
        for index, item in enumerate(self.items):
            if item.start > column:
                parts.append(Content(" " * (item.start - column)))
            label = item.label
            if not item.enabled:
                label = label.stylize(DISABLED_STYLE)
            if index == self.hover:
                label = label.stylize(HOVER_STYLE)
            parts.append(label)
            column = item.end
        return Content("").join(parts)

    def item_at(self, x: int) -> int | None:
        for index, item in enumerate(self.items):
            if item.start <= x < item.end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self.item_at(event.x)
        if index != self.hover:
            self.hover = index
            self.tooltip = (self.items[index].tooltip or None) if index is not None else None

    def on_leave(self) -> None:
        self.hover = None

    def on_click(self, event: events.Click) -> None:
        index = self.item_at(event.x)
        if index is None:
            return
        item = self.items[index]
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
