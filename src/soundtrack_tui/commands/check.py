"""`check`: validate a pack folder, every problem on its own line."""

from __future__ import annotations

import sys

from soundtrack_tui.commands.session import pack_path
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK


def check(content: str | None) -> int:
    """Print every problem, one per line, then a summary; exit 1 on errors."""
    # Imported here: the other commands load through the cache, whose hits
    # need no parser, schema or lint.
    from soundtrack_tui.core.loader import read_pack

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
    from soundtrack_tui.core.sanitize import sanitize

    out.write(sanitize(summary) + "\n")
    return EXIT_CONTENT if errors else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
