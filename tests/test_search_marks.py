"""The matches of one episode (`SearchIndex.episode_matches`): what the
recap's `n`/`N` step through. They must agree with what search hits on the
same texts would target, honour the spoiler policy as search does, and find
every matching paragraph however often the words occur in the whole pack."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from packs import make_episode, make_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import EpisodeMatches, RecapMatch, SearchIndex
from soundtrack_tui.core.textnorm import squash
from test_search import spoiler_pack, story_pack

OFF = Viewer(level=Level.OFF)
QUERIES = [
    "tarot",
    "tarot card",
    "sun woo",
    "sunwoo",
    "the",
    "t",
    "tarot ca",
    '"tarot card"',
    "zebra",
    "선우",
    "café",
]
VIEWERS = [
    OFF,
    Viewer(),
    Viewer(frozenset({1}), Level.STANDARD),
    Viewer(frozenset({1, 3}), Level.STRICT),
    Viewer(frozenset(), Level.STRICT, peek=2),
]


def from_search(index: SearchIndex, query: str, viewer: Viewer, episode: int) -> EpisodeMatches:
    """What a search without a limit says about `episode`'s own texts."""
    found: dict[str, list[tuple[int, tuple[tuple[int, int], ...]]]] = {}
    for hit in index.search(query, viewer, limit=100_000).hits:
        if hit.episode == episode:
            target = hit.target
            item = target.paragraph if hit.field == "recap" else target.review_index
            found.setdefault(hit.field, []).append((item or 0, target.spans))
    title, logline = (
        next((spans for _, spans in found.get(field, [])), ()) for field in ("title", "logline")
    )
    recap, reviews = (tuple(sorted(found.get(field, []))) for field in ("recap", "review"))
    return EpisodeMatches(episode, title, logline, recap, reviews)


@pytest.mark.parametrize("make", [story_pack, spoiler_pack], ids=["story", "spoilers"])
def test_an_episode_matches_what_search_finds_in_it(make: Callable[[], Pack]) -> None:
    pack = make()
    index = SearchIndex.build(pack)
    for query in QUERIES:
        for viewer in VIEWERS:
            for number in pack.episodes:
                expected = from_search(index, query, viewer, number)
                assert index.episode_matches(query, viewer, number) == expected, (query, viewer, number)


def test_marks_are_the_recap_spans_in_reading_order() -> None:
    index = SearchIndex.build(story_pack())
    matches = index.episode_matches("tarot", OFF, 4)
    assert matches.recap == ((1, ((0, 5), (7, 12), (14, 19))),)
    assert matches.recap_marks == (RecapMatch(1, 0, 5), RecapMatch(1, 7, 12), RecapMatch(1, 14, 19))
    two = index.episode_matches("tarot", OFF, 2)
    assert [mark.paragraph for mark in two.recap_marks] == [0, 1]
    assert two.title == ((4, 9),) and two.logline == ()


def test_locked_texts_give_no_matches() -> None:
    index = SearchIndex.build(spoiler_pack())
    locked = index.episode_matches("zebra", Viewer(frozenset({1}), Level.STANDARD), 2)
    assert locked.recap == () and locked.reviews == ()
    assert locked.title and locked.logline  # the standard level shows a locked episode's title
    strict = index.episode_matches("zebra", Viewer(frozenset({1}), Level.STRICT), 2)
    assert strict == EpisodeMatches(2)
    peeked = index.episode_matches("zebra", Viewer(frozenset({1}), Level.STRICT, peek=2), 2)
    assert peeked.recap and peeked.reviews


def test_no_query_or_no_such_episode_gives_nothing() -> None:
    index = SearchIndex.build(story_pack())
    assert index.episode_matches("  ", OFF, 2) == EpisodeMatches(2)
    assert index.episode_matches("tarot", OFF, 99) == EpisodeMatches(99)


def test_every_matching_paragraph_of_the_last_episode_is_found_in_a_big_pack() -> None:
    """A thousand episodes where "card" occurs tens of thousands of times:
    a whole-pack search capped at 2,000 hits never reaches the last
    episode, whose every matching paragraph must still be found."""
    last = 1000
    recap = ["No match in here.", "A card trick.", "Nothing.", "Card after card.", "The cardigan."]
    pack = make_pack(
        last,
        paragraphs=3,
        words=24,
        vocabulary=("card", "lorem", "ipsum"),
        overrides={last: make_episode(last, recap=recap)},
    )
    index = SearchIndex.build(pack)
    text = " ".join(paragraph for episode in pack.episodes.values() for paragraph in episode.paragraphs)
    assert text.lower().split().count("card") > 10_000
    capped = index.search("card", OFF, limit=2_000)
    assert not any(hit.episode == last for hit in capped.hits) and capped.total > 2_000

    paragraphs = pack.episodes[last].paragraphs
    # A space ends the word; without one "card" is still being typed and
    # finds "cardigan" too.
    for query, expected in (("card ", [1, 3]), ("card", [1, 3, 4])):
        matches = index.episode_matches(query, OFF, last)
        assert [paragraph for paragraph, _ in matches.recap] == expected
        for mark in matches.recap_marks:
            assert squash(paragraphs[mark.paragraph][mark.start : mark.end]).startswith("card")
    assert len(index.episode_matches("card ", OFF, last).recap_marks) == 3
