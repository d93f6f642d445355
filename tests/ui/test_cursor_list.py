"""What keeps typing a search quick: the line-drawn list under the episode
list and the search results, the hold that draws a keystroke with its
results, and the one collector freeze."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.pilot import Pilot

from soundtrack_tui.ui.frame_hold import FrameHold
from soundtrack_tui.ui.widgets.cursor_list import CursorList


class Listing(CursorList):
    """Headings (disabled) before groups of two-line items."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", id="t-down", tooltip="down"),
        Binding("up", "cursor_up", "Up", id="t-up", tooltip="up"),
        Binding("pagedown", "page_down", "Page down", id="t-page", tooltip="page"),
        Binding("end", "last", "Last", id="t-last", tooltip="last"),
        Binding("enter", "select", "Open", id="t-open", tooltip="open"),
    ]

    def __init__(self, entries: list[str | None]) -> None:
        super().__init__(id="listing")
        self.entries = entries  # None: a heading
        self.moved: list[int] = []
        self.chosen: list[int] = []

    @property
    def item_count(self) -> int:
        return len(self.entries)

    def item_content(self, index: int) -> Content:
        entry = self.entries[index]
        return Content(f"Heading {index}") if entry is None else Content(f"{entry}\nsecond line of {entry}")

    def item_enabled(self, index: int) -> bool:
        return self.entries[index] is not None

    def cursor_moved(self, index: int) -> None:
        self.moved.append(index)

    def item_chosen(self, index: int) -> None:
        self.chosen.append(index)


def entries(groups: int) -> list[str | None]:
    result: list[str | None] = []
    for group in range(groups):
        result += [None, f"a{group}", f"b{group}"]
    return result


class ListApp(App[None]):
    def __init__(self, listing: Listing) -> None:
        super().__init__()
        self.listing = listing

    def compose(self) -> ComposeResult:
        yield self.listing


def drawn(listing: CursorList) -> list[str]:
    return [listing.render_line(y).text.rstrip() for y in range(listing.scrollable_content_region.height)]


async def show_groups(pilot: Pilot[None], listing: Listing, groups: int) -> None:
    """Give `listing` new items, as a search keystroke does, and let it draw."""
    listing.entries = entries(groups)
    listing.items_changed()
    await pilot.pause()


async def test_items_of_several_lines_and_headings_the_cursor_skips() -> None:
    listing = Listing(entries(20))
    async with ListApp(listing).run_test(size=(40, 10)) as pilot:
        listing.items_changed()
        listing.focus()
        await pilot.pause()
        assert listing.virtual_size.height == 20 * 5  # a heading line and two items of two lines
        assert drawn(listing)[:3] == [" Heading 0", " a0", " second line of a0"]
        await pilot.press("down")
        assert listing.cursor == 1 and listing.moved == [1]  # the heading is skipped
        await pilot.press("down", "down")
        assert listing.cursor == 4  # b0, then over Heading 3 to a1
        await pilot.press("up")
        assert listing.cursor == 2
        await pilot.press("pagedown")
        await pilot.pause()
        start, height = listing.item_lines(listing.cursor)
        top = round(listing.scroll_offset.y)
        assert top <= start and start + height <= top + listing.scrollable_content_region.height
        await pilot.press("end")
        await pilot.pause()
        assert listing.cursor == len(listing.entries) - 1
        assert drawn(listing)[-1] == " second line of b19"
        await pilot.press("enter")
        assert listing.chosen == [len(listing.entries) - 1]


async def test_a_click_chooses_the_item_under_it_never_a_heading() -> None:
    listing = Listing(entries(3))
    async with ListApp(listing).run_test(size=(40, 20)) as pilot:
        listing.items_changed()
        await pilot.pause()
        await pilot.click("#listing", offset=(3, 0))  # Heading 0
        assert listing.chosen == []
        await pilot.click("#listing", offset=(3, 4))  # the second line of b0
        assert listing.chosen == [2] and listing.cursor == 2


async def test_no_items_shows_the_empty_text_and_the_keys_do_nothing() -> None:
    class Empty(Listing):
        EMPTY = Content("nothing here")

    listing = Empty([])
    async with ListApp(listing).run_test(size=(40, 6)) as pilot:
        listing.items_changed()
        listing.focus()
        await pilot.pause()
        assert drawn(listing)[0] == " nothing here"
        await pilot.press("down", "end", "enter")
        assert listing.cursor is None and listing.moved == [] and listing.chosen == []


async def test_one_line_items_are_cut_with_an_ellipsis() -> None:
    class OneLine(Listing):
        ONE_LINE = True

        def item_content(self, index: int) -> Content:
            return Content("a title far too long for a list this narrow")

    listing = OneLine(["x", "y"])
    async with ListApp(listing).run_test(size=(20, 6)) as pilot:
        listing.items_changed()
        await pilot.pause()
        first = drawn(listing)[0]
        assert first.endswith("…") and len(first) <= 20
        assert listing.virtual_size.height == 2


async def test_new_items_resize_the_scrollbar_without_laying_the_screen_out() -> None:
    """A search keystroke changes the list's lines: its scrollbar follows,
    and the screen is not laid out again (a layout draws every scrollbar
    on the screen again, a frame later)."""
    listing = Listing(entries(20))
    app = ListApp(listing)
    async with app.run_test(size=(40, 10)) as pilot:
        listing.items_changed()
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(listing, layouts.append)
        await show_groups(pilot, listing, 8)
        assert listing.virtual_size.height == 8 * 5
        assert listing.show_vertical_scrollbar
        assert listing.vertical_scrollbar.window_virtual_size == 8 * 5
        assert listing.vertical_scrollbar.window_size == listing.scrollable_content_region.height
        assert layouts == []
        assert drawn(listing)[:2] == [" Heading 0", " a0"]


async def test_fewer_lines_than_the_scroll_offset_show_the_end_of_the_list() -> None:
    listing = Listing(entries(20))
    async with ListApp(listing).run_test(size=(40, 10)) as pilot:
        listing.items_changed()
        listing.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert listing.scroll_offset.y > 30
        await show_groups(pilot, listing, 3)  # 15 lines, a view of 10
        assert listing.scroll_offset.y == listing.max_scroll_y < 15
        assert drawn(listing)[-1] == " second line of b2"
        assert listing.vertical_scrollbar.window_virtual_size == 15


async def test_the_scrollbar_goes_when_the_lines_fit_and_comes_back_when_they_do_not() -> None:
    listing = Listing(entries(20))
    async with ListApp(listing).run_test(size=(40, 10)) as pilot:
        listing.items_changed()
        await pilot.pause()
        assert listing.show_vertical_scrollbar
        await show_groups(pilot, listing, 1)
        assert not listing.show_vertical_scrollbar
        assert drawn(listing)[:3] == [" Heading 0", " a0", " second line of a0"]
        await show_groups(pilot, listing, 20)
        assert listing.show_vertical_scrollbar
        assert listing.vertical_scrollbar.window_virtual_size == 20 * 5


async def test_a_frame_hold_ends_at_its_deadline_or_when_released() -> None:
    listing = Listing(entries(1))
    app = ListApp(listing)
    async with app.run_test(size=(40, 6)) as pilot:
        hold = FrameHold(app.screen, deadline=0.05)
        hold.hold()
        hold.hold()  # one hold at a time
        assert hold.held
        await pilot.pause(0.2)
        assert not hold.held  # the deadline released it
        hold.hold()
        hold.release()
        hold.release()  # harmless twice
        assert not hold.held


def test_objects_are_frozen_once_so_a_later_show_can_be_collected() -> None:
    import gc

    from soundtrack_tui.ui.screens.searching import keep_out_of_collections

    gc.unfreeze()
    try:
        keep_out_of_collections()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        later = [[index] for index in range(1000)]  # what a later show would make
        keep_out_of_collections()
        assert gc.get_freeze_count() == frozen
        assert later
    finally:
        gc.unfreeze()
