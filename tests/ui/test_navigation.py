"""Moving around: the list, panes, digits, Enter, the mouse."""

from __future__ import annotations

from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.text_pane import TextPane

from .conftest import AppFactory
from .helpers import main_screen, notifications, options_text


async def test_starts_on_the_list_with_every_episode(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        episodes = screen.query_one(EpisodeList)
        assert screen.focused is episodes
        rows = options_text(episodes)
        assert [row.split()[0] for row in rows] == ["1", "2", "3", "4"]
        assert "Echoes of Love" in rows[0]
        assert screen.selected == 1


async def test_j_k_arrows_home_end_move_the_selection(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("j")
        assert screen.selected == 2
        await pilot.press("down")
        assert screen.selected == 3
        await pilot.press("k")
        assert screen.selected == 2
        await pilot.press("up")
        assert screen.selected == 1
        await pilot.press("end")
        assert screen.selected == 4
        await pilot.press("home")
        assert screen.selected == 1


async def test_selection_drives_every_pane(make_app: AppFactory) -> None:
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("2")
        await pilot.pause()
        assert screen.current is not None and screen.current.number == 2
        recap = screen.query_one("#recap", TextPane)
        assert recap.blocks[0].content.plain.startswith("2. A Picture Is Worth a Thousand Words")


async def test_digits_jump_and_out_of_range_says_so(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("3")
        assert screen.selected == 3
        await pilot.press("9")
        await pilot.pause()
        assert screen.selected == 3
        assert any("no episode 9" in message for message in notifications(app))


async def test_tab_and_shift_tab_cycle_the_panes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(screen.focused.id if screen.focused else None)
        assert seen == ["recap", "characters", "reviews", "episodes"]
        await pilot.press("shift+tab")
        assert screen.focused is not None and screen.focused.id == "reviews"
        assert screen.panes.pane == "reviews"


async def test_enter_opens_the_episode_in_the_recap(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("j", "enter")
        assert screen.selected == 2
        assert screen.focused is not None and screen.focused.id == "recap"


async def test_click_selects_an_episode(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        # Row 3 of the list (inside its border): episode 3.
        await pilot.click("#episodes", offset=(6, 3))
        await pilot.pause()
        assert screen.selected == 3


async def test_mouse_wheel_scrolls_a_pane(make_app: AppFactory) -> None:
    from textual import events

    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        recap = screen.query_one("#recap")
        assert screen.selected == 2  # the first episode not watched yet
        await pilot.press("1")
        await pilot.pause()
        assert recap.max_scroll_y > 0
        for _ in range(3):
            await pilot._post_mouse_events([events.MouseScrollDown], "#recap", offset=(5, 5))
        await pilot.pause()
        assert recap.scroll_y > 0


async def test_a_thousand_episodes_stay_quick(make_app: AppFactory) -> None:
    from packs import make_pack

    pack = make_pack(1200, paragraphs=1, words=8)
    app = make_app(pack)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        episodes = screen.query_one(EpisodeList)
        assert episodes.row_count == 1200
        await pilot.press("end")
        assert screen.selected == 1200
        await pilot.press("w")
        assert 1200 in screen.viewer.watched
        await pilot.press("home", "j")
        assert screen.selected == 2
