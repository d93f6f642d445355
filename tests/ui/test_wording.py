"""Wording: one name per pane wherever it is named, and text that reads as
sentences, without the double spaces that only colour used to set apart."""

from __future__ import annotations

import re

from textual.widgets import Tabs

from soundtrack_tui.ui.panes import CONTENT_PANES, PANE_TITLES
from soundtrack_tui.ui.screens.reading import ReadingScreen

from .conftest import AppFactory
from .helpers import header_text, main_screen, pane_text, text_of

DOUBLE_SPACE = re.compile(r"\S  +\S")


async def test_each_pane_has_one_name(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        tabs = {tab.id: tab.label.plain for tab in screen.query_one(Tabs).query("Tab")}
        for pane in ("episodes", *CONTENT_PANES):
            assert screen.query_one(f"#{pane}").border_title == PANE_TITLES[pane] == tabs[f"tab-{pane}"]
        await pilot.press("question_mark")
        await pilot.pause()
        titles = [text_of(title) for title in app.screen.query(".help-title")]
        assert "Recap, Characters and Reviews" in titles
        assert "Reviewer thoughts" not in text_of(app.screen)


async def test_no_double_spaces_in_what_a_fan_reads(make_app: AppFactory) -> None:
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        read: list[str] = []
        for number in ("1", "2", "3", "4"):
            await pilot.press(number)
            await pilot.pause()
            read += [pane_text(app, pane) for pane in CONTENT_PANES]
            read.append(header_text(app))
        for key in ("f", "t"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ReadingScreen)
            read.append(text_of(app.screen))
            await pilot.press("escape")
        for text in read:
            for line in text.splitlines():
                assert not DOUBLE_SPACE.search(line), line
