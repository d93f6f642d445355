"""The spoiler policy as a table: level x watched set x peek, per kind of text."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from packs import make_character, make_episode, make_pack, make_review, make_track
from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Character, Episode, Note, Pack, Review, Show
from soundtrack_tui.core.policy import Level, Viewer


def _pack() -> Pack:
    episodes = {
        n: Episode(
            number=n,
            title=f"Title {n}",
            logline=f"Logline {n}",
            recap=f"Recap {n} first.\n\nRecap {n} second.",
            runtime_minutes=40 + n,
            reviews=(Review("Outlet", "S", f"Verdict {n}", f"Thoughts {n}", n, "4/5"),),
        )
        for n in (1, 2, 3)
    }
    show = Show(
        id="demo",
        title="Demo",
        episode_count=4,  # episode 4 has no file yet
        synopsis="A demo.",
        reviews=(
            Review("Early", "S", "Spoiler-free", "No spoilers.", 0),
            Review("Late", "S", "After two", "Mid-season.", 2),
            Review("Final", "S", "Finale", "Everything.", 3),
        ),
    )
    characters = (
        Character("lead", "Lead", 0, "The lead.", notes=(Note(1, "Lead one"), Note(3, "Lead three"))),
        Character("second", "Second", 2, "Arrives in two.", notes=(Note(2, "Second two"),)),
    )
    return Pack(show, MappingProxyType(episodes), characters)


PACK = _pack()
OFF, STANDARD, STRICT = Level.OFF, Level.STANDARD, Level.STRICT


# (level, watched, peek, episode) -> (title shown, recap shown, reviews shown)
EPISODE_TABLE = [
    (STANDARD, set(), None, 1, True, False, False),
    (STANDARD, {1}, None, 1, True, True, True),
    (STANDARD, {1}, None, 2, True, False, False),
    (STANDARD, {1}, 2, 2, True, True, True),
    (STANDARD, {1}, 2, 3, True, False, False),
    (STRICT, set(), None, 1, False, False, False),
    (STRICT, {1}, None, 1, True, True, True),
    (STRICT, {1}, None, 2, False, False, False),
    (STRICT, set(), 2, 2, True, True, True),
    (OFF, set(), None, 3, True, True, True),
    (OFF, {1}, None, 2, True, True, True),
    (STANDARD, {1, 3}, None, 3, True, True, True),  # non-contiguous progress
    (STANDARD, {1, 3}, None, 2, True, False, False),
]


@pytest.mark.parametrize(("level", "watched", "peek", "number", "title", "recap", "reviews"), EPISODE_TABLE)
def test_episode_fields(
    level: Level,
    watched: set[int],
    peek: int | None,
    number: int,
    title: bool,
    recap: bool,
    reviews: bool,
) -> None:
    view = policy.episode_view(PACK, Viewer(frozenset(watched), level, peek), number)
    assert (view.title is not None) == title
    assert (view.logline is not None) == title
    assert (view.runtime_minutes is not None) == title
    assert (view.paragraphs is not None) == recap
    assert bool(view.reviews) == reviews
    assert view.locked == (not recap)


def test_unlocked_view_shows_the_episode_paragraphs() -> None:
    """Split when read, not when the view is made; the same paragraphs."""
    view = policy.episode_view(PACK, Viewer(frozenset({1})), 1)
    assert view.paragraphs == PACK.episodes[1].paragraphs == ("Recap 1 first.", "Recap 1 second.")


def test_peek_is_temporary_and_marked() -> None:
    viewer = Viewer(frozenset({1}), STANDARD, peek=2)
    assert policy.episode_view(PACK, viewer, 2).peeked
    moved = viewer.with_peek(None)
    assert policy.episode_view(PACK, moved, 2).locked
    assert moved.watched == viewer.watched  # peeking never changes progress


def test_episode_without_file_is_no_recap_yet() -> None:
    view = policy.episode_view(PACK, Viewer(level=OFF), 4)
    assert not view.has_file
    assert view.paragraphs is None
    assert view.heading == "Episode 4"


def test_unknown_episode_raises() -> None:
    with pytest.raises(KeyError):
        policy.episode_view(PACK, Viewer(), 5)
    with pytest.raises(KeyError):
        policy.episode_row(PACK, Viewer(), 0)


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("watched", [set(), {1}, {2, 3}, {1, 2, 3, 4}])
@pytest.mark.parametrize("peek", [None, 2, 4])
def test_list_row_agrees_with_the_full_view(level: Level, watched: set[int], peek: int | None) -> None:
    """The episode list asks for a row, the recap pane for a view: the two
    must never disagree on what shows."""
    viewer = Viewer(frozenset(watched), level, peek)
    for number in PACK.numbers:
        row = policy.episode_row(PACK, viewer, number)
        view = policy.episode_view(PACK, viewer, number)
        fields = ("number", "locked", "watched", "peeked", "has_file", "title", "heading")
        assert {name: getattr(row, name) for name in fields} == {name: getattr(view, name) for name in fields}


@pytest.mark.parametrize(
    ("level", "watched", "peek", "names", "notes"),
    [
        (STANDARD, set(), None, ["Lead"], {"lead": []}),
        (STANDARD, {1}, None, ["Lead"], {"lead": ["Lead one"]}),
        (STANDARD, {1, 2}, None, ["Lead", "Second"], {"lead": ["Lead one"], "second": ["Second two"]}),
        (STRICT, {3}, None, ["Lead"], {"lead": ["Lead three"]}),
        (STANDARD, set(), 2, ["Lead", "Second"], {"lead": [], "second": ["Second two"]}),
        (
            OFF,
            set(),
            None,
            ["Lead", "Second"],
            {"lead": ["Lead one", "Lead three"], "second": ["Second two"]},
        ),
    ],
)
def test_characters_and_notes(
    level: Level, watched: set[int], peek: int | None, names: list[str], notes: dict[str, list[str]]
) -> None:
    views = policy.character_views(PACK, Viewer(frozenset(watched), level, peek))
    assert [v.character.name for v in views] == names
    for view in views:
        assert [n.note.text for n in view.notes] == notes[view.character.id]
        assert view.hidden_notes == len(view.character.notes) - len(view.notes)


def test_notes_of_latest_watched_episode_are_new() -> None:
    views = policy.character_views(PACK, Viewer(frozenset({1, 2})))
    new = {n.note.text for v in views for n in v.notes if n.new}
    assert new == {"Second two"}
    assert [v.has_new for v in views] == [False, True]


@pytest.mark.parametrize(
    ("level", "watched", "peek", "outlets"),
    [
        (STANDARD, set(), None, ["Early"]),
        (STANDARD, {1}, None, ["Early"]),
        (STANDARD, {2}, None, ["Early"]),  # "Late" assumes episodes 1 and 2 seen
        (STANDARD, {1, 2}, None, ["Early", "Late"]),
        (STANDARD, {1, 2, 3}, None, ["Early", "Late", "Final"]),
        (STRICT, set(), 3, ["Early"]),  # a peek at 3 is not 1 to 3 seen
        (STRICT, {1, 2}, 3, ["Early", "Late", "Final"]),
        (OFF, set(), None, ["Early", "Late", "Final"]),
    ],
)
def test_series_reviews(level: Level, watched: set[int], peek: int | None, outlets: list[str]) -> None:
    views = policy.series_reviews(PACK, Viewer(frozenset(watched), level, peek))
    assert [v.review.outlet for v in views] == outlets
    assert all(v.series for v in views)


def test_reviews_say_what_their_writer_had_seen() -> None:
    labels = [v.label for v in policy.series_reviews(PACK, Viewer(level=OFF))]
    assert labels == ["spoiler-free", "written after episode 2", "written after episode 3"]
    episode = policy.episode_view(PACK, Viewer(level=OFF), 2)
    assert [r.label for r in episode.reviews] == ["written after episode 2"]


def test_story_tells_watched_episodes_in_order_and_never_a_peek() -> None:
    assert [e.number for e in policy.story_episodes(PACK, Viewer(frozenset({3, 1})))] == [1, 3]
    assert [e.number for e in policy.story_episodes(PACK, Viewer(frozenset({1}), peek=2))] == [1]
    assert [e.number for e in policy.story_episodes(PACK, Viewer(level=OFF))] == [1, 2, 3]
    assert policy.next_episode(PACK, Viewer(frozenset({1}))) == 2
    assert policy.next_episode(PACK, Viewer(frozenset({1, 2, 3, 4}))) is None


def test_level_parse() -> None:
    assert Level.parse(" Strict ") is STRICT
    with pytest.raises(ValueError, match="choose strict, standard, off"):
        Level.parse("loose")


def _summarised() -> Pack:
    return make_pack(
        overrides={n: make_episode(n, summary=f"Summary {n}.") for n in (1, 2, 3)},
        tracks=[
            make_track("Single", episode=0),
            make_track("In-story song", episode=2),
            make_track("Finale song", episode=4),
        ],
    )


@pytest.mark.parametrize(
    ("viewer", "number", "expected"),
    [
        (Viewer(frozenset({1}), peek=2), 2, (1, "Summary 1.", "episode 1")),  # next episode, peeked
        (Viewer(frozenset({1, 2}), level=OFF), 3, (2, "Summary 2.", "episode 2")),  # spoilers on
        (Viewer(frozenset({1})), 2, None),  # the recap itself is locked
        (Viewer(frozenset({1, 2}), level=OFF), 2, None),  # watched: no reminder
        (Viewer(frozenset({2}), peek=3), 3, None),  # next to watch is 1, not 3
        (Viewer(level=OFF), 1, None),  # nothing before episode 1
    ],
)
def test_previously_opens_only_the_next_episode_to_watch(
    viewer: Viewer, number: int, expected: tuple[int, str, str] | None
) -> None:
    view = policy.episode_view(_summarised(), viewer, number)
    assert (tuple(view.previously) if view.previously else None) == expected


def test_a_summary_shows_only_with_its_recap() -> None:
    pack = _summarised()
    assert policy.episode_view(pack, Viewer(frozenset({1})), 2).summary is None
    assert policy.episode_view(pack, Viewer(frozenset({2})), 2).summary == "Summary 2."


def test_tracks_are_gated_by_their_episode_and_counted_when_locked() -> None:
    pack = _summarised()
    shown, hidden = policy.track_views(pack, Viewer(frozenset({1})))
    assert [v.track.title for v in shown] == ["Single"] and hidden == 2
    shown, hidden = policy.track_views(pack, Viewer(frozenset({1, 2})))
    assert [(v.track.title, v.new) for v in shown] == [("Single", False), ("In-story song", True)]
    assert hidden == 1
    shown, hidden = policy.track_views(pack, Viewer(level=OFF))
    assert len(shown) == 3 and hidden == 0
    assert [v.track.title for v in policy.track_views(pack, Viewer(peek=4))[0]] == ["Single", "Finale song"]


def test_a_card_shows_a_few_aliases_that_differ_from_the_name() -> None:
    person = make_character(
        "han",
        "Han Sun-woo",
        aliases=["Sun-woo", "Sunwoo", "Seon-woo", "Seonwoo", "선우", "한선우", "ソヌ", "X"],
    )
    view = policy.character_views(make_pack(characters=[person]), Viewer())[0]
    assert view.shown_aliases == ("Seon-woo", "선우", "ソヌ")


def test_a_series_review_needs_every_episode_up_to_its_own() -> None:
    pack = make_pack(
        series_reviews=[make_review("Late", after_episode=4), make_review("Free", after_episode=0)]
    )
    outlets = lambda viewer: [v.review.outlet for v in policy.series_reviews(pack, viewer)]  # noqa: E731
    assert outlets(Viewer(frozenset({1, 4}))) == ["Free"]  # 2 and 3 unwatched
    assert outlets(Viewer(frozenset({1, 2, 3}), peek=4)) == ["Late", "Free"]
    assert outlets(Viewer(frozenset({1, 2, 3, 4}))) == ["Late", "Free"]
    assert outlets(Viewer(level=OFF)) == ["Late", "Free"]


def test_search_keeps_a_series_review_locked_until_every_episode_before_it() -> None:
    from soundtrack_tui.core.search import SearchIndex

    pack = make_pack(series_reviews=[make_review("Late", thoughts="A zeppelin ending.", after_episode=4)])
    index = SearchIndex.build(pack)
    gapped = index.search("zeppelin", Viewer(frozenset({1, 4})))
    assert gapped.hits == () and dict(gapped.locked) == {2: 1}  # the first episode to watch
    assert [hit.label for hit in index.search("zeppelin", Viewer(frozenset({1, 2, 3, 4}))).hits] == ["Late"]
