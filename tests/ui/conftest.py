"""Fixtures for the UI tests: every test gets its own state and config
folders (never the real home), the bundled pack, and app factories."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level
from soundtrack_tui.core.progress import ProgressStore, state_dir
from soundtrack_tui.ui.app import SoundtrackApp

_BUNDLED: Pack | None = None


def bundled() -> Pack:
    global _BUNDLED
    if _BUNDLED is None:
        _BUNDLED = load_pack(bundled_pack())
    return _BUNDLED


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """State and config in tmp folders; colour on (NO_COLOR is opt-in per test)."""
    state = tmp_path / "state"
    config = tmp_path / "config"
    monkeypatch.setenv("SOUNDTRACK_STATE_DIR", str(state))
    monkeypatch.setenv("SOUNDTRACK_CONFIG_DIR", str(config))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return state, config


@pytest.fixture
def state_path(isolated: tuple[Path, Path]) -> Path:
    return isolated[0]


@pytest.fixture
def config_path(isolated: tuple[Path, Path]) -> Path:
    return isolated[1]


AppFactory = Callable[..., SoundtrackApp]


def store_for(pack: Pack) -> ProgressStore:
    store = ProgressStore(state_dir(None), pack.show.id)
    store.load()
    return store


@pytest.fixture
def make_app() -> AppFactory:
    """Build an app on `pack` (the bundled one by default) with optional
    progress already saved, as a returning user would have it."""

    def factory(
        pack: Pack | None = None,
        *,
        watched: Iterable[int] = (),
        level: Level | None = None,
        spoilers: bool = False,
        problems: int = 0,
    ) -> SoundtrackApp:
        pack = pack or bundled()
        store = store_for(pack)
        if watched:
            store.set_watched(list(watched), True)
        if level is not None:
            store.set_level(level)
        return SoundtrackApp(pack, store, spoilers=spoilers, problems=problems)

    return factory
