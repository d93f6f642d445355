"""A big pack not in the cache is read and indexed by a child process that
stores both in the cache; the browser maps the stored entries. The child
belongs to a `PackIndexer`, which ends and reaps it when closed, and it
ends by itself when its parent is gone. Every failure falls back to doing
the work in process."""

from __future__ import annotations

import io
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from soundtrack_tui.core import cache, indexer
from soundtrack_tui.core.indexer import IndexerClosed, PackIndexer
from soundtrack_tui.core.search import SearchIndex
from test_cache import Builds, Reads, answers, cache_home, pack, pack_of  # noqa: F401  (fixtures)

FAILING = [
    [sys.executable, "-c", "raise SystemExit(3)"],  # fails
    [sys.executable, "-c", "print('pack'); print('index')"],  # says it stored both, but did not
    ["/nonexistent/python"],  # cannot start
]
FAILING_IDS = ["exit-3", "lies", "missing"]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def _exists(pid: int) -> bool:
    """Is there a process `pid`, running or exited but not yet reaped?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _alive(pid: int) -> bool:
    """Is the process `pid` still running (a zombie, exited but not yet
    reaped by whoever adopted it, counts as gone)?"""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here
        return _exists(pid)


def test_only_a_pack_of_fifty_episodes_or_more_is_big(tmp_path: Path) -> None:
    episodes = tmp_path / "pack" / "episodes"
    episodes.mkdir(parents=True)
    for number in range(1, indexer.CHILD_MIN_EPISODES):
        (episodes / f"{number:03d}.toml").write_text("", encoding="utf-8")
    (episodes / "notes.txt").write_text("", encoding="utf-8")
    assert not indexer.is_big(tmp_path / "pack")
    (episodes / "999.toml").write_text("", encoding="utf-8")
    assert indexer.is_big(tmp_path / "pack")
    assert not indexer.is_big(tmp_path / "nowhere")


def test_the_child_reads_the_pack_and_goes_on_to_index_it(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads, builds = Reads(monkeypatch), Builds(monkeypatch)
    seen: list[tuple[int, int]] = []
    with PackIndexer(pack) as child:
        assert child.start()
        result = child.load_pack(lambda done, total: seen.append((done, total)))
        assert reads.count == 0 and builds.count == 0  # read by the child
        assert seen and seen[-1] == (4, 4)  # its progress, passed on
        assert result.pack is not None and result.pack == pack_of(pack)
        assert isinstance(result.pack.episodes[1].recap_utf8, memoryview)  # mapped from its entry
        # The same child indexes it: another one would fail here.
        child.command = FAILING[0]
        index = child.load_index(result.pack)
        assert builds.count == 0 and not child.running  # done, and reaped
    assert answers(index) == answers(SearchIndex.build(result.pack))
    # The stored index is mapped, not copied, and refers to this pack; only
    # the token codes are copied out, to be searched with bytes methods.
    stored = index.__getstate__()
    assert isinstance(stored["bags"], memoryview)
    assert type(stored["blob"]) is bytes
    assert stored["episodes"][1] is result.pack.episodes[1]  # type: ignore[index]


def test_with_both_entries_stored_no_child_starts(pack: Path) -> None:  # noqa: F811
    loaded = pack_of(pack)
    cache.load_index_cached(loaded)
    with PackIndexer(pack, command=FAILING[0]) as child:
        assert not child.start()
        assert child.load_pack().pack == loaded
        assert answers(child.load_index(loaded)) == answers(SearchIndex.build(loaded))


def test_an_index_missing_from_the_cache_is_built_by_a_new_child(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pack is stored but not its index (a first start quit while
    indexing): the index still comes from a child, not from this process."""
    loaded = pack_of(pack)
    builds = Builds(monkeypatch)
    with PackIndexer(pack) as child:
        index = child.load_index(loaded)
    assert builds.count == 0 and cache.index_file(pack).is_file()
    assert answers(index) == answers(SearchIndex.build(loaded))


@pytest.fixture(params=FAILING, ids=FAILING_IDS)
def failing(request: pytest.FixtureRequest) -> list[str]:
    """Each way a child can fail."""
    command: list[str] = request.param
    return command


def test_a_child_that_fails_leaves_the_reading_to_this_process(
    pack: Path,  # noqa: F811
    failing: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = Reads(monkeypatch)
    seen: list[tuple[int, int]] = []
    with PackIndexer(pack, command=failing) as child:
        result = child.load_pack(lambda done, total: seen.append((done, total)))
    assert reads.count == 1 and seen == [(4, 4)]
    assert result.pack is not None and not result.errors


def test_a_child_that_fails_leaves_the_indexing_to_this_process(
    pack: Path,  # noqa: F811
    failing: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = pack_of(pack)
    builds = Builds(monkeypatch)
    with PackIndexer(pack, command=failing) as child:
        assert answers(child.load_index(loaded)) == answers(SearchIndex.build(loaded))
    assert builds.count == 2  # the fallback, then the reference build above


def test_with_no_writable_cache_the_pack_is_read_here(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The child reads the pack but cannot store it: this process reads it
    again (the one case where a cold start reads twice) and still works."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocked / "cache"))
    reads = Reads(monkeypatch)
    with PackIndexer(pack) as child:
        result = child.load_pack()
        assert not child.running  # the child has exited and is reaped
    assert reads.count == 1 and result.pack is not None and not result.errors


def test_a_broken_pack_is_reported_by_this_process(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (pack / "show.toml").write_text("title = [", encoding="utf-8")
    reads = Reads(monkeypatch)
    with PackIndexer(pack) as child:
        result = child.load_pack()
    assert reads.count == 1  # after the child found it broken
    assert result.pack is None and result.errors
    assert str(result.errors[0]).startswith(str(pack / "show.toml"))


def test_closing_ends_and_reaps_a_child_still_at_work(pack: Path) -> None:  # noqa: F811
    """Quitting the browser leaves nothing running behind it; a load still
    waiting for the child returns at once rather than doing the work here."""
    loaded = pack_of(pack)
    child = PackIndexer(pack, command=SLEEPER)
    assert child.start()
    pid = child._process.pid  # type: ignore[union-attr]
    outcome: list[BaseException] = []

    def wait_for_index() -> None:
        try:
            child.load_index(loaded)
        except BaseException as error:
            outcome.append(error)

    waiting = threading.Thread(target=wait_for_index, daemon=True)
    waiting.start()
    child.close()
    assert not _exists(pid)  # killed and reaped: not even a zombie
    waiting.join(timeout=60)
    assert not waiting.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], IndexerClosed)
    assert not child.start()  # closed for good
    assert child.load_pack().pack is None  # nobody is waiting for it
    child.close()  # again: nothing to do


def test_the_child_exits_when_its_parent_is_gone(pack: Path, tmp_path: Path) -> None:  # noqa: F811
    """A parent killed outright (no chance to close its indexer) leaves no
    child behind: the child sees its stdin close and exits."""
    slow = tmp_path / "slow.py"
    slow.write_text(
        "import sys, time\n"
        "from soundtrack_tui.core import indexer\n"
        "indexer.exit_with_parent(sys.stdin.fileno())\n"
        "print('watching', flush=True)\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    parent_code = (
        "import subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, sys.argv[1]], stdin=subprocess.PIPE, stdout=sys.stdout)\n"
        "print(child.pid, flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code, str(slow)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    assert parent.stdout.readline().strip() == "watching"
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while _alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(child_pid):
        os.kill(child_pid, 9)
        pytest.fail("the child outlived its parent")
    parent.stdout.close()


def test_hangup_and_terminate_are_left_to_the_browser(tmp_path: Path) -> None:
    """The terminal's SIGHUP (and a session's SIGTERM) reach the whole
    process group. The child ignores them: dead, it would leave the closing
    browser to index the pack itself. It still ends with its parent's pipe."""
    slow = tmp_path / "slow.py"
    slow.write_text(
        "import sys, time\n"
        "from soundtrack_tui.core import indexer\n"
        "indexer.leave_signals_to_parent()\n"
        "indexer.exit_with_parent(sys.stdin.fileno())\n"
        "print('watching', flush=True)\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, str(slow)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "watching"
        for number in (signal.SIGHUP, signal.SIGTERM):
            os.kill(child.pid, number)
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=0.5)  # not a timing assertion: only that it is still there
        child.stdin.close()
        assert child.wait(timeout=30) == 1
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()


def test_the_child_entry_point(pack: Path, tmp_path: Path) -> None:  # noqa: F811
    assert indexer.main([]) == 2
    out = io.StringIO()
    assert indexer.main([str(tmp_path / "missing")], out) == 1
    assert out.getvalue() == ""
    assert indexer.main([str(pack)], out) == 0
    assert out.getvalue().splitlines() == ["progress 4 4", "pack", "index"]
    assert cache.load_index_cached(pack_of(pack), build=False) is not None
    # Both already stored: nothing to read, the index is checked again.
    out = io.StringIO()
    assert indexer.main([str(pack)], out) == 0
    assert out.getvalue().splitlines() == ["pack", "index"]


def test_a_mapped_recap_pickles_as_bytes(pack: Path) -> None:  # noqa: F811
    pack_of(pack)  # stores the entry
    episode = pack_of(pack).episodes[1]  # read from it
    assert isinstance(episode.recap_utf8, memoryview) and episode.recap_utf8.readonly
    copy = pickle.loads(pickle.dumps(episode))
    assert type(copy.recap_utf8) is bytes
    assert copy == episode and copy.recap == episode.recap and hash(copy) == hash(episode)


class _Pointing(pickle.Pickler):
    """Writes every bytes object as a reference to `target` in the blob."""

    def __init__(self, out: object, target: tuple[str, int, int, str]) -> None:
        super().__init__(out, protocol=5)  # type: ignore[arg-type]
        self.target = target

    def persistent_id(self, obj: object) -> object:
        return self.target if type(obj) is bytes and obj else None


@pytest.mark.parametrize(
    "target",
    [("buffer", 1 << 40, 8, ""), ("buffer", 0, 1 << 40, ""), ("buffer", 3, 8, ""), ("buffer", 0, 7, "I")],
    ids=["offset-past-end", "size-past-end", "unaligned", "partial-item"],
)
def test_a_buffer_reference_outside_the_blob_is_a_miss(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    target: tuple[str, int, int, str],
) -> None:
    from soundtrack_tui.core.loader import read_pack

    good = read_pack(pack)
    assert good.pack is not None
    p = good.pack
    out = io.BytesIO()
    _Pointing(out, target).dump((p.show, dict(p.episodes), p.characters, []))
    payload = out.getvalue()
    stored = {"key": cache._key(pack), "length": len(payload), "crc": zlib.crc32(payload)}
    entry = cache.cache_file(pack)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(cache.PACK_MAGIC + pickle.dumps(stored, protocol=5) + payload)
    reads = Reads(monkeypatch)
    result = cache.load_pack_cached(pack)
    assert reads.count == 1 and result.pack == p


def test_the_child_exits_cleanly_once_both_entries_are_stored(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It exits 0 once both entries are stored, its helper's work included:
    a child that aborted as it shut down (its watch on the parent's pipe
    holding the stdin reader's lock) would be a failure to whoever ran it."""
    codes: list[int] = []
    end = indexer.end_process

    def recorded(process: subprocess.Popen[str], *, kill: bool) -> int:
        codes.append(end(process, kill=kill))
        return codes[-1]

    monkeypatch.setattr(indexer, "end_process", recorded)
    builds = Builds(monkeypatch)
    with PackIndexer(pack) as child:
        result = child.load_pack()
        assert result.pack is not None
        child.load_index(result.pack)
    assert codes == [0] and builds.count == 0
