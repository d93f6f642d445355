"""The spoiler lint: text that names a character before the viewer meets them.

Every text has a *visible-from* episode: the progress at which a viewer can
first read it. Loglines, titles and the synopsis show before anything is
watched (0); an intro shows once its character's first episode is; a note
once its episode is; a review once what it assumes is. Text that names a
character (by name or alias) whose `first_episode` is later than that leaks
the character's existence, which is exactly what the character pane hides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from soundtrack_tui.core.model import Character, Pack
from soundtrack_tui.core.textnorm import squash, words
from soundtrack_tui.core.tomlpos import Path

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
    for number, episode in pack.episodes.items():
        file = files.get(number, f"episodes/{number:02d}.toml")
        yield _Text(file, ("title",), episode.title, 0)
        yield _Text(file, ("logline",), episode.logline, 0)
        yield _Text(file, ("recap",), episode.recap, number)
        if episode.source_note:
            yield _Text(file, ("source_note",), episode.source_note, number)
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
