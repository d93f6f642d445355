"""Snapshots of the main states at the three layout widths.

Regenerate after a deliberate UI change with
`pytest tests/ui/test_snapshots.py --snapshot-update`, then look at the
report. The app starts deterministically: fresh state folder (default
theme, no progress unless a test sets it), no clock anywhere.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from textual.pilot import Pilot

from .conftest import AppFactory

WIDE = (120, 40)
MEDIUM = (80, 24)
NARROW = (40, 15)


def _screenshot_script() -> ModuleType:
    """screenshots/make.py, which makes the README screenshots: snapshots
    and screenshots wait for the same still screen."""
    path = Path(__file__).resolve().parents[2] / "screenshots" / "make.py"
    spec = importlib.util.spec_from_file_location("screenshots_make", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


settle = _screenshot_script().settle


def test_first_start_wide(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=settle)


def test_watched_episode_wide(snap_compare: Any, make_app: AppFactory) -> None:
    async def select_first(pilot: Pilot[Any]) -> None:
        await pilot.press("1")
        await settle(pilot)

    assert snap_compare(make_app(watched=[1]), terminal_size=WIDE, run_before=select_first)


def test_medium_recap(snap_compare: Any, make_app: AppFactory) -> None:
    async def open_first(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "enter")
        await settle(pilot)

    assert snap_compare(make_app(watched=[1]), terminal_size=MEDIUM, run_before=open_first)


def test_medium_characters_tab(snap_compare: Any, make_app: AppFactory) -> None:
    async def characters(pilot: Pilot[Any]) -> None:
        await pilot.press("tab", "tab")
        await settle(pilot)

    assert snap_compare(make_app(watched=[1, 2]), terminal_size=MEDIUM, run_before=characters)


def test_narrow_list(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(make_app(watched=[1]), terminal_size=NARROW, run_before=settle)


def test_narrow_gate(snap_compare: Any, make_app: AppFactory) -> None:
    async def open_locked(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(watched=[1]), terminal_size=NARROW, run_before=open_locked)


def test_search_wide(snap_compare: Any, make_app: AppFactory) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await pilot.press("slash", *"jennifer")
        await settle(pilot)

    assert snap_compare(make_app(watched=[1]), terminal_size=WIDE, run_before=search)


def test_search_medium(snap_compare: Any, make_app: AppFactory) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await pilot.press("slash", *"mandarin")
        await settle(pilot)

    assert snap_compare(make_app(watched=[1]), terminal_size=MEDIUM, run_before=search)


def test_match_highlighted_in_recap(snap_compare: Any, make_app: AppFactory) -> None:
    async def jump(pilot: Pilot[Any]) -> None:
        await pilot.press("slash", *"jennifer")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(watched=[1]), terminal_size=WIDE, run_before=jump)


def test_help_medium(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=MEDIUM, press=["question_mark"], run_before=settle)


def test_story_narrow(snap_compare: Any, make_app: AppFactory) -> None:
    assert snap_compare(make_app(watched=[1]), terminal_size=NARROW, press=["f"], run_before=settle)


def test_shows_screen(snap_compare: Any, make_app: AppFactory, tmp_path: Path) -> None:
    """The library over the main screen: the current show marked, progress per show."""
    import shutil

    from soundtrack_tui.core import library

    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "packs" / "valid", tmp_path / "pack")
    library.install(tmp_path / "pack")
    assert snap_compare(make_app(watched=[1]), terminal_size=MEDIUM, press=["S"], run_before=settle)


def test_seasons_medium(snap_compare: Any, make_app: AppFactory) -> None:
    from soundtrack_tui.core.loader import load_pack

    pack = load_pack(Path(__file__).parent.parent / "fixtures" / "packs" / "seasons")

    async def fold_the_last(pilot: Pilot[Any]) -> None:
        await pilot.press("6", "left")
        await settle(pilot)

    assert snap_compare(make_app(pack, watched=[1, 2, 3]), terminal_size=MEDIUM, run_before=fold_the_last)
