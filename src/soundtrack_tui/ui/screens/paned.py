"""A screen of panes laid out by the terminal's width, one of them in use.

The mechanics apart from what the panes show: which pane has the focus
(`panes`, one `Panes` value), the layout classes of
`HORIZONTAL_BREAKPOINTS` (and the height classes of
`VERTICAL_BREAKPOINTS`) that app.tcss styles, and the tab strip that names
the panes when they do not all fit. A burst of resizes only flips classes:
nothing is mounted again, so scroll positions and highlights survive.

A subclass composes the widgets: the list as `#episodes`, the content
panes by their names in `CONTENT_PANES` inside `#body`, and an input
`#search-input` for the "search" pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget

from soundtrack_tui.ui.panes import (
    BREAKPOINTS,
    CONTENT_PANES,
    HEIGHT_BREAKPOINTS,
    PANES,
    Panes,
    height_class,
    layout_for,
)

if TYPE_CHECKING:
    from soundtrack_tui.ui.widgets.pane_tabs import PaneTabs


class PanedScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    VERTICAL_BREAKPOINTS = HEIGHT_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab", "cycle_pane(1)", "Next pane", show=False, id="next-pane", tooltip="Move to the next pane"
        ),
        Binding(
            "shift+tab",
            "cycle_pane(-1)",
            "Previous pane",
            show=False,
            id="previous-pane",
            tooltip="Move to the previous pane",
        ),
    ]

    panes: var[Panes] = var(Panes, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._panes_composed = False
        self._tab_strip: PaneTabs | None = None
        """Made the first time the layout needs it (see `_new_tab_strip`)."""

    def start_layout(self) -> str:
        """Called first thing in `compose`: the layout for the width now and
        its class, before anything mounts (Textual would add the class on
        the first resize, and every widget would be styled twice)."""
        mode = layout_for(self.app.size.width)
        self.add_class(f"-{mode}", height_class(self.app.size.height))
        self.set_reactive(PanedScreen.panes, Panes(layout=mode))
        self._apply_panes()
        return mode

    def compose_tab_strip(self) -> PaneTabs:
        return self._new_tab_strip().data_bind(PanedScreen.panes)

    def on_mount(self) -> None:
        self._panes_composed = True
        self._apply_panes()

    def on_resize(self, event: events.Resize) -> None:
        self.panes = self.panes.with_layout(layout_for(event.size.width))

    def watch_panes(self) -> None:
        self._apply_panes()

    def _apply_panes(self) -> None:
        """Reflect `panes` in classes; the tab strip is bound to it."""
        panes = self.panes
        self.set_class(panes.pane == "episodes", "-on-episodes")
        self.set_class(panes.searching, "-searching")
        if not self._panes_composed:
            return  # the screen's own classes only: compose sets the panes'
        for name in CONTENT_PANES:
            # `query`, not `query_one`: a resize can arrive while a screen
            # switched to from the loading screen is still mounting its panes.
            self.query(f"#{name}").set_class(name == panes.content, "-current")
        if self._tab_strip is None and panes.layout != "wide":
            self.call_later(self._mount_tab_strip, self._new_tab_strip())

    def _new_tab_strip(self) -> PaneTabs:
        """The tab strip, made only when a layout first needs it: a wide
        terminal never shows it. Its module, with Textual's tabs, is
        imported then too."""
        from soundtrack_tui.ui.widgets.pane_tabs import PaneTabs

        self._tab_strip = PaneTabs(self.panes, id="pane-tabs")
        return self._tab_strip

    async def _mount_tab_strip(self, tabs: PaneTabs) -> None:
        # Bound here, where this screen is the one binding (not in whatever
        # handler changed the layout).
        await self.mount(tabs.data_bind(PanedScreen.panes), before=self.query_one("#body"))

    def pane_widget(self, pane: str) -> Widget:
        return self.query_one("#search-input" if pane == "search" else f"#{pane}")

    def show_pane(self, pane: str, *, searching: bool | None = None) -> None:
        """Make `pane` the pane in use and focus it; open or close the search
        first if `searching` says so."""
        panes = self.panes if searching is None else self.panes.with_search(searching)
        self.panes = panes.showing(pane)
        self.set_focus(self.pane_widget(self.panes.pane))

    def action_cycle_pane(self, step: int) -> None:
        self.show_pane(self.panes.cycled(step))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        node: Widget | None = event.widget
        while node is not None and node is not self:
            if node.id in PANES or node.id == "search":
                self.panes = self.panes.showing(node.id or "episodes")
                return
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None

    def on_pane_tabs_pane_clicked(self, message: PaneTabs.PaneClicked) -> None:
        if message.pane in PANES:
            self.show_pane(message.pane)
