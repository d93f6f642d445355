"""Warnings about a pack folder's layout: what the loader will not read, and
episodes the show counts but no file tells.

A file the loader never opens is silently absent from the app
(`Episodes/`, `character.toml`, `episodes/01.txt`), which an author only
notices as missing content; say so, with a guess at what was meant.
Only `soundtrack check` runs these (they are for authors).
"""

from __future__ import annotations

import os
from pathlib import Path

from soundtrack_tui.core.errors import Problem, Severity
from soundtrack_tui.core.schema import suggest

PACK_ENTRIES = ("show.toml", "characters.toml", "episodes")


def layout_warnings(root: Path, episode_count: int) -> list[Problem]:
    """Warnings for unread entries at the top of the pack and in
    `episodes/`, and one for the episodes up to `episode_count` with no
    file (a file that fails to load is reported by the loader instead)."""
    warnings = [
        _warning(root / name, f"not read by soundtrack{suggest(name, list(PACK_ENTRIES))}")
        for name in _unread_top_level(root)
    ]
    folder = root / "episodes"
    present = set()
    for name in _names(folder):
        stem = name.removesuffix(".toml")
        if name.endswith(".toml") and stem.isascii() and stem.isdigit():
            present.add(int(stem))
        if not name.startswith(".") and not name.endswith(".toml"):
            stem = name.rsplit(".", 1)[0] if "." in name else name
            hint = f" (did you mean {stem}.toml?)" if stem.isdigit() else ""
            warnings.append(_warning(folder / name, f"not read: episode files end in .toml{hint}"))
    missing = sorted(set(range(1, episode_count + 1)) - present)
    if missing:
        noun = "episode" if len(missing) == 1 else "episodes"
        verb = "has" if len(missing) == 1 else "have"
        warnings.append(
            _warning(folder, f"{noun} {_ranges(missing)} {verb} no file; shown as 'no recap yet'")
        )
    return warnings


def _unread_top_level(root: Path) -> list[str]:
    """Folders and TOML files at the top that the loader does not know.
    Other files (a README, a licence) are an author's own business."""
    unread = []
    for name in _names(root):
        if name.startswith(".") or name in PACK_ENTRIES:
            continue
        if name.endswith(".toml") or (root / name).is_dir():
            unread.append(name)
    return unread


def _names(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return []  # the loader reports a folder it cannot list


def _ranges(numbers: list[int]) -> str:
    """ "3-5, 9" for [3, 4, 5, 9]."""
    spans: list[tuple[int, int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _warning(path: Path, message: str) -> Problem:
    return Problem(str(path), "", message, severity=Severity.WARNING)
