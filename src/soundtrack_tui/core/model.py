"""The typed, immutable model of a content pack.

Everything here is produced by the loader from sanitized text, so the rest of
the program can trust that strings carry no control bytes and that every
cross reference (source keys, episode numbers) has been checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from soundtrack_tui.core.external_ids import ExternalIds
from soundtrack_tui.core.season_map import SeasonMap

FORMAT_VERSION = 1
# Format 1.1 adds seasons and external ids, and makes an episode's logline
# optional; a format 1 pack is read exactly as before.
FORMAT_VERSIONS = (1, 1.1)
MAX_EPISODES = 100_000  # what the loader accepts as episode_count


@dataclass(frozen=True, slots=True)
class Source:
    """A published article the pack cites; `key` is how text refers to it."""

    key: str
    outlet: str
    title: str
    url: str


def _utf8(text: str) -> bytes:
    # surrogatepass: any str round-trips, even one that bypassed the sanitizer.
    return text.encode("utf-8", "surrogatepass")


def _decoded(data: bytes | memoryview) -> str:
    return str(data, "utf-8", "surrogatepass")


class _KeptAsUtf8:
    """For model classes that keep long text as UTF-8 (see `Episode`): a
    text loaded from the cache, a memoryview of the entry, is pickled as
    bytes (a memoryview cannot be)."""

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        for key, value in state.items():
            if type(value) is memoryview:
                state[key] = bytes(value)
        return state


# Not slots, for the reason given at `Episode`.
@dataclass(frozen=True, init=False)
class Review(_KeptAsUtf8):
    """One outlet's opinion.

    `after_episode` is what the writer had seen: the episode number for an
    episode review, and for a whole-series review the episode it assumes you
    have watched (0 means spoiler-free). `thoughts`, most of a review, is
    kept as UTF-8 and decoded on access, as a recap is (see `Episode`).
    """

    outlet: str
    source: str
    verdict: str
    thoughts_utf8: bytes | memoryview
    after_episode: int
    rating: str | None = None

    def __init__(
        self,
        outlet: str,
        source: str,
        verdict: str,
        thoughts: str,
        after_episode: int,
        rating: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__  # the class is frozen
        setattr_(self, "outlet", outlet)
        setattr_(self, "source", source)
        setattr_(self, "verdict", verdict)
        setattr_(self, "thoughts_utf8", _utf8(thoughts))
        setattr_(self, "after_episode", after_episode)
        setattr_(self, "rating", rating)

    @property
    def thoughts(self) -> str:
        return _decoded(self.thoughts_utf8)

    @property
    def text(self) -> str:
        """Verdict, a blank line, thoughts: the text a reader sees and search
        indexes, so a match's offsets apply to it directly."""
        return f"{self.verdict}\n\n{self.thoughts}"

    @property
    def seen_label(self) -> str:
        if self.after_episode == 0:
            return "spoiler-free"
        return f"written after episode {self.after_episode}"


@dataclass(frozen=True, slots=True)
class Note:
    """A fact about a character, tagged with the episode that reveals it."""

    episode: int
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Character:
    id: str
    name: str
    first_episode: int
    intro: str
    aliases: tuple[str, ...] = ()
    actor: str | None = None
    source_note: str | None = None
    sources: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias: what a reader might type to find them."""
        return (self.name, *self.aliases)


# Not slots: the Pythons this project supports, until python/cpython#105936
# was fixed, raise TypeError instead of FrozenInstanceError when a property
# (`recap`) of a frozen slots dataclass is assigned. The dict costs ~100
# bytes an episode.
@dataclass(frozen=True, init=False)
class Episode(_KeptAsUtf8):
    """One episode. The recap, nearly all of a pack's text, is kept as UTF-8
    and decoded on access: one emoji makes CPython store a whole `str` at 4
    bytes per character, so with the emoji fans put in recaps a pack's
    recaps take about 4x the memory as `str` (39.6 MB against 10.4 MB at
    1,000 synthetic episodes), while decoding one costs microseconds and
    only the shown recap, or the search index build, reads them.
    Loaded from the cache, `recap_utf8` is a read-only memoryview of the
    entry's blob rather than bytes (one buffer for every recap).
    Constructed, compared and pickled like any other model class; `recap`
    and `paragraphs` always return `str`."""

    number: int
    title: str
    logline: str  # "" when absent (format 1.1 allows it: an imported episode may have none)
    recap_utf8: bytes | memoryview
    sources: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()
    runtime_minutes: int | None = None
    aired: dt.date | None = None
    source_note: str | None = None
    summary: str | None = None
    season: int = 1
    ids: ExternalIds = field(default_factory=dict, hash=False)  # compared, but a dict cannot be hashed

    def __init__(
        self,
        number: int,
        title: str,
        logline: str,
        recap: str,
        sources: tuple[str, ...] = (),
        reviews: tuple[Review, ...] = (),
        runtime_minutes: int | None = None,
        aired: dt.date | None = None,
        source_note: str | None = None,
        summary: str | None = None,
        season: int = 1,
        ids: ExternalIds | None = None,
    ) -> None:
        setattr_ = object.__setattr__  # the class is frozen
        setattr_(self, "number", number)
        setattr_(self, "title", title)
        setattr_(self, "logline", logline)
        setattr_(self, "recap_utf8", _utf8(recap))
        setattr_(self, "sources", sources)
        setattr_(self, "reviews", reviews)
        setattr_(self, "runtime_minutes", runtime_minutes)
        setattr_(self, "aired", aired)
        setattr_(self, "source_note", source_note)
        setattr_(self, "summary", summary)
        setattr_(self, "season", season)
        setattr_(self, "ids", dict(ids or {}))

    @property
    def recap(self) -> str:
        """The recap as written (sanitized and trimmed), decoded anew on each access."""
        return _decoded(self.recap_utf8)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Recap paragraphs: the recap split on blank lines."""
        return split_paragraphs(self.recap)

    @property
    def ending(self) -> str | None:
        """Where the episode leaves off, for the story so far: the last
        sentence of the recap, with the one before it when it is short."""
        paragraphs = self.paragraphs
        if not paragraphs:
            return None
        sentences = split_sentences(paragraphs[-1])
        told = sentences[-1:]
        if len(told[0].split()) < _SHORT_ENDING_WORDS:
            told = sentences[-2:]
        return " ".join(told)


@dataclass(frozen=True, slots=True)
class Track:
    """A song of the show's soundtrack. `episode` is where it is first heard
    or revealed, which gates it like a note; 0 means spoiler-free (a single
    released before the show aired)."""

    title: str
    artist: str
    episode: int = 0
    original_title: str | None = None
    released: dt.date | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """What a reader sees of the track and search indexes."""
        parts = [self.title]
        if self.original_title:
            parts.append(self.original_title)
        parts.append(self.artist)
        if self.note:
            parts.append(self.note)
        return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class Season:
    """A season declared in show.toml; `logline` is spoiler-free, shown above
    the season's episodes."""

    number: int
    title: str | None = None
    logline: str | None = None


@dataclass(frozen=True, slots=True)
class Show:
    id: str
    title: str
    episode_count: int
    synopsis: str
    format: float = FORMAT_VERSION
    original_title: str | None = None
    platform: str | None = None
    year: int | None = None
    director: str | None = None
    writer: str | None = None
    sources: tuple[Source, ...] = ()
    reviews: tuple[Review, ...] = ()
    tracks: tuple[Track, ...] = ()
    seasons: tuple[Season, ...] = ()
    ids: ExternalIds = field(default_factory=dict, hash=False)  # compared, but a dict cannot be hashed


def _frozen_episodes() -> Mapping[int, Episode]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Pack:
    """A loaded pack. `episodes` holds only the episodes that have a file;
    numbers up to `show.episode_count` without one have no recap yet."""

    show: Show
    episodes: Mapping[int, Episode] = field(default_factory=_frozen_episodes)
    characters: tuple[Character, ...] = ()
    root: Path | None = None
    _seasons: SeasonMap | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def numbers(self) -> range:
        return range(1, self.show.episode_count + 1)

    def episode(self, number: int) -> Episode | None:
        return self.episodes.get(number)

    def source(self, key: str) -> Source | None:
        for source in self.show.sources:
            if source.key == key:
                return source
        return None

    # -- seasons (format 1.1) ----------------------------------------------

    def _season_map(self) -> SeasonMap:
        if self._seasons is None:
            built = SeasonMap.build(
                self.show.episode_count, ((n, e.season) for n, e in self.episodes.items())
            )
            object.__setattr__(self, "_seasons", built)  # the class is frozen; made once, on first use
            return built
        return self._seasons

    def season_of(self, number: int) -> int:
        return self._season_map().season_of(number)

    def number_in_season(self, number: int) -> int:
        return self._season_map().number_in_season(number)

    @property
    def season_numbers(self) -> tuple[int, ...]:
        """The show's seasons: those declared, else those its episodes name."""
        if self.show.seasons:
            return tuple(season.number for season in self.show.seasons)
        return tuple(sorted(set(self._season_map().seasons)))

    @property
    def has_seasons(self) -> bool:
        return len(self.season_numbers) > 1

    def season(self, number: int) -> Season | None:
        """The declared season `number`, if show.toml declares it."""
        declared = self.show.seasons
        return declared[number - 1] if 1 <= number <= len(declared) else None

    def season_range(self, season: int) -> range:
        """The absolute episode numbers of `season` (empty if it has none)."""
        return self._season_map().numbers_of(season)

    def number_for(self, season: int, number_in_season: int) -> int | None:
        """The absolute number of episode `number_in_season` of `season`, or
        None if that season has no such episode."""
        episodes = self.season_range(season)
        return episodes[number_in_season - 1] if 1 <= number_in_season <= len(episodes) else None

    def season_label(self, number: int) -> str | None:
        """ "S2 E5" in a show of several seasons, else None: where a show of
        one season words its episodes its own way ("3. Title", "peeking 3")."""
        if self.has_seasons:
            return f"S{self.season_of(number)} E{self.number_in_season(number)}"
        return None

    def episode_label(self, number: int, *, in_sentence: bool = False) -> str:
        """How the program names an episode to a reader: "S2 E5" in a show
        of several seasons, else "Episode 5" ("episode 5" `in_sentence`)."""
        return self.season_label(number) or f"{'episode' if in_sentence else 'Episode'} {number}"


# An ending this short ("Then the music stops.") needs the sentence before it.
_SHORT_ENDING_WORDS = 12
# The gap after a sentence's end mark (and any closing quote or bracket),
# where the next sentence starts with a capital or a digit.
_SENTENCE_GAP = re.compile(r"[.!?…][\"'”’)]*(\s+)(?=[\"'“‘(]*[A-Z0-9])")


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences. Good enough for prose: an abbreviation such
    as "Mr. Kim" would split, which only shortens an excerpt."""
    sentences: list[str] = []
    start = 0
    for gap in _SENTENCE_GAP.finditer(paragraph):
        sentences.append(paragraph[start : gap.start(1)])
        start = gap.end(1)
    sentences.append(paragraph[start:])
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by one or more blank lines, trimmed."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return tuple(paragraphs)
