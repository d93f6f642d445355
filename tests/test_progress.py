"""The progress store: round trips, merging between instances, atomic writes,
and every way the state folder can let us down (damaged file, full disk, no
permission, another instance holding the lock)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soundtrack_tui.core import progress as progress_module
from soundtrack_tui.core.policy import DEFAULT_LEVEL, Level
from soundtrack_tui.core.progress import (
    FILE_NAME,
    LOCK_NAME,
    STATE_DIR_ENV,
    PackProgress,
    ProgressStore,
    state_dir,
)

PACK = "soundtrack-1"
OTHER = "another-show"


@pytest.fixture(autouse=True)
def isolated_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test may touch the real home: point the default state dir elsewhere."""
    folder = tmp_path_factory.mktemp("default-state")
    monkeypatch.setenv(STATE_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "state"


def read_file(folder: Path) -> dict[str, object]:
    data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def watched_in_file(folder: Path, pack_id: str = PACK) -> set[int]:
    packs = read_file(folder)["packs"]
    assert isinstance(packs, dict)
    return set(packs[pack_id]["watched"])


def write_raw(folder: Path, data: bytes | str | object) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        raw = data.encode("utf-8")
    elif isinstance(data, bytes):
        raw = data
    else:
        raw = json.dumps(data).encode("utf-8")
    (folder / FILE_NAME).write_bytes(raw)
    return raw


def corrupt_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{FILE_NAME}.corrupt-*"))


def stray_files(folder: Path) -> list[str]:
    """Anything in the folder besides the file, the lock and moved-aside files."""
    return sorted(
        p.name for p in folder.iterdir() if p.name not in {FILE_NAME, LOCK_NAME} and ".corrupt-" not in p.name
    )


@contextmanager
def lock_held(folder: Path) -> Iterator[None]:
    """Hold progress.lock through a separate open file description, the way
    another instance would: flock locks conflict between descriptions even
    inside one process."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


# -- state_dir -----------------------------------------------------------------


def test_state_dir_override_beats_env_and_platformdirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "env"))
    monkeypatch.setattr(platformdirs, "user_state_dir", lambda app: str(tmp_path / app))
    assert state_dir(tmp_path / "flag") == tmp_path / "flag"
    assert state_dir(str(tmp_path / "flag")) == tmp_path / "flag"


def test_state_dir_env_beats_platformdirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "env"))
    monkeypatch.setattr(platformdirs, "user_state_dir", lambda app: str(tmp_path / app))
    assert state_dir() == tmp_path / "env"
    assert state_dir(None) == tmp_path / "env"


def test_state_dir_falls_back_to_platformdirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def fake_user_state_dir(app: str) -> str:
        asked.append(app)
        return str(tmp_path / "platform" / app)

    monkeypatch.setattr(platformdirs, "user_state_dir", fake_user_state_dir)
    monkeypatch.delenv(STATE_DIR_ENV)
    assert state_dir() == tmp_path / "platform" / "soundtrack"
    monkeypatch.setenv(STATE_DIR_ENV, "")  # set but empty counts as unset
    assert state_dir() == tmp_path / "platform" / "soundtrack"
    assert asked == ["soundtrack", "soundtrack"]


def test_state_dir_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "not-yet"
    assert state_dir(target) == target
    assert not target.exists()


# -- round trip and format -------------------------------------------------------


def test_fresh_store_is_empty_and_reading_creates_no_folder(folder: Path) -> None:
    store = ProgressStore(folder, PACK)
    assert store.load() == PackProgress()
    assert store.current == PackProgress(frozenset(), DEFAULT_LEVEL, None, None)
    assert not folder.exists()
    assert store.take_notices() == []
    assert not store.read_only


def test_current_loads_lazily(folder: Path) -> None:
    ProgressStore(folder, PACK).set_watched([3], True)
    assert ProgressStore(folder, PACK).current.watched == {3}


def test_round_trip(folder: Path) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1, 2, 5], True)
    store.set_watched([2], False)
    store.set_level(Level.STRICT)
    store.set_theme("textual-dark")
    final = store.set_last_episode(5)
    assert final == PackProgress(frozenset({1, 5}), Level.STRICT, "textual-dark", 5)
    assert store.current == final

    again = ProgressStore(folder, PACK)
    assert again.load() == final
    assert again.take_notices() == []
    assert store.take_notices() == []

    store.set_theme(None)
    store.set_last_episode(None)
    assert ProgressStore(folder, PACK).load() == PackProgress(frozenset({1, 5}), Level.STRICT)


def test_file_format(folder: Path) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([2, 1], True)
    store.set_theme("textual-dark")
    store.set_last_episode(2)
    assert read_file(folder) == {
        "version": 1,
        "packs": {PACK: {"watched": [1, 2], "level": "standard", "theme": "textual-dark", "last_episode": 2}},
    }


def test_folded_seasons_round_trip_and_are_written_only_when_some_are(folder: Path) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1], True)
    store.update(lambda progress: replace(progress, folded_seasons=frozenset({3, 1})))
    assert read_file(folder)["packs"][PACK]["folded_seasons"] == [1, 3]
    assert ProgressStore(folder, PACK).load().folded_seasons == {1, 3}
    store.update(lambda progress: replace(progress, folded_seasons=frozenset()))
    assert "folded_seasons" not in read_file(folder)["packs"][PACK]


def test_folder_created_on_first_write(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "er" / "state"
    store = ProgressStore(folder, PACK)
    store.load()
    assert not folder.exists()
    store.set_level(Level.OFF)
    assert (folder / FILE_NAME).is_file()
    assert stray_files(folder) == []


def test_packs_are_kept_apart(folder: Path) -> None:
    first = ProgressStore(folder, PACK)
    second = ProgressStore(folder, OTHER)
    first.set_watched([1, 2], True)
    second.set_watched([7], True)
    second.set_level(Level.OFF)
    first.set_theme("nord")

    assert ProgressStore(folder, PACK).load() == PackProgress(frozenset({1, 2}), DEFAULT_LEVEL, "nord")
    assert ProgressStore(folder, OTHER).load() == PackProgress(frozenset({7}), Level.OFF)
    assert ProgressStore(folder, "never-seen").load() == PackProgress()


def test_other_packs_and_unknown_keys_survive_a_write(folder: Path) -> None:
    write_raw(
        folder,
        {
            "version": 1,
            "future_top_level": {"kept": True},
            "packs": {
                OTHER: {"watched": [4], "level": "off", "theme": None, "last_episode": None, "extra": [1]},
                PACK: {"watched": [1], "level": "strict", "theme": "x", "last_episode": 1, "rating": 5},
            },
        },
    )
    store = ProgressStore(folder, PACK)
    assert store.load() == PackProgress(frozenset({1}), Level.STRICT, "x", 1)
    store.set_watched([2], True)

    data = read_file(folder)
    assert data["future_top_level"] == {"kept": True}
    assert data["packs"] == {
        OTHER: {"watched": [4], "level": "off", "theme": None, "last_episode": None, "extra": [1]},
        PACK: {"watched": [1, 2], "level": "strict", "theme": "x", "last_episode": 1, "rating": 5},
    }
    assert store.take_notices() == []


def test_missing_entry_keys_take_defaults(folder: Path) -> None:
    write_raw(folder, {"version": 1, "packs": {PACK: {"watched": [2]}}})
    store = ProgressStore(folder, PACK)
    assert store.load() == PackProgress(frozenset({2}))
    assert store.take_notices() == []


def test_utf8_bom_is_accepted(folder: Path) -> None:
    write_raw(
        folder, b"\xef\xbb\xbf" + json.dumps({"version": 1, "packs": {PACK: {"watched": [1]}}}).encode()
    )
    store = ProgressStore(folder, PACK)
    assert store.load().watched == {1}
    assert store.take_notices() == []


# -- merging between instances -----------------------------------------------------


def test_two_instances_merge_their_changes(folder: Path) -> None:
    a = ProgressStore(folder, PACK)
    b = ProgressStore(folder, PACK)
    a.load()
    b.load()
    a.set_watched([1], True)
    after_b = b.set_watched([2], True)

    assert watched_in_file(folder) == {1, 2}
    assert after_b.watched == {1, 2}  # b re-read inside the lock
    a.set_level(Level.STRICT)
    assert ProgressStore(folder, PACK).load() == PackProgress(frozenset({1, 2}), Level.STRICT)
    assert a.take_notices() == b.take_notices() == []


def test_concurrent_writers_lose_nothing(folder: Path) -> None:
    """Four stores in four threads, each with its own lock descriptor, racing."""
    errors: list[BaseException] = []
    stores = [ProgressStore(folder, PACK, lock_timeout=30) for _ in range(4)]

    def mark(index: int) -> None:
        try:
            for number in range(index * 10 + 1, index * 10 + 11):
                stores[index].set_watched([number], True)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=mark, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert watched_in_file(folder) == set(range(1, 41))
    for store in stores:
        assert not store.read_only
        assert store.take_notices() == []
    assert stray_files(folder) == []


# -- atomic writes and write failures --------------------------------------------------


class Crash(Exception):
    """Stands in for the process dying mid-write."""


def test_crash_between_temp_write_and_replace_keeps_old_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1], True)
    before = (folder / FILE_NAME).read_bytes()

    def crash(src: object, dst: object) -> None:
        assert Path(str(src)).read_bytes() != before  # the temp file was fully written first
        raise Crash

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(Crash):
        store.set_watched([2], True)

    assert (folder / FILE_NAME).read_bytes() == before
    assert stray_files(folder) == []
    monkeypatch.undo()
    assert ProgressStore(folder, PACK).load().watched == {1}


def test_failed_replace_keeps_old_file_and_goes_read_only(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1], True)
    before = (folder / FILE_NAME).read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert store.set_watched([2], True).watched == {1, 2}
    assert (folder / FILE_NAME).read_bytes() == before
    assert stray_files(folder) == []
    assert store.read_only
    [notice] = store.take_notices()
    assert notice.startswith("progress will not be kept: ")


def disk_full(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_keeps_old_file_and_memory(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1], True)
    before = (folder / FILE_NAME).read_bytes()

    monkeypatch.setattr(os, "fsync", disk_full)
    assert store.set_watched([2], True).watched == {1, 2}
    assert store.current.watched == {1, 2}
    assert store.read_only
    notices = store.take_notices()
    assert len(notices) == 1
    assert notices[0].startswith("progress will not be kept: ")
    assert "space" in notices[0]

    # Further changes stay in memory, silently, and the file is untouched.
    store.set_level(Level.OFF)
    store.set_watched([1], False)
    assert store.current == PackProgress(frozenset({2}), Level.OFF)
    assert store.take_notices() == []
    assert (folder / FILE_NAME).read_bytes() == before
    assert stray_files(folder) == []


def test_read_only_stays_read_only_after_the_cause_clears(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1], True)
    monkeypatch.setattr(os, "fsync", disk_full)
    store.set_watched([2], True)
    monkeypatch.undo()
    store.set_watched([3], True)
    assert store.current.watched == {1, 2, 3}
    assert watched_in_file(folder) == {1}
    assert len(store.take_notices()) == 1


# -- unwritable folder ---------------------------------------------------------------


def assert_memory_only(store: ProgressStore) -> str:
    first = store.set_watched([1, 2], True)
    assert first.watched == {1, 2}
    store.set_level(Level.STRICT)
    store.set_theme("nord")
    assert store.current == PackProgress(frozenset({1, 2}), Level.STRICT, "nord")
    assert store.read_only
    notices = store.take_notices()
    assert len(notices) == 1, notices
    assert notices[0].startswith("progress will not be kept: ")
    assert store.take_notices() == []
    return notices[0]


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "state"
    not_a_folder.write_text("I am a file")
    store = ProgressStore(not_a_folder, PACK)
    notice = assert_memory_only(store)
    assert "is not a folder" in notice
    assert not_a_folder.read_text() == "I am a file"


def test_folder_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    store = ProgressStore(tmp_path / "file" / "state", PACK)
    assert store.load() == PackProgress()
    assert store.read_only  # known at load time: the user hears it at startup
    assert "is not a folder" in assert_memory_only(store)


def test_folder_without_write_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / LOCK_NAME).touch()  # so only the file write itself is refused
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            # Running as root (or on a system that ignores modes): chmod does
            # not block writes, so refuse the temp file the way the OS would.
            def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
                raise PermissionError(errno.EACCES, "Permission denied")

            monkeypatch.setattr(tempfile, "mkstemp", refuse)
        store = ProgressStore(folder, PACK)
        notice = assert_memory_only(store)
        assert "permission" in notice
        assert not (folder / FILE_NAME).exists()
    finally:
        folder.chmod(0o700)


def test_read_only_file_system(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def erofs(*args: object, **kwargs: object) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", erofs)  # the lock file cannot be created
    store = ProgressStore(folder, PACK)
    assert "read-only file system" in assert_memory_only(store)


def test_a_folder_in_place_of_the_file_is_moved_aside(folder: Path) -> None:
    (folder / FILE_NAME).mkdir(parents=True)  # a folder where the file should be
    store = ProgressStore(folder, PACK)
    assert store.load() == PackProgress()
    [notice] = store.take_notices()
    assert "not a regular file (a folder)" in notice and "moved it to" in notice
    store.set_watched([1], True)
    assert read_file(folder)["packs"] == {PACK: {**VALID_ENTRY}}
    [aside] = corrupt_files(folder)
    assert aside.is_dir()


def test_a_fifo_in_place_of_the_file_is_moved_aside_not_waited_on(folder: Path) -> None:
    folder.mkdir()
    os.mkfifo(folder / FILE_NAME)
    store = ProgressStore(folder, PACK)
    assert store.load() == PackProgress()  # would block forever on open()
    [notice] = store.take_notices()
    assert "not a regular file (a FIFO)" in notice
    assert not store.read_only
    store.set_watched([1], True)
    assert read_file(folder)["packs"][PACK]["watched"] == [1]


def test_a_huge_file_is_damage_not_progress(folder: Path) -> None:
    folder.mkdir()
    with open(folder / FILE_NAME, "wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GiB that take no disk
    store = ProgressStore(folder, PACK)
    assert store.load() == PackProgress()  # no MemoryError
    [notice] = store.take_notices()
    assert "over the 16,777,216-byte limit" in notice
    assert len(corrupt_files(folder)) == 1


def test_a_duplicate_key_is_damage_not_a_silent_loss(folder: Path) -> None:
    folder.mkdir()
    first = json.dumps({PACK: VALID_ENTRY})
    (folder / FILE_NAME).write_text(f'{{"version": 1, "packs": {first}, "packs": {{}}}}', encoding="utf-8")
    store = ProgressStore(folder, PACK)
    assert store.load() == PackProgress()
    [notice] = store.take_notices()
    assert "the key 'packs' appears twice" in notice
    [aside] = corrupt_files(folder)
    assert '"packs": {}' in aside.read_text(encoding="utf-8")  # kept, not lost


def test_a_symlinked_lock_is_never_followed(folder: Path, tmp_path: Path) -> None:
    folder.mkdir()
    target = tmp_path / "victim"
    (folder / LOCK_NAME).symlink_to(target)
    store = ProgressStore(folder, PACK)
    store.set_watched([1], True)
    assert not target.exists()  # not created through the link
    assert store.read_only
    [notice] = store.take_notices()
    assert f"{folder / LOCK_NAME} is a symlink, which is never followed" in notice


# -- damaged files ------------------------------------------------------------------

VALID_ENTRY = {"watched": [1], "level": "standard", "theme": None, "last_episode": None}
VALID_TEXT = json.dumps({"version": 1, "packs": {PACK: VALID_ENTRY}}, indent=2)


def doc(**entry: object) -> dict[str, object]:
    return {"version": 1, "packs": {PACK: {**VALID_ENTRY, **entry}}}


DAMAGED: dict[str, bytes | str | object] = {
    "invalid json": "{not json",
    "truncated": VALID_TEXT[: len(VALID_TEXT) // 2],
    "empty": b"",
    "non-utf8": b'{"version": 1, "packs": {"\xff\xfe": {}}}',
    "binary": bytes(range(256)),
    "nan": '{"version": 1, "packs": {}, "x": NaN}',
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "not an object": [1, 2],
    "null": None,
    "version 2": {"version": 2, "packs": {}},
    "version as string": {"version": "1", "packs": {}},
    "version as float": {"version": 1.0, "packs": {}},
    "version as bool": {"version": True, "packs": {}},
    "no version": {"packs": {}},
    "no packs": {"version": 1},
    "packs is a list": {"version": 1, "packs": []},
    "entry is a list": {"version": 1, "packs": {PACK: [1, 2]}},
    "watched is a string": doc(watched="1,2"),
    "watched has zero": doc(watched=[0, 1]),
    "watched has negative": doc(watched=[-3]),
    "watched has bool": doc(watched=[True]),
    "watched has float": doc(watched=[1.5]),
    "watched has string": doc(watched=["1"]),
    "watched has list": doc(watched=[[1]]),
    "level unknown": doc(level="loud"),
    "level wrong case": doc(level="Strict"),
    "level not a string": doc(level=2),
    "theme not a string": doc(theme=5),
    "last episode a string": doc(last_episode="2"),
    "last episode zero": doc(last_episode=0),
    "last episode bool": doc(last_episode=False),
    "folded seasons a number": doc(folded_seasons=2),
    "folded season zero": doc(folded_seasons=[0]),
    "folded season bool": doc(folded_seasons=[True]),
    "folded season a string": doc(folded_seasons=["2"]),
    "another pack is bad": {"version": 1, "packs": {PACK: VALID_ENTRY, OTHER: {"watched": "all"}}},
}


@pytest.mark.parametrize("content", list(DAMAGED.values()), ids=list(DAMAGED))
def test_damaged_file_is_moved_aside(folder: Path, content: bytes | str | object) -> None:
    raw = write_raw(folder, content)
    store = ProgressStore(folder, PACK)

    assert store.load() == PackProgress()
    assert not (folder / FILE_NAME).exists()
    [aside] = corrupt_files(folder)
    assert aside.read_bytes() == raw  # kept whole, for the user to inspect
    suffix = aside.name.removeprefix(f"{FILE_NAME}.corrupt-")
    assert len(suffix) == 16 and suffix[8] == "T" and suffix.endswith("Z") and suffix[:8].isdigit()

    notices = store.take_notices()
    assert len(notices) == 1
    assert aside.name in notices[0]
    assert "\n" not in notices[0]
    assert not store.read_only

    # The store carries on normally, and says nothing more.
    store.set_watched([3], True)
    assert ProgressStore(folder, PACK).load() == PackProgress(frozenset({3}))
    assert store.take_notices() == []
    assert corrupt_files(folder) == [aside]


def test_damage_found_during_update_is_moved_aside(folder: Path) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1, 2], True)
    write_raw(folder, "garbage")  # something else broke the file after we loaded it

    after = store.set_watched([5], True)
    assert after == PackProgress(frozenset({5}))  # continued from empty progress
    assert watched_in_file(folder) == {5}
    assert len(corrupt_files(folder)) == 1
    assert len(store.take_notices()) == 1


def test_corrupt_names_are_unique(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "_timestamp", lambda: "20261121T043000Z")
    for attempt in range(3):
        write_raw(folder, f"broken {attempt}")
        store = ProgressStore(folder, PACK)
        assert store.load() == PackProgress()
        assert len(store.take_notices()) == 1
    names = [p.name for p in corrupt_files(folder)]
    assert names == [
        f"{FILE_NAME}.corrupt-20261121T043000Z",
        f"{FILE_NAME}.corrupt-20261121T043000Z-2",
        f"{FILE_NAME}.corrupt-20261121T043000Z-3",
    ]
    contents = {p.read_text() for p in corrupt_files(folder)}
    assert contents == {"broken 0", "broken 1", "broken 2"}


def test_damaged_file_left_alone_when_lock_is_held(folder: Path) -> None:
    raw = write_raw(folder, "{broken")
    store = ProgressStore(folder, PACK, lock_timeout=0.05)
    with lock_held(folder):
        assert store.load() == PackProgress()
    assert (folder / FILE_NAME).read_bytes() == raw  # not ours to move without the lock
    assert corrupt_files(folder) == []
    assert store.read_only
    assert len(store.take_notices()) == 1


# -- the lock ----------------------------------------------------------------------


def test_lock_timeout_makes_store_read_only(folder: Path) -> None:
    store = ProgressStore(folder, PACK, lock_timeout=0.05)
    store.set_watched([1], True)
    before = (folder / FILE_NAME).read_bytes()

    with lock_held(folder):
        assert store.set_watched([2], True).watched == {1, 2}
        store.set_theme("nord")
    assert store.read_only
    [notice] = store.take_notices()
    assert "another soundtrack" in notice
    assert (folder / FILE_NAME).read_bytes() == before

    # Released, but the store stays read-only: memory has drifted from the file.
    store.set_watched([3], True)
    assert store.current == PackProgress(frozenset({1, 2, 3}), DEFAULT_LEVEL, "nord")
    assert (folder / FILE_NAME).read_bytes() == before
    assert store.take_notices() == []
    assert stray_files(folder) == []


def test_lock_held_by_another_process(folder: Path) -> None:
    folder.mkdir(parents=True)
    holder = f"""
import sys
lock = open({str(folder / LOCK_NAME)!r}, "a+b")
if sys.platform == "win32":
    import msvcrt
    lock.seek(0)
    msvcrt.locking(lock.fileno(), msvcrt.LK_NBLCK, 1)
else:
    import fcntl
    fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
print("locked", flush=True)
sys.stdin.read()
"""
    with subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        try:
            assert proc.stdout.readline().strip() == "locked"
            store = ProgressStore(folder, PACK, lock_timeout=0.05)
            assert store.set_watched([4], True).watched == {4}
            assert store.read_only
            assert len(store.take_notices()) == 1
            assert not (folder / FILE_NAME).exists()
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
    assert proc.returncode == 0

    # Once the other process is gone a new store writes normally.
    fresh = ProgressStore(folder, PACK, lock_timeout=5)
    fresh.set_watched([4], True)
    assert watched_in_file(folder) == {4}


def test_waiting_store_gets_the_lock_when_released(folder: Path) -> None:
    """A lock released within the timeout is waited for, not given up on."""
    store = ProgressStore(folder, PACK, lock_timeout=60)
    with lock_held(folder):
        worker = threading.Thread(target=store.set_watched, args=([1], True))
        worker.start()
        worker.join(0.1)
        assert worker.is_alive()  # blocked on the lock we hold
    worker.join()
    assert not store.read_only
    assert store.take_notices() == []
    assert watched_in_file(folder) == {1}


# -- programming errors ----------------------------------------------------------------


@pytest.mark.parametrize("bad", [[0], [-1], [True], ["1"], [1.0]])
def test_bad_episode_numbers_are_programming_errors(folder: Path, bad: list[object]) -> None:
    store = ProgressStore(folder, PACK)
    with pytest.raises((TypeError, ValueError)):
        store.set_watched(bad, True)  # type: ignore[arg-type]
    assert not folder.exists()


def test_invalid_progress_values_are_rejected() -> None:
    with pytest.raises(TypeError):
        PackProgress(watched={1})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        PackProgress(level="standard")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        PackProgress(theme=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PackProgress(last_episode=0)
    with pytest.raises(ValueError):
        replace(PackProgress(), watched=frozenset({0}))


def test_update_with_custom_change(folder: Path) -> None:
    store = ProgressStore(folder, PACK)
    store.set_watched([1, 2, 3], True)
    result = store.update(lambda p: replace(p, watched=frozenset(n for n in p.watched if n % 2)))
    assert result.watched == {1, 3}
    assert watched_in_file(folder) == {1, 3}


# -- property: the file always matches memory ------------------------------------------

operations = st.lists(
    st.tuples(st.frozensets(st.integers(min_value=1, max_value=16), max_size=5), st.booleans()),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_of_set_watched_ends_with_file_equal_to_memory(
    ops: list[tuple[frozenset[int], bool]],
) -> None:
    with tempfile.TemporaryDirectory() as raw_folder:
        folder = Path(raw_folder) / "state"
        store = ProgressStore(folder, PACK)
        expected: set[int] = set()
        for numbers, watched in ops:
            store.set_watched(numbers, watched)
            if watched:
                expected |= numbers
            else:
                expected -= numbers
        assert store.current.watched == expected
        assert ProgressStore(folder, PACK).load() == store.current
        if ops:
            assert watched_in_file(folder) == expected
        assert store.take_notices() == []
        assert not store.read_only
