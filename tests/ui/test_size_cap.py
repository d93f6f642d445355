"""A file over the 2 MiB cap inside a pack: that file is refused with a clear
error, the rest of the pack loads, and the browser starts on what loaded
with one notice about the pack's problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from soundtrack_tui import commands
from soundtrack_tui.core.loader import MAX_FILE_BYTES, read_pack
from soundtrack_tui.ui import app as app_module
from soundtrack_tui.ui.app import SoundtrackApp, run
from soundtrack_tui.ui.widgets.episode_list import EpisodeList

from .conftest import AppFactory
from .helpers import main_screen, notifications, options_text, pane_text


def write_pack(root: Path, *, oversized: str) -> Path:
    """Three episodes and a character; the file named by `oversized` is
    padded past the cap (still valid TOML, so only its size is wrong)."""
    (root / "episodes").mkdir(parents=True)
    files = {
        "show.toml": (
            'format = 1\nid = "capped"\ntitle = "Capped"\nepisode_count = 3\n'
            'synopsis = "A pack with one file too big."\n\n'
            '[[sources]]\nkey = "S"\noutlet = "Outlet"\ntitle = "Article"\nurl = "https://example.org/a"\n'
        ),
        "characters.toml": (
            '[[characters]]\nid = "lead"\nname = "Lead Person"\naliases = []\nfirst_episode = 0\n'
            'intro = "The lead."\nsources = ["S"]\n'
        ),
    }
    for number in (1, 2, 3):
        files[f"episodes/0{number}.toml"] = (
            f'number = {number}\ntitle = "Title {number}"\nlogline = "Logline {number}."\n'
            f'recap = "Recap of episode {number}."\nsources = ["S"]\n'
        )
    for name, text in files.items():
        if name == oversized:
            text += "# " + "x" * (MAX_FILE_BYTES + 10) + "\n"
        (root / name).write_text(text, encoding="utf-8")
    assert (root / oversized).stat().st_size > MAX_FILE_BYTES
    return root


def test_an_oversized_episode_is_refused_and_the_rest_loads(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", oversized="episodes/02.toml")
    result = read_pack(root)
    assert result.pack is not None
    [error] = result.errors
    message = str(error)
    assert message.startswith(str(root / "episodes" / "02.toml"))
    assert f"over the {MAX_FILE_BYTES:,}-byte limit" in message
    assert sorted(result.pack.episodes) == [1, 3]
    assert [c.id for c in result.pack.characters] == ["lead"]


def test_an_oversized_characters_file_is_refused_and_the_rest_loads(tmp_path: Path) -> None:
    result = read_pack(write_pack(tmp_path / "pack", oversized="characters.toml"))
    assert result.pack is not None
    [error] = result.errors
    assert "characters.toml" in str(error) and "limit" in str(error)
    assert sorted(result.pack.episodes) == [1, 2, 3]
    assert result.pack.characters == ()


def test_check_names_the_oversized_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_pack(tmp_path / "pack", oversized="episodes/02.toml")
    assert commands.check(str(root)) == 1
    out = capsys.readouterr().out.splitlines()
    assert any("02.toml" in line and "limit" in line for line in out), out
    assert out[-1].startswith("capped: 1 error")
    assert "2 of 3 episodes" in out[-1]


def test_an_oversized_show_toml_stops_the_browser_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_pack(tmp_path / "pack", oversized="show.toml")
    assert run(root, None, spoilers=False) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("soundtrack: ") and "show.toml" in line and "limit" in line


async def test_the_browser_starts_on_the_rest_with_one_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: AppFactory
) -> None:
    root = write_pack(tmp_path / "pack", oversized="episodes/02.toml")
    # The real entry point, up to the moment it would take over the terminal.
    started: list[SoundtrackApp] = []

    def fake_run(self: SoundtrackApp, *args: object, **kwargs: object) -> int:
        started.append(self)
        return 0

    monkeypatch.setattr(app_module.SoundtrackApp, "run", fake_run)
    assert run(root, None, spoilers=True) == 0
    [app] = started
    assert app.problems == 1
    monkeypatch.undo()

    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        rows = options_text(screen.query_one(EpisodeList))
        assert "no recap yet" in rows[1] and "Title 1" in rows[0] and "Title 3" in rows[2]
        assert "Recap of episode 1." in pane_text(app, "recap")
        await pilot.press("j")
        await pilot.pause()
        assert "No recap yet" in pane_text(app, "recap")
        await pilot.press("j", "tab", "tab")
        await pilot.pause()
        assert "Recap of episode 3." in pane_text(app, "recap")
        assert "Lead Person" in pane_text(app, "characters")
        assert notifications(app).count("1 problem in the pack; run soundtrack check") == 1
        assert len(notifications(app)) == 1
        assert app.is_running
