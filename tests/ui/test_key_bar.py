"""The key bar at the bottom: the keys that work where the focus is,
remaps included, clickable, with tooltips, trimmed to whole keys."""

from __future__ import annotations

from pathlib import Path

from soundtrack_tui.ui.widgets.key_bar import KeyBar

from .conftest import AppFactory
from .helpers import main_screen


def _line(bar: KeyBar) -> str:
    """The bar as drawn, from its items' columns."""
    line = ""
    for item in bar.items:
        line = line.ljust(item.start) + item.label.plain
    return line


def item_for(bar: KeyBar, description: str) -> int:
    return next(index for index, item in enumerate(bar.items) if description in item.label.plain)


async def test_keys_follow_the_focus(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        text = _line(bar)
        for words in (" / Search ", " w Watched ", " ? Help ", " q Quit ", "▏ ^p Commands"):
            assert words in text
        assert text.endswith("Commands ") and len(text) == 120
        await pilot.press("slash")
        await pilot.pause()
        text = _line(bar)
        assert " esc Close " in text and " w Watched " not in text


async def test_a_remapped_key_is_shown(make_app: AppFactory, config_path: Path) -> None:
    config_path.mkdir(parents=True, exist_ok=True)
    (config_path / "keys.toml").write_text('toggle-watched = "m"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = _line(app.screen.query_one(KeyBar))
        assert " m Watched " in text and " w Watched " not in text


async def test_click_presses_the_key_and_hover_explains_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        index = item_for(bar, "Watched")
        item = bar.items[index]
        await pilot.hover(KeyBar, offset=(item.start + 1, 0))
        assert bar.hover == index
        assert bar.tooltip == "Mark the selected episode watched, or not watched"
        await pilot.click(KeyBar, offset=(item.start + 1, 0))
        await pilot.pause()
        assert main_screen(app).viewer.watched == frozenset({1})
        # A click between keys does nothing.
        help_at = item_for(bar, "Help")
        gap = bar.items[help_at - 1].end + 1
        assert gap < bar.items[help_at].start
        await pilot.click(KeyBar, offset=(gap, 0))
        await pilot.pause()
        assert main_screen(app).viewer.watched == frozenset({1})


async def test_narrow_bar_keeps_whole_keys_and_help(make_app: AppFactory) -> None:
    """Help stays on the right at any width (it lists the palette too);
    the palette key beside it while there is room."""
    app = make_app()
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        assert _line(bar).endswith("▏ ? Help ")
        await pilot.resize_terminal(40, 15)
        await pilot.pause()
        text = _line(bar)
        assert len(text) <= 40 and text.endswith("▏ ? Help ") and "Commands" not in text
        # Every key shown is whole: the last one ends before help.
        assert bar.items[-2].end <= bar.items[-1].start
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert _line(bar).endswith("▏ ? Help ▏ ^p Commands ")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert len(bar.items) > 4 and _line(bar).endswith("Commands ")
