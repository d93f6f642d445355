"""Which pane is in use and how the layout shows it, as one plain value.

The main screen keeps a `Panes` in a single reactive and redraws classes
and the tab strip from it; the rules of moving between panes live here,
where a test can exercise them without a terminal.
"""

from __future__ import annotations

from typing import NamedTuple

CONTENT_PANES = ("recap", "characters", "reviews")
PANES = ("episodes", *CONTENT_PANES)
PANE_TITLES = {
    "episodes": "Episodes",
    "recap": "Recap",
    "characters": "Characters",
    "reviews": "Reviews",
}
"""Each pane's one name: its border title, its tab, and what help and the
docs call it."""
MEDIUM = 80
WIDE = 120
LAYOUTS = ((0, "narrow"), (MEDIUM, "medium"), (WIDE, "wide"))
"""Each layout from a number of columns up."""
BREAKPOINTS = [(columns, f"-{name}") for columns, name in LAYOUTS]
"""The same as `Screen.HORIZONTAL_BREAKPOINTS`: the class app.tcss styles
each layout by."""
SHORT_ROWS = 10
HEIGHT_BREAKPOINTS = [(0, "-short"), (SHORT_ROWS, "-tall")]
"""`Screen.VERTICAL_BREAKPOINTS`: a short terminal drops the tab strip, so
the pane under it keeps a row of text."""


def layout_for(width: int) -> str:
    return next(name for columns, name in reversed(LAYOUTS) if width >= columns)


def height_class(height: int) -> str:
    return next(name for rows, name in reversed(HEIGHT_BREAKPOINTS) if height >= rows)


class Panes(NamedTuple):
    """`pane` is the pane in use: one of PANES, or "search" while the search
    box has the focus. `content` is the content pane last in use, the one a
    medium layout shows beside the list. `before_search` is where closing
    the search returns to."""

    pane: str = "episodes"
    content: str = "recap"
    layout: str = "wide"
    searching: bool = False
    before_search: str = "episodes"

    def order(self) -> tuple[str, ...]:
        """The panes Tab cycles through."""
        return ("search", "episodes") if self.searching else PANES

    def showing(self, pane: str) -> Panes:
        if pane == "search" and not self.searching:
            pane = "episodes"
        content = pane if pane in CONTENT_PANES else self.content
        return self._replace(pane=pane, content=content)

    def cycled(self, step: int) -> str:
        """The pane `step` places after (or before) the one in use."""
        order = self.order()
        current = self.pane if self.pane in order else order[0]
        return order[(order.index(current) + step) % len(order)]

    def with_layout(self, layout: str) -> Panes:
        return self._replace(layout=layout)

    def with_search(self, searching: bool) -> Panes:
        if searching and not self.searching:
            before = self.pane if self.pane in PANES else "episodes"
            return self._replace(searching=True, before_search=before)
        return self._replace(searching=searching)

    @property
    def tab(self) -> str:
        """The tab that names what is on screen: the list in a narrow layout
        while it is in use, else the content pane."""
        if self.pane == "episodes" and self.layout == "narrow":
            return "tab-episodes"
        return f"tab-{self.content}"
