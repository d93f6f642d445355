"""`soundtrack serve` in a real headless Chromium: the page, the keys, the
progress file, downloads, hostile pack text, and stopping the server.

Skipped with the reason where no browser can be had; CI sets
SOUNDTRACK_REQUIRE_BROWSER=1, and then a missing browser fails instead.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import (
    STOP_SECONDS,
    alive,
    browser_problem,
    children,
    chromium_page,
    open_app,
    screen_text,
    served,
    text_position,
    wait_for_text,
    wait_for_text_gone,
    wait_until,
)
from runner import run_soundtrack

if TYPE_CHECKING:
    from playwright.sync_api import Download

SESSION_CLOSED = "document.body.classList.contains('-closed')"
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> [b]Bold[/b]'
HOSTILE_EPISODE = "<i>E1</i> [b]one[/b]"


@pytest.fixture(autouse=True)
def need_browser() -> None:
    problem = browser_problem()
    if problem is None:
        return
    if os.environ.get("SOUNDTRACK_REQUIRE_BROWSER"):
        pytest.fail(f"SOUNDTRACK_REQUIRE_BROWSER is set, but {problem}")
    pytest.skip(problem)


def watched(state: Path) -> list[int] | None:
    """Episode numbers the progress file marks watched (None: no file yet)."""
    try:
        document = json.loads((state / "progress.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    numbers: list[int] = document["packs"]["soundtrack-1"]["watched"]
    return numbers


def test_the_app_works_in_the_browser(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with served("--state-dir", str(state)) as (url, _server), chromium_page() as page:
        open_app(page, url, "Echoes of Love")
        assert page.title() == "Soundtrack #1"
        assert "watched 0/4" in screen_text(page)
        assert watched(state) is None

        page.keyboard.press("w")
        wait_for_text(page, "watched 1/4")
        wait_until(lambda: watched(state) == [1], "episode 1 marked watched in the progress file")

        page.keyboard.press("s")
        wait_for_text(page, "spoilers on")
        page.keyboard.press("s")
        wait_for_text_gone(page, "spoilers on")
        assert "spoilers hidden: standard" in screen_text(page)

        page.keyboard.type("/tarot")
        wait_for_text(page, "5 more matches in locked episodes 2 and 4")

        shot = tmp_path / "browser.png"
        page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a drawn screen, not a blank page


def test_switching_shows_in_the_browser_keeps_each_shows_progress(tmp_path: Path) -> None:
    state = tmp_path / "state"
    pack = Path(__file__).parent / "fixtures" / "packs" / "valid"  # Night Shift, 3 episodes
    assert run_soundtrack("add", str(pack), state=state).returncode == 0
    assert run_soundtrack("--show", "soundtrack-1", "list", state=state).returncode == 0  # used last
    with served("--state-dir", str(state)) as (url, _server), chromium_page() as page:
        open_app(page, url, "Echoes of Love")
        page.keyboard.press("S")
        wait_for_text(page, "Your shows")
        page.keyboard.press("Home")
        page.keyboard.press("Enter")
        wait_for_text(page, "Dead Air")
        assert "watched 0/3" in screen_text(page)
        page.keyboard.press("w")
        wait_for_text(page, "watched 1/3")
    shows = json.loads(run_soundtrack("shows", "--json", state=state).stdout)
    progress = {show["id"]: (show["watched"], show["last_used"]) for show in shows}
    assert progress == {"night-shift": (1, True), "soundtrack-1": (0, False)}


def test_q_ends_the_session_and_not_the_server(tmp_path: Path) -> None:
    with served("--state-dir", str(tmp_path)) as (url, server), chromium_page() as page:
        open_app(page, url, "Echoes of Love")
        sessions = children(server.pid)
        assert len(sessions) == 1
        page.keyboard.press("q")
        page.wait_for_function(SESSION_CLOSED)
        wait_until(lambda: not alive(sessions[0]), "the session's app process ended")
        assert server.poll() is None
        page.goto(url)
        wait_for_text(page, "Echoes of Love")


def test_copying_reaches_the_browsers_clipboard(tmp_path: Path) -> None:
    words = "Eun-soo, a lyricist"
    with served("--state-dir", str(tmp_path)) as (url, _server), chromium_page() as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        open_app(page, url, words)
        x, y, cell = text_position(page, words)
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + (len(words) - 1) * cell, y, steps=5)
        page.mouse.up()
        page.keyboard.press("Control+c")  # Textual's copy: OSC 52, which the page hands to the browser
        clipboard = ""
        for _ in range(100):  # Playwright waits on a page's promise only when asked to evaluate it
            clipboard = page.evaluate("navigator.clipboard.readText()")
            if clipboard:
                break
            page.wait_for_timeout(100)
        assert clipboard == words


def test_the_story_downloads_as_markdown(tmp_path: Path) -> None:
    with served("--state-dir", str(tmp_path)) as (url, _server), chromium_page() as page:
        downloads: list[Download] = []

        def keep(download: Download) -> None:
            downloads.append(download)

        # textual-serve opens the download in a new tab; Chromium reports it
        # on the tab that opened it.
        page.on("download", keep)
        open_app(page, url, "Echoes of Love")
        page.keyboard.press("w")
        wait_for_text(page, "watched 1/4")
        page.keyboard.press("Control+p")
        page.keyboard.type("Save the story")
        wait_for_text(page, "Save the story as Markdown")
        page.keyboard.press("Enter")
        for _ in range(300):  # Playwright reports events only while it is called
            if downloads:
                break
            page.wait_for_timeout(100)
        assert downloads, f"no download started; screen:\n{screen_text(page)}"
        saved = tmp_path / "story.md"
        downloads[0].save_as(saved)
        assert downloads[0].suggested_filename == "soundtrack-1-story-so-far.md"
    story = saved.read_text(encoding="utf-8")
    assert story.startswith("# Soundtrack #1: the story so far")
    assert "Echoes of Love" in story
    assert "A Picture Is Worth" not in story  # episode 2 is not watched


def test_hostile_pack_text_runs_no_script(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    made = run_soundtrack("new", str(pack), "--title", HOSTILE_TITLE, "--episodes", "2", state=tmp_path)
    assert made.returncode == 0, made.stderr
    episode = pack / "episodes" / "01.toml"
    episode.write_text(
        episode.read_text(encoding="utf-8").replace('"Episode 1"', json.dumps(HOSTILE_EPISODE)),
        encoding="utf-8",
    )
    options = ("--content", str(pack), "--state-dir", str(tmp_path / "state"))
    with served(*options) as (url, _server), chromium_page() as page:
        open_app(page, url, HOSTILE_EPISODE)
        assert "[b]Bold[/b]" in screen_text(page)  # markup shown as typed
        assert page.title() == HOSTILE_TITLE
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img").count() == 0
        inline_scripts = page.evaluate("[...document.scripts].filter(s => !s.src).map(s => s.text)")
        assert len(inline_scripts) == 1 and "pwned" not in inline_scripts[0]  # textual-serve's own
        assert HOSTILE_TITLE in page.locator(".intro").first.inner_text()


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl+C"])
def test_stopping_the_server_ends_every_session(how: str, tmp_path: Path) -> None:
    with served("--state-dir", str(tmp_path)) as (url, server), chromium_page() as page:
        open_app(page, url, "Echoes of Love")
        second = page.context.new_page()
        second.goto(url)
        wait_until(lambda: len(children(server.pid)) == 2, "a second session started")
        sessions = children(server.pid)
        if how == "SIGTERM":
            server.send_signal(signal.SIGTERM)
        else:
            os.killpg(server.pid, signal.SIGINT)  # a terminal's Ctrl+C reaches the whole group
        try:
            code = server.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the server was still running {STOP_SECONDS} s after {how}")
        output = server.stdout.read() if server.stdout else ""
        assert code == 0, output
        wait_until(lambda: not any(alive(pid) for pid in sessions), "every session's app process ended")
        page.wait_for_function(SESSION_CLOSED)
    assert "Traceback" not in output


def test_the_screenshot_script_makes_the_browser_png(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "screenshots" / "make.py"
    result = subprocess.run(
        [sys.executable, str(script), "browser.png", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["browser.png"]
    assert (tmp_path / "browser.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_killed_server_leaves_no_session_behind(tmp_path: Path) -> None:
    with served("--state-dir", str(tmp_path)) as (url, server), chromium_page() as page:
        open_app(page, url, "Echoes of Love")
        sessions = children(server.pid)
        assert len(sessions) == 1
        server.kill()
        server.wait()
        wait_until(lambda: not alive(sessions[0]), "the orphaned session's app process ended")
