"""The search session: query, viewer, shown episode, results, marks and
next/previous match, exercised as plain Python (no Textual)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import RecapMatch, SearchIndex, SearchSession
from test_search import story_pack

OFF = Viewer(level=Level.OFF)
FIRST = Viewer(frozenset({1}), Level.STANDARD)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(story_pack())


def session_on(index: SearchIndex, query: str, episode: int, viewer: Viewer = OFF) -> SearchSession:
    session = SearchSession(viewer, index)
    session.set_episode(episode)
    session.set_query(query)
    assert session.refresh()
    return session


def test_a_query_brings_results_and_the_shown_episodes_marks(index: SearchIndex) -> None:
    session = session_on(index, "tarot", 4)
    assert session.results is not None and session.results == index.search("tarot", OFF)
    assert session.marks == index.episode_matches("tarot", OFF, 4).recap_marks
    assert session.marks == (RecapMatch(1, 0, 5), RecapMatch(1, 7, 12), RecapMatch(1, 14, 19))
    assert session.current == RecapMatch(1, 0, 5) and session.position == "match 1 of 3"


def test_next_and_previous_go_round(index: SearchIndex) -> None:
    session = session_on(index, "tarot", 4)
    assert session.next_match() == RecapMatch(1, 7, 12)
    assert session.position == "match 2 of 3"
    assert session.next_match() == RecapMatch(1, 14, 19)
    assert session.next_match() == RecapMatch(1, 0, 5)
    assert session.previous_match() == RecapMatch(1, 14, 19)
    assert session.position == "match 3 of 3"


def test_no_marks_means_no_position_and_no_step(index: SearchIndex) -> None:
    session = session_on(index, "jennifer", 1)
    assert session.marks == () and session.current is None and session.position is None
    assert session.next_match() is None and session.previous_match() is None
    assert session.results is not None and session.results.total > 0


def test_a_blank_query_clears_at_once(index: SearchIndex) -> None:
    session = session_on(index, "tarot", 4)
    assert session.set_query("   ") is None
    assert session.results is None and session.matches is None and session.marks == ()
    assert not session.refresh()


def test_another_episode_drops_the_marks_then_brings_its_own(index: SearchIndex) -> None:
    session = session_on(index, "tarot", 4)
    session.next_match()
    request = session.set_episode(2)
    assert request is not None and not request.whole_pack and request.episode == 2
    assert session.marks == () and session.results is not None  # results stay: same query
    answer = session.answer(request)
    assert answer is not None and answer.results is None
    assert session.accept(answer)
    assert [mark.paragraph for mark in session.marks] == [0, 1]
    assert session.position == "match 1 of 2"
    assert session.set_episode(2) is None  # no change, nothing to do


def test_a_viewer_change_drops_what_the_old_viewer_saw(index: SearchIndex) -> None:
    session = session_on(index, "tarot", 2)
    assert session.marks and not session.locked
    request = session.set_viewer(FIRST)
    assert request is not None and request.viewer == FIRST
    assert session.results is None and session.marks == ()
    answer = session.answer(request)
    assert answer is not None and session.accept(answer)
    assert session.marks == ()  # episode 2 is locked for this viewer
    assert dict(session.locked) == index.search("tarot", FIRST).locked
    assert session.locked
    peek = session.set_viewer(FIRST.with_peek(2))
    assert peek is not None and session.refresh()
    assert [mark.paragraph for mark in session.marks] == [0, 1]


def test_a_stale_answer_is_dropped(index: SearchIndex) -> None:
    session = SearchSession(OFF, index)
    session.set_episode(4)
    first = session.set_query("tar")
    assert first is not None
    slow = session.answer(first)  # a worker still busy with the first keystroke
    second = session.set_query("tarot")
    assert second is not None and slow is not None
    assert not session.accept(slow)
    assert session.results is None and session.marks == ()
    answer = session.answer(second)
    assert answer is not None and session.accept(answer)
    assert session.results == index.search("tarot", OFF)
    # An answer for the right query but another episode brings results, not marks.
    session.set_episode(3)
    assert session.accept(answer) and session.marks == ()


def test_without_an_index_nothing_is_answered_until_it_is_attached(index: SearchIndex) -> None:
    session = SearchSession(OFF)
    assert not session.ready
    session.set_episode(4)
    request = session.set_query("tarot")
    assert request is not None and session.answer(request) is None and not session.refresh()
    again = session.attach(index)
    assert session.ready and again == request
    answer = session.answer(again)
    assert answer is not None and session.accept(answer)
    assert session.position == "match 1 of 3"


def test_choosing_a_hit_makes_its_match_current(index: SearchIndex) -> None:
    session = session_on(index, "tarot", 1)
    results = session.results
    assert results is not None
    hit = next(h for h in results.hits if h.episode == 4 and h.field == "recap")
    request = session.show_hit(hit)
    assert request is not None and session.episode == 4
    answer = session.answer(request)
    assert answer is not None and session.accept(answer)
    assert session.current == RecapMatch(hit.target.paragraph or 0, *hit.target.spans[0])
    # A hit in the episode already shown moves the current match at once.
    other = session_on(index, "card", 2)
    results = other.results
    assert results is not None
    second = next(h for h in results.hits if h.episode == 2 and h.target.paragraph == 1)
    assert other.show_hit(second) is None
    assert other.current == RecapMatch(1, *second.target.spans[0]) and other.position == "match 2 of 2"


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
