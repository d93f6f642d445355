"""What each CLI command does. No Textual here: the UI is imported lazily."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.loader import read_pack

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def pack_path(content: str | None) -> Path:
    return Path(content) if content else bundled_pack()


def check(content: str | None) -> int:
    """Print every problem, one per line, then a summary; exit 1 on errors."""
    root = pack_path(content)
    result = read_pack(root)
    out = sys.stdout
    for problem in result.problems:
        out.write(f"{problem}\n")
    errors, warnings = len(result.errors), len(result.warnings)
    name = result.pack.show.id if result.pack else str(root)
    summary = f"{name}: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
    if result.pack is not None:
        pack = result.pack
        summary += (
            f" ({len(pack.episodes)} of {pack.show.episode_count} episodes, "
            f"{_count(len(pack.characters), 'character')})"
        )
    out.write(summary + "\n")
    return EXIT_CONTENT if errors else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def terminal_problem() -> str | None:
    """Why the UI cannot start here, or None. Textual does not notice a
    missing terminal: it would write escape codes into the pipe and hang."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        return "stdin and stdout must both be a terminal"
    term = os.environ.get("TERM", "")
    if term in ("", "dumb"):
        return f"TERM is {'empty' if not term else 'dumb'}"
    return None


def run_ui(content: str | None, state_dir: str | None, *, spoilers: bool) -> int:
    problem = terminal_problem()
    if problem:
        sys.stderr.write(
            f"soundtrack: the browser needs a terminal ({problem}); without one, use "
            "soundtrack list, show N, search QUERY, story, watched N or check\n"
        )
        return EXIT_USAGE
    from soundtrack_tui.ui.app import run

    return run(pack_path(content), state_dir, spoilers=spoilers)
