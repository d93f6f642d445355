"""The README screenshots come from the real app: the script that makes them
must keep working as the UI changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "screenshots" / "make.py"


def test_script_writes_the_named_screenshots(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "narrow", "first-launch", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first-launch.svg", "narrow.svg"]
    first = (tmp_path / "first-launch.svg").read_text(encoding="utf-8")
    assert first.startswith("<svg")
    assert "Soundtrack&#160;#1" in first or "Soundtrack #1" in first
    assert "Echoes" in first  # episode 1's title is listed


def test_keys_table_names_every_binding_id() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--keys"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    for binding_id in ("toggle-watched", "peek", "toggle-spoilers", "search", "story", "next-match"):
        assert f"`{binding_id}`" in result.stdout
