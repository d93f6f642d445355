"""The spoiler policy: the one place that answers "what may the user see now".

Every screen, CLI command and search result asks these functions rather than
deciding for itself, so a spoiler rule is written once and tested once.

Every piece of pack text has a *gate*: the episode whose unlocking reveals
it. A recap is gated by its episode, a character by `first_episode`, a note
by the episode that reveals it, a series review by `after_episode`. Gate 0
is the premise and is always open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from soundtrack_tui.core.model import Character, Episode, Note, Pack, Review, Track
from soundtrack_tui.core.textnorm import squash


class Level(str, Enum):
    """How much of a locked episode shows."""

    STRICT = "strict"  # only its number
    STANDARD = "standard"  # number, title, runtime, air date, spoiler-free logline
    OFF = "off"  # everything: spoilers on

    @classmethod
    def parse(cls, value: str) -> Level:
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(level.value for level in cls)
            raise ValueError(f"unknown spoiler level {value!r} (choose {names})") from None


DEFAULT_LEVEL = Level.STANDARD

# What each level means, in the words every screen and command uses.
LEVEL_WORDS = {
    Level.STRICT: "locked episodes show only their number",
    Level.STANDARD: "locked episodes show title, facts and logline",
    Level.OFF: "everything is shown",
}


class Viewer(NamedTuple):
    """Who is looking: the inputs of every spoiler decision."""

    watched: frozenset[int] = frozenset()
    level: Level = DEFAULT_LEVEL
    peek: int | None = None

    def unlocked(self, gate: int) -> bool:
        """Is content gated by episode `gate` visible?"""
        return gate <= 0 or self.level is Level.OFF or gate in self.watched or gate == self.peek

    def has_seen_through(self, episode: int) -> bool:
        """Has the viewer seen every episode up to `episode`? What a
        whole-series review written after episode N assumes: watching 1
        and 4 does not unlock a review of everything through 4."""
        if episode <= 0 or self.level is Level.OFF:
            return True
        return all(number in self.watched or number == self.peek for number in range(1, episode + 1))

    @property
    def latest(self) -> int | None:
        """The furthest episode watched: its notes are "new"."""
        return max(self.watched) if self.watched else None

    def with_peek(self, number: int | None) -> Viewer:
        return Viewer(self.watched, self.level, number)


class ReviewView(NamedTuple):
    review: Review
    label: str  # "written after episode 2", "spoiler-free"
    series: bool  # a whole-series review rather than one episode's


@dataclass(frozen=True, slots=True)
class EpisodeRow:
    """One episode as a line of the episode list: no recap or reviews, so
    listing a thousand episodes stays cheap. Hidden fields are None."""

    number: int
    locked: bool
    watched: bool
    peeked: bool
    has_file: bool
    title: str | None
    # "S2 E5" in a show of several seasons (`Pack.episode_label`), else None.
    season_label: str | None = field(default=None, kw_only=True)

    @property
    def label(self) -> str:
        """How the program names the episode: "S2 E5", or "Episode 5"."""
        return self.season_label or f"Episode {self.number}"

    @property
    def label_in_sentence(self) -> str:
        """ "S2 E5", or "episode 5"."""
        return self.season_label or f"episode {self.number}"

    @property
    def heading(self) -> str:
        """ "3. Unrequited Love", "S2 E1: The Storm", or the label alone
        when the title is hidden."""
        if self.title is None:
            return self.label
        if self.season_label:
            return f"{self.season_label}: {self.title}"
        return f"{self.number}. {self.title}"


@dataclass(frozen=True, slots=True)
class EpisodeView(EpisodeRow):
    """One episode as the viewer may see it, whole. Hidden fields are None."""

    runtime_minutes: int | None
    aired: dt.date | None
    logline: str | None
    source_note: str | None  # may discuss plot points: shown only when unlocked
    shown_recap: Episode | None  # the episode whose recap may be shown, else None
    reviews: tuple[ReviewView, ...]
    previously: Previously | None = None  # opens the recap of the next episode to watch

    @property
    def facts(self) -> tuple[str, ...]:
        """ "aired 2022-03-23", "about 45 min": the facts line's parts."""
        facts = []
        if self.aired is not None:
            facts.append(f"aired {self.aired.isoformat()}")
        if self.runtime_minutes:
            facts.append(f"about {self.runtime_minutes} min")
        return tuple(facts)

    @property
    def summary(self) -> str | None:
        """The episode's "previously on" text, once its recap may show."""
        return None if self.shown_recap is None else self.shown_recap.summary

    @property
    def paragraphs(self) -> tuple[str, ...] | None:
        """The recap's paragraphs; None when locked or no recap yet. Split
        when read: views are made on every selection move and most are
        never drawn."""
        return None if self.shown_recap is None else self.shown_recap.paragraphs


class Previously(NamedTuple):
    """The "previously on" that opens the next episode's recap: the summary
    of the episode before it."""

    number: int
    summary: str
    label: str  # "episode 3", or "S2 E1" in a show of several seasons


SHOWN_ALIASES = 3


class NoteView(NamedTuple):
    note: Note
    new: bool  # revealed by the episode most recently watched
    season_label: str | None = None  # "S2 E5" in a show of several seasons

    @property
    def label(self) -> str:
        """ "S2 E5", or "episode 5"."""
        return self.season_label or f"episode {self.note.episode}"


class CharacterView(NamedTuple):
    character: Character
    notes: tuple[NoteView, ...]
    hidden_notes: int  # notes of locked episodes, counted, never shown
    level: Level = DEFAULT_LEVEL

    @property
    def has_new(self) -> bool:
        return any(note.new for note in self.notes)

    @property
    def more_later(self) -> str | None:
        """What the card says about notes still locked. Never a count (how
        many notes a character has left tells who matters later), and
        nothing at all at the strict level, where even that is a hint."""
        if not self.hidden_notes or self.level is Level.STRICT:
            return None
        return "More in later episodes."

    @property
    def shown_aliases(self) -> tuple[str, ...]:
        """The few aliases a card shows: the first that are not just the
        name (or an alias already shown) spelt or spaced another way, so
        "Seon-woo" shows and "Sunwoo" beside "Han Sun-woo" does not. Every
        alias stays searchable."""
        seen = [squash(self.character.name)]
        shown: list[str] = []
        for alias in self.character.aliases:
            key = squash(alias)
            if not key or any(key in other or other in key for other in seen):
                continue
            seen.append(key)
            shown.append(alias)
            if len(shown) == SHOWN_ALIASES:
                break
        return tuple(shown)


def shows_title(viewer: Viewer, number: int) -> bool:
    """Titles, runtime, air date and logline of a locked episode are visible
    at the standard level; strict hides everything but the number."""
    return viewer.unlocked(number) or viewer.level is Level.STANDARD


def episode_reviews(episode: Episode, viewer: Viewer) -> tuple[ReviewView, ...]:
    if not viewer.unlocked(episode.number):
        return ()
    return tuple(ReviewView(r, r.seen_label, series=False) for r in episode.reviews)


def series_reviews(pack: Pack, viewer: Viewer) -> tuple[ReviewView, ...]:
    return tuple(
        ReviewView(r, r.seen_label, series=True)
        for r in pack.show.reviews
        if viewer.has_seen_through(r.after_episode)
    )


def episode_row(pack: Pack, viewer: Viewer, number: int) -> EpisodeRow:
    """Episode `number` (1..episode_count) as a list line `viewer` may see."""
    if number not in pack.numbers:
        raise KeyError(number)
    episode = pack.episode(number)
    return EpisodeRow(
        number=number,
        locked=not viewer.unlocked(number),
        watched=number in viewer.watched,
        peeked=viewer.peek == number and number not in viewer.watched,
        has_file=episode is not None,
        title=episode.title if episode is not None and shows_title(viewer, number) else None,
        season_label=pack.season_label(number),
    )


def episode_view(pack: Pack, viewer: Viewer, number: int) -> EpisodeView:
    """Episode `number` (1..episode_count) as `viewer` may see it."""
    row = episode_row(pack, viewer, number)
    episode = pack.episode(number)
    facts = episode if row.title is not None else None
    unlocked = episode if not row.locked else None
    return EpisodeView(
        number=number,
        locked=row.locked,
        watched=row.watched,
        peeked=row.peeked,
        has_file=row.has_file,
        title=row.title,
        season_label=row.season_label,
        runtime_minutes=facts.runtime_minutes if facts else None,
        aired=facts.aired if facts else None,
        logline=facts.logline if facts else None,
        source_note=unlocked.source_note if unlocked else None,
        shown_recap=unlocked,
        reviews=episode_reviews(episode, viewer) if episode else (),
        previously=previously_on(pack, viewer, number) if unlocked else None,
    )


def previously_on(pack: Pack, viewer: Viewer, number: int) -> Previously | None:
    """The summary of episode `number - 1`, when `number` is the next
    episode to watch and that summary is unlocked. Only the next episode
    gets one: a fan rereading an old recap needs no reminder."""
    if number != next_episode(pack, viewer):
        return None
    previous = pack.episode(number - 1)
    if previous is None or previous.summary is None or not viewer.unlocked(previous.number):
        return None
    return Previously(
        previous.number, previous.summary, pack.episode_label(previous.number, in_sentence=True)
    )


def episode_views(pack: Pack, viewer: Viewer) -> list[EpisodeView]:
    return [episode_view(pack, viewer, number) for number in pack.numbers]


def character_views(pack: Pack, viewer: Viewer) -> list[CharacterView]:
    """Visible characters in pack order. A character whose first episode is
    locked is left out entirely, name included."""
    latest = viewer.latest
    views: list[CharacterView] = []
    for character in pack.characters:
        if not viewer.unlocked(character.first_episode):
            continue
        shown = tuple(
            NoteView(note, new=note.episode == latest, season_label=pack.season_label(note.episode))
            for note in character.notes
            if viewer.unlocked(note.episode)
        )
        views.append(CharacterView(character, shown, len(character.notes) - len(shown), viewer.level))
    return views


def story_episodes(pack: Pack, viewer: Viewer) -> list[Episode]:
    """The episodes the story so far tells, in order: those watched, or
    every one when spoilers are off. A peek unlocks one recap for reading,
    not for retelling."""
    return [
        episode
        for number, episode in pack.episodes.items()
        if number in viewer.watched or viewer.level is Level.OFF
    ]


class TrackView(NamedTuple):
    track: Track
    new: bool  # revealed by the episode most recently watched
    season_label: str | None = None  # of `track.episode`, in a show of several seasons

    @property
    def facts(self) -> tuple[str, ...]:
        """ "released 2022-01-20", "heard in episode 2": the facts line's parts."""
        facts = []
        if self.track.released is not None:
            facts.append(f"released {self.track.released.isoformat()}")
        if self.track.episode:
            facts.append(f"heard in {self.season_label or f'episode {self.track.episode}'}")
        return tuple(facts)


def track_views(pack: Pack, viewer: Viewer) -> tuple[list[TrackView], int]:
    """The tracks the viewer may see, in pack order, and how many are
    locked (counted, never shown)."""
    latest = viewer.latest
    shown = [
        TrackView(
            track,
            new=track.episode > 0 and track.episode == latest,
            season_label=pack.season_label(track.episode) if track.episode else None,
        )
        for track in pack.show.tracks
        if viewer.unlocked(track.episode)
    ]
    return shown, len(pack.show.tracks) - len(shown)


def next_episode(pack: Pack, viewer: Viewer) -> int | None:
    """The first episode not yet watched, or None when all are."""
    for number in pack.numbers:
        if number not in viewer.watched:
            return number
    return None
