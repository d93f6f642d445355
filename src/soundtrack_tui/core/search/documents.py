"""The searchable texts of a pack: which they are, where each lives, who may see it.

Every text search looks in is a document with a place in the pack
(`Place`: field, owner, item) and a gate episode. The index keeps a
document as those three numbers and makes its text and details again from
the pack when a hit needs them, rather than holding 17,000 objects for a
thousand episodes. Documents are numbered by field tier, then story order
(see `SearchIndex.build`).
"""

from __future__ import annotations

import dataclasses
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, chain, compress, islice
from typing import Literal

from soundtrack_tui.core.model import Character, Episode, Pack, Review, Track
from soundtrack_tui.core.policy import Viewer, shows_title
from soundtrack_tui.core.search.storage import id_type, picked

__all__ = ["Doc", "Documents", "Field", "Place", "Source", "Story", "leading_sources", "sources"]

Field = Literal[
    "title", "logline", "recap", "review", "name", "alias", "intro", "note", "series review", "track"
]

# A document's place in the pack: (field, owner, item). The owner is the
# episode number (title, logline, recap, review), the character's index
# (name, alias, intro, note) or the series review's index; the item is the
# paragraph, review, alias or note index (0 where there is one text). A
# track's owner is its index in the soundtrack.
FIELDS: tuple[Field, ...] = (
    "title", "logline", "recap", "review", "name", "alias", "intro", "note", "series review", "track"
)  # fmt: skip
TITLE, LOGLINE, RECAP, REVIEW, NAME, ALIAS, INTRO, NOTE, SERIES, TRACK = range(len(FIELDS))
TIERS = 3
# Ranking tiers: names and titles, then loglines, then prose.
TIER_OF = tuple(
    0 if field in ("title", "name", "alias") else 1 if field == "logline" else 2 for field in FIELDS
)
Place = tuple[int, int, int]
Story = tuple[int, int, int, int]  # sort key: story order; its first number is the gate
Source = tuple[Story, Place, str]  # a document and its text, to index


def sources(pack: Pack) -> Iterator[Source]:
    """Every searchable text, with its place in story order."""
    return chain(_episode_docs(pack), _character_docs(pack), _series_docs(pack), _track_docs(pack))


def leading_sources(pack: Pack, episodes: int) -> int:
    """How many of `sources(pack)` come from its first `episodes` episodes."""
    chosen = islice(pack.episodes.values(), max(episodes, 0))
    return sum(2 + len(episode.paragraphs) + len(episode.reviews) for episode in chosen)


def _episode_docs(pack: Pack) -> Iterator[Source]:
    """Title and logline (shown by `shows_title`), each recap paragraph and
    each review (shown once the episode is unlocked)."""
    for n, episode in pack.episodes.items():
        yield (n, 0, 0, 0), (TITLE, n, 0), episode.title
        yield (n, 1, 0, 0), (LOGLINE, n, 0), episode.logline
        for index, paragraph in enumerate(episode.paragraphs):
            yield (n, 2, index, 0), (RECAP, n, index), paragraph
        for index, review in enumerate(episode.reviews):
            yield (n, 3, index, 0), (REVIEW, n, index), review.text


def _character_docs(pack: Pack) -> Iterator[Source]:
    """Names, aliases and intro are gated by the first episode; a note by
    its own (see `Documents.doc`)."""
    for index, person in enumerate(pack.characters):
        first = person.first_episode
        yield (first, 4, index, 0), (NAME, index, 0), person.name
        for number, alias in enumerate(person.aliases):
            yield (first, 4, index, number + 1), (ALIAS, index, number), alias
        yield (first, 4, index, len(person.aliases) + 1), (INTRO, index, 0), person.intro
        for number, note in enumerate(person.notes):
            yield (note.episode, 5, index, number), (NOTE, index, number), note.text


def _series_docs(pack: Pack) -> Iterator[Source]:
    """Whole-series reviews, gated by the episode each assumes seen."""
    for index, review in enumerate(pack.show.reviews):
        yield (review.after_episode, 6, index, 0), (SERIES, index, 0), review.text


def _track_docs(pack: Pack) -> Iterator[Source]:
    """The soundtrack's songs, each gated by the episode that reveals it."""
    for index, track in enumerate(pack.show.tracks):
        yield (track.episode, 7, index, 0), (TRACK, index, 0), track.text


@dataclasses.dataclass(frozen=True, slots=True)
class Doc:
    """A document's gates and where a hit on it points, made when needed."""

    gate: int
    title_gate: bool = False  # visible by `shows_title`, not `unlocked`
    through: bool = False  # visible by `has_seen_through`: a series review
    requires: int | None = None  # a second gate: a note's character
    character_id: str | None = None
    paragraph: int | None = None
    review_index: int | None = None
    note_index: int | None = None
    alias_index: int | None = None
    track_index: int | None = None


Visibility = tuple[frozenset[int], dict[int, int]]  # documents seen; hidden ones counted elsewhere


class Documents:
    """The indexed documents in id order: each one's place, its gate, and
    the pack parts its place refers to (episodes, characters, series
    reviews), which is all a hit needs to make its text and label.
    Immutable; `stored` and `restored` are what a cache entry keeps."""

    __slots__ = (
        "alias_owner",
        "characters",
        "classes",
        "episodes",
        "fields",
        "gates",
        "items",
        "owners",
        "series",
        "tier_starts",
        "tracks",
    )
    STORED = ("characters", "classes", "episodes", "fields", "gates", "items", "owners", "series", "tracks")

    episodes: dict[int, Episode]
    characters: tuple[Character, ...]
    series: tuple[Review, ...]
    tracks: tuple[Track, ...]
    fields: array[int]
    owners: array[int]
    items: array[int]
    gates: array[int]
    classes: dict[tuple[int, bool, bool, int | None], array[int]]
    tier_starts: tuple[int, ...]
    alias_owner: dict[int, int]

    def __init__(self, pack: Pack, places: Sequence[Place]) -> None:
        """Lays out the documents at `places`, in that order (the ids)."""
        self.episodes = dict(pack.episodes)
        self.characters = pack.characters
        self.series = pack.show.reviews
        self.tracks = pack.show.tracks
        fields, owners, items = zip(*places, strict=True) if places else ((), (), ())
        self.fields = array("B", fields)
        self.owners = array(id_type(max(owners, default=0)), owners)
        self.items = array(id_type(max(items, default=0)), items)
        docs = [self.doc(d) for d in range(len(places))]
        self.gates = array("i", (doc.gate for doc in docs))
        # Documents sharing every gate rule, so a viewer is asked once per class.
        classes: dict[tuple[int, bool, bool, int | None], list[int]] = {}
        for d, doc in enumerate(docs):
            classes.setdefault((doc.gate, doc.title_gate, doc.through, doc.requires), []).append(d)
        self.classes = {key: array(id_type(len(docs)), members) for key, members in classes.items()}
        self._derive()

    def stored(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.STORED}

    @classmethod
    def restored(cls, state: dict[str, object]) -> Documents:
        documents = cls.__new__(cls)
        for name in cls.STORED:
            setattr(documents, name, state[name])
        documents._derive()
        return documents

    def _derive(self) -> None:
        """What is quick to make again from the stored arrays."""
        # Ids run through the tiers in order: tier t is the ids from
        # tier_starts[t] to tier_starts[t + 1].
        sizes = Counter(map(TIER_OF.__getitem__, self.fields))
        self.tier_starts = tuple(accumulate((sizes[tier] for tier in range(TIERS)), initial=0))
        # The character of each name and alias (17,000 documents at a
        # thousand episodes: made at C speed, on every load).
        names = map((NAME, ALIAS).__contains__, self.fields)
        self.alias_owner = dict(compress(enumerate(self.owners), names))

    def __len__(self) -> int:
        return len(self.fields)

    def reading_order(self, d: int) -> tuple[int, int, int, int]:
        """Where a reader meets document `d`: the episode pages in order
        (title, logline, recap paragraphs, reviews), then the characters in
        cast order (name, aliases, intro, notes), the series reviews and the
        songs. Ids run by ranking tier, so they cannot give this order."""
        field, owner, item = self.fields[d], self.owners[d], self.items[d]
        if field <= REVIEW:
            return (0, owner, field, item)
        if field <= NOTE:
            return (1, owner, field, item)
        return (2 if field == SERIES else 3, owner, 0, item)

    def doc(self, d: int) -> Doc:
        """Gates follow `policy`: episode texts by their episode (titles and
        loglines by `shows_title`); names, aliases and intros by the
        character's first episode; a note by its own episode and also its
        character's first, as in `policy.character_views` (watched episodes
        need not be consecutive); series reviews by the episode each
        assumes seen."""
        field, owner, item = self.fields[d], self.owners[d], self.items[d]
        if field <= REVIEW:
            return Doc(
                owner,
                title_gate=field <= LOGLINE,
                paragraph=item if field == RECAP else None,
                review_index=item if field == REVIEW else None,
            )
        if field == SERIES:
            return Doc(self.series[owner].after_episode, through=True, review_index=owner)
        if field == TRACK:
            return Doc(self.tracks[owner].episode, track_index=owner)
        person = self.characters[owner]
        first = person.first_episode
        return Doc(
            person.notes[item].episode if field == NOTE else first,
            character_id=person.id,
            requires=first if field == NOTE else None,
            alias_index=item if field == ALIAS else None,
            note_index=item if field == NOTE else None,
        )

    def label(self, d: int) -> str:
        """What a hit on the document is listed under: its episode, the
        review's outlet, or the character's name."""
        field, owner = self.fields[d], self.owners[d]
        if field <= REVIEW:
            return (
                self.episodes[owner].reviews[self.items[d]].outlet if field == REVIEW else f"Episode {owner}"
            )
        if field == TRACK:
            return self.tracks[owner].title
        return self.series[owner].outlet if field == SERIES else self.characters[owner].name

    def episode(self, d: int) -> int | None:
        """The episode page the document belongs to, if any."""
        return self.owners[d] if self.fields[d] <= REVIEW else None

    def text(self, d: int) -> str:
        """The text the document's offsets refer to."""
        field, owner, item = self.fields[d], self.owners[d], self.items[d]
        if field == SERIES:
            return self.series[owner].text
        if field == TRACK:
            return self.tracks[owner].text
        if field <= REVIEW:
            episode = self.episodes[owner]
            if field == RECAP:
                return episode.paragraphs[item]
            if field == REVIEW:
                return episode.reviews[item].text
            return episode.title if field == TITLE else episode.logline
        person = self.characters[owner]
        if field == NOTE:
            return person.notes[item].text
        if field == ALIAS:
            return person.aliases[item]
        return person.name if field == NAME else person.intro

    def of_episode(self, number: int) -> list[int]:
        """The documents of episode `number`'s own page (title, logline,
        recap paragraphs, reviews), in story order. Within a tier ids follow
        story order, whose first key is the gate, so each tier's documents
        gated by `number` are one run found by bisection; its character
        texts and series reviews are left out."""
        found: list[int] = []
        for tier in range(TIERS):
            low, high = self.tier_starts[tier], self.tier_starts[tier + 1]
            start = bisect_left(self.gates, number, low, high)
            stop = bisect_right(self.gates, number, start, high)
            found += [d for d in range(start, stop) if self.fields[d] <= REVIEW]
        return found

    def visibility(self, viewer: Viewer) -> Visibility:
        """Documents `viewer` may see, decided by the policy once per class
        of documents; and the hidden documents to count under another gate
        than their own: a note of a watched episode whose character is
        still locked, a series review whose earlier episodes are not all
        watched."""
        shown: list[array[int]] = []
        moved: dict[int, int] = {}
        for (gate, title_gate, through, requires), members in self.classes.items():
            if through and not viewer.has_seen_through(gate):
                # Counted under the first episode still to watch: watching
                # the gate episode itself would not unlock it.
                missing = next(n for n in range(1, gate + 1) if not viewer.unlocked(n))
                moved.update(dict.fromkeys(members, missing))
                continue
            if not (shows_title(viewer, gate) if title_gate else viewer.unlocked(gate)):
                continue
            if requires is None or viewer.unlocked(requires):
                shown.append(members)
            else:
                moved.update(dict.fromkeys(members, requires))
        # One set built from all the shown classes at once: a thousand
        # episodes have a couple of thousand classes.
        return frozenset(chain.from_iterable(shown)), moved

    def locked_by_gate(self, hidden: AbstractSet[int], moved: Mapping[int, int]) -> dict[int, int]:
        """How many of the `hidden` documents each episode would unlock, in
        gate order: a document counts under its own gate unless `moved`
        (from `visibility`) names another. Thousands of documents may be
        hidden, so their gates are gathered by one C call and the few
        moved ones corrected after."""
        gates = self.gates
        counts = Counter(picked(gates, hidden))
        for d in moved.keys() & hidden:
            counts[gates[d]] -= 1
            counts[moved[d]] += 1
        return {gate: counts[gate] for gate in sorted(counts) if counts[gate] > 0}

    def one_per_character(self, matched: set[int], rank: Callable[[int], int]) -> set[int]:
        """A character is one result however many of its names match: the
        best-ranked matching name by `rank` (lower is better), the display
        name on a tie. Locked names are counted once per character for the
        same reason."""
        named = matched & self.alias_owner.keys()
        if len(named) < 2:
            return matched
        best: dict[int, int] = {}
        for d in sorted(named, key=lambda d: (rank(d), d)):
            best.setdefault(self.alias_owner[d], d)
        return (matched - named) | set(best.values())
