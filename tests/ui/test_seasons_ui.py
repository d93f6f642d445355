"""A show of several seasons in the browser: the recap heading, its gate,
the peek banner and header, and the reviews section name episodes "S2 E5"."""

from __future__ import annotations

from pathlib import Path

import pytest

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
            "▾ Season 1  2/2 ✓  The Crossing  A new captain takes the night ferry.",
            "S1 E1 ✓ Crossing 1",
            "S1 E2 ✓ Crossing 2",
            "▾ Season 2  1/2 ✓  Storm Season",
            "S2 E1 ✓ Crossing 3",
            "S2 E2 ⊘ Crossing 4",
            "▾ Season 3  0/2 ✓  The island votes on a bridge.",
            "S3 E1 ⊘ Crossing 5",
            "S3 E2 ⊘ Crossing 6",
        ]
        await pilot.press("1", "left")  # on S1 E1: its season folds, the cursor on the header
        await pilot.pause()
        assert options_text(episodes)[:2] == [
            "▸ Season 1  2/2 ✓  The Crossing  A new captain takes the night ferry.",
            "▾ Season 2  1/2 ✓  Storm Season",
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
        assert (
            options_text(episodes)[0]
            == "▸ Season 1  2/2 ✓  The Crossing  A new captain takes the night ferry."
        )
        await pilot.press(*"crossing")
        await pilot.pause(0.3)
        shown = options_text(episodes)
        assert shown[1:3] == ["S1 E1 ✓ Crossing 1", "S1 E2 ✓ Crossing 2"]
        assert shown[0].startswith("Season 1  2/2 ✓  The Crossing")  # no arrow: not foldable here
        assert [episodes.item_enabled(row) for row in range(3)] == [False, True, True]
        await pilot.press("escape")
        await pilot.pause()
        assert (
            options_text(episodes)[0]
            == "▸ Season 1  2/2 ✓  The Crossing  A new captain takes the night ferry."
        )


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


async def test_the_cursor_stays_on_a_header_or_near_a_folded_selection(make_app: AppFactory) -> None:
    """A rebuild (spoilers shown, a search closed) keeps the cursor where it
    was: on the header it rested on, or on the header of the season that
    folded the selected episode away; w and p do nothing on a header."""
    app = make_app(load_pack(SEASONS), watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        episodes = main_screen(app).query_one(EpisodeList)
        await pilot.press("3", "left")  # S2 E1 selected, its season folded
        await pilot.pause()
        header = episodes.cursor
        assert header is not None and episodes.highlighted_episode is None
        await pilot.press("w", "p")
        await pilot.pause()
        assert main_screen(app).viewer.watched == {1} and main_screen(app).viewer.peek is None
        await pilot.press("ctrl+s")  # spoilers shown: the list is drawn again
        await pilot.pause()
        assert episodes.cursor == header
        await pilot.press("slash", *"crossing")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause()
        assert episodes.cursor == header and "▸ Season 2" in options_text(episodes)[episodes.cursor]
        await pilot.press("down", "down")  # season 3's header, then its first episode
        await pilot.pause()
        assert episodes.highlighted_episode == 5


async def test_left_and_right_do_nothing_in_a_show_of_one_season(make_app: AppFactory) -> None:
    app = make_app(load_pack(SEASONS.parent / "valid"))
    async with app.run_test(size=(120, 40)) as pilot:
        episodes = main_screen(app).query_one(EpisodeList)
        before = options_text(episodes)
        await pilot.press("2", "left", "right")
        await pilot.pause()
        assert options_text(episodes) == before and episodes.highlighted_episode == 2


async def test_a_burst_back_to_the_selection_leaves_no_stale_move(make_app: AppFactory) -> None:
    """Down then Up in one read: the first move's message lands after the
    second; a later jump still moves the cursor and opens a folded season."""
    from textual import events

    app = make_app(load_pack(SEASONS))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        for key in ("down", "up"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        await pilot.press("up", "left", "2")  # onto season 1's header, fold it, jump into it
        await pilot.pause()
        episodes = main_screen(app).query_one(EpisodeList)
        assert main_screen(app).selected == 2 and episodes.highlighted_episode == 2
        assert options_text(episodes)[0].startswith("▾ Season 1")


async def test_the_key_bar_drops_w_on_a_header_and_shows_it_again_off_it(make_app: AppFactory) -> None:
    from soundtrack_tui.ui.widgets.key_bar import KeyBar

    app = make_app(load_pack(SEASONS))
    async with app.run_test(size=(120, 40)) as pilot:

        def keys() -> str:
            return " ".join(item.label.plain for item in main_screen(app).query_one(KeyBar).items)

        await pilot.press("1")
        await pilot.pause()
        assert "Watched" in keys()
        await pilot.press("up")  # onto season 1's header; the selection stays S1 E1
        await pilot.pause()
        assert "Watched" not in keys()
        await pilot.press("down")  # back to the selected episode: no new selection to say so
        await pilot.pause()
        assert "Watched" in keys()


@pytest.mark.parametrize("watched", [[], [1, 2, 3, 4]], ids=["at episode 1", "at episode 5"])
async def test_a_folded_season_holding_the_selection_stays_folded_at_launch(
    make_app: AppFactory, watched: list[int]
) -> None:
    """The selection at start (the next to watch) is in a folded season: the
    season stays folded, the cursor on its header."""
    from dataclasses import replace

    pack = load_pack(SEASONS)
    app = make_app(pack, watched=watched)
    assert app.store is not None
    folded = frozenset({pack.season_of(5 if watched else 1)})
    app.store.update(lambda progress: replace(progress, folded_seasons=folded))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        episodes = main_screen(app).query_one(EpisodeList)
        assert episodes.folded == folded and episodes.on_season_header
        assert options_text(episodes)[episodes.cursor or 0].startswith(f"▸ Season {min(folded)}")
