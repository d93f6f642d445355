"""Progress, level, theme and the last episode survive a restart."""

from __future__ import annotations

from pathlib import Path

from soundtrack_tui.core.policy import Level
from soundtrack_tui.core.progress import FILE_NAME

from .conftest import AppFactory, bundled, store_for
from .helpers import main_screen, notifications


async def test_watched_survives_a_restart(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w", "j", "w")
        await pilot.press("q")
    assert store_for(bundled()).current.watched == frozenset({1, 2})

    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(again)
        assert screen.viewer.watched == frozenset({1, 2})
        assert screen.selected == 2  # the last selected episode


async def test_a_locked_last_episode_reopens_at_the_next_to_watch(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
    assert store_for(bundled()).current.last_episode == 4
    again = make_app()
    async with again.run_test(size=(120, 40)):
        assert main_screen(again).selected == 2  # not the locked episode 4


async def test_level_from_the_palette_is_saved(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"level: strict")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert main_screen(app).viewer.level is Level.STRICT
    assert store_for(bundled()).current.level is Level.STRICT
    again = make_app()
    async with again.run_test(size=(120, 40)):
        assert main_screen(again).viewer.level is Level.STRICT


async def test_theme_is_saved(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "textual-dark"
        app.theme = "nord"
        await pilot.pause()
    assert store_for(bundled()).current.theme == "nord"
    again = make_app()
    async with again.run_test(size=(120, 40)):
        assert again.theme == "nord"


async def test_a_damaged_progress_file_is_one_plain_notice(make_app: AppFactory, state_path: Path) -> None:
    state_path.mkdir(parents=True)
    (state_path / FILE_NAME).write_text("{not json [bold]", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = notifications(app)
        assert sum("could not be used" in message for message in messages) == 1
        assert app.is_running
