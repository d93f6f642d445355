"""The core and the CLI never import Textual: scripted use stays fast and the
model stays testable without a terminal."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

MODULES = [
    "soundtrack_tui.core.loader",
    "soundtrack_tui.core.policy",
    "soundtrack_tui.core.sanitize",
    "soundtrack_tui.core.lint",
    "soundtrack_tui.core.textnorm",
    "soundtrack_tui.core.tomlpos",
    "soundtrack_tui.core.schema",
    "soundtrack_tui.core.model",
    "soundtrack_tui.core.errors",
    "soundtrack_tui.core.bundled",
    "soundtrack_tui.core.search",
    "soundtrack_tui.core.progress",
    "soundtrack_tui.cli",
    "soundtrack_tui.commands",
]
# search and progress are written in parallel; import whichever exist.
OPTIONAL = {"soundtrack_tui.core.search", "soundtrack_tui.core.progress"}


def _present() -> list[str]:
    return [name for name in MODULES if name not in OPTIONAL or importlib.util.find_spec(name) is not None]


def test_core_and_cli_do_not_import_textual() -> None:
    modules = _present()
    assert set(MODULES) - OPTIONAL <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.startswith('textual'))\n"
        "assert not leaked, leaked\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")
