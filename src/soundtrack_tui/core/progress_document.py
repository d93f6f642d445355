"""The progress file's document: what `progress.json` holds, read and
written strictly, so that anything else is treated as damage.

Kept apart from the store, which decides when to read, lock, write and
recover; this module only says what a valid document is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from soundtrack_tui.core.policy import DEFAULT_LEVEL, Level

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class PackProgress:
    """One pack's progress. Validated on construction so that whatever the
    store holds in memory can always be written back and read again: a bad
    value is a programming error and fails here, not as a "corrupt" file
    on the next start."""

    watched: frozenset[int] = frozenset()
    level: Level = DEFAULT_LEVEL
    theme: str | None = None
    last_episode: int | None = None
    folded_seasons: frozenset[int] = frozenset()
    """Seasons whose episodes the list keeps folded under their header."""
    # One line for the next launch to show (a history import leaves one),
    # kept in the file because the import runs in another process.
    notice: str | None = None

    def __post_init__(self) -> None:
        _check_numbers(self.watched, "watched", "watched episode")
        level: object = self.level
        if not isinstance(level, Level):
            raise TypeError(f"level must be a Level, not {level!r}")
        theme: object = self.theme
        if theme is not None and not isinstance(theme, str):
            raise TypeError(f"theme must be a str or None, not {theme!r}")
        if self.last_episode is not None:
            check_episode(self.last_episode, "last_episode")
        _check_numbers(self.folded_seasons, "folded_seasons", "folded season")
        notice: object = self.notice
        if notice is not None and not isinstance(notice, str):
            raise TypeError(f"notice must be a str or None, not {notice!r}")


def _check_numbers(numbers: object, field: str, what: str) -> None:
    if not isinstance(numbers, frozenset):
        raise TypeError(f"{field} must be a frozenset, not {type(numbers).__name__}")
    for number in numbers:
        check_episode(number, what)


def check_episode(number: object, what: str) -> None:
    # bool is an int subclass; `true` in a file is not episode 1.
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"{what} must be an int, not {number!r}")
    if number < 1:
        raise ValueError(f"{what} must be at least 1, not {number}")


class CorruptProgress(Exception):
    """The progress file exists but cannot be trusted; `str()` says why."""


Document = dict[str, Any]


def empty_document() -> Document:
    return {"version": SCHEMA_VERSION, "packs": {}}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: with a key twice, `json`
    keeps the last, which would silently drop the progress in the first."""
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise CorruptProgress(f"the key {key!r} appears twice")
    return dict(pairs)


def parse_document(data: bytes) -> Document:
    """Decode and validate the whole file. Every pack entry is checked, not
    only ours: one bad entry means something wrote garbage, and keeping the
    rest would only hide it."""
    if not data.strip():
        raise CorruptProgress("the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorruptProgress(f"not UTF-8 text (byte {exc.start})") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise CorruptProgress(f"invalid JSON at line {exc.lineno} column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise CorruptProgress(f"invalid JSON ({type(exc).__name__})") from None
    if not isinstance(document, dict):
        raise CorruptProgress("not a JSON object")
    version = document.get("version")
    if type(version) is not int or version != SCHEMA_VERSION:  # 1.0 and true are not 1
        raise CorruptProgress(f"unsupported version {version!r} (expected {SCHEMA_VERSION})")
    packs = document.get("packs")
    if not isinstance(packs, dict):
        raise CorruptProgress('"packs" is not an object')
    for pack_id, entry in packs.items():
        try:
            entry_progress(entry)
        except (TypeError, ValueError) as exc:
            raise CorruptProgress(f"pack {pack_id!r}: {exc}") from None
    return document


def entry_progress(entry: object) -> PackProgress:
    """A pack entry as `PackProgress`. Missing keys take their defaults and
    unknown keys are ignored, so a newer minor version still reads."""
    if not isinstance(entry, dict):
        raise TypeError("entry is not an object")
    watched = entry.get("watched", [])
    if not isinstance(watched, list):
        raise TypeError("watched must be a list")
    folded = entry.get("folded_seasons", [])
    if not isinstance(folded, list):
        raise TypeError("folded_seasons must be a list")
    level = entry.get("level", DEFAULT_LEVEL.value)
    if not isinstance(level, str):
        raise TypeError("level must be a string")
    try:
        parsed_level = Level(level)
    except ValueError:
        raise ValueError(f"unknown level {level!r}") from None
    return PackProgress(
        watched=frozenset(watched),
        level=parsed_level,
        theme=entry.get("theme"),
        last_episode=entry.get("last_episode"),
        folded_seasons=frozenset(folded),
        notice=entry.get("notice"),
    )


def with_entry(document: Document, pack_id: str, progress: PackProgress) -> Document:
    """`document` with our pack's entry replaced; other packs, and keys of
    ours this version does not know, are kept as they were."""
    packs = dict(document["packs"])
    entry = dict(packs.get(pack_id, {}))
    entry.update(
        watched=sorted(progress.watched),
        level=progress.level.value,
        theme=progress.theme,
        last_episode=progress.last_episode,
    )
    # Written only when there is one, so files without one stay as they were.
    if progress.notice is None:
        entry.pop("notice", None)
    else:
        entry["notice"] = progress.notice
    if progress.folded_seasons:
        entry["folded_seasons"] = sorted(progress.folded_seasons)
    else:
        entry.pop("folded_seasons", None)
    packs[pack_id] = entry
    return {**document, "packs": packs}


def serialize_document(document: Document) -> bytes:
    # ensure_ascii: a lone surrogate smuggled in through a \ud800 escape
    # still round-trips, where encoding it as UTF-8 would fail.
    return (json.dumps(document, indent=2, ensure_ascii=True) + "\n").encode("ascii")
