"""Field-by-field checks of a pack read back from a cache entry.

The entry's checksum and its class allow-list stop damage and foreign
code, not forgery: anyone who can write the cache folder can compute the
header key and the CRC-32, and the loader's checks (types, ranges, the
sanitizer) never ran on what they wrote. So a cached pack is checked as
strictly as the loader would build it: every field of every model object
has its declared type, no object carries extra attributes, every text is
valid UTF-8 and already sanitized, and every number is in range (episode
references within `episode_count`, `episode_count` within the loader's
limit). Anything else makes the entry a miss, and the pack is read from its
files again. Checking a thousand-episode pack costs a few milliseconds (see
docs/reliability.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

from soundtrack_tui.core.errors import Problem, Severity
from soundtrack_tui.core.model import (
    FORMAT_VERSION,
    MAX_EPISODES,
    Character,
    Episode,
    Note,
    Review,
    Show,
    Source,
    Track,
)
from soundtrack_tui.core.sanitize import sanitize

__all__ = ["is_clean_pack"]

# No other number in a pack comes near: years, runtimes, and the line and
# column of a problem in a file of at most 2 MiB.
_MOST = 10_000_000
_MODEL = (Source, Review, Note, Character, Episode, Track, Show, Problem)


class _Forged(Exception):
    """A field that the loader could never have produced."""


def is_clean_pack(show: object, episodes: object, characters: object, problems: object) -> bool:
    """Could the loader have built these parts of a pack (its warnings
    included) from files? Never raises."""
    try:
        _check(show, Show, "show")
        _check(episodes, dict[int, Episode], "episodes")
        _check(characters, tuple[Character, ...], "characters")
        _check(problems, list[Problem], "problems")
        _check_references(show, episodes, characters, problems)  # type: ignore[arg-type]
    except (_Forged, AttributeError, TypeError, UnicodeDecodeError):
        return False
    return True


def _check_references(
    show: Show, episodes: dict[int, Episode], characters: tuple[Character, ...], problems: list[Problem]
) -> None:
    """The ranges the loader enforces across files."""
    count = show.episode_count
    _in_range(count, 1, MAX_EPISODES)
    _in_range(show.format, FORMAT_VERSION, FORMAT_VERSION)
    _in_range(len(episodes), 0, count)
    for review in show.reviews:
        _in_range(review.after_episode, 0, count)
    for track in show.tracks:
        _in_range(track.episode, 0, count)
    for number, episode in episodes.items():
        _in_range(number, 1, count)
        _in_range(episode.number, number, number)
        for review in episode.reviews:
            _in_range(review.after_episode, number, number)  # an episode's review is of that episode
    for character in characters:
        _in_range(character.first_episode, 0, count)
        for note in character.notes:
            _in_range(note.episode, 1, count)
    if any(problem.severity is not Severity.WARNING for problem in problems):
        raise _Forged("only warnings are stored")


def _in_range(value: int, lowest: int, highest: int) -> None:
    if not lowest <= value <= highest:
        raise _Forged(f"{value} outside {lowest}-{highest}")


def _check(value: object, expected: Any, where: str) -> None:
    """`value` has the type `expected` (an annotation of the model), checked
    all the way down."""
    origin = typing.get_origin(expected)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(expected)
        if value is None and type(None) in options:
            return
        if {bytes, memoryview} <= set(options):
            _check_utf8(value, where)
            return
        (expected,) = [option for option in options if option is not type(None)]
        _check(value, expected, where)
    elif origin is dict:
        key_type, item_type = typing.get_args(expected)
        if type(value) is not dict:
            raise _Forged(f"{where}: {type(value).__name__}")
        for key, item in value.items():
            _check(key, key_type, where)
            _check(item, item_type, where)
    elif origin in (tuple, list):
        item_type = typing.get_args(expected)[0]
        if type(value) is not origin:
            raise _Forged(f"{where}: {type(value).__name__}")
        for item in value:  # type: ignore[attr-defined]
            _check(item, item_type, where)
    elif expected is str:
        if type(value) is not str or sanitize(value) is not value:
            raise _Forged(f"{where}: not sanitized text")
    elif expected is int:
        if type(value) is not int or not 0 <= value <= _MOST:
            raise _Forged(f"{where}: not a number in range")
    elif expected in (dt.date, Severity):
        if type(value) is not expected:
            raise _Forged(f"{where}: not a {expected.__name__}")
    elif expected in _MODEL:
        _check_object(value, expected)
    else:
        raise _Forged(f"{where}: unexpected annotation {expected!r}")


def _check_utf8(value: object, where: str) -> None:
    """Long texts are kept as UTF-8 (see `Episode`): decodable, and
    sanitized once decoded."""
    if type(value) not in (bytes, memoryview):
        raise _Forged(f"{where}: not UTF-8 bytes")
    text = str(value, "utf-8")  # type: ignore[call-overload]
    if sanitize(text) is not text:
        raise _Forged(f"{where}: not sanitized text")


def _check_object(value: object, kind: type) -> None:
    if type(value) is not kind:
        raise _Forged(f"{kind.__name__}: got {type(value).__name__}")
    names = _FIELD_TYPES[kind]
    # A dict-backed class must hold its fields and nothing else; a slots
    # class has nowhere to put more, and a missing slot is AttributeError.
    if hasattr(value, "__dict__") and set(vars(value)) != set(names):
        raise _Forged(f"{kind.__name__}: fields {sorted(vars(value))}")
    for name, annotation in names.items():
        field = getattr(value, name)
        if kind is Problem and annotation is str:
            # Quotes the file as it is; `Problem.__str__` sanitizes it when shown.
            if type(field) is not str:
                raise _Forged(f"Problem.{name}: not text")
            continue
        _check(field, annotation, f"{kind.__name__}.{name}")


def _field_types(kind: type) -> dict[str, Any]:
    hints = typing.get_type_hints(kind)
    return {field.name: hints[field.name] for field in dataclasses.fields(kind)}


_FIELD_TYPES: dict[type, dict[str, Any]] = {kind: _field_types(kind) for kind in _MODEL}
