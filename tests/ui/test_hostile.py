"""Pack text is never markup: hostile strings render literally and do nothing."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

from soundtrack_tui.core.loader import read_pack
from soundtrack_tui.ui.widgets.episode_list import EpisodeList

from .conftest import AppFactory
from .helpers import header_text, main_screen, options_text, pane_text, text_of

HOSTILE = [
    "[@click=app.quit]quit[/]",
    "[/bold]",
    "[link=file:///etc/passwd]x[/link]",
    ":warning:",
    "[b]bold?[/b]",
    "$accent",
]
RECAP = "Before. " + " ".join(HOSTILE) + " After."


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_hostile_pack(root: Path) -> Path:
    (root / "episodes").mkdir(parents=True)
    (root / "show.toml").write_text(
        "\n".join(
            [
                "format = 1",
                'id = "hostile"',
                f"title = {toml_string('[red]Hostile[/red] [@click=app.quit]show')}",
                "episode_count = 2",
                f"synopsis = {toml_string('A show about ' + HOSTILE[0])}",
                "",
                "[[sources]]",
                'key = "S"',
                'outlet = "[b]Outlet[/b]"',
                'title = "An article"',
                'url = "https://example.org/a"',
                "",
                "[[reviews]]",
                'outlet = "[@click=app.quit]Reviewer"',
                'source = "S"',
                f"verdict = {toml_string('[/bold] verdict')}",
                f"thoughts = {toml_string(RECAP)}",
                "after_episode = 0",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    for number in (1, 2):
        (root / "episodes" / f"0{number}.toml").write_text(
            "\n".join(
                [
                    f"number = {number}",
                    f"title = {toml_string('[@click=app.quit]Title ' + str(number) + ' [/bold]')}",
                    f"logline = {toml_string('Logline ' + HOSTILE[2])}",
                    f"recap = {toml_string(RECAP)}",
                    'sources = ["S"]',
                ]
            )
            + "\n",
            encoding="utf-8",
        )
    (root / "characters.toml").write_text(
        "\n".join(
            [
                "[[characters]]",
                'id = "villain"',
                f"name = {toml_string('[@click=app.quit]Villain')}",
                f"aliases = [{toml_string('[/bold]')}]",
                "first_episode = 0",
                f"intro = {toml_string(RECAP)}",
                'sources = ["S"]',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return root


async def test_hostile_text_renders_literally_and_does_nothing(make_app: AppFactory, tmp_path: Path) -> None:
    result = read_pack(write_hostile_pack(tmp_path / "pack"))
    assert result.pack is not None and not result.errors, [str(p) for p in result.problems]
    app = make_app(result.pack, spoilers=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        recap = pane_text(app, "recap")
        for text in HOSTILE:
            assert text in recap, text
        assert "[@click=app.quit]Title 1 [/bold]" in options_text(screen.query_one(EpisodeList))[0]
        assert "[red]Hostile[/red] [@click=app.quit]show" in header_text(app)
        characters = pane_text(app, "characters")
        assert "[@click=app.quit]Villain" in characters and "[/bold]" in characters
        reviews = pane_text(app, "reviews")
        assert "[@click=app.quit]Reviewer" in reviews and "[/bold] verdict" in reviews
        # Clicking on the literal [@click=...] text must not quit.
        await pilot.click("#recap", offset=(3, 8))
        await pilot.click("#episodes", offset=(8, 1))
        await pilot.press("j", "k", "tab", "tab", "tab", "tab")
        await pilot.pause()
        assert app.is_running

        await pilot.press("f")
        await pilot.pause()
        story = text_of(app.screen)
        assert "[@click=app.quit]Title 1 [/bold]" in story
        assert "[link=file:///etc/passwd]x[/link]" in story
        await pilot.press("escape")

        await pilot.press("slash", *"click")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to episode")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
