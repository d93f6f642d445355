"""The main screen's state objects on their own, without a terminal: which
pane Tab and Escape lead to, and which episodes a search keeps in the list."""

from __future__ import annotations

import pytest

from packs import make_episode, make_pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import SearchIndex
from soundtrack_tui.ui.panes import Panes, layout_for
from soundtrack_tui.ui.screens.searching import episodes_in


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


def test_the_list_keeps_the_episodes_with_matches_locked_or_not() -> None:
    recap = ["the violin plays", "no strings here", "violin again, and a violin"]
    pack = make_pack(4, overrides={n: make_episode(n, recap=recap) for n in range(1, 5)})
    results = SearchIndex.build(pack).search("violin", Viewer(frozenset({1, 2}), Level.STANDARD))
    assert {hit.episode for hit in results.hits} == {1, 2}
    assert episodes_in(results) == {1, 2, 3, 4}  # locked episodes with matches are listed, not shown
