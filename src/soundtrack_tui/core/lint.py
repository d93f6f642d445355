"""The spoiler lint: text that names a character before the viewer meets them.

Every text has a *visible-from* episode: the progress at which a viewer can
first read it. Loglines, titles and the synopsis show before anything is
watched (0); an intro shows once its character's first episode is; a note
once its episode is; a review once what it assumes is. Text that names a
character (by name or alias) whose `first_episode` is later than that leaks
the character's existence, which is exactly what the character pane hides.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path as FilePath

from soundtrack_tui.core.errors import Problem, Severity
from soundtrack_tui.core.model import Character, Pack
from soundtrack_tui.core.textnorm import squash, words
from soundtrack_tui.core.tomlfile import TomlFile
from soundtrack_tui.core.tomlpos import Path, format_path, locate

_MAX_WORDS_PER_NAME = 6


@dataclass(frozen=True, slots=True)
class Leak:
    file: str  # pack-relative file, e.g. "episodes/01.toml"
    path: Path  # key path of the leaking text
    name: str  # the name as written in the text
    character: Character
    visible_from: int
    offset: int  # where the name starts in the text


@dataclass(frozen=True, slots=True)
class _Text:
    file: str
    path: Path
    text: str
    visible_from: int


class NameFinder:
    """Finds character names in text, however they are spaced or hyphenated.

    Names are matched on word boundaries by their squashed form, so "Sun-woo",
    "Sun woo" and "Sunwoo" all count and "mari" inside "married" does not.
    """

    def __init__(self, characters: tuple[Character, ...]) -> None:
        self._by_name: dict[str, list[Character]] = {}
        for character in characters:
            for name in character.names:
                key = squash(name)
                if key and character not in self._by_name.setdefault(key, []):
                    self._by_name[key].append(character)
        # Every prefix of every name: a window of words that is none can
        # grow into no name, and most words start none.
        self._prefixes = {key[:end] for key in self._by_name for end in range(1, len(key) + 1)}

    def find(self, text: str) -> Iterator[tuple[int, int, Character]]:
        """(start, end, character) for every name occurrence in `text`."""
        found = words(text)
        prefixes = self._prefixes
        for first, (word, _, _) in enumerate(found):
            if word not in prefixes:
                continue  # the common case, decided without the window loop
            joined = ""
            for last in range(first, min(first + _MAX_WORDS_PER_NAME, len(found))):
                joined += found[last][0]
                if joined not in prefixes:
                    break
                for character in self._by_name.get(joined, ()):
                    yield found[first][1], found[last][2], character


def _texts(pack: Pack, files: dict[int, str]) -> Iterator[_Text]:
    yield _Text("show.toml", ("synopsis",), pack.show.synopsis, 0)
    for index, review in enumerate(pack.show.reviews):
        for key in ("verdict", "thoughts"):
            text = getattr(review, key)
            yield _Text("show.toml", ("reviews", index, key), text, review.after_episode)
    for index, track in enumerate(pack.show.tracks):
        for key in ("title", "original_title", "artist", "note"):
            text = getattr(track, key)
            if text:
                yield _Text("show.toml", ("tracks", index, key), text, track.episode)
    for number, episode in pack.episodes.items():
        file = files.get(number, f"episodes/{number:02d}.toml")
        yield _Text(file, ("title",), episode.title, 0)
        yield _Text(file, ("logline",), episode.logline, 0)
        yield _Text(file, ("recap",), episode.recap, number)
        if episode.source_note:
            yield _Text(file, ("source_note",), episode.source_note, number)
        if episode.summary:
            yield _Text(file, ("summary",), episode.summary, number)
        for index, review in enumerate(episode.reviews):
            for key in ("verdict", "thoughts"):
                yield _Text(file, ("reviews", index, key), getattr(review, key), number)
    for index, character in enumerate(pack.characters):
        path: Path = ("characters", index)
        yield _Text("characters.toml", (*path, "intro"), character.intro, character.first_episode)
        if character.source_note:
            yield _Text(
                "characters.toml", (*path, "source_note"), character.source_note, character.first_episode
            )
        for note_index, note in enumerate(character.notes):
            yield _Text("characters.toml", (*path, "notes", note_index, "text"), note.text, note.episode)


def find_leaks(pack: Pack, files: dict[int, str] | None = None) -> list[Leak]:
    """Every place where text visible before episode k names a character
    whose first episode is k. `files` maps episode numbers to file names."""
    finder = NameFinder(tuple(c for c in pack.characters if c.first_episode > 0))
    leaks: list[Leak] = []
    for item in _texts(pack, files or {}):
        seen: set[str] = set()
        for start, end, character in finder.find(item.text):
            if character.first_episode > item.visible_from and character.id not in seen:
                seen.add(character.id)
                leaks.append(
                    Leak(
                        item.file,
                        item.path,
                        item.text[start:end],
                        character,
                        item.visible_from,
                        start,
                    )
                )
    return leaks


def report_leaks(pack: Pack, files: dict[int, str], root: FilePath, problems: list[Problem]) -> None:
    """Append a warning for every leak, located at the name in its file."""
    located: dict[str, TomlFile] = {}
    for leak in find_leaks(pack, files):
        file = located.get(leak.file)
        if file is None:
            file = _reread(root / leak.file, problems)
            located[leak.file] = file
        seen_from = "before any episode" if leak.visible_from == 0 else f"from episode {leak.visible_from}"
        message = (
            f"names {leak.name!r} ({leak.character.name}), who first appears in episode "
            f"{leak.character.first_episode}, but this text is visible {seen_from}"
        )
        line, column = _refine(file, leak, locate(file.positions, leak.path))
        problems.append(Problem(file.shown, format_path(leak.path), message, line, column, Severity.WARNING))


def _reread(path: FilePath, problems: list[Problem]) -> TomlFile:
    """The file's text again, only to locate a leak: it parsed once already."""
    file = TomlFile(str(path), problems)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        file.text = path.read_bytes().decode("utf-8-sig")
    return file


def _refine(file: TomlFile, leak: Leak, where: tuple[int, int] | None) -> tuple[int | None, int | None]:
    """Point at the name itself when it appears verbatim in the value
    (before the next key), else at the key."""
    if where is None:
        return None, None
    start = file.offset(*where)
    found = file.text.find(leak.name, start)
    key_offsets = file.key_offsets()
    following = bisect_right(key_offsets, start)
    if found < 0 or (following < len(key_offsets) and found > key_offsets[following]):
        return where
    before = file.text[:found]
    return before.count("\n") + 1, found - (before.rfind("\n") + 1) + 1
