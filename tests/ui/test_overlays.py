"""Story so far, help, the command palette, quitting."""

from __future__ import annotations

from textual.command import CommandPalette

from soundtrack_tui.ui.screens.help import HelpScreen
from soundtrack_tui.ui.screens.main import MainScreen
from soundtrack_tui.ui.screens.story import StoryScreen

from .conftest import AppFactory
from .helpers import main_screen, notifications, text_of


async def test_story_so_far_tells_only_what_was_watched(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, StoryScreen)
        story = text_of(app.screen)
        assert "Soundtrack #1: the story so far" in story
        assert "Covers episode 1 of 4." in story
        summary = app.pack.episode(1).summary
        assert summary and summary in story  # the summary, not the recap
        assert "The episode opens in Sun-woo's photo studio" not in story
        assert "Where it leaves off:" in story
        assert "2. A Picture" not in story
        assert "Next up: episode 2." in story
        await pilot.press("j", "k")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_story_with_nothing_watched(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert "Nothing watched yet" in text_of(app.screen)


async def test_help_lists_every_key_from_the_bindings(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app.screen)
        for binding_id in (
            "toggle-watched",
            "peek",
            "toggle-spoilers",
            "search",
            "next-match",
            "previous-match",
            "story",
            "quit",
            "help",
            "next-pane",
            "jump-1",
            "list-down",
        ):
            assert binding_id in shown, binding_id
        assert "Mark the selected episode watched" in shown
        assert "keys.toml" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark", "question_mark")
        assert isinstance(app.screen, MainScreen)


async def run_palette(pilot, app, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_commands(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await run_palette(pilot, app, "mark episode 1 watched")
        assert screen.viewer.watched == frozenset({1})
        await run_palette(pilot, app, "toggle spoilers")
        assert screen.viewer.level.value == "off"
        await run_palette(pilot, app, "spoiler level: standard")
        assert screen.viewer.level.value == "standard"
        await run_palette(pilot, app, "go to episode 3")
        assert screen.selected == 3
        await run_palette(pilot, app, "story so far")
        assert isinstance(app.screen, StoryScreen)
        await pilot.press("escape")
        await run_palette(pilot, app, "search")
        assert screen.panes.searching


async def test_palette_theme_command_is_available(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_palette(pilot, app, "theme")
        # Textual's theme picker opens; choosing one is covered by the
        # persistence test.
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")


async def test_q_quits_with_code_zero(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert app.return_code == 0


async def test_escape_backs_out_of_narrow_panes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = main_screen(app)
        await pilot.press("enter")
        assert screen.panes.pane == "recap"
        await pilot.press("escape")
        assert screen.panes.pane == "episodes"


async def test_palette_and_toasts_say_things_once(make_app: AppFactory) -> None:
    from soundtrack_tui.core.policy import Level
    from soundtrack_tui.ui.commands import EpisodeCommands

    app = make_app(level=Level.STRICT)
    async with app.run_test(size=(120, 40)) as pilot:
        provider = EpisodeCommands(app.screen)
        entries = [text for _, text in provider._entries()]
        assert entries[2] == "Go to episode 3"  # strict: no title, and no "Episode 3" twice
        await pilot.press("s")
        await pilot.pause()
        assert "Spoilers on: everything is shown." in notifications(app)
        await pilot.press("s")
        await pilot.pause()
        assert "Spoiler level: strict." in notifications(app)
