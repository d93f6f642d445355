"""A big pack is read and indexed by a child process that stores both in
the cache; the browser maps the stored entries. Small packs and every
failure fall back to doing the work in process."""

from __future__ import annotations

import io
import pickle
import sys
import threading
import time
from pathlib import Path

import pytest

from soundtrack_tui.core import cache, indexer
from soundtrack_tui.core.search import SearchIndex
from test_cache import Builds, Reads, answers, cache_home, pack, pack_of  # noqa: F401  (fixtures)


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pack counts as big enough for a child."""
    monkeypatch.setattr(indexer, "CHILD_MIN_EPISODES", 1)


def no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer, "start", lambda root: pytest.fail("child started"))


FAILING = [
    [sys.executable, "-c", "raise SystemExit(3)"],  # fails
    [sys.executable, "-c", "print('pack'); print('index')"],  # says it stored both, but did not
    ["/nonexistent/python"],  # cannot start
]
FAILING_IDS = ["exit-3", "lies", "missing"]


def test_a_big_pack_is_indexed_by_a_child_process(
    pack: Path,  # noqa: F811
    big: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds = Builds(monkeypatch)
    loaded = pack_of(pack)
    index = indexer.load_index(loaded)
    assert builds.count == 0  # not in this process
    assert cache.index_file(pack).is_file()
    assert answers(index) == answers(SearchIndex.build(loaded))
    # The stored index is mapped, not copied, and refers to this pack.
    stored = index.__getstate__()
    assert isinstance(stored["bags"], memoryview)
    assert isinstance(stored["blob"], memoryview)
    assert stored["episodes"][1] is loaded.episodes[1]  # type: ignore[index]
    # Next start: straight from the cache, no child.
    no_child(monkeypatch)
    assert answers(indexer.load_index(pack_of(pack))) == answers(index)


def test_a_cold_start_maps_the_pack_the_child_read_and_it_goes_on_to_index(
    pack: Path,  # noqa: F811
    big: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads, builds = Reads(monkeypatch), Builds(monkeypatch)
    seen: list[tuple[int, int]] = []
    assert indexer.start(pack)
    result = indexer.load_pack(pack, lambda done, total: seen.append((done, total)))
    assert reads.count == 0 and builds.count == 0  # read by the child
    assert seen and seen[-1] == (4, 4)  # its progress, passed on
    assert result.pack is not None and result.pack == pack_of(pack)
    assert isinstance(result.pack.episodes[1].recap_utf8, memoryview)  # mapped from its entry
    # The same child indexes it: another one would fail here.
    monkeypatch.setattr(indexer, "_command", lambda root: FAILING[0])
    index = indexer.load_index(result.pack)
    assert builds.count == 0 and not indexer._children
    assert answers(index) == answers(SearchIndex.build(result.pack))


@pytest.fixture(params=FAILING, ids=FAILING_IDS)
def failing_child(request: pytest.FixtureRequest, big: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every child fails, each way a child can."""
    monkeypatch.setattr(indexer, "_command", lambda root: request.param)


def test_a_child_that_fails_leaves_the_reading_to_this_process(
    pack: Path,  # noqa: F811
    failing_child: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = Reads(monkeypatch)
    seen: list[tuple[int, int]] = []
    result = indexer.load_pack(pack, lambda done, total: seen.append((done, total)))
    assert reads.count == 1 and seen == [(4, 4)]
    assert result.pack is not None and not result.errors


def test_with_no_writable_cache_the_pack_is_read_here(
    pack: Path,  # noqa: F811
    big: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The child reads the pack but cannot store it: this process reads it
    again (the one case where a cold start reads twice) and still works."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocked / "cache"))
    reads = Reads(monkeypatch)
    result = indexer.load_pack(pack)
    assert reads.count == 1 and result.pack is not None and not result.errors
    assert not indexer._children  # the child has exited and is forgotten


def test_a_broken_big_pack_is_reported_by_this_process(
    pack: Path,  # noqa: F811
    big: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (pack / "show.toml").write_text("title = [", encoding="utf-8")
    reads = Reads(monkeypatch)
    result = indexer.load_pack(pack)
    assert reads.count == 1  # after the child found it broken
    assert result.pack is None and result.errors
    assert str(result.errors[0]).startswith(str(pack / "show.toml"))


def test_a_small_pack_a_child_read_is_indexed_by_that_child(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The browser has a child read any pack not in the cache (`ui.app.run`);
    that child goes on to index it, whatever the pack's size."""
    reads, builds = Reads(monkeypatch), Builds(monkeypatch)
    result = indexer.load_pack(pack)
    assert result.pack is not None and len(result.pack.episodes) < indexer.CHILD_MIN_EPISODES
    assert reads.count == 0
    index = indexer.load_index(result.pack)
    assert builds.count == 0 and not indexer._children
    assert answers(index) == answers(SearchIndex.build(result.pack))


def test_a_small_pack_is_indexed_in_process(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    builds = Builds(monkeypatch)
    no_child(monkeypatch)
    indexer.load_index(pack_of(pack))
    assert builds.count == 1


def test_a_child_that_fails_leaves_the_indexing_to_this_process(
    pack: Path,  # noqa: F811
    failing_child: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds = Builds(monkeypatch)
    loaded = pack_of(pack)
    assert answers(indexer.load_index(loaded)) == answers(SearchIndex.build(loaded))
    assert builds.count == 2  # the fallback, then the reference build above


def test_quitting_ends_a_child_still_at_work(
    pack: Path,  # noqa: F811
    big: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    monkeypatch.setattr(indexer, "_command", lambda root: sleeper)
    loaded = pack_of(pack)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (indexer.load_index(loaded), done.set()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not indexer._children and time.monotonic() < deadline:
        time.sleep(0.01)
    (child,) = indexer._children.values()
    indexer.stop_children()
    assert child.process.wait(timeout=30) != 0  # killed, not finished
    assert done.wait(timeout=60)  # and the caller still gets its index


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
    import io

    from soundtrack_tui.core.loader import read_pack

    good = read_pack(pack)
    assert good.pack is not None
    p = good.pack
    out = io.BytesIO()
    _Pointing(out, target).dump((p.show, dict(p.episodes), p.characters, []))
    payload = out.getvalue()
    import zlib

    stored = {"key": cache._header(pack), "length": len(payload), "crc": zlib.crc32(payload)}
    entry = cache.cache_file(pack)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(cache._MAGIC + pickle.dumps(stored, protocol=5) + payload)
    reads = 0
    real = cache._read_pack

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal reads
        reads += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "_read_pack", counting)
    result = cache.load_pack_cached(pack)
    assert reads == 1 and result.pack == p


def test_the_cli_starts_the_reading_child_before_textual_only_when_needed(
    pack: Path,  # noqa: F811
) -> None:
    from soundtrack_tui.commands import read_ahead

    assert read_ahead(pack) is False
    child = indexer._running(pack)
    assert child is not None  # not in the cache: the child is at work
    assert child.finish()
    indexer._forget(pack)
    assert read_ahead(pack) is True
    assert indexer._running(pack) is None  # stored by then: nothing to start
