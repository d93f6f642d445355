"""The hostile pack at every size, through resize bursts, and a pack of
enormous text: nothing crashes, every frame renders, and no pane's content
spills into another's.

tests/ui/test_sizes.py covers the bundled pack; this file is about hostile
and huge content (escapes, markup, bidi, Hangul, emoji, CJK, a 2,000-
character name, 5,000-character words, a 1 MB recap) at sizes from 1x1 to
300x100.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.geometry import Region, Size
from textual.pilot import Pilot
from textual.widget import Widget

from soundtrack_tui.core.loader import read_pack
from soundtrack_tui.core.model import Pack

from .conftest import AppFactory
from .helpers import main_screen

HOSTILE = Path(__file__).parent.parent / "fixtures" / "hostile"
SIZES = [(1, 1), (2, 2), (10, 3), (20, 5), (40, 15), (80, 24), (120, 40), (300, 100)]
PANES = ("episodes", "recap", "characters", "reviews", "search")
LEFT_EDGE = {"│", "╭", "╰"}  # a round border, one cell each
RIGHT_EDGE = {"│", "╮", "╯"}
# Every pane in turn (tab x4 comes back to the list), then each overlay and
# each key that changes what the panes show.
TOUR = (
    *("tab", "tab", "tab", "tab", "j", "enter"),
    *("slash", "c", "escape", "f", "escape", "question_mark", "escape"),
    *("s", "w", "p", "2"),
)

_HOSTILE_PACK: Pack | None = None


def hostile_pack() -> Pack:
    global _HOSTILE_PACK
    if _HOSTILE_PACK is None:
        result = read_pack(HOSTILE)
        assert result.pack is not None and not result.errors, [str(p) for p in result.errors]
        _HOSTILE_PACK = result.pack
    return _HOSTILE_PACK


def rendered(app: App[Any]) -> list[str]:
    """Render the whole screen now, as the terminal would get it; every line
    exactly as wide as the terminal."""
    width, height = app.size
    strips = app.screen._compositor.render_strips()
    assert len(strips) == height
    assert all(strip.cell_length == width for strip in strips), [s.cell_length for s in strips]
    return ["".join(segment.text for segment in strip) for strip in strips]


def visible_region(app: App[Any], widget: Widget) -> Region | None:
    """Where `widget` is drawn on screen (clipped by its containers), or None."""
    placed = app.screen._compositor.visible_widgets.get(widget)
    if placed is None:
        return None
    region, clip = placed
    region = region.intersection(clip)
    return region if region.area else None


def assert_panes_apart(app: App[Any]) -> None:
    """Panes on screen never overlap, everything inside a pane is drawn
    inside it, and a pane shown whole has its border intact on every row:
    a long word, a wide character or an emoji cannot spill into (or push)
    the next pane."""
    screen = main_screen(app)
    screen_region = app.screen.region
    panes: dict[str, Region] = {}
    for name in PANES:
        widget = screen.query_one(f"#{name}")
        region = visible_region(app, widget) if widget.display else None
        if region is not None:
            assert screen_region.contains_region(region), (name, region, screen_region)
            panes[name] = region
    names = list(panes)
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            assert not panes[first].overlaps(panes[second]), (first, panes[first], second, panes[second])
    strips = app.screen._compositor.render_strips()
    for name, region in panes.items():
        widget = screen.query_one(f"#{name}")
        for child in widget.query("*"):
            inner = visible_region(app, child)
            if inner is not None:
                assert region.contains_region(inner), (name, region, child, inner)
        if region != widget.region or region.width < 2 or region.height < 2:
            continue  # cut by the screen edge: its border is partly off screen
        for y in range(region.y, region.bottom):
            left = strips[y].crop(region.x, region.x + 1).text
            right = strips[y].crop(region.right - 1, region.right).text
            assert left in LEFT_EDGE and right in RIGHT_EDGE, (name, y, left, right, strips[y].text)


def without_animations(app: App[Any]) -> App[Any]:
    """The tab strip's underline slides for 0.3 s, and the pilot waits for it
    after every key: only the burst test below keeps animations on, where
    they race the resizes."""
    app.animation_level = "none"
    return app


async def tour(pilot: Pilot[Any]) -> None:
    for key in TOUR:
        await pilot.press(key)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_hostile_pack_at_every_size(make_app: AppFactory, size: tuple[int, int]) -> None:
    app = without_animations(make_app(hostile_pack(), spoilers=True))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rendered(app)
        await tour(pilot)
        assert app.is_running
        assert app.screen is main_screen(app)
        lines = rendered(app)
        assert_panes_apart(app)
        if size[0] >= 120:
            text = "\n".join(lines)
            assert "CLICK-QUIT" in text
            assert "\u202e" not in text and "\x1b" not in text


def queue_resize(app: App[Any], width: int, height: int) -> None:
    """What `Pilot.resize_terminal` does, minus its wait: several of these in
    a row reach the app as one burst of Resize events, as a window being
    dragged sends them."""
    size = Size(width, height)
    driver = app._driver
    assert isinstance(driver, HeadlessDriver)
    driver._size = size
    app.post_message(events.Resize(size, size))


async def test_hostile_pack_through_a_burst_of_random_resizes(make_app: AppFactory) -> None:
    """30 resizes: 23 random ones with keys in between, then 7 queued at
    once. Animations stay on here, racing the layout changes."""
    rng = random.Random(20220323)
    app = make_app(hostile_pack(), spoilers=True)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = ["tab", "j", "k", "enter", "escape", "s", "shift+tab"]
        for index in range(23):
            width, height = rng.randint(1, 300), rng.randint(1, 100)
            await pilot.resize_terminal(width, height)
            if index % 3 == 0:
                await pilot.press(rng.choice(keys))
        for width, height in [(1, 1), (300, 100), (2, 2), (80, 24), (10, 3), (119, 40), (120, 40)]:
            queue_resize(app, width, height)
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.size == (120, 40)
        assert main_screen(app).panes.layout == "wide"
        rendered(app)
        assert_panes_apart(app)


# -- enormous text -----------------------------------------------------------------

LONG_WORD = "한선우" + "Sun-woo" * 714 + "音楽"  # 5,003 characters, no space to break at
LONG_NAME = "Mx. " + "Lengthy👩‍💻" * 221  # about 2,000 characters


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_huge_pack(root: Path) -> Path:
    """A two-episode pack: episode 1's recap is about 1 MB of paragraphs of
    5,000-character words, Hangul, emoji and CJK; names run to 2,000
    characters."""
    (root / "episodes").mkdir(parents=True)
    (root / "show.toml").write_text(
        "\n".join(
            [
                "format = 1",
                'id = "huge"',
                f"title = {toml_string('Huge ' + LONG_WORD)}",
                "episode_count = 3",
                f"synopsis = {toml_string('Premise. ' + LONG_WORD)}",
                "",
                "[[sources]]",
                'key = "S"',
                'outlet = "Outlet"',
                'title = "An article"',
                'url = "https://example.org/a"',
                "",
                "[[reviews]]",
                f"outlet = {toml_string(LONG_NAME)}",
                'source = "S"',
                f"verdict = {toml_string(LONG_WORD)}",
                f"thoughts = {toml_string(' '.join([LONG_WORD] * 20))}",
                "after_episode = 0",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    paragraph = " ".join([LONG_WORD, "한선우와 이은수 👩‍💻 🏳️‍🌈 音楽 café", LONG_WORD])
    recap = "\n\n".join([paragraph] * 100)
    for number, text in ((1, recap), (2, paragraph)):
        (root / "episodes" / f"0{number}.toml").write_text(
            "\n".join(
                [
                    f"number = {number}",
                    f"title = {toml_string(LONG_NAME)}",
                    f"logline = {toml_string(LONG_WORD)}",
                    f'recap = """\n{text}\n"""',
                    'sources = ["S"]',
                    "",
                    "[[reviews]]",
                    f"outlet = {toml_string(LONG_NAME)}",
                    'source = "S"',
                    f"verdict = {toml_string(LONG_WORD)}",
                    f"thoughts = {toml_string(LONG_WORD)}",
                ]
            )
            + "\n",
            encoding="utf-8",
        )
    characters = []
    for index in range(3):
        characters += [
            "[[characters]]",
            f'id = "c{index}"',
            f"name = {toml_string(LONG_NAME + str(index))}",
            f"aliases = [{toml_string(LONG_WORD)}]",
            f"first_episode = {index % 2}",
            f"intro = {toml_string(LONG_WORD)}",
            'sources = ["S"]',
            "",
            "[[characters.notes]]",
            "episode = 1",
            f"text = {toml_string(LONG_WORD)}",
            "",
        ]
    (root / "characters.toml").write_text("\n".join(characters), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def huge_pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    root = write_huge_pack(tmp_path_factory.mktemp("huge") / "pack")
    size = (root / "episodes" / "01.toml").stat().st_size
    assert 1_000_000 <= size < 2 * 1024 * 1024, size  # about 1 MB, under the file cap
    result = read_pack(root)
    assert result.pack is not None and not result.errors, [str(p) for p in result.errors][:3]
    return result.pack


async def test_huge_text_works_and_stays_in_its_pane(make_app: AppFactory, huge_pack: Pack) -> None:
    app = without_animations(make_app(huge_pack, spoilers=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current is not None and screen.current.paragraphs is not None
        assert sum(len(p) for p in screen.current.paragraphs) > 1_000_000
        rendered(app)
        assert_panes_apart(app)

        # To the end of the recap, then the other panes.
        await pilot.press("tab", "end", "tab", "end", "tab")
        await pilot.pause()
        assert screen.query_one("#recap").scroll_y > 1000
        assert_panes_apart(app)

        # Search a megabyte, jump to a match, walk the matches.
        await pilot.press("slash", *"café")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.results is not None and screen.results.hits
        await pilot.press("enter", "n", "N")
        await pilot.pause()
        assert screen.panes.pane == "recap"
        assert_panes_apart(app)

        for width, height in [(40, 15), (300, 100), (1, 1), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            rendered(app)
            assert_panes_apart(app)
        await pilot.press("2", "f", "escape")
        await pilot.pause()
        assert app.is_running
        assert screen.selected == 2
        assert_panes_apart(app)
