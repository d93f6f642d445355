"""`run`, the entry point the CLI calls, and the pack-problems notice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from soundtrack_tui.core import indexer
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.cache import is_cached
from soundtrack_tui.core.indexer import PackIndexer
from soundtrack_tui.core.search import SearchIndex
from soundtrack_tui.ui import launch
from soundtrack_tui.ui.app import SoundtrackApp, run
from test_cache import Reads

from .conftest import AppFactory
from .helpers import notifications


def test_an_unloadable_pack_exits_1_before_textual(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(tmp_path / "nowhere", None, spoilers=False)
    assert code == 1
    err = capsys.readouterr().err
    assert "soundtrack:" in err and "nowhere" in err


def test_a_small_first_start_reads_and_indexes_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bundled pack, not in the cache yet: read here (milliseconds), no
    child process; its index is built here too, and both are stored."""
    monkeypatch.setenv("SOUNDTRACK_CACHE_DIR", str(tmp_path / "cache"))
    reads = Reads(monkeypatch)
    seen: dict[str, object] = {}

    def fake_run(app: SoundtrackApp) -> int:
        assert app.pack is not None
        seen["indexer"] = app.indexer
        seen["index"] = app.load_index(app.pack)
        return 0

    monkeypatch.setattr(SoundtrackApp, "run", fake_run)
    assert run(bundled_pack(), str(tmp_path / "state"), spoilers=False) == 0
    assert reads.count == 1 and seen["indexer"] is None
    assert isinstance(seen["index"], SearchIndex)
    assert is_cached(bundled_pack()) and is_cached(bundled_pack(), "index")
    capsys.readouterr()


def test_a_big_first_start_has_the_app_hold_a_reading_child_and_closes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not in the cache and big: a child reads the pack while Textual
    starts; the app is given it (and loads behind a progress bar), and it
    is closed, its process reaped, once the app is done."""
    monkeypatch.setenv("SOUNDTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(indexer, "CHILD_MIN_EPISODES", 1)  # the bundled pack counts as big
    seen: dict[str, object] = {}

    def fake_run(app: SoundtrackApp) -> int:
        assert app.pack is None and app.load_from is not None  # the loading screen first
        assert app.indexer is not None and app.indexer.running
        seen["indexer"] = app.indexer
        return 0

    monkeypatch.setattr(SoundtrackApp, "run", fake_run)
    assert run(bundled_pack(), str(tmp_path / "state"), spoilers=False) == 0
    child = seen["indexer"]
    assert isinstance(child, PackIndexer) and child.closed and not child.running
    capsys.readouterr()


def test_the_launcher_hands_its_child_to_the_app_which_closes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOUNDTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(indexer, "CHILD_MIN_EPISODES", 1)
    started: list[PackIndexer] = []
    real_start = PackIndexer.start

    def start(child: PackIndexer) -> bool:
        started.append(child)
        return real_start(child)

    seen: dict[str, object] = {}

    def fake_run(app: SoundtrackApp) -> int:
        seen["indexer"] = app.indexer
        return 0

    monkeypatch.setattr(PackIndexer, "start", start)
    monkeypatch.setattr(SoundtrackApp, "run", fake_run)
    assert launch.run(bundled_pack(), str(tmp_path / "state"), spoilers=False) == 0
    assert started and all(child is started[0] for child in started)  # one child (a second start: no-op)
    assert seen["indexer"] is started[0] and started[0].closed and not started[0].running
    capsys.readouterr()


def test_the_launcher_starts_the_child_before_textual_is_imported(tmp_path: Path) -> None:
    """Importing Textual takes a fifth of a second: the child reads meanwhile."""
    script = (
        "import sys\n"
        "from soundtrack_tui.core import indexer\n"
        "def start(child):\n"
        "    raise SystemExit(3 if any(m.startswith('textual') for m in sys.modules) else 0)\n"
        "indexer.CHILD_MIN_EPISODES = 1\n"
        "indexer.PackIndexer.start = start\n"
        "from soundtrack_tui.ui.launch import run\n"
        "run(__import__('pathlib').Path(sys.argv[1]), None, spoilers=False)\n"
        "raise SystemExit(4)  # never started\n"
    )
    env = {**os.environ, "SOUNDTRACK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script, str(bundled_pack())], env=env, timeout=60)
    assert done.returncode == 0


def test_a_pack_without_show_toml_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pack").mkdir()
    assert run(tmp_path / "pack", None, spoilers=False) == 1
    assert "show.toml" in capsys.readouterr().err


async def test_pack_problems_are_one_notice(make_app: AppFactory) -> None:
    app = make_app(problems=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = notifications(app)
        assert messages.count("3 problems in the pack; run soundtrack check") == 1
