"""Responsive layout, and never a crash at any size."""

from __future__ import annotations

import pytest
from textual.widgets import Tabs

from .conftest import AppFactory
from .helpers import main_screen

SIZES = [(1, 1), (2, 2), (20, 5), (40, 15), (79, 24), (80, 24), (119, 30), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_any_size_runs_and_takes_keys(make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("j", "w", "tab", "p", "s", "slash", "e", "escape", "f", "escape")
        await pilot.press("question_mark", "escape", "tab", "shift+tab")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running


async def test_a_burst_of_resizes(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    sizes = [(120, 40), (1, 1), (80, 24), (20, 5), (200, 60), (40, 15), (3, 1), (119, 39), (79, 23), (1, 50)]
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            for width, height in sizes:
                await pilot.resize_terminal(width, height)
                await pilot.press("j")
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.is_running
        assert main_screen(app).panes.layout == "wide"


async def test_wide_shows_all_four_panes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        for pane in ("episodes", "recap", "characters", "reviews"):
            assert screen.query_one(f"#{pane}").display, pane
        assert not screen.query("#pane-tabs")  # made only when a layout needs it


async def test_tab_strip_appears_when_the_terminal_narrows(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("tab", "tab")  # the characters pane
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        tabs = screen.query_one("#pane-tabs", Tabs)
        assert tabs.display
        assert tabs.active == "tab-characters"
        await pilot.press("tab")
        await pilot.pause()
        assert tabs.active == "tab-reviews"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not tabs.display
        assert screen.query_one("#characters").display


async def test_medium_shows_the_list_and_tabs(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.panes.layout == "medium"
        assert screen.query_one("#pane-tabs").display
        assert screen.query_one("#episodes").display
        shown = [pane for pane in ("recap", "characters", "reviews") if screen.query_one(f"#{pane}").display]
        assert shown == ["recap"]
        await pilot.press("tab", "tab")
        await pilot.pause()
        shown = [pane for pane in ("recap", "characters", "reviews") if screen.query_one(f"#{pane}").display]
        assert shown == ["characters"]
        assert screen.query_one("#episodes").display


async def test_narrow_shows_one_pane_at_a_time(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.panes.layout == "narrow"

        def visible() -> list[str]:
            return [
                pane
                for pane in ("episodes", "recap", "characters", "reviews")
                if screen.query_one(f"#{pane}").display and screen.query_one(f"#{pane}").region.area
            ]

        assert visible() == ["episodes"]
        for expected in ("recap", "characters", "reviews", "episodes"):
            await pilot.press("tab")
            await pilot.pause()
            assert visible() == [expected]


async def test_tab_strip_click_switches_panes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.click("#tab-reviews")
        await pilot.pause()
        assert screen.panes.pane == "reviews"
        assert screen.query_one("#reviews").display


async def test_the_list_widens_with_the_terminal(make_app: AppFactory) -> None:
    """At 200 columns every title of the bundled pack shows whole; at 120
    the list keeps its floor of 32 columns."""
    app = make_app(watched=[1, 2, 3, 4])
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        episodes = main_screen(app).query_one("#episodes")
        shown = [episodes.render_line(row).text for row in range(4)]
        assert any("A Picture Is Worth a Thousand Words" in line for line in shown), shown
        assert not any("…" in line for line in shown), shown
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert episodes.outer_size.width == 32


@pytest.mark.parametrize("size", [(20, 6), (40, 8), (120, 6)])
async def test_a_short_terminal_still_shows_a_row(make_app: AppFactory, size: tuple[int, int]) -> None:
    """No tab strip in a short terminal: it would take the list's last rows."""
    app = make_app(watched=[1])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        episodes = main_screen(app).query_one("#episodes")
        assert episodes.scrollable_content_region.height >= 1
        assert "1 ✓ Echoes" in episodes.render_line(0).text


async def test_the_selected_episode_stays_in_view_when_the_terminal_shrinks(make_app: AppFactory) -> None:
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        episodes = main_screen(app).query_one("#episodes")
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        await pilot.pause()
        shown = [episodes.render_line(row).text for row in range(episodes.scrollable_content_region.height)]
        assert any("3 ⊘" in line for line in shown), shown


@pytest.mark.parametrize("width", [120, 80, 40])
async def test_the_header_says_a_peek_whole(make_app: AppFactory, width: int) -> None:
    """The long header when it fits, else the short one, whose title (last)
    is what an ellipsis cuts: never a peek before its episode number."""
    from .helpers import header_text

    app = make_app(watched=[1, 2])
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("4", "p")
        await pilot.pause()
        shown = header_text(app)[: width - 1]
        assert "peeking at episode 4" in shown or "peeking 4" in shown, shown
