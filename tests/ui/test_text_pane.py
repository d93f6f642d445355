"""The text panes draw their blocks one line at a time (`TextPane`)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Offset
from textual.selection import Selection

from soundtrack_tui.ui.widgets.text_pane import Block, TextPane


class Pane(TextPane):
    def __init__(self, blocks: list[Block], target: int | None = None) -> None:
        super().__init__("Test", id="pane")
        self.given, self.given_target = blocks, target
        self.drawn: set[int] = set()

    def build(self) -> tuple[list[Block], int | None]:
        return self.given, self.given_target

    def render_line(self, y: int) -> Any:
        self.drawn.add(self.scroll_offset.y + y)
        return super().render_line(y)


class Host(App[None]):
    CSS = "#pane { height: 12; border: round white; padding: 0 1; scrollbar-gutter: stable; }"

    def __init__(self, pane: Pane) -> None:
        super().__init__()
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield self.pane


def paragraphs(count: int) -> list[Block]:
    return [Block(Content(f"Paragraph {n}: " + "words " * 20)) for n in range(count)]


async def test_only_lines_in_view_are_drawn() -> None:
    pane = Pane(paragraphs(500))
    async with Host(pane).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        assert pane.virtual_size.height > 2000  # every block wrapped and laid out
        assert pane.drawn and max(pane.drawn) < 10  # only the ten lines in view drawn
        pane.scroll_to(y=1000, animate=False, immediate=True)
        await pilot.pause()
        assert max(pane.drawn) >= 1000 and len(pane.drawn) <= 20


async def test_blocks_are_spaced_framed_and_the_target_is_revealed() -> None:
    blocks = [
        Block(Content("Heading"), 0),
        Block(Content("Gate text"), 0, 1, "box"),
        *paragraphs(20),
        Block(Content("The match"), frame="bar"),
        *paragraphs(20),
    ]
    pane = Pane(blocks, target=22)
    async with Host(pane).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        lines = [pane.render_line(y).text for y in range(10)]
        start, height = pane.block_lines(22)
        assert height == 1 and pane.scroll_offset.y == start  # at the top of the view
        assert lines[0].startswith("█ The match")
        pane.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        top = [pane.render_line(y).text.rstrip() for y in range(5)]
        assert top[0] == "Heading"
        assert top[1] == ""  # the box's space before it
        assert top[2].startswith("╭") and top[2].endswith("╮")
        assert top[3].startswith("│ Gate text") and top[3].endswith("│")
        assert top[4].startswith("╰")


async def test_a_selection_copies_the_text_without_frames() -> None:
    pane = Pane([Block(Content("First block")), Block(Content("Second"), frame="bar")])
    async with Host(pane).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        selected = pane.get_selection(Selection(Offset(0, 0), Offset(6, 2)))
        assert selected == ("First block\n\nSecond", "\n")
        assert pane.text == "First block\nSecond"
