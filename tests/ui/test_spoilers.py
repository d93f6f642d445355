"""The spoiler gate, peeking, the s toggle and levels: the UI asks the
policy, and these tests check what actually reaches the screen."""

from __future__ import annotations

from soundtrack_tui.core.policy import Level
from soundtrack_tui.ui.widgets.episode_list import EpisodeList

from .conftest import AppFactory, bundled, store_for
from .helpers import header_text, main_screen, options_text, pane_text

FIRST_PARAGRAPH = "The episode opens in Sun-woo's photo studio"
SECOND_EPISODE_START = bundled().episodes[2].paragraphs[0][:40]


async def test_locked_recap_shows_the_gate_and_w_opens_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        recap = pane_text(app, "recap")
        assert FIRST_PARAGRAPH not in recap
        assert "The recap of episode 1 is hidden until you have watched it." in recap
        assert "w mark watched · p peek · s spoilers on" in recap
        # Standard level: the title and spoiler-free logline still show.
        assert "1. Echoes of Love" in recap
        await pilot.press("w")
        await pilot.pause()
        recap = pane_text(app, "recap")
        assert FIRST_PARAGRAPH in recap
        assert "is hidden" not in recap
        assert main_screen(app).viewer.watched == frozenset({1})
        await pilot.press("w")
        await pilot.pause()
        assert FIRST_PARAGRAPH not in pane_text(app, "recap")


async def test_peek_reveals_until_the_selection_moves(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        assert screen.selected == 2
        await pilot.press("p")
        await pilot.pause()
        assert SECOND_EPISODE_START in pane_text(app, "recap")
        assert "Peeking at episode 2" in pane_text(app, "recap")
        assert "peeking at episode 2" in header_text(app)
        assert store_for(bundled()).current.watched == frozenset({1})  # progress unchanged
        await pilot.press("j")
        await pilot.pause()
        assert screen.viewer.peek is None
        await pilot.press("k")
        await pilot.pause()
        assert SECOND_EPISODE_START not in pane_text(app, "recap")
        assert "is hidden" in pane_text(app, "recap")


async def test_peek_on_an_unlocked_episode_only_explains(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("1", "p")
        assert screen.viewer.peek is None


async def test_s_toggles_everything_on_and_back_without_saving(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("s")
        await pilot.pause()
        assert screen.viewer.level is Level.OFF
        assert FIRST_PARAGRAPH in pane_text(app, "recap")
        assert "spoilers on" in header_text(app)
        assert store_for(bundled()).current.level is Level.STANDARD
        await pilot.press("s")
        await pilot.pause()
        assert screen.viewer.level is Level.STANDARD
        assert FIRST_PARAGRAPH not in pane_text(app, "recap")


async def test_s_returns_to_a_saved_strict_level(make_app: AppFactory) -> None:
    app = make_app(level=Level.STRICT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("s", "s")
        assert screen.viewer.level is Level.STRICT


async def test_strict_hides_titles_in_the_list(make_app: AppFactory) -> None:
    app = make_app(watched=[1], level=Level.STRICT)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = options_text(main_screen(app).query_one(EpisodeList))
        assert "Echoes of Love" in rows[0]
        assert all("title hidden" in row for row in rows[1:])
        assert "Unrequited Love" not in " ".join(rows)
        recap = pane_text(app, "recap")
        assert "Episode 2" in recap and "A Picture" not in recap


async def test_spoilers_flag_starts_with_everything_shown_but_saves_nothing(make_app: AppFactory) -> None:
    app = make_app(spoilers=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert main_screen(app).viewer.level is Level.OFF
        assert FIRST_PARAGRAPH in pane_text(app, "recap")
    assert store_for(bundled()).current.level is Level.STANDARD


async def test_characters_show_only_what_was_watched(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = pane_text(app, "characters")
        assert "Han Sun-woo" in before
        assert "More in later episodes." in before  # never a count of what is locked
        assert "also Seon-woo, 한선우, ハン・ソヌ" in before  # a few spellings, not all fifteen
        assert "Jennifer" not in before
        await pilot.press("w")
        await pilot.pause()
        after = pane_text(app, "characters")
        assert "Jennifer" in after
        assert " new " in after
        # Nothing from episode 2 yet.
        assert "sweet tooth" not in after


async def test_reviews_follow_the_gate(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reviews = pane_text(app, "reviews")
        assert "Reviews of episode 1 are hidden until you have watched it." in reviews
        assert "spoiler-free" in reviews
        assert "written after episode 4" not in reviews
        assert "more whole-series reviews unlock in later episodes" in reviews
        await pilot.press("w")
        await pilot.pause()
        reviews = pane_text(app, "reviews")
        assert "Jazmine Media" in reviews
        assert "written after episode 1" in reviews
