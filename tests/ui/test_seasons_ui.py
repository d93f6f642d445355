"""A show of several seasons in the browser: the recap heading, its gate,
the peek banner and header, and the reviews section name episodes "S2 E5"."""

from __future__ import annotations

from pathlib import Path

from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.ui.app import SoundtrackApp
from soundtrack_tui.ui.widgets.episode_list import EpisodeList

from .conftest import AppFactory
from .helpers import header_text, main_screen, notifications, options_text, pane_text

SEASONS = Path(__file__).parent.parent / "fixtures" / "packs" / "seasons"


async def test_episodes_are_named_by_season(make_app: AppFactory) -> None:
    app = make_app(load_pack(SEASONS), watched=[1, 2, 3])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        recap = pane_text(app, "recap")
        assert "S2 E1: Crossing 3" in recap
        await pilot.press("4")
        await pilot.pause()
        assert "The recap of S2 E2 is hidden" in pane_text(app, "recap")
        await pilot.press("p")
        await pilot.pause()
        assert "Peeking at S2 E2:" in pane_text(app, "recap")
        assert "peeking at S2 E2" in header_text(app)
        await pilot.press("w")
        await pilot.pause()
        assert "S2 E2 marked watched." in notifications(app)


async def test_a_show_of_one_season_keeps_its_wording(make_app: AppFactory) -> None:
    app = make_app(load_pack(SEASONS.parent / "valid"), watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert "The recap of episode 2 is hidden" in pane_text(app, "recap")
        await pilot.press("p")
        await pilot.pause()
        assert "peeking at episode 2" in header_text(app)


async def test_seasons_fold_and_unfold_from_the_keyboard(make_app: AppFactory) -> None:
    app = make_app(load_pack(SEASONS), watched=[1, 2, 3])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        episodes = main_screen(app).query_one(EpisodeList)
        assert options_text(episodes) == [
            "▾ Season 1: The Crossing  2/2 ✓",
            "S1 E1 ✓ Crossing 1",
            "S1 E2 ✓ Crossing 2",
            "▾ Season 2: Storm Season  1/2 ✓",
            "S2 E1 ✓ Crossing 3",
            "S2 E2 ⊘ Crossing 4",
            "▾ Season 3  0/2 ✓",
            "S3 E1 ⊘ Crossing 5",
            "S3 E2 ⊘ Crossing 6",
        ]
        await pilot.press("1", "left")  # on S1 E1: its season folds, the cursor on the header
        await pilot.pause()
        assert options_text(episodes)[:2] == [
            "▸ Season 1: The Crossing  2/2 ✓",
            "▾ Season 2: Storm Season  1/2 ✓",
        ]
        assert episodes.cursor == 0 and episodes.highlighted_episode is None
        await pilot.press("down", "down", "left")  # S2 E1, then its season folds
        await pilot.pause()
        assert [line[:10] for line in options_text(episodes)] == [
            "▸ Season 1",
            "▸ Season 2",
            "▾ Season 3",
            "S3 E1 ⊘ Cr",
            "S3 E2 ⊘ Cr",
        ]
        assert main_screen(app).selected == 3  # folding moves no selection
        await pilot.press("up", "enter")  # Enter on a header unfolds it too
        await pilot.pause()
        assert options_text(episodes)[0].startswith("▾ Season 1")
        await pilot.press("5")  # a jump into a folded season opens it
        await pilot.pause()
        assert "S3 E1 ⊘ Crossing 5" in options_text(episodes)
        assert episodes.highlighted_episode == 5


async def test_a_search_lists_every_season_with_a_match_and_folds_nothing(make_app: AppFactory) -> None:
    app = make_app(load_pack(SEASONS), watched=[1, 2, 3, 4, 5, 6])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "left", "slash")
        await pilot.pause()
        episodes = main_screen(app).query_one(EpisodeList)
        assert options_text(episodes)[0] == "▸ Season 1: The Crossing  2/2 ✓"
        await pilot.press(*"crossing")
        await pilot.pause(0.3)
        shown = options_text(episodes)
        assert shown[:3] == ["Season 1: The Crossing  2/2 ✓", "S1 E1 ✓ Crossing 1", "S1 E2 ✓ Crossing 2"]
        assert [episodes.item_enabled(row) for row in range(3)] == [False, True, True]
        await pilot.press("escape")
        await pilot.pause()
        assert options_text(episodes)[0] == "▸ Season 1: The Crossing  2/2 ✓"


ONLY_SEASON_3_FOLDED = [
    "▾ Season 1",
    "S1 E1 ⊘ Cr",
    "S1 E2 ⊘ Cr",
    "▾ Season 2",
    "S2 E1 ⊘ Cr",
    "S2 E2 ⊘ Cr",
    "▸ Season 3",
]
"""The first ten characters of each row of the list, nothing watched."""


def row_starts(app: SoundtrackApp) -> list[str]:
    return [line[:10] for line in options_text(main_screen(app).query_one(EpisodeList))]


async def test_a_quick_move_onto_a_header_is_not_undone_when_it_lands(make_app: AppFactory) -> None:
    app = make_app(load_pack(SEASONS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "down", "down", "left", "down", "left", "up", "enter")
        await pilot.pause()
        assert row_starts(app) == ONLY_SEASON_3_FOLDED
        assert main_screen(app).selected == 2


async def test_folded_seasons_stay_folded_at_the_next_launch(make_app: AppFactory) -> None:
    pack = load_pack(SEASONS)
    app = make_app(pack)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "left", "1")
        await pilot.pause()
    again = make_app(pack)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert row_starts(again) == ONLY_SEASON_3_FOLDED
        await pilot.press("6")  # opening it is remembered too
        await pilot.pause()
    assert again.store is not None and again.store.current.folded_seasons == frozenset()
