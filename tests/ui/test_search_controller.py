"""The search controller's recap marks: every match of the shown episode,
however common the word is across the pack (the marks once came from a
whole-pack search capped at 2,000 hits, which never reached the last
episodes of a big pack)."""

from __future__ import annotations

from packs import make_episode, make_pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import SearchIndex
from soundtrack_tui.ui.search_controller import SearchController
from soundtrack_tui.ui.widgets.marks import RecapMark

EPISODES = 300
COMMON = " ".join(["card"] * 20)


def test_the_last_episode_of_a_big_pack_gets_every_mark() -> None:
    overrides = {
        n: make_episode(n, recap=[f"{COMMON} first {n}.", f"{COMMON} second {n}."])
        for n in range(1, EPISODES + 1)
    }
    pack = make_pack(EPISODES, overrides=overrides)  # 12,000 mentions of "card"
    controller = SearchController(SearchIndex.build(pack))
    viewer = Viewer(level=Level.OFF)
    answer = controller.recap_marks("card", viewer, EPISODES)
    assert answer.marks.episode == EPISODES
    assert {mark.paragraph for mark in answer.marks.marks} == {0, 1}
    assert len(answer.marks.marks) == 40
    chosen = RecapMark(1, 5, 9)
    assert controller.recap_marks("card", viewer, EPISODES, chosen).marks.current == 21


def test_marks_respect_the_gate() -> None:
    pack = make_pack(3, overrides={2: make_episode(2, recap=["a card here."])})
    controller = SearchController(SearchIndex.build(pack))
    assert controller.recap_marks("card", Viewer(frozenset({1})), 2).marks.marks == ()
    assert len(controller.recap_marks("card", Viewer(frozenset({2})), 2).marks.marks) == 1
