"""Small in-memory packs for tests, built straight from the model dataclasses.

Tests that need a pack should not have to write TOML files: `make_pack()`
gives a valid four-episode pack with filler text, and its keyword arguments
swap in exactly the content a test is about. Filler words are Latin
placeholder words, so a test searching for an English word only finds the
text it planted itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from soundtrack_tui.core.model import Character, Episode, Note, Pack, Review, Show, Source, Track

SOURCE_KEY = "EX"

FILLER = (
    *("lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed"),
    *("eiusmod", "tempor", "incididunt", "labore", "dolore", "magna", "aliqua", "enim", "minim"),
    *("veniam", "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip"),
    *("commodo", "consequat", "duis", "aute", "irure", "reprehenderit", "voluptate", "velit"),
)


def filler(count: int, *, rng: random.Random | None = None, vocabulary: Sequence[str] = FILLER) -> str:
    """`count` placeholder words, deterministic for a given `rng`."""
    rng = rng or random.Random(0)
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def make_review(
    outlet: str = "Example Review",
    *,
    verdict: str = "A fair episode.",
    thoughts: str = "The reviewer liked it well enough.",
    after_episode: int = 0,
    rating: str | None = None,
) -> Review:
    """A review citing the pack's one source."""
    return Review(outlet, SOURCE_KEY, verdict, thoughts, after_episode, rating)


def make_episode(
    number: int,
    *,
    title: str | None = None,
    logline: str | None = None,
    recap: str | Sequence[str] | None = None,
    reviews: Iterable[Review] = (),
    runtime_minutes: int | None = None,
    summary: str | None = None,
    source_note: str | None = None,
    season: int = 1,
) -> Episode:
    """Episode `number`; `recap` may be one string or a list of paragraphs."""
    if recap is None:
        recap = f"Filler recap of episode {number}."
    if not isinstance(recap, str):
        recap = "\n\n".join(recap)
    return Episode(
        number=number,
        title=title if title is not None else f"Title {number}",
        logline=logline if logline is not None else f"Logline {number}.",
        recap=recap,
        sources=(SOURCE_KEY,),
        reviews=tuple(reviews),
        runtime_minutes=runtime_minutes,
        summary=summary,
        source_note=source_note,
        season=season,
    )


def make_track(title: str, *, artist: str = "A Singer", episode: int = 0, note: str | None = None) -> Track:
    return Track(title, artist, episode, note=note, sources=(SOURCE_KEY,))


def make_note(episode: int, text: str) -> Note:
    return Note(episode, text, (SOURCE_KEY,))


def make_character(
    id: str,
    name: str | None = None,
    *,
    first_episode: int = 0,
    intro: str | None = None,
    aliases: Iterable[str] = (),
    notes: Iterable[Note] = (),
) -> Character:
    """A character; the name defaults to the id in title case."""
    return Character(
        id=id,
        name=name if name is not None else id.replace("-", " ").title(),
        first_episode=first_episode,
        intro=intro if intro is not None else f"Intro of {id}.",
        aliases=tuple(aliases),
        sources=(SOURCE_KEY,),
        notes=tuple(notes),
    )


def make_pack(
    episodes: int = 4,
    *,
    count: int | None = None,
    overrides: Mapping[int, Episode] | None = None,
    missing: Iterable[int] = (),
    characters: Iterable[Character] = (),
    series_reviews: Iterable[Review] = (),
    paragraphs: int = 2,
    words: int = 30,
    vocabulary: Sequence[str] = FILLER,
    seed: int = 0,
    synopsis: str = "A show made up for tests.",
    tracks: Iterable[Track] = (),
) -> Pack:
    """A valid pack of `episodes` episodes with deterministic filler text.

    `count` is the show's episode_count (defaults to `episodes`); `overrides`
    replaces generated episodes by number; numbers in `missing` get no
    episode file. Generated recaps have `paragraphs` paragraphs of `words`
    words drawn from `vocabulary`.
    """
    rng = random.Random(seed)
    skipped = set(missing)
    built: dict[int, Episode] = {}
    for number in range(1, episodes + 1):
        if number in skipped:
            continue
        recap = [filler(words, rng=rng, vocabulary=vocabulary) for _ in range(paragraphs)]
        built[number] = make_episode(number, recap=recap, reviews=[make_review(after_episode=number)])
    built.update(overrides or {})
    show = Show(
        id="test-show",
        title="Test Show",
        episode_count=count if count is not None else max(episodes, *built, 1),
        synopsis=synopsis,
        sources=(Source(SOURCE_KEY, "Example Review", "An article", "https://example.org/a"),),
        reviews=tuple(series_reviews),
        tracks=tuple(tracks),
    )
    return Pack(show, MappingProxyType(dict(sorted(built.items()))), tuple(characters))
