"""No control character reaches the screen, whatever the text's way there:
pack text that bypassed the loader (as a forged cache entry's recap does),
or a path with escape codes in its name shown by the loading or help screen.

The screen is read the way a terminal gets it: `export_screenshot` renders
every widget's lines, line filters included, into an SVG whose text is
checked for the raw bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from packs import make_episode, make_pack
from soundtrack_tui.core.model import Pack, Show
from soundtrack_tui.ui.screens.help import HelpScreen
from soundtrack_tui.ui.screens.loading import LoadingScreen

from .conftest import AppFactory
from .helpers import text_of

OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
C1 = "\x9b31mRED\x9d0;C1\x9c"
BIDI = "evil\u202etxt.exe"
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e")


def unsanitized_pack() -> Pack:
    """A pack whose text never met the sanitizer, as a forged cache entry's
    recap and thoughts would not (only their UTF-8 is checked on load)."""
    base = make_pack(3)
    first = make_episode(1, title="One " + OSC_TITLE, recap=[f"Recap {OSC_CLIPBOARD} and {C1}", BIDI])
    show = Show(**{**{f: getattr(base.show, f) for f in base.show.__slots__}, "title": "Show " + C1})
    return Pack(show, {**base.episodes, 1: first}, base.characters)


def raw_in(text: str) -> list[str]:
    return [repr(char) for char in RAW if char in text]


async def test_text_that_bypassed_the_sanitizer_is_cleaned_on_the_way_to_the_screen(
    make_app: AppFactory,
) -> None:
    app = make_app(unsanitized_pack(), spoilers=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.export_screenshot()
    assert "PWNED" in screen and "RED" in screen, "the defused text is still shown"
    assert raw_in(screen) == []


class _Loading(App[None]):
    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.push_screen(LoadingScreen(self.where))


HOSTILE_FOLDER = f"packs/{OSC_TITLE}{C1}{BIDI}"


async def test_the_loading_screen_shows_the_pack_folder_sanitized() -> None:
    app = _Loading(HOSTILE_FOLDER)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        shown = text_of(app.screen)
        assert "Loading packs/" in shown and "PWNED" in shown
        assert raw_in(shown) == []


async def test_the_help_screen_shows_the_keys_file_sanitized(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / f"config{OSC_TITLE}{C1}"
    monkeypatch.setenv("SOUNDTRACK_CONFIG_DIR", str(config))
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app.screen)
        assert "keys.toml" in shown and "PWNED" in shown
        assert raw_in(shown) == []
