"""The search results: a list of hits under their episodes' headings.

Each hit is a tag line (the field, and the character or review it belongs
to) over its snippet with the matched words highlighted; a name or a title
is one line. The list is drawn by its panel (`search_panel.py`) a screen
ahead of the view, and asks for more with `NearEnd`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from soundtrack_tui.ui.text import join, marked
from soundtrack_tui.ui.widgets.cursor_list import CursorList

if TYPE_CHECKING:
    from soundtrack_tui.core.search import Hit

FIELD_NAMES = {
    "title": "title",
    "logline": "logline",
    "recap": "recap",
    "review": "review",
    "name": "name",
    "alias": "also known as",
    "intro": "intro",
    "note": "note",
    "series review": "review",
    "track": "song",
}


SHORT_FIELDS = frozenset({"title", "name"})

NEAR_END = 5
"""Items from the last drawn at which the cursor asks for more."""


class ResultsList(CursorList):
    """Search results; group headings are rows the cursor skips. Posts
    `NearEnd` when the cursor or the view comes within a screen of the last
    result drawn, and `Chosen` for Enter or a click on a result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="results-down", tooltip="Next result"),
        # A priority binding runs as the app reads the key, before the keys
        # typed after it are handed to the focused widget: Up from the first
        # result moves the focus back to the box in time for them.
        Binding(
            "k,up", "cursor_up", "Up", show=False, id="results-up", tooltip="Previous result", priority=True
        ),
        Binding("home", "first", "First", show=False, id="results-first", tooltip="First result"),
        Binding("end", "last", "Last", show=False, id="results-last", tooltip="Last result drawn"),
        Binding(
            "pagedown", "page_down", "Page down", show=False, id="results-page-down", tooltip="A page down"
        ),
        Binding("pageup", "page_up", "Page up", show=False, id="results-page-up", tooltip="A page up"),
        Binding("enter", "select", "Go to match", id="results-open", tooltip="Jump to this match"),
    ]

    class NearEnd(Message):
        """Time to draw the next page of results."""

    class Chosen(Message):
        """Enter or a click on a result."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Hit | Content] = []
        """Results and the headings before their groups (a `Content`)."""

    @property
    def item_count(self) -> int:
        return len(self.entries)

    def item_content(self, index: int) -> Content:
        entry = self.entries[index]
        return entry if isinstance(entry, Content) else hit_prompt(entry)

    def item_enabled(self, index: int) -> bool:
        return not isinstance(self.entries[index], Content)

    @property
    def hits(self) -> list[Hit]:
        return [entry for entry in self.entries if not isinstance(entry, Content)]

    def cursor_moved(self, index: int) -> None:
        if index >= self.item_count - NEAR_END:
            self.post_message(self.NearEnd())

    def item_chosen(self, index: int) -> None:
        entry = self.entries[index]
        if not isinstance(entry, Content):
            self.post_message(self.Chosen(entry))

    def on_resize(self) -> None:
        """Taller, the list may show blank rows where results not drawn yet
        would fit. Only then: a row more or less as the summary above
        rewraps must not draw (and lay out) the list again."""
        if self.virtual_size.height < round(self.scroll_offset.y) + self.scrollable_content_region.height:
            self.post_message(self.NearEnd())

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y - self.scrollable_content_region.height:
            self.post_message(self.NearEnd())

    def action_cursor_up(self) -> None:
        """Up from the first result goes back to the input."""
        if self.cursor is None or self.cursor == self.first_enabled:
            self.screen.set_focus(self.screen.query_one("#search-input"))
            return
        super().action_cursor_up()


def hit_prompt(hit: Hit) -> Content:
    """A short match (a name, a title) on one line; prose as a tag line
    ("note · Han Sun-woo") over its snippet. An alias says whose it is
    ("Han Sun-woo, also known as  Seon-woo"): a name typed may be one
    several characters share."""
    tag = Content.styled(FIELD_NAMES.get(hit.field, hit.field), "dim")
    snippet = marked(hit.snippet, hit.spans)
    if hit.field == "alias":
        return Content.assemble(
            Content.styled(hit.label, "dim italic"), Content.styled(", ", "dim"), tag, "  ", snippet
        )
    if hit.field in SHORT_FIELDS:
        return Content.assemble(tag, "  ", snippet)
    if not hit.label.startswith("Episode "):
        tag = join([tag, Content.styled(hit.label, "dim italic")], " · ")
    return Content.assemble(tag, "\n", snippet)
