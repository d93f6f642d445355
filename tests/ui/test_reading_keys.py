"""Reading with the keyboard: every pane and overlay scrolls with the same
keys, a new episode is read from its top, Esc goes back to the list, and
an overlay offers only the keys that work on it."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from soundtrack_tui.ui.screens.help import HelpScreen
from soundtrack_tui.ui.screens.main import MainScreen
from soundtrack_tui.ui.screens.reading import ReadingScreen
from soundtrack_tui.ui.widgets.key_bar import KeyBar

from .conftest import AppFactory
from .helpers import main_screen, text_of


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def check_scroll_keys(pilot: Pilot[Any], widget: Widget) -> None:
    """j/k a line, space/shift+space and PageDown/PageUp a page, End/Home
    the ends, on whichever widget has the focus."""
    assert widget.has_focus
    assert widget.max_scroll_y > widget.scrollable_content_region.height, "too short to page"
    await press(pilot, "j", "j")
    assert widget.scroll_y == 2
    await press(pilot, "k")
    assert widget.scroll_y == 1
    await press(pilot, "space")
    page = widget.scrollable_content_region.height
    assert widget.scroll_y == 1 + page
    await press(pilot, "shift+space")
    assert widget.scroll_y == 1
    await press(pilot, "pagedown")
    assert widget.scroll_y == 1 + page
    await press(pilot, "pageup")
    assert widget.scroll_y == 1
    await press(pilot, "end")
    assert widget.scroll_y == widget.max_scroll_y
    await press(pilot, "home")
    assert widget.scroll_y == 0


@pytest.mark.parametrize("pane", ["recap", "characters", "reviews"])
async def test_every_pane_scrolls_with_the_reading_keys(make_app: AppFactory, pane: str) -> None:
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        await press(pilot, "1")
        screen.show_pane(pane)
        await pilot.pause()
        await check_scroll_keys(pilot, screen.query_one(f"#{pane}"))
        assert screen.selected == 1  # the keys scrolled; the list stayed put


@pytest.mark.parametrize(("key", "scroll_id"), [("f", "story"), ("t", "tracks")])
async def test_every_overlay_scrolls_with_the_reading_keys(
    make_app: AppFactory, key: str, scroll_id: str
) -> None:
    app = make_app(watched=[1, 2, 3, 4])
    async with app.run_test(size=(60, 16)) as pilot:
        await press(pilot, key)
        assert isinstance(app.screen, ReadingScreen)
        await check_scroll_keys(pilot, app.screen.query_one(f"#{scroll_id}"))


async def test_escape_returns_to_the_list_in_the_wide_layout(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        for pane in ("recap", "characters", "reviews"):
            screen.show_pane(pane)
            await press(pilot, "escape")
            assert screen.focused is not None and screen.focused.id == "episodes", pane
            assert screen.panes.pane == "episodes"


async def test_a_new_episode_opens_at_its_top(make_app: AppFactory) -> None:
    """Scrolled down the reviews of episode 2, pressing 3 shows the line
    saying its reviews are hidden, and 1 opens its recap at the top."""
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        await press(pilot, "2")
        for pane in ("reviews", "recap"):
            screen.show_pane(pane)
            await press(pilot, "end")
            assert screen.query_one(f"#{pane}").scroll_y > 0, pane
        await press(pilot, "3")
        assert screen.query_one("#reviews").scroll_y == 0
        assert screen.query_one("#recap").scroll_y == 0
        await press(pilot, "1")
        assert screen.query_one("#recap").scroll_y == 0


def help_rows(screen: Any) -> str:
    return "\n".join(text_of(row) for row in screen.query(".help-row"))


def bar_text(screen: Any) -> str:
    return " ".join(item.label.plain for item in screen.query_one(KeyBar).items)


@pytest.mark.parametrize("key", ["f", "t"])
async def test_an_overlay_offers_only_its_own_keys(make_app: AppFactory, key: str) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, key)
        overlay = app.screen
        assert isinstance(overlay, ReadingScreen)
        shown = bar_text(overlay)
        for dead in ("Watched", "Peek", "Spoilers", "Search", "Open"):
            assert dead not in shown, dead
        for live in ("esc Close", "q Quit", "? Help"):
            assert live in shown, live
        # The keys it offers act: help lists this overlay's keys, not the
        # main screen's, and closes back to the overlay.
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = help_rows(app.screen)
        assert "close-overlay" in listed and "scroll-down" in listed
        assert "toggle-watched" not in listed and "list-down" not in listed
        await press(pilot, "escape")
        assert app.screen is overlay
        await press(pilot, "w")
        assert main_screen_of(app).viewer.watched == frozenset({1})
        await press(pilot, "q")
    assert not app.is_running


def main_screen_of(app: Any) -> MainScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))


async def test_help_over_the_browser_lists_the_browser_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "question_mark")
        listed = help_rows(app.screen)
        assert "toggle-watched" in listed and "scroll-down" in listed and "list-down" in listed
        assert "close-overlay" not in listed  # the story's keys, not working here
        assert "esc Close" in bar_text(app.screen) and "Watched" not in bar_text(app.screen)
