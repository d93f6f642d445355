"""Field-by-field checks of a pack read back from a cache entry.

The entry's checksum and its class allow-list stop damage and foreign
code, not forgery: anyone who can write the cache folder can compute the
header key and the CRC-32, and the loader's checks (types, ranges, the
sanitizer) never ran on what they wrote. So a cached pack is checked as
strictly as the loader would build it: every field of every model object
has its declared type, no object carries extra attributes, every short
text is already sanitized, the long ones (recaps, review thoughts) are
valid UTF-8, and every number is in range (episode references within
`episode_count`, `episode_count` within the loader's limit). Anything else
makes the entry a miss, and the pack is read from its files again.
Checking a thousand-episode pack costs about 50 ms, most of it decoding
the recaps once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable
from functools import partial
from typing import Any

from soundtrack_tui.core.errors import Problem, Severity
from soundtrack_tui.core.external_ids import ExternalIds, id_problem
from soundtrack_tui.core.model import (
    FORMAT_VERSIONS,
    MAX_EPISODES,
    Character,
    Episode,
    Note,
    Review,
    Season,
    Show,
    Source,
    Track,
)
from soundtrack_tui.core.sanitize import sanitize

__all__ = ["is_clean_pack"]

# No other number in a pack comes near: years, runtimes, and the line and
# column of a problem in a file of at most 2 MiB.
_MOST = 10_000_000
_MODEL = (Source, Review, Note, Character, Episode, Track, Season, Show, Problem)


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
    for index, declared in enumerate(show.seasons, 1):
        _in_range(declared.number, index, index)  # declared 1, 2, 3... in order
    _in_range(len(episodes), 0, count)
    for review in show.reviews:
        _in_range(review.after_episode, 0, count)
    for track in show.tracks:
        _in_range(track.episode, 0, count)
    highest_season = len(show.seasons) or _MOST
    lowest_season = 1
    for number, episode in sorted(episodes.items()):
        _in_range(number, 1, count)
        _in_range(episode.number, number, number)
        _in_range(episode.season, lowest_season, highest_season)  # never down, and declared
        lowest_season = episode.season
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


Check = Callable[[object], None]
"""Raises `_Forged` (or AttributeError) unless its argument has one type."""


def _check(value: object, expected: Any, where: str) -> None:
    """`value` has the type `expected` (an annotation of the model), checked
    all the way down."""
    _checker(expected)(value)


def _checker(expected: Any) -> Check:
    """The check for one annotation, made once: a thousand episodes are
    some 30,000 values, and reading each annotation anew was most of the
    time."""
    made = _CHECKERS.get(expected)
    if made is None:
        made = _CHECKERS[expected] = _make_checker(expected)
    return made


def _make_checker(expected: Any) -> Check:
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (types.UnionType, typing.Union):
        if {bytes, memoryview} <= set(args):
            return _check_utf8
        (inner,) = [option for option in args if option is not type(None)]
        check_inner = _checker(inner)
        return lambda value: None if value is None else check_inner(value)
    if origin is dict:
        check_key, check_item = _checker(args[0]), _checker(args[1])

        def check_dict(value: object) -> None:
            _of_type(value, dict)
            for key, item in value.items():  # type: ignore[attr-defined]
                check_key(key)
                check_item(item)

        return check_dict
    if origin in (tuple, list):
        check_item = _checker(args[0])

        def check_sequence(value: object) -> None:
            _of_type(value, origin)
            for item in value:  # type: ignore[attr-defined]
                check_item(item)

        return check_sequence
    if expected in _MODEL:
        return lambda value: _check_object(value, expected)
    if expected not in _PLAIN:
        raise TypeError(f"no check for {expected!r}")
    return _PLAIN[expected]


def _of_type(value: object, expected: type) -> None:
    if type(value) is not expected:
        raise _Forged(f"{type(value).__name__} where {expected.__name__} belongs")


def _check_text(value: object) -> None:
    _of_type(value, str)
    if sanitize(value) is not value:  # type: ignore[arg-type]
        raise _Forged("text that was never sanitized")


def _check_format(value: object) -> None:
    if type(value) not in (int, float) or value not in FORMAT_VERSIONS:
        raise _Forged(f"format {value!r}")


def _check_ids(value: object) -> None:
    _of_type(value, dict)
    for key, item in value.items():  # type: ignore[attr-defined]
        if type(key) is not str or id_problem(key, item) is not None:
            raise _Forged(f"external id {key!r} = {item!r}")


def _check_number(value: object) -> None:
    _of_type(value, int)
    if not 0 <= value <= _MOST:  # type: ignore[operator]
        raise _Forged(f"{value} out of range")


def _check_utf8(value: object) -> None:
    """Long texts are kept as UTF-8 (see `Episode`) and must decode, or
    showing one would raise. Their content is not run through the
    sanitizer here: that is 200 ms for the 11 MB of recaps of a thousand
    episodes, where decoding is 35 ms; the last pass where text meets the
    terminal (`output.py`, the browser's line filter) covers them."""
    if type(value) not in (bytes, memoryview):
        raise _Forged("not UTF-8 bytes")
    str(value, "utf-8")  # type: ignore[call-overload]


def _check_object(value: object, kind: type) -> None:
    _of_type(value, kind)
    checks = _FIELD_CHECKS[kind]
    # A dict-backed class must hold its fields and nothing else; a slots
    # class has nowhere to put more, and a missing slot is AttributeError.
    if hasattr(value, "__dict__") and vars(value).keys() != checks.keys():
        raise _Forged(f"{kind.__name__} with fields {sorted(vars(value))}")
    for name, check in checks.items():
        check(getattr(value, name))


def _field_checks(kind: type) -> dict[str, Check]:
    hints = typing.get_type_hints(kind)
    checks = {field.name: _checker(hints[field.name]) for field in dataclasses.fields(kind)}
    if kind is Problem:
        # A problem quotes the file as it is; `Problem.__str__` sanitizes it when shown.
        checks.update({name: partial(_of_type, expected=str) for name in ("path", "key", "message")})
    return checks


_PLAIN: dict[Any, Check] = {
    str: _check_text,
    int: _check_number,
    float: _check_format,  # the only float of the model
    ExternalIds: _check_ids,
    dt.date: partial(_of_type, expected=dt.date),
    Severity: partial(_of_type, expected=Severity),
}
_CHECKERS: dict[Any, Check] = {}
_FIELD_CHECKS: dict[type, dict[str, Check]] = {kind: _field_checks(kind) for kind in _MODEL}
