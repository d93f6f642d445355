"""The main screen's state objects on their own, without a terminal: which
pane Tab and Escape lead to, and what a search and its marks come to."""

from __future__ import annotations

import pytest

from packs import make_episode, make_pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import SearchIndex
from soundtrack_tui.ui.panes import Panes, layout_for
from soundtrack_tui.ui.search_controller import SearchController
from soundtrack_tui.ui.widgets.marks import RecapMark


@pytest.mark.parametrize(
    ("width", "layout"), [(1, "narrow"), (79, "narrow"), (80, "medium"), (119, "medium"), (120, "wide")]
)
def test_layout_for_width(width: int, layout: str) -> None:
    assert layout_for(width) == layout


def test_tab_cycles_the_panes_and_remembers_the_content_pane() -> None:
    panes = Panes()
    seen = []
    for _ in range(4):
        panes = panes.showing(panes.cycled(1))
        seen.append((panes.pane, panes.content))
    assert seen == [
        ("recap", "recap"),
        ("characters", "characters"),
        ("reviews", "reviews"),
        ("episodes", "reviews"),
    ]
    assert panes.showing(panes.cycled(-1)).pane == "reviews"


def test_search_cycles_between_the_box_and_the_list_then_returns() -> None:
    panes = Panes().showing("characters").with_search(True).showing("search")
    assert panes.order() == ("search", "episodes")
    assert panes.cycled(1) == "episodes"
    assert panes.before_search == "characters"
    closed = panes.with_search(False).showing(panes.before_search)
    assert (closed.pane, closed.searching) == ("characters", False)
    # With the search closed, "search" is the list.
    assert closed.showing("search").pane == "episodes"


def test_the_tab_names_the_list_only_in_a_narrow_layout() -> None:
    assert Panes(layout="narrow").tab == "tab-episodes"
    assert Panes(layout="medium").tab == "tab-recap"
    assert Panes(layout="narrow").showing("reviews").tab == "tab-reviews"


def pack_with_a_word_everywhere() -> SearchController:
    recap = ["the violin plays", "no strings here", "violin again, and a violin"]
    pack = make_pack(4, overrides={n: make_episode(n, recap=recap) for n in range(1, 5)})
    return SearchController(index=SearchIndex.build(pack))


def test_an_answer_carries_its_question_and_the_episodes_to_list() -> None:
    search = pack_with_a_word_everywhere()
    viewer = Viewer(frozenset({1, 2}), Level.STANDARD)
    answer = search.answer("violin", viewer)
    assert (answer.query, answer.viewer) == ("violin", viewer)
    assert {hit.episode for hit in answer.results.hits} == {1, 2}
    assert answer.episodes == {1, 2, 3, 4}  # locked episodes with matches are listed, not shown


def test_recap_marks_are_every_match_in_reading_order() -> None:
    search = pack_with_a_word_everywhere()
    viewer = Viewer(frozenset({1, 2}), Level.STANDARD)
    answer = search.recap_marks("violin", viewer, 2)
    assert answer.marks.episode == 2
    assert [(mark.paragraph, mark.start) for mark in answer.marks.marks] == [(0, 4), (2, 0), (2, 20)]
    assert answer.marks.current == 0
    chosen = RecapMark(2, 20, 26)
    assert search.recap_marks("violin", viewer, 2, chosen).marks.current == 2
    assert search.recap_marks("violin", viewer, 3).marks.marks == ()  # locked: nothing to mark
