"""Forged cache entries: well-formed (right key, right CRC-32, only the
model's classes) but holding what the loader would never build. Each is a
miss, the pack is read from its files again, and nothing of it reaches the
terminal: no control byte, no traceback, no hang."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from soundtrack_tui.core import cache, cache_check, cache_entry
from soundtrack_tui.core.loader import read_pack
from soundtrack_tui.core.model import Episode, Season
from test_cache import Reads, cache_home, pack, reads, same  # noqa: F401  (fixtures)

Parts = tuple[Any, dict[int, Any], tuple[Any, ...], list[Any]]
Forgery = Callable[[Parts], Parts]

OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
C1_CSI = "\x9b31mRED"
BIDI = "evil\u202etxt.exe"
CONTROL_BYTES = (b"\x1b", b"\x07", b"\xc2\x9b", b"\xc2\x9d", "\u202e".encode())


@pytest.fixture(autouse=True)
def isolated(cache_home: Path) -> Path:  # noqa: F811
    """Every test here keeps its cache, state and platform folders in tmp."""
    return cache_home


def replaced(obj: Any, **changes: Any) -> Any:
    """A copy of a model object with fields set as no constructor would."""
    copy = dataclasses.replace(obj) if not isinstance(obj, Episode) else _episode_copy(obj)
    for name, value in changes.items():
        object.__setattr__(copy, name, value)
    return copy


def _episode_copy(episode: Episode) -> Episode:
    copy = Episode.__new__(Episode)
    for name, value in vars(episode).items():
        object.__setattr__(copy, name, value)
    return copy


def on_episode(which: int, /, **changes: Any) -> Forgery:
    def forge(parts: Parts) -> Parts:
        show, episodes, characters, problems = parts
        return show, {**episodes, which: replaced(episodes[which], **changes)}, characters, problems

    return forge


def on_show(**changes: Any) -> Forgery:
    return lambda parts: (replaced(parts[0], **changes), *parts[1:])  # type: ignore[return-value]


def on_character(**changes: Any) -> Forgery:
    def forge(parts: Parts) -> Parts:
        show, episodes, characters, problems = parts
        return show, episodes, (replaced(characters[0], **changes), *characters[1:]), problems

    return forge


def with_extra_attribute(parts: Parts) -> Parts:
    show, episodes, characters, problems = parts
    episode = _episode_copy(episodes[1])
    object.__setattr__(episode, "injected", OSC_TITLE)
    return show, {**episodes, 1: episode}, characters, problems


FORGERIES: dict[str, Forgery] = {
    "OSC 0 in the show title": on_show(title="Soundtrack " + OSC_TITLE),
    "OSC 52 in an episode title": on_episode(1, title=OSC_CLIPBOARD),
    "C1 in a character name": on_character(name=C1_CSI),
    "U+202E in a recap": on_episode(1, recap_utf8=BIDI.encode()),
    "OSC in a recap": on_episode(1, recap_utf8=OSC_TITLE.encode()),
    "a recap that is not UTF-8": on_episode(1, recap_utf8=b"\xff\xfe"),
    "a number that is text": on_episode(1, number="1"),
    "a title that is a number": on_show(title=5),
    "a sources list that is a str": on_episode(1, sources="EX"),
    "episode_count 10**12": on_show(episode_count=10**12),
    "a negative runtime": on_episode(1, runtime_minutes=-5),
    "a first episode past the end": on_character(first_episode=99),
    "an attribute no model has": with_extra_attribute,
    "episodes keyed by text": lambda parts: (parts[0], {str(k): v for k, v in parts[1].items()}, *parts[2:]),  # type: ignore[return-value]
    "characters in a list": lambda parts: (parts[0], parts[1], list(parts[2]), parts[3]),
    "a season that goes down": on_episode(1, season=2),
    "a season 0": on_episode(1, season=0),
    "a format this version cannot read": on_show(format=2),
    "a format that is text": on_show(format="1.1"),
    "an IMDb id that is a number": on_show(ids={"imdb": 903747}),
    "an id of no known database": on_show(ids={"netflix": 1}),
    "an episode id below 1": on_episode(1, ids={"tvmaze": 0}),
    "a season title with an escape": on_show(seasons=(Season(1, OSC_TITLE),)),
}


def forge(root: Path, forgery: Forgery) -> None:
    """Write an entry for the pack at `root` as its writer would, but holding the forgery."""
    good = read_pack(root)
    assert good.pack is not None and not good.errors
    parts: Parts = (good.pack.show, dict(good.pack.episodes), good.pack.characters, list(good.problems))
    assert cache_check.is_clean_pack(*parts), "the untouched pack must pass"
    path, key = cache.cache_file(root), cache._key(root)
    cache_entry.store(path, cache.PACK_MAGIC, key, forgery(parts), cache.BlobPickler)


# Recaps and review thoughts are only checked to be UTF-8 on load (see
# `cache_check`): what they say is made safe where it meets the terminal.
RECAP_CONTENT = ("U+202E in a recap", "OSC in a recap")
MISSES = [name for name in FORGERIES if name not in RECAP_CONTENT]


@pytest.mark.parametrize("name", MISSES)
def test_a_forged_entry_is_a_miss_and_the_pack_is_read_again(
    pack: Path,  # noqa: F811
    reads: Reads,  # noqa: F811
    name: str,
) -> None:
    forge(pack, FORGERIES[name])
    result = cache.load_pack_cached(pack)
    assert reads.count == 1, "the forged entry was used"
    assert same(result, read_pack(pack))
    assert cache.load_pack_cached(pack).pack == result.pack
    assert reads.count == 1, "the rewritten entry is used next time"


@pytest.mark.parametrize("name", FORGERIES)
@pytest.mark.parametrize("command", [["list"], ["show", "1", "--spoilers"], ["characters", "--spoilers"]])
def test_no_forged_byte_reaches_the_cli_output(
    pack: Path,  # noqa: F811
    tmp_path: Path,
    name: str,
    command: list[str],
) -> None:
    forge(pack, FORGERIES[name])
    env = {**os.environ, "SOUNDTRACK_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "soundtrack_tui", *command, "--content", str(pack)],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    for output in (result.stdout, result.stderr):
        assert not [byte for byte in CONTROL_BYTES if byte in output], output[:400]
    if name in MISSES:
        assert b"PWNED" not in result.stdout and b"RED" not in result.stdout
