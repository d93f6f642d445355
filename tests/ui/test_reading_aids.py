"""The reading aids of issue 15: the soundtrack overlay, the "previously on"
that opens the next episode, the source notes after the story, and the
reviews pane of an episode no critic reviewed on its own."""

from __future__ import annotations

from packs import make_episode, make_pack, make_review, make_track
from soundtrack_tui.ui.screens.main import MainScreen
from soundtrack_tui.ui.screens.soundtrack import SoundtrackScreen
from soundtrack_tui.ui.widgets.results_list import ResultsList

from .conftest import AppFactory
from .helpers import main_screen, pane_text, text_of

PACK = make_pack(
    overrides={
        1: make_episode(1, summary="Episode one, in brief.", recap=["First recap paragraph."]),
        2: make_episode(
            2,
            summary="Episode two, in brief.",
            recap=["Second recap paragraph."],
            source_note="One outlet dates this differently.",
            reviews=[],
        ),
    },
    series_reviews=[make_review("Series Outlet", after_episode=0, thoughts="Liked the whole run.")],
    tracks=[
        make_track("Released Single", artist="Kyu", note="Moonlit harbour lights."),
        make_track("Song Of Episode Two", episode=2, note="Sung at the studio."),
    ],
)


async def test_soundtrack_opens_with_t_and_hides_locked_songs(make_app: AppFactory) -> None:
    app = make_app(PACK, watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, SoundtrackScreen)
        shown = text_of(app.screen)
        assert "Released Single · Kyu" in shown
        assert "Song Of Episode Two" not in shown
        assert "Sung at the studio" not in shown
        assert "1 more song unlocks as you watch." in shown
        await pilot.press("j", "k", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_soundtrack_shows_an_unlocked_song_as_new(make_app: AppFactory) -> None:
    app = make_app(PACK, watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        shown = text_of(app.screen)
        assert "Song Of Episode Two · A Singer new" in shown
        assert "heard in episode 2" in shown
        assert "Sung at the studio." in shown
        assert "unlock" not in shown


async def test_previously_opens_the_peeked_next_episode(make_app: AppFactory) -> None:
    app = make_app(PACK, watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        assert "Episode one, in brief." not in pane_text(app, "recap")  # locked: no recap, no reminder
        await pilot.press("p")
        await pilot.pause()
        recap = pane_text(app, "recap")
        assert "Previously, in episode 1: Episode one, in brief." in recap
        assert recap.index("Previously") < recap.index("Second recap paragraph.")
        # The source note follows the story, under its own heading.
        assert recap.index("Second recap paragraph.") < recap.index("About the sources")
        assert "One outlet dates this differently." in recap


async def test_a_watched_episode_gets_no_previously(make_app: AppFactory) -> None:
    app = make_app(PACK, watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert "Previously" not in pane_text(app, "recap")


async def test_reviews_pane_says_when_no_critic_reviewed_the_episode(make_app: AppFactory) -> None:
    app = make_app(PACK, watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        reviews = pane_text(app, "reviews")
        assert "No critic reviewed episode 2 on its own; see the whole-series reviews below." in reviews
        assert "Liked the whole run." in reviews
        assert main_screen(app).selected == 2


async def test_a_song_found_by_search_opens_the_soundtrack_and_closes_the_search(
    make_app: AppFactory,
) -> None:
    app = make_app(PACK, watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"moonlit")
        for _ in range(100):
            await pilot.pause(0.05)
            if main_screen(app).query_one(ResultsList).item_count:
                break
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SoundtrackScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert not main_screen(app).panes.searching
