"""`run`, the entry point the CLI calls, and the pack-problems notice."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from soundtrack_tui.core import indexer
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.cache import index_file, is_cached
from soundtrack_tui.core.search import SearchIndex
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


def test_collection_is_back_on_after_start_up_and_after_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """run() pauses the cyclic collector while it loads, then freezes what
    start-up made; whatever happens, the collector runs again after."""
    seen: dict[str, object] = {}

    def fake_run(app: SoundtrackApp) -> int:
        seen["enabled"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()
        return 0

    monkeypatch.setattr(SoundtrackApp, "run", fake_run)
    monkeypatch.setenv("SOUNDTRACK_CACHE_DIR", str(tmp_path / "cache"))
    try:
        assert run(bundled_pack(), str(tmp_path / "state"), spoilers=False) == 0
        assert seen["enabled"] is True
        assert isinstance(seen["frozen"], int) and seen["frozen"] > 0
        assert run(tmp_path / "nowhere", None, spoilers=False) == 1
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
    capsys.readouterr()


def test_a_first_start_has_a_child_read_and_index_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not in the cache yet: the child reads the pack and stores it, this
    process maps the entry and never runs the parser; the same child then
    stores the index."""
    monkeypatch.setenv("SOUNDTRACK_CACHE_DIR", str(tmp_path / "cache"))
    reads = Reads(monkeypatch)
    seen: dict[str, object] = {}

    def fake_run(app: SoundtrackApp) -> int:
        assert app.pack is not None
        seen["cached"] = is_cached(bundled_pack())
        seen["index"] = indexer.load_index(app.pack)
        return 0

    monkeypatch.setattr(SoundtrackApp, "run", fake_run)
    try:
        assert run(bundled_pack(), str(tmp_path / "state"), spoilers=False) == 0
    finally:
        gc.unfreeze()
        gc.enable()
        indexer.stop_children()
    assert reads.count == 0 and seen["cached"] is True
    assert isinstance(seen["index"], SearchIndex)
    assert index_file(bundled_pack()).exists()
    capsys.readouterr()


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
