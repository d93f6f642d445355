"""The tab strip used when the terminal is too narrow for every pane.

A plain `Tabs` row rather than `TabbedContent`: the panes must stay the
same widgets at every width (rapid resizes only flip CSS classes, nothing is
re-mounted, so scroll positions and highlights survive), and TabbedContent
would own and hide them. The screen mounts the strip the first time a
layout needs it and keeps it from then on, bound to its `Panes`. The strip
only reports clicks; keys cycle panes through the screen's bindings."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Tab, Tabs

from soundtrack_tui.ui.panes import PANE_TITLES, Panes


class PaneTabs(Tabs, can_focus=False):
    """One tab per pane; the id of each tab is `tab-<pane>`.

    Posts `PaneClicked` only for a user's click: `Tabs.TabActivated` also
    fires when the strip starts up or the screen moves the active tab, and
    reacting to those would steal focus."""

    panes: reactive[Panes] = reactive(Panes, init=False)

    class PaneClicked(Message):
        def __init__(self, pane: str) -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, panes: Panes, *, id: str | None = None) -> None:
        super().__init__(
            *(Tab(Content(title), id=f"tab-{pane}") for pane, title in PANE_TITLES.items()),
            active=panes.tab,
            id=id,
        )
        self.set_reactive(PaneTabs.panes, panes)
        self._show_layout(panes)

    def watch_panes(self, panes: Panes) -> None:
        self._show_layout(panes)
        if self.active != panes.tab:
            with self.prevent(self.TabActivated):
                self.active = panes.tab

    def _show_layout(self, panes: Panes) -> None:
        """A medium layout shows the list beside the tabs: no tab for it."""
        self.set_class(panes.layout == "medium", "-medium")

    def on_tab_clicked(self, event: Tab.Clicked) -> None:
        tab_id = event.tab.id or ""
        pane = tab_id.removeprefix("tab-")
        if pane in PANE_TITLES:
            self.post_message(self.PaneClicked(pane))
