"""NO_COLOR: the selection, the focused pane and the current search match
must still stand out when colour is gone.

Textual reads NO_COLOR when the App is constructed and adds a line filter
that turns every colour grey (NoColor with native ANSI colours). These tests
set it before building the app, render the screen as the terminal would get
it, and then look only at what survives without colour: the glyphs and the
text attributes (bold, reverse, underline, ...), never the colours.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rich.style import Style
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot

from .conftest import AppFactory
from .helpers import choose, main_screen

ATTRIBUTES = ("bold", "dim", "italic", "underline", "reverse", "strike", "blink", "underline2", "overline")


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


Cell = tuple[str, frozenset[str]]


def attributes(style: Style | None) -> frozenset[str]:
    if style is None:
        return frozenset()
    return frozenset(name for name in ATTRIBUTES if getattr(style, name))


def screen_cells(app: App[Any], region: Region | None = None) -> list[list[Cell]]:
    """Each screen line (cut to `region`) as (character, attributes) pairs,
    one per character: what is left once colour is ignored."""
    strips = app.screen._compositor.render_strips()
    region = region or app.screen.region
    lines = []
    for strip in strips[region.y : region.bottom]:
        cropped = strip.crop(region.x, region.right)
        lines.append([(char, attributes(seg.style)) for seg in cropped for char in seg.text])
    return lines


def colours(app: App[Any]) -> Iterator[tuple[int, ...]]:
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            for colour in (style.color, style.bgcolor):
                if colour is not None and colour.triplet is not None:
                    yield tuple(colour.triplet)


def text(line: list[Cell]) -> str:
    return "".join(char for char, _ in line)


def region_of(app: App[Any], selector: str) -> Region:
    return main_screen(app).query_one(selector).region


def title_attributes(app: App[Any], title: str) -> frozenset[str]:
    """The attributes of a pane's border title, found on its top border
    ("╭─ Recap ───", not the "Recap" of the tab strip)."""
    for line in screen_cells(app):
        start = text(line).find(f"─ {title} ")
        if start >= 0:
            return frozenset.union(*(attrs for _, attrs in line[start + 2 : start + 2 + len(title)]))
    raise AssertionError(f"no border titled {title!r} on screen")


def highlighted_rows(app: App[Any], selector: str) -> list[str]:
    """The rows of a list underlined from one edge of its content to the
    other: its highlight, once colour is gone."""
    region = main_screen(app).query_one(selector).scrollable_content_region
    return [
        text(line).strip()
        for line in screen_cells(app, region)
        if line and all("underline" in attrs for _, attrs in line)
    ]


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


async def test_textual_sees_no_color_and_greys_everything(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    assert app.no_color
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen = set(colours(app))
        assert seen, "expected some (grey) colours on screen"
        assert all(red == green == blue for red, green, blue in seen), sorted(seen)[:5]


async def test_the_selected_episode_is_marked_without_colour(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        [row] = highlighted_rows(app, "#episodes")
        assert row.startswith("1 ✓"), row
        await pilot.press("j", "j")
        await settle(pilot)
        [row] = highlighted_rows(app, "#episodes")
        assert row.startswith("3 ⊘"), row
        # The highlight stays visible while another pane has the focus.
        await pilot.press("tab")
        await settle(pilot)
        [row] = highlighted_rows(app, "#episodes")
        assert row.startswith("3 ⊘"), row


@pytest.mark.parametrize("size", [(120, 40), (100, 30), (60, 20)], ids=["wide", "medium", "narrow"])
async def test_the_focused_pane_is_marked_without_colour(make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app(watched=[1])
    titles = {
        "episodes": "Episodes",
        "recap": "Recap",
        "characters": "Characters",
        "reviews": "Reviews",
    }
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        await settle(pilot)
        for pane in ("episodes", "recap", "characters", "reviews"):
            screen = main_screen(app)
            assert screen.panes.pane == pane
            focused = title_attributes(app, titles[pane])
            assert {"reverse", "bold"} <= focused, (pane, focused)
            for other, title in titles.items():
                node = screen.query_one(f"#{other}")
                if other != pane and node.display and node.region.area:
                    assert "reverse" not in title_attributes(app, title), (pane, other)
            await pilot.press("tab")
            await settle(pilot)


async def test_the_search_cursor_is_marked_without_colour(make_app: AppFactory) -> None:
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"sun-woo")
        await settle(pilot)
        first = highlighted_rows(app, "#search-results")
        assert first  # a result is one or two rows: tag and snippet
        await pilot.press("down", "j")
        await settle(pilot)
        second = highlighted_rows(app, "#search-results")
        assert second and second != first


def match_runs(app: App[Any]) -> list[tuple[str, frozenset[str]]]:
    """Runs of reversed text in the recap pane (search matches), with the
    attributes each carries."""
    runs: list[tuple[str, frozenset[str]]] = []
    for line in screen_cells(app, region_of(app, "#recap")):
        word, attrs = "", frozenset[str]()
        for char, cell in [*line, (" ", frozenset())]:
            if "reverse" in cell:
                word, attrs = word + char, attrs | cell
            elif word:
                runs.append((word, attrs))
                word, attrs = "", frozenset()
    return runs


async def test_the_current_match_stands_out_from_the_others(make_app: AppFactory) -> None:
    """n/N walk the matches in a recap; the current one must differ from the
    rest by more than its colour."""
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        # Search, and choose a match in episode 1's recap: its matches are marked.
        await pilot.press("slash", *"eun-soo")
        await settle(pilot)
        choose(app, "recap", 1)
        await pilot.press("enter")
        await settle(pilot)
        screen = main_screen(app)
        assert screen.recap_marks is not None and len(screen.recap_marks.marks) > 2
        await pilot.press("n")
        await settle(pilot)
        runs = [(word, attrs) for word, attrs in match_runs(app) if word.lower() == "eun-soo"]
        assert len(runs) >= 2, runs
        kinds = {attrs for _, attrs in runs}
        assert len(kinds) == 2, f"every match looks the same without colour: {kinds}"
        # One match (the current one) differs, all the others look alike.
        unique = [attrs for _, attrs in runs if sum(attrs == other for _, other in runs) == 1]
        assert len(unique) == 1, runs
        assert "underline" in unique[0]
