"""The Shows screen: the library with progress, and switching shows in place."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.conftest import AppFactory
from tests.ui.helpers import header_text, main_screen, options_text
from textual.widgets import OptionList

from soundtrack_tui.core import library
from soundtrack_tui.core.progress import ProgressStore, state_dir
from soundtrack_tui.ui.screens.loading import LoadingScreen
from soundtrack_tui.ui.screens.shows import ShowsScreen

VALID = Path(__file__).parent.parent / "fixtures" / "packs" / "valid"  # night-shift, 3 episodes


def install_night_shift(tmp_path: Path) -> None:
    pack = tmp_path / "night-shift"
    shutil.copytree(VALID, pack)
    library.install(pack)


async def open_night_shift(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("S")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ShowsScreen)
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = [option.id for option in options.options].index("night-shift")
    await pilot.press("enter")
    await wait_for_show(pilot, "night-shift")


async def wait_for_show(pilot, pack_id: str) -> None:  # type: ignore[no-untyped-def]
    """Until the app browses `pack_id`: a pack not in the cache is read in a
    worker, behind the loading screen."""
    for _ in range(100):
        await pilot.pause(0.05)
        if pilot.app.pack.show.id == pack_id and not isinstance(pilot.app.screen, LoadingScreen):
            return
    raise AssertionError(f"the app did not open {pack_id}")


async def test_the_shows_screen_lists_the_library_with_progress(tmp_path: Path, make_app: AppFactory) -> None:
    install_night_shift(tmp_path)
    async with make_app(watched=[1, 2]).run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        await pilot.pause()
        prompts = options_text(pilot.app.screen.query_one(OptionList))
        assert prompts == [
            "  Night Shift  night-shift  0/3 watched",
            "▶ Soundtrack #1  soundtrack-1  2/4 watched",
        ]
        await pilot.press("escape")
        assert "Soundtrack #1" in header_text(pilot.app)


async def test_enter_switches_to_the_show_with_its_own_progress(tmp_path: Path, make_app: AppFactory) -> None:
    install_night_shift(tmp_path)
    ProgressStore(state_dir(), "night-shift").set_watched([2], True)
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_night_shift(pilot)
        assert "Night Shift · watched 1/3" in header_text(app)
        assert main_screen(app).pack.show.id == "night-shift"
        await pilot.press("w")  # marks the selected episode of Night Shift only
        await pilot.pause()
        assert library.last_show() == "night-shift"
        await pilot.press("S")
        await pilot.pause()
        await pilot.press("down", "enter")
        await wait_for_show(pilot, "soundtrack-1")
        assert "Soundtrack #1 · watched 1/4" in header_text(app)
    night = ProgressStore(state_dir(), "night-shift").load()
    bundled = ProgressStore(state_dir(), "soundtrack-1").load()
    assert len(night.watched) == 2 and bundled.watched == frozenset({1})
    assert library.last_show() == "soundtrack-1"


async def test_the_theme_is_the_shows_own(tmp_path: Path, make_app: AppFactory) -> None:
    install_night_shift(tmp_path)
    ProgressStore(state_dir(), "night-shift").set_theme("nord")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme != "nord"
        await open_night_shift(pilot)
        assert app.theme == "nord"


async def test_shows_is_in_the_palette(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Shows" in titles
