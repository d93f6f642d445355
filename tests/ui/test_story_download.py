"""The story download is offered only in a browser, where `deliver_text`
hands the file to the reader; in a terminal it would write into ~/Downloads
unasked."""

from __future__ import annotations

from .conftest import AppFactory


async def test_a_terminal_session_offers_no_story_download(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Story so far" in titles
        assert "Save the story as Markdown" not in titles
