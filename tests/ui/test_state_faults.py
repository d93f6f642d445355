"""Faults in the state folder, through the real UI: the app starts, works,
says once what happened, and never destroys a good progress file.

The store's own behaviour is covered in tests/test_progress.py; here each
fault is met the way a user meets it: launch, press keys, read the notice,
quit, look at what is left on disk. The last tests kill a real process in
the middle of saving and check that the file is the old one or the new one,
whole, never a mix.
"""

from __future__ import annotations

import errno
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from soundtrack_tui.core.progress import FILE_NAME, LOCK_NAME, ProgressStore
from soundtrack_tui.ui.widgets.episode_list import EpisodeList

from .conftest import AppFactory, bundled
from .helpers import main_screen, notifications, options_text

PACK_ID = "soundtrack-1"
TIMEOUT = 20.0


def good_file(folder: Path, watched: list[int]) -> bytes:
    """A progress file written by the store itself, as a previous session left it."""
    ProgressStore(folder, PACK_ID).set_watched(watched, True)
    return (folder / FILE_NAME).read_bytes()


def saved_watched(folder: Path) -> set[int]:
    document = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    return set(document["packs"][PACK_ID]["watched"])


def stray_temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def matching(app: App[Any], words: str) -> list[str]:
    return [message for message in notifications(app) if words in message]


def toasts(app: App[Any]) -> list[str]:
    """The notifications on screen now, as the user sees them (the app runs
    with `notifications=True`: run_test hides toasts by default)."""
    return [str(toast._notification.message) for toast in app.screen.query(Toast)]


async def use_the_app(pilot: Pilot[Any]) -> None:
    """Mark 1 and 2 watched and move between the panes, as a user would."""
    await pilot.press("1", "w", "j", "w", "tab", "shift+tab")
    await pilot.pause()


# -- damaged files -----------------------------------------------------------------

_VALID = json.dumps({"version": 1, "packs": {PACK_ID: {"watched": [3], "level": "standard"}}}, indent=2)
DAMAGED: dict[str, bytes] = {
    "corrupt JSON": b'{"version": 1, "packs": {"soundtrack-1": {"watched": [3,,]}}}',
    "truncated": _VALID.encode()[: len(_VALID) // 2],
    "not UTF-8": b'{"version": 1, "packs": {"\xff\xfe\xc0": {}}}',
    "wrong schema": json.dumps({"version": 1, "packs": {PACK_ID: {"watched": "all of them"}}}).encode(),
    "empty": b"",
}
HOSTILE_FILE = b"[bold]\x1b]0;PWNED\x07 [@click=app.quit]x[/]"


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
async def test_a_damaged_file_is_kept_aside_and_the_app_works(
    make_app: AppFactory, state_path: Path, content: bytes
) -> None:
    state_path.mkdir(parents=True)
    (state_path / FILE_NAME).write_bytes(content)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert len(matching(app, "could not be used")) == 1
        assert any("could not be used" in toast for toast in toasts(app))
        await use_the_app(pilot)
        assert main_screen(app).viewer.watched == {1, 2}
        assert options_text(main_screen(app).query_one(EpisodeList))[0].startswith("1 ✓")
        assert app.is_running
        # Said once, however many saves follow.
        assert len(matching(app, "could not be used")) == 1
        assert not matching(app, "will not be kept")
    # The damaged bytes are kept, byte for byte, next to the new good file.
    [aside] = state_path.glob(f"{FILE_NAME}.corrupt-*")
    assert aside.read_bytes() == content
    assert saved_watched(state_path) == {1, 2}
    assert stray_temp_files(state_path) == []


async def test_the_notice_is_plain_text(make_app: AppFactory, state_path: Path) -> None:
    """A damaged file's reason is quoted in the notice: never markup, never an escape."""
    state_path.mkdir(parents=True)
    (state_path / FILE_NAME).write_bytes(HOSTILE_FILE)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        [notification] = [n for n in app._notifications if "could not be used" in n.message]
        assert notification.markup is False
        assert "\x1b" not in notification.message
        assert app.is_running


# -- folders that cannot be written -------------------------------------------------


async def test_state_folder_below_a_regular_file(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("SOUNDTRACK_STATE_DIR", str(blocker / "state"))
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert len(matching(app, "is not a folder")) == 1
        assert any("is not a folder" in toast for toast in toasts(app))
        await use_the_app(pilot)
        # Progress works for the session, from memory.
        assert main_screen(app).viewer.watched == {1, 2}
        assert app.store.read_only
        assert len(matching(app, "will not be kept")) == 1
        assert app.is_running
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


async def test_folder_without_write_permission_keeps_the_good_file(
    make_app: AppFactory, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = good_file(state_path, [3])
    (state_path / LOCK_NAME).touch()
    state_path.chmod(0o500)
    try:
        if os.access(state_path, os.W_OK):
            # Running as root: chmod does not stop writes, so refuse the temp
            # file the way the OS would for anyone else.
            def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
                raise PermissionError(errno.EACCES, "Permission denied")

            monkeypatch.setattr(tempfile, "mkstemp", refuse)
        app = make_app()
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            assert main_screen(app).viewer.watched == {3}  # read fine
            assert not matching(app, "will not be kept")
            await use_the_app(pilot)
            assert main_screen(app).viewer.watched == {1, 2, 3}
            assert len(matching(app, "no permission to write")) == 1
            assert app.is_running
        assert (state_path / FILE_NAME).read_bytes() == before
    finally:
        state_path.chmod(0o700)
    assert stray_temp_files(state_path) == []


async def test_a_missing_folder_is_created_on_the_first_write(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "not" / "there" / "yet"
    monkeypatch.setenv("SOUNDTRACK_STATE_DIR", str(folder))
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert notifications(app) == []
        assert not folder.exists()  # starting and looking leaves no trace
        await use_the_app(pilot)
        assert folder.is_dir()
        assert not matching(app, "will not be kept")
    assert saved_watched(folder) == {1, 2}


async def test_disk_full_keeps_the_good_file(
    make_app: AppFactory, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = good_file(state_path, [3])

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert main_screen(app).viewer.watched == {3}
        await use_the_app(pilot)
        assert main_screen(app).viewer.watched == {1, 2, 3}
        messages = matching(app, "no space left")
        assert len(messages) == 1, notifications(app)
        assert str(state_path) in messages[0]
        assert any("no space left" in toast for toast in toasts(app))
        await pilot.press("s", "w", "3")  # more changes: no more notices
        await pilot.pause()
        assert len(matching(app, "will not be kept")) == 1
        assert app.is_running
    # Quitting tried to save the last episode too; the file is untouched.
    assert (state_path / FILE_NAME).read_bytes() == before
    assert stray_temp_files(state_path) == []
    monkeypatch.undo()
    assert ProgressStore(state_path, PACK_ID).load().watched == {3}


# -- a process killed while saving ---------------------------------------------------

# Runs the store in a child and parks it inside the save, at the point named
# by argv[2], after printing a line; the parent SIGKILLs it there.
SAVER = """
import os, sys, time
from pathlib import Path
from soundtrack_tui.core.progress import ProgressStore

folder, where = Path(sys.argv[1]), sys.argv[2]
real_fsync, real_replace = os.fsync, os.replace

def park():
    print("PARKED", flush=True)
    time.sleep(120)

def fsync(fd):
    if where == "before-fsync":
        park()
    real_fsync(fd)

def replace(src, dst):
    if where == "before-replace":
        park()
    real_replace(src, dst)
    if where == "after-replace":
        park()

os.fsync, os.replace = fsync, replace
store = ProgressStore(folder, "soundtrack-1")
store.set_watched([1, 2, 3, 4], True)
print("FINISHED", flush=True)
"""


def kill_while_saving(folder: Path, where: str) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(folder), where],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + TIMEOUT
        line = b""
        while not line.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([child.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(child.stdout.fileno(), 1)
                if not chunk:
                    break
                line += chunk
        assert line == b"PARKED\n", (line, child.poll())
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=TIMEOUT)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize(
    ("where", "expected"),
    [("before-fsync", {1}), ("before-replace", {1}), ("after-replace", {1, 2, 3, 4})],
)
def test_killed_while_saving_leaves_one_whole_file(tmp_path: Path, where: str, expected: set[int]) -> None:
    folder = tmp_path / "state"
    good_file(folder, [1])
    kill_while_saving(folder, where)
    # Whole, and the old or the new value, never a mix.
    assert saved_watched(folder) == expected
    # The next run reads it without complaint, and the lock died with the
    # process: writing works at once.
    store = ProgressStore(folder, PACK_ID, lock_timeout=1.0)
    assert store.load().watched == expected
    assert store.set_watched([4], False).watched == expected - {4}
    assert not store.read_only
    assert store.take_notices() == []
    assert saved_watched(folder) == expected - {4}


async def test_the_app_starts_after_a_killed_save(make_app: AppFactory, state_path: Path) -> None:
    """A temp file left by a killed save does not get in the way."""
    good_file(state_path, [1])
    kill_while_saving(state_path, "before-replace")
    assert stray_temp_files(state_path)  # the kill left its temp file behind
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert notifications(app) == []
        assert main_screen(app).viewer.watched == {1}
        await pilot.press("2", "w")
        await pilot.pause()
        assert main_screen(app).viewer.watched == {1, 2}
    assert saved_watched(state_path) == {1, 2}
    assert bundled().show.id == PACK_ID
