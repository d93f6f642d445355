"""Regenerate the README screenshots from the real app.

    python screenshots/make.py                  # every screenshot, into screenshots/
    python screenshots/make.py --out DIR        # somewhere else
    python screenshots/make.py search narrow    # only these (names without .svg or .png)
    python screenshots/make.py --list           # the names and what each shows
    python screenshots/make.py --keys           # the README "Keys" table, as Markdown

Each screenshot runs the app headless (`App.run_test`) on the bundled pack,
drives it with Pilot and saves the screen as SVG. Runs are deterministic:
every screenshot gets a fresh progress file in a temporary folder (never the
real home; the config and cache folders are temporary too), the default keys,
a fixed theme, and a fixed terminal size. Running the script twice writes the
same files.

`browser.png` is the app as `soundtrack serve` shows it in a real headless
Chromium (Debian's `chromium` package and Playwright, from the test extra;
the helpers are the browser tests' own, tests/browser.py). It is a picture
of a canvas, so two runs may differ in a few pixels.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.progress import ProgressStore
from soundtrack_tui.ui.app import SoundtrackApp
from soundtrack_tui.ui.keymap import KeymapConfig

HERE = Path(__file__).resolve().parent
THEME = "textual-dark"
WIDE = (120, 40)
MEDIUM = (80, 24)
NARROW = (60, 20)

ENV_DIRS = {
    "SOUNDTRACK_STATE_DIR": "state",
    "SOUNDTRACK_CONFIG_DIR": "config",
    "SOUNDTRACK_CACHE_DIR": "cache",
}

Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the screen is still: searches done, no blinking cursor,
    no animation half-way."""
    for input_widget in pilot.app.screen.query(Input):
        input_widget.cursor_blink = False
    await pilot.app.workers.wait_for_complete()
    # Recomposed panes scroll to a match after their next refresh.
    for _ in range(3):
        await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def press(*keys: str) -> Steps:
    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)

    return steps


async def nothing(pilot: Pilot[Any]) -> None:
    return None


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    size: tuple[int, int]
    steps: Steps = nothing
    watched: tuple[int, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.svg"


SHOTS: tuple[Shot, ...] = (
    Shot(
        "first-launch",
        "First launch, nothing watched: episode 1 is open, later episodes are locked.",
        WIDE,
    ),
    Shot(
        "spoilers-revealed",
        "After pressing s: everything shown for this session (your saved level is unchanged).",
        WIDE,
        steps=press("s"),
    ),
    Shot(
        "search",
        "Searching “tarot” after watching episodes 1-2: visible matches, and a count of locked ones.",
        WIDE,
        steps=press("slash", *"tarot"),
        watched=(1, 2),
    ),
    Shot(
        "characters",
        "80x24: the characters tab after episodes 1-2, with what episode 2 revealed marked new.",
        MEDIUM,
        steps=press("tab", "tab"),
        watched=(1, 2),
    ),
    Shot(
        "narrow",
        "60x20: one pane at a time (here episode 1's recap, opened with Enter); the tab strip names them.",
        NARROW,
        steps=press("1", "enter"),
        watched=(1,),
    ),
    Shot(
        "story",
        "The story so far (f), after watching episodes 1-2.",
        WIDE,
        steps=press("f"),
        watched=(1, 2),
    ),
    Shot(
        "help",
        "Help (?): every key, its binding id for keys.toml, and the marks legend.",
        WIDE,
        steps=press("question_mark"),
    ),
)


@dataclass(frozen=True)
class BrowserShot:
    name: str
    caption: str
    size: tuple[int, int]  # the page's, in CSS pixels
    watched: tuple[int, ...]
    query: str

    @property
    def filename(self) -> str:
        return f"{self.name}.png"


BROWSER_SHOT = BrowserShot(
    "browser",
    "soundtrack serve in Chromium: searching “tarot” after episodes 1-2, as in the terminal.",
    (1280, 800),
    watched=(1, 2),
    query="tarot",
)


@contextlib.contextmanager
def isolated_environment(root: Path) -> Iterator[Path]:
    """Point state, config and cache at folders under `root`, colour on;
    the environment is restored on exit."""
    names = [*ENV_DIRS, "NO_COLOR"]
    saved = {name: os.environ.get(name) for name in names}
    try:
        for name, folder in ENV_DIRS.items():
            os.environ[name] = str(root / folder)
        os.environ.pop("NO_COLOR", None)
        yield root
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_app(pack: Pack, state: Path, watched: Sequence[int] = ()) -> SoundtrackApp:
    """The app as a user with this progress would start it, with the default
    keys whatever keys.toml says."""
    store = ProgressStore(state, pack.show.id)
    store.load()
    store.set_theme(THEME)
    if watched:
        store.set_watched(list(watched), True)
    return SoundtrackApp(pack, store, keymap=KeymapConfig())


async def take(shot: Shot, pack: Pack, state: Path) -> str:
    """Run the app for one screenshot; returns the SVG text."""
    app = build_app(pack, state, shot.watched)
    async with app.run_test(size=shot.size) as pilot:
        await settle(pilot)
        await shot.steps(pilot)
        await settle(pilot)
        return app.export_screenshot(title=f"soundtrack · {shot.name}")


def take_in_browser(shot: BrowserShot, pack: Pack, state: Path, path: Path) -> None:
    """Serve the app, open it in headless Chromium, search, save a PNG."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from browser import browser_problem, chromium_page, open_app, screen_text, served, wait_for_text

    problem = browser_problem()
    if problem:
        raise ValueError(f"{shot.filename} needs a browser: {problem}")
    build_app(pack, state, shot.watched)  # writes the progress the server reads
    with served("--state-dir", str(state)) as (url, _server), chromium_page(*shot.size) as page:
        open_app(page, url, f"watched {len(shot.watched)}/")
        page.keyboard.type(f"/{shot.query}")
        wait_for_text(page, "matches")
        # Still: the same screen twice, half a second apart.
        previous = ""
        while (current := screen_text(page)) != previous:
            previous = current
            page.wait_for_timeout(500)
        page.screenshot(path=str(path))


def make(names: Sequence[str] = (), out: Path = HERE) -> list[Path]:
    """Write the screenshots called `names` (all when empty) into `out`."""
    chosen = select(names)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="soundtrack-shots-") as tmp, isolated_environment(Path(tmp)):
        pack = load_pack(bundled_pack())
        for shot in chosen:
            path = out / shot.filename
            state = Path(tmp) / "state" / shot.name
            if isinstance(shot, BrowserShot):
                take_in_browser(shot, pack, state, path)
            else:
                path.write_text(asyncio.run(take(shot, pack, state)), encoding="utf-8")
            written.append(path)
    return written


def select(names: Sequence[str]) -> list[Shot | BrowserShot]:
    every: list[Shot | BrowserShot] = [*SHOTS, BROWSER_SHOT]
    by_name = {shot.name: shot for shot in every}
    bare = [name.removesuffix(".svg").removesuffix(".png") for name in names]
    unknown = [name for name in bare if name not in by_name]
    if unknown:
        raise ValueError(f"unknown screenshot {', '.join(unknown)}; choose from {', '.join(by_name)}")
    if not names:
        return every
    return [by_name[name] for name in dict.fromkeys(bare)]


# -- the README key table -----------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


async def _keys_markdown() -> str:
    with tempfile.TemporaryDirectory(prefix="soundtrack-keys-") as tmp, isolated_environment(Path(tmp)):
        app = build_app(load_pack(bundled_pack()), Path(tmp) / "state")
        async with app.run_test(size=WIDE):
            sections = app.help_sections()
    lines: list[str] = []
    for section in sections:
        lines += [f"**{section.title}**", "", "| Key | Does | Binding id |", "| --- | --- | --- |"]
        for row in section.rows:
            keys = " ".join(f"`{key}`" for key in row.keys.split(" "))
            binding_id = f"`{row.binding_id}`" if row.binding_id else "(Textual built-in)"
            lines.append(f"| {_cell(keys)} | {_cell(row.description)} | {binding_id} |")
        lines.append("")
    return "\n".join(lines)


def keys_markdown() -> str:
    """Every key the help screen lists, by context, as Markdown tables."""
    return asyncio.run(_keys_markdown())


# -- command line ---------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make.py", description="Regenerate the README screenshots from the real app."
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="screenshots to make (default: all)")
    parser.add_argument("--out", type=Path, default=HERE, metavar="DIR", help=f"folder (default: {HERE})")
    parser.add_argument("--list", action="store_true", help="list the screenshots and exit")
    parser.add_argument("--keys", action="store_true", help="print the key table as Markdown and exit")
    args = parser.parse_args(argv)
    if args.list:
        for shot in select(()):
            print(f"{shot.filename:24} {shot.size[0]}x{shot.size[1]}  {shot.caption}")
        return 0
    if args.keys:
        print(keys_markdown())
        return 0
    try:
        written = make(args.names, args.out)
    except ValueError as error:
        parser.error(str(error))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
