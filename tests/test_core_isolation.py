"""The core and the CLI never import Textual: scripted use stays fast and the
model stays testable without a terminal."""

from __future__ import annotations

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
    "soundtrack_tui.core.indexer",
    "soundtrack_tui.core.history.sources",
    "soundtrack_tui.core.history.plan",
    "soundtrack_tui.core.history.notice",
    "soundtrack_tui.cli",
    "soundtrack_tui.commands",
]


def _imported_by(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """Import `modules` in a fresh interpreter; which modules starting with
    one of `prefixes` did that load?"""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print('\\n'.join(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_core_and_cli_do_not_import_textual() -> None:
    assert _imported_by(MODULES, ("textual",)) == []


def test_the_browser_starts_without_the_parser_linter_or_search() -> None:
    """What the first paint needs, and no more: reading a pack's TOML, the
    spoiler lint and the search index load later, only when used."""
    deferred = (
        "soundtrack_tui.core.loader",
        "soundtrack_tui.core.lint",
        "soundtrack_tui.core.search",
        "tomli",
    )
    startup = [
        "soundtrack_tui.cli",
        "soundtrack_tui.commands",
        "soundtrack_tui.ui.app",
        "soundtrack_tui.core.cache",
    ]
    assert _imported_by(startup, deferred) == []


def test_screens_opened_on_demand_load_on_demand() -> None:
    """Help, the story and the palette's episode provider are imported when
    first opened, not for the first paint; so is the full list of binding
    ids, which only a keys.toml needs."""
    code = (
        "import sys\n"
        "from soundtrack_tui.ui.app import SoundtrackApp, binding_contexts, binding_ids\n"
        "from soundtrack_tui.ui.keymap import load_keymap\n"
        "missing = __import__('pathlib').Path('/nonexistent/keys.toml')\n"
        "config = load_keymap(missing, binding_ids, binding_contexts)\n"
        "names = ('soundtrack_tui.ui.screens.help', 'soundtrack_tui.ui.screens.reading',\n"
        "         'soundtrack_tui.ui.commands')\n"
        "print(sorted(n for n in names if n in sys.modules))\n"
        "assert 'help' in binding_ids()\n"
        "print(sorted(n for n in names if n in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[]",
        "['soundtrack_tui.ui.screens.help', 'soundtrack_tui.ui.screens.reading']",
    ]
