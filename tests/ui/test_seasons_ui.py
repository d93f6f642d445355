"""A show of several seasons in the browser: the recap heading, its gate,
the peek banner and header, and the reviews section name episodes "S2 E5"."""

from __future__ import annotations

from pathlib import Path

from soundtrack_tui.core.loader import load_pack

from .conftest import AppFactory
from .helpers import header_text, notifications, pane_text

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
