"""A list with a cursor, drawn a line at a time: the base of the episode
list and the search results.

Why not Textual's `OptionList`: both lists change on most keystrokes of a
search, and an `OptionList` measures, wraps and lays out every option
again on each change, then draws its rows through a general pipeline (tens
of milliseconds a change at a thousand episodes, most of a results frame).
Here a change is new item data; an item is wrapped only when the list needs
its height, and only the rows in view are drawn (Textual's line API, as
the reading panes use).

Subclasses say how many items there are, each item's text and whether the
cursor may rest on it (a heading may not); they hear about the cursor in
`cursor_moved` (the user moved it) and `item_chosen` (Enter or a click).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from soundtrack_tui.ui.widgets.strips import add_segments, padded_strip

PADDING = 1
"""Blank cells either side of an item's text."""


class CursorList(ScrollView, can_focus=True):
    """Items of one or more lines; the cursor is an item index or None."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"cursor-list--cursor"}
    """The cursor item; app.tcss styles it focused and not."""
    ONE_LINE: ClassVar[bool] = False
    """Every item is one line, cut with "…" when too long: no heights to
    measure, so a list of thousands changes in constant time."""
    EMPTY: ClassVar[Content] = Content("")
    """Drawn on the first row when there are no items."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """Set by `_set_lines`, which lays the screen out only when it must."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cursor: int | None = None
        self._starts: list[int] = []
        """First line of each item, for lists of items of several lines."""
        self._wrapped: dict[int, list[Content]] = {}
        self._laid_out_at = 0

    # -- what subclasses provide ------------------------------------------------

    @property
    def item_count(self) -> int:
        raise NotImplementedError

    def item_content(self, index: int) -> Content:
        raise NotImplementedError

    def item_enabled(self, index: int) -> bool:
        """Whether the cursor may rest on item `index`."""
        return True

    def cursor_moved(self, index: int) -> None:
        """The user moved the cursor to item `index`."""

    def item_chosen(self, index: int) -> None:
        """Enter or a click on item `index`."""

    # -- items and lines ---------------------------------------------------------

    def items_changed(self) -> None:
        """The items are new: measure again, redraw, cursor kept in range."""
        self._wrapped.clear()
        self._laid_out_at = 0
        self._lay_out()
        if self.cursor is not None and self.cursor >= self.item_count:
            self.cursor = None
        self.refresh()

    def items_added(self) -> None:
        """Items were appended; those before keep their lines."""
        self._laid_out_at = 0
        self._lay_out()
        self.refresh()

    def forget_items(self) -> None:
        """The items are being replaced: drop their measured lines, without
        laying out or drawing (`items_added` does both once the new items
        are in, which spares a layout when they take as many lines as the
        old ones did)."""
        self._wrapped.clear()
        self._starts = []

    def item_height(self, index: int) -> int:
        """Lines item `index` takes at the list's current width (its wrap is
        kept for drawing). Before the list has a width, 1."""
        width = self.scrollable_content_region.width
        if self.ONE_LINE or width <= 0:
            return 1
        return len(self._lines_of(index, max(width - 2 * PADDING, 1)))

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - 2 * PADDING, 1)

    def _lines_of(self, index: int, width: int | None = None) -> list[Content]:
        """`width`: the text width when the caller has it (a layout measures
        every item, and working the width out costs more than a short wrap)."""
        lines = self._wrapped.get(index)
        if lines is None:
            content = self.item_content(index)
            width = self._text_width() if width is None else width
            if self.ONE_LINE:
                lines = [content.truncate(width, ellipsis=True)]
            else:
                lines = content.wrap(width) or [Content("")]
            self._wrapped[index] = lines
        return lines

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if self.ONE_LINE:
            self._set_lines(Size(width, max(self.item_count, 1)))
            return
        if width <= 0 or width == self._laid_out_at:
            return
        if self._laid_out_at:  # another width: wrap again
            self._wrapped.clear()
        self._laid_out_at = width
        starts, line = [], 0
        text_width = self._text_width()
        for index in range(self.item_count):
            starts.append(line)
            line += len(self._lines_of(index, text_width))
        self._starts = starts
        self._set_lines(Size(width, max(line, 1)))

    def _set_lines(self, size: Size) -> None:
        """Take `size` as the list's scrollable size. New lines leave the
        list's box as it was, so the screen is laid out again only when the
        scrollbar comes or goes; otherwise the scrollbar is told here. A
        layout (what Textual does for a new `virtual_size` by default)
        draws every scrolling widget's scrollbar again, in a second frame:
        on most keystrokes of a search, at a thousand episodes, 10 to 15%
        of the time from the key to its results on screen."""
        if size == self.virtual_size:
            return
        self.virtual_size = size
        overflow = self.styles.overflow_y
        view = self.scrollable_content_region.height
        shown = overflow == "scroll" or (overflow == "auto" and size.height > view)
        if shown != self.show_vertical_scrollbar or view <= 0:
            self.refresh(layout=True)
            return
        if shown:
            bar = self.vertical_scrollbar
            bar.window_virtual_size = size.height
            bar.window_size = view
        self.scroll_y = self.validate_scroll_y(self.scroll_y)  # fewer lines: the view ends at the last

    def item_lines(self, index: int) -> tuple[int, int]:
        """First line and line count of item `index`."""
        if self.ONE_LINE:
            return index, 1
        return self._starts[index], len(self._lines_of(index))

    def item_at_line(self, line: int) -> int | None:
        if line < 0:
            return None
        if self.ONE_LINE:
            return line if line < self.item_count else None
        index = bisect_right(self._starts, line) - 1
        if index < 0 or index >= self.item_count:
            return None
        start, height = self.item_lines(index)
        return index if line < start + height else None

    def on_resize(self) -> None:
        if self.ONE_LINE:
            self._wrapped.clear()
        self._lay_out()
        self.call_after_refresh(self.scroll_to_cursor)

    # -- the cursor --------------------------------------------------------------

    def place_cursor(self, index: int | None) -> None:
        """Put the cursor on item `index` and keep it in view; says nothing."""
        if index is not None and not 0 <= index < self.item_count:
            index = None
        if index != self.cursor:
            self.cursor = index
            self.refresh()
        self.scroll_to_cursor()

    def move_cursor(self, index: int, step: int = 1) -> None:
        """The user moves the cursor to `index`, or the nearest item the
        cursor may rest on in the direction of `step`."""
        count = self.item_count
        if not count:
            return
        index = max(0, min(index, count - 1))
        found = self._enabled_from(index, step) or self._enabled_from(index, -step)
        if found is None:
            return
        self.place_cursor(found)
        self.cursor_moved(found)

    def _enabled_from(self, index: int, step: int) -> int | None:
        while 0 <= index < self.item_count:
            if self.item_enabled(index):
                return index
            index += step
        return None

    @property
    def first_enabled(self) -> int | None:
        return self._enabled_from(0, 1)

    def scroll_to_cursor(self) -> None:
        """Scroll as little as shows the whole cursor item (its top, if it
        is taller than the view)."""
        if self.cursor is None or self.cursor >= self.item_count:
            return
        view = self.scrollable_content_region.height
        if view <= 0:
            return  # not laid out yet: `on_resize` scrolls once it is
        start, height = self.item_lines(self.cursor)
        top = round(self.scroll_offset.y)
        if start < top:
            target = start
        elif start + height > top + view:
            target = min(start, start + height - view)
        else:
            return
        # `force`: right after the items change, the new virtual size may
        # not be laid out yet, and an unforced scroll would be clamped to it.
        self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def _page(self) -> int:
        return max(self.scrollable_content_region.height, 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(0 if self.cursor is None else self.cursor + 1, 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(0 if self.cursor is None else self.cursor - 1, -1)

    def action_first(self) -> None:
        self.move_cursor(0, 1)

    def action_last(self) -> None:
        self.move_cursor(self.item_count - 1, -1)

    def _page_target(self, direction: int) -> int:
        if self.cursor is None:
            return 0
        start, _ = self.item_lines(self.cursor)
        target = self.item_at_line(max(start + direction * self._page(), 0))
        if target is None:
            return self.item_count - 1 if direction > 0 else 0
        return target

    def action_page_down(self) -> None:
        self.move_cursor(self._page_target(1), 1)

    def action_page_up(self) -> None:
        self.move_cursor(self._page_target(-1), -1)

    def action_select(self) -> None:
        if self.cursor is not None and self.item_enabled(self.cursor):
            self.item_chosen(self.cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.item_at_line(round(self.scroll_offset.y) + offset.y)
        if index is not None and self.item_enabled(index):
            event.stop()
            if index != self.cursor:
                self.place_cursor(index)
                self.cursor_moved(index)
            self.item_chosen(index)

    def on_focus(self) -> None:
        self.refresh()  # the cursor's colours differ with focus

    def on_blur(self) -> None:
        self.refresh()

    # -- drawing -----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        style = self.visual_style
        index = self.item_at_line(line)
        if index is not None:
            start, _ = self.item_lines(index)
            text = self._lines_of(index)[line - start]
            if index == self.cursor:
                style = self.get_visual_style("cursor-list--cursor")
        elif line == 0 and not self.item_count:
            text = self.EMPTY.truncate(self._text_width(), ellipsis=True)
        else:
            return Strip.blank(width, style.rich_style)
        pad = Content(" " * PADDING)
        segments: list[Segment] = []
        add_segments(segments, pad + text + pad, style)
        return padded_strip(segments, text.cell_length + 2 * PADDING, width, style)
