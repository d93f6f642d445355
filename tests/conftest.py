"""Every test runs with its own state, config, cache and data folders, and a home
and XDG folders of its own, so nothing ever reads or writes the real home.
Subprocesses inherit the environment, so they are isolated too."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for name, folder in {
        "SOUNDTRACK_STATE_DIR": "state",
        "SOUNDTRACK_CONFIG_DIR": "config",
        "SOUNDTRACK_CACHE_DIR": "cache",
        "SOUNDTRACK_DATA_DIR": "data",
        "XDG_STATE_HOME": "xdg-state",
        "XDG_CONFIG_HOME": "xdg-config",
        "XDG_CACHE_HOME": "xdg-cache",
        "XDG_DATA_HOME": "xdg-data",
    }.items():
        monkeypatch.setenv(name, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    return home
