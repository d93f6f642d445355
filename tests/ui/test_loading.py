"""A large pack that is not cached yet loads behind a progress screen, in a
worker, and its search index is built after the first paint."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from soundtrack_tui.core.cache import index_file, is_cached
from soundtrack_tui.core.indexer import PackIndexer
from soundtrack_tui.ui import app as app_module
from soundtrack_tui.ui.app import LARGE_PACK, SoundtrackApp
from soundtrack_tui.ui.screens.loading import LoadingScreen
from soundtrack_tui.ui.screens.main import MainScreen
from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.results_list import ResultsList

GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def large_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate_for_loading", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    episodes = LARGE_PACK + 10
    root: Path = module.generate_pack(tmp_path_factory.mktemp("large"), episodes, recap_words=60)
    # Files younger than two seconds are never cached (see core/cache.py).
    hour_ago = time.time() - 3600
    for path in [root, *root.rglob("*")]:
        os.utime(path, (hour_ago, hour_ago))
    return root


async def _wait_for_main(app: SoundtrackApp, pilot: object) -> MainScreen:
    for _ in range(200):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        screen = app.screen
        if isinstance(screen, MainScreen) and any(lst.item_count for lst in screen.query(EpisodeList)):
            return screen  # switched to, composed and listed
    raise AssertionError("the pack never finished loading")


async def test_large_pack_loads_behind_a_progress_screen(large_pack: Path) -> None:
    child = PackIndexer(large_pack)
    app = SoundtrackApp(None, None, load_from=(large_pack, None), indexer=child)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen_stack[0], LoadingScreen)
        main = await _wait_for_main(app, pilot)
        episodes = main.query_one(EpisodeList)
        assert app.pack is not None
        assert episodes.item_count == len(app.pack.episodes)
        # The index is built in a worker; a search typed now still answers.
        await pilot.press("slash", *"the")
        for _ in range(200):
            await pilot.pause(0.05)
            if main.query_one(ResultsList).item_count:
                break
        assert main.query_one("#search-input", Input).value == "the"
        assert main.query_one(ResultsList).item_count > 0
        # The pack and its search index went to the cache: the next start is warm.
        assert is_cached(large_pack)
        assert index_file(large_pack).is_file()
        await pilot.press("escape", "q")
    assert app.return_code == 0
    assert child.closed and not child.running  # the app closed the child it held


async def test_quitting_while_loading_ends_the_child(large_pack: Path) -> None:
    """The child is still reading when the user quits: the app closes it
    (killed and reaped), and the load it was waiting for ends quietly."""
    child = PackIndexer(large_pack, command=[sys.executable, "-c", "import time; time.sleep(60)"])
    app = SoundtrackApp(None, None, load_from=(large_pack, None), indexer=child)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert child.running and isinstance(app.screen, LoadingScreen)
        await pilot.press("q")
    assert child.closed and not child.running
    assert not app.load_failure and not app.return_code


def test_a_pack_that_fails_to_load_exits_1_with_its_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    (broken / "episodes").mkdir(parents=True)
    for number in range(1, LARGE_PACK + 2):
        (broken / "episodes" / f"{number:02d}.toml").write_text("number = 1\n", encoding="utf-8")
    # show.toml is missing: nothing can be built.

    async def headless(self: SoundtrackApp, *args: object, **kwargs: object) -> int | None:
        async with self.run_test(size=(80, 24)) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if self.load_failure:
                    break
        return self.return_code

    def run_headless(self: SoundtrackApp, *args: object, **kwargs: object) -> int | None:
        import asyncio

        return asyncio.run(headless(self))

    monkeypatch.setattr(SoundtrackApp, "run", run_headless)
    assert app_module.run(broken, None, spoilers=False) == 1
    err = capsys.readouterr().err
    assert "show.toml" in err
    assert err.startswith("soundtrack: ")
