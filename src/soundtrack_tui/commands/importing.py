"""`import tvmaze` and `import nfo`: a new pack folder from data a fan can
save, ready for `check` and for enriching by hand.

Nothing is written unless the whole input reads cleanly: every problem is
one line, and DEST appears complete or not at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from soundtrack_tui.core.files import describe_os_error
from soundtrack_tui.core.importers.draft import ImportFailed
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from soundtrack_tui.output import Output, error

# A broken library can hold thousands of bad files; the first ones say enough.
MAX_PROBLEM_LINES = 50


def import_pack(kind: str, source: str, dest: str) -> int:
    """Read `source` as `kind` ("tvmaze" or "nfo") and write the pack to `dest`."""
    from soundtrack_tui.core.importers.nfo import read_nfo_folder
    from soundtrack_tui.core.importers.tvmaze import read_tvmaze
    from soundtrack_tui.core.importers.writer import pack_files, write_new_folder

    folder = Path(dest)
    if os.path.lexists(folder):
        return _exists(folder)
    try:
        draft = read_tvmaze(Path(source)) if kind == "tvmaze" else read_nfo_folder(Path(source))
        files, episodes, seasons = pack_files(draft, folder)
    except ImportFailed as failure:
        for path, message in failure.problems[:MAX_PROBLEM_LINES]:
            error(f"import: {path}: {message}")
        if len(failure.problems) > MAX_PROBLEM_LINES:
            error(f"import: {source}: {len(failure.problems) - MAX_PROBLEM_LINES} more problems")
        return EXIT_CONTENT
    try:
        write_new_folder(folder, files)
    except FileExistsError:
        return _exists(folder)
    except OSError as failure:
        error(f"import: {folder}: cannot write the pack: {describe_os_error(failure)}")
        return EXIT_CONTENT
    Output().line(
        (
            f"Wrote {folder}: {_count(episodes, 'episode')} in {_count(seasons, 'season')} "
            f"({_count(draft.specials_left_out, 'special')} left out); run soundtrack check {folder}",
            "",
        )
    )
    return EXIT_OK


def _exists(folder: Path) -> int:
    error(f"import: {folder}: already exists; name a new folder for the pack")
    return EXIT_USAGE


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
