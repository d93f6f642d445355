"""The search session: query, viewer, shown episode, results, marks and the
walk through every match, exercised as plain Python (no Textual)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from packs import make_episode, make_pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import Hit, RecapMatch, SearchIndex, SearchSession
from test_search import story_pack

OFF = Viewer(level=Level.OFF)
FIRST = Viewer(frozenset({1}), Level.STANDARD)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(story_pack())


def searched(index: SearchIndex, query: str, episode: int, viewer: Viewer = OFF) -> SearchSession:
    session = SearchSession(viewer, index)
    session.set_episode(episode)
    session.set_query(query)
    assert session.refresh()
    return session


def chosen(session: SearchSession, pick: Hit) -> SearchSession:
    session.choose(pick)
    assert session.refresh()
    return session


def first_hit(session: SearchSession, episode: int | None, field: str) -> Hit:
    assert session.results is not None
    return next(h for h in session.results.hits if h.episode == episode and h.field == field)


def place(hit: Hit) -> tuple[int | None, str, int | None]:
    target = hit.target
    return hit.episode, hit.field, target.paragraph if target.paragraph is not None else target.note_index


def test_typing_brings_results_but_no_marks(index: SearchIndex) -> None:
    session = searched(index, "tarot", 4)
    assert session.results is not None and session.results == index.search("tarot", OFF)
    assert not session.marking and session.matches is None and session.marks == ()
    assert session.current is None and session.position is None
    assert session.next_match() is None


def test_choosing_a_hit_marks_its_episode_and_makes_it_current(index: SearchIndex) -> None:
    session = searched(index, "tarot", 1)
    hit = first_hit(session, 4, "recap")
    request = session.choose(hit)
    assert request is not None and request.episode == 4 and request.walk and not request.results
    assert session.episode == 4
    assert session.refresh()
    assert session.marks == index.episode_matches("tarot", OFF, 4).recap_marks
    assert session.marks == (RecapMatch(1, 0, 5), RecapMatch(1, 7, 12), RecapMatch(1, 14, 19))
    assert session.current is not None and place(session.current) == place(hit)
    assert session.current_mark == 0


def test_the_walk_is_every_visible_match_in_reading_order(index: SearchIndex) -> None:
    session = searched(index, "tarot", 2)
    chosen(session, first_hit(session, 2, "recap"))
    walk = [session.next_match() for _ in range(6)]
    # From the chosen match (episode 2's first recap paragraph) on: the
    # episode pages in order, then the characters' notes, then the series
    # reviews, and round to the first (episode 2's title).
    assert [place(hit) for hit in walk if hit is not None] == [
        (2, "recap", 1),
        (4, "recap", 1),
        (None, "note", 0),
        (None, "series review", None),
        (2, "title", None),
        (2, "recap", 0),
    ]
    assert session.position == "match 2 of 6"


def test_next_and_previous_go_round_and_cross_episodes(index: SearchIndex) -> None:
    session = searched(index, "tarot", 2)
    chosen(session, first_hit(session, 2, "recap"))
    assert session.position == "match 2 of 6"
    assert session.current_mark == 0
    hit = session.next_match()
    assert hit is not None and place(hit) == (2, "recap", 1) and session.position == "match 3 of 6"
    assert session.current_mark == 1  # same episode: its matches are already known
    hit = session.next_match()
    assert hit is not None and place(hit) == (4, "recap", 1) and session.episode == 4
    assert session.matches is None  # another episode: its matches are asked for
    request = session.request()
    assert request is not None and request.episode == 4 and not request.results and not request.walk
    assert session.refresh() and session.current_mark == 0
    assert [place(h) for h in (session.next_match(), session.next_match())] == [
        (None, "note", 0),
        (None, "series review", None),
    ]
    assert session.position == "match 6 of 6"
    hit = session.next_match()
    assert hit is not None and place(hit) == (2, "title", None) and session.position == "match 1 of 6"
    hit = session.previous_match()
    assert hit is not None and hit.field == "series review" and session.position == "match 6 of 6"


def test_a_new_query_clears_the_marks_at_once(index: SearchIndex) -> None:
    session = searched(index, "tarot", 2)
    chosen(session, first_hit(session, 2, "recap"))
    assert session.marking and session.marks
    request = session.set_query("tarot card")
    assert request is not None and request.results and not request.walk and request.episode is None
    assert not session.marking and session.marks == () and session.current is None
    assert session.results is not None  # the old results stay until the new ones arrive
    assert session.set_query("  ") is None
    assert session.results is None and not session.refresh()


def test_clearing_the_marks_keeps_the_results(index: SearchIndex) -> None:
    session = searched(index, "tarot", 2)
    chosen(session, first_hit(session, 2, "recap"))
    session.clear_marks()
    assert not session.marking and session.marks == () and session.position is None
    assert session.results is not None and session.request() is None


def test_another_episode_brings_its_own_marks_while_marking(index: SearchIndex) -> None:
    session = searched(index, "tarot", 2)
    chosen(session, first_hit(session, 2, "recap"))
    request = session.set_episode(4)
    assert request is not None and request.episode == 4 and not request.results
    assert session.marks == ()
    assert session.refresh() and len(session.marks) == 3
    assert session.current_mark is None  # the current match is in episode 2
    assert session.set_episode(4) is None


def test_a_viewer_change_drops_what_the_old_viewer_saw(index: SearchIndex) -> None:
    session = searched(index, "tarot", 2)
    chosen(session, first_hit(session, 2, "recap"))
    request = session.set_viewer(Viewer(frozenset({1, 2}), Level.STANDARD))
    assert request is not None and request.results and request.walk and request.episode == 2
    assert session.results is None and session.marks == () and session.position is None
    assert session.refresh()
    current = session.current
    assert current is not None and place(current) == (2, "recap", 0)  # still seen: kept
    assert [mark.paragraph for mark in session.marks] == [0, 1]
    assert session.set_viewer(FIRST) is not None and session.refresh()
    assert session.marks == () and session.current_mark is None  # episode 2 is locked now
    assert dict(session.locked) == index.search("tarot", FIRST).locked and session.locked
    results = session.results
    assert results is not None and all(hit.gate <= 1 or hit.field == "title" for hit in results.hits)


def test_a_stale_answer_is_dropped(index: SearchIndex) -> None:
    session = SearchSession(OFF, index)
    first = session.set_query("tar")
    assert first is not None
    slow = session.answer(first)  # a worker still busy with the first keystroke
    second = session.set_query("tarot")
    assert second is not None and slow is not None
    assert not session.accept(slow)
    assert session.results is None
    answer = session.answer(second)
    assert answer is not None and session.accept(answer)
    assert session.results == index.search("tarot", OFF)
    # Matches answered for another episode are not taken as this one's.
    chosen(session, first_hit(session, 4, "recap"))
    request = session.set_episode(2)
    assert request is not None
    late = session.answer(request)
    session.set_episode(3)
    assert late is not None and session.accept(late) and session.matches is None


def test_without_an_index_nothing_is_answered_until_it_is_attached(index: SearchIndex) -> None:
    session = SearchSession(OFF)
    assert not session.ready
    request = session.set_query("tarot")
    assert request is not None and session.answer(request) is None and not session.refresh()
    again = session.attach(index)
    assert session.ready and again == request
    assert session.refresh() and session.results == index.search("tarot", OFF)


def test_the_songs_are_not_walked() -> None:
    pack = make_pack(2, overrides={1: make_episode(1, recap=["a tarot card"])})
    index = SearchIndex.build(pack)
    session = searched(index, "tarot", 1)
    chosen(session, first_hit(session, 1, "recap"))
    assert session.position == "match 1 of 1"


def test_every_match_of_a_big_pack_is_walked_and_the_last_episode_marked() -> None:
    episodes = 300
    common = " ".join(["card"] * 20)
    overrides = {
        n: make_episode(n, recap=[f"{common} first {n}.", f"{common} second {n}."])
        for n in range(1, episodes + 1)
    }
    index = SearchIndex.build(make_pack(episodes, overrides=overrides))  # 12,000 mentions of "card"
    session = SearchSession(OFF, index)
    session.set_query("card")
    assert session.refresh()
    session.choose(first_hit(session, 1, "recap"))
    assert session.refresh() and session.position == f"match 1 of {2 * episodes}"
    last = session.previous_match()
    assert last is not None and place(last) == (episodes, "recap", 1)
    assert session.refresh()
    assert {mark.paragraph for mark in session.marks} == {0, 1} and len(session.marks) == 40
    assert session.current_mark == 20


def test_the_first_hits_are_prepared_for_the_screen(index: SearchIndex) -> None:
    session = SearchSession(OFF, index, limit=3, prepare=2)
    request = session.set_query("the")
    assert request is not None
    answer = session.answer(request)
    assert answer is not None and answer.results is not None
    hits = answer.results.hits
    assert len(hits) == 3
    # Prepared hits already hold their details; the rest work them out when read.
    assert [hit._details is not None for hit in hits] == [True, True, False]


def test_the_session_does_not_import_textual() -> None:
    code = "import sys, soundtrack_tui.core.search.session; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
