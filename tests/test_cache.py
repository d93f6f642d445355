"""The parsed-pack cache: used while a pack is unchanged, never trusted
blindly, never in the way. Every test keeps the cache (and the platform
folders) in tmp, so the real home is never touched."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from soundtrack_tui import commands
from soundtrack_tui.core import cache, loader
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.errors import LoadResult, Problem, Progress
from soundtrack_tui.core.loader import read_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.search.index import EncodingHelper

OLD = time.time_ns() - 3600 * 10**9  # an hour ago: past the racy window


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder, and every platform folder, under tmp."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.setenv("SOUNDTRACK_STATE_DIR", str(tmp_path / "state"))
    return folder


def backdate(root: Path, when: int = OLD) -> None:
    for path in [root, *root.rglob("*")]:
        os.utime(path, ns=(when, when))


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the bundled pack whose files are an hour old."""
    root = tmp_path / "pack"
    shutil.copytree(bundled_pack(), root)
    backdate(root)
    return root


class Reads:
    """Counts the loads that went to the files."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        monkeypatch.setattr(loader, "read_pack", self)

    def __call__(
        self, root: str | Path, progress: Progress | None = None, *, lint: bool = True
    ) -> LoadResult:
        self.count += 1
        self.lint = lint
        return read_pack(root, progress, lint=lint)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


def same(a: LoadResult, b: LoadResult) -> bool:
    assert a.pack is not None and b.pack is not None
    return a.pack == b.pack and a.pack.root == b.pack.root and a.problems == b.problems


# -- hits and misses ---------------------------------------------------------------


def test_second_load_is_a_hit_with_the_same_result(pack: Path, reads: Reads, cache_home: Path) -> None:
    first = cache.load_pack_cached(pack)
    assert reads.count == 1
    assert cache.cache_file(pack).is_file()
    assert cache.cache_file(pack).parent == cache_home
    second = cache.load_pack_cached(pack)
    assert reads.count == 1
    assert same(first, second)
    assert same(second, read_pack(pack))
    assert second.pack is not None and second.pack.root == pack
    assert type(second.pack.episodes).__name__ == "mappingproxy"


def test_recaps_round_trip_with_emoji_and_hangul(pack: Path, reads: Reads) -> None:
    """Recaps are stored as UTF-8 in the model: text outside the Basic
    Multilingual Plane, Hangul and accents come back from the cache intact."""
    file = pack / "episodes" / "01.toml"
    opening = "한선우 🎤 crème 👩\u200d🎤\ufe0f. "
    text = file.read_text(encoding="utf-8").replace('recap = """\n', f'recap = """\n{opening}', 1)
    file.write_text(text, encoding="utf-8")
    backdate(pack)
    first = cache.load_pack_cached(pack)
    second = cache.load_pack_cached(pack)
    assert reads.count == 1
    assert first.pack is not None and second.pack is not None
    recap = second.pack.episodes[1].recap
    assert recap.startswith(opening)
    fresh = read_pack(pack).pack
    assert fresh is not None and recap == first.pack.episodes[1].recap == fresh.episodes[1].recap
    assert second.pack.episodes[1].paragraphs == first.pack.episodes[1].paragraphs
    assert isinstance(recap, str)


def test_a_hit_imports_no_parser_schema_or_lint(pack: Path) -> None:
    """On a hit, neither `load_pack_cached` nor a CLI command imports what
    only reading the files needs (checked in a fresh interpreter)."""
    assert cache.load_pack_cached(pack).pack is not None
    modules = ("loader", "schema", "lint", "tomlpos")
    heavy = ["tomli", "tomllib", *(f"soundtrack_tui.core.{m}" for m in modules)]
    code = (
        "import sys\n"
        "from soundtrack_tui.core.cache import load_pack_cached\n"
        "assert load_pack_cached(sys.argv[1]).pack is not None\n"
        "from soundtrack_tui.cli import main\n"
        "assert main(['list', '--content', sys.argv[1]]) == 0\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(pack)], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_pack_root_is_the_path_as_given(
    pack: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pack.parent)
    relative = cache.load_pack_cached("pack")
    assert relative.pack is not None and relative.pack.root == Path("pack")
    absolute = cache.load_pack_cached(pack)
    assert absolute.pack is not None and absolute.pack.root == pack
    assert cache.load_pack_cached(pack).pack == absolute.pack
    assert reads.count == 2  # the path as given is part of the key: problems quote it


def test_mtime_change_is_a_miss(pack: Path, reads: Reads) -> None:
    cache.load_pack_cached(pack)
    os.utime(pack / "episodes" / "02.toml", ns=(OLD + 10**9, OLD + 10**9))
    cache.load_pack_cached(pack)
    assert reads.count == 2
    cache.load_pack_cached(pack)
    assert reads.count == 2


def test_size_change_with_the_same_mtime_is_a_miss(pack: Path, reads: Reads) -> None:
    cache.load_pack_cached(pack)
    file = pack / "episodes" / "03.toml"
    file.write_text(
        file.read_text(encoding="utf-8").replace('title = "', 'title = "New: ', 1), encoding="utf-8"
    )
    os.utime(file, ns=(OLD, OLD))
    result = cache.load_pack_cached(pack)
    assert reads.count == 2
    assert result.pack is not None and result.pack.episodes[3].title.startswith("New: ")


@pytest.mark.parametrize("change", ["add", "remove", "characters"])
def test_files_appearing_or_vanishing_are_a_miss(pack: Path, reads: Reads, change: str) -> None:
    cache.load_pack_cached(pack)
    if change == "add":
        (pack / "episodes" / "notes.txt").write_text("not an episode", encoding="utf-8")
        backdate(pack)
    elif change == "remove":
        (pack / "episodes" / "04.toml").unlink()
    else:
        (pack / "characters.toml").unlink()
    result = cache.load_pack_cached(pack)
    assert reads.count == 2
    # Without the author's lint, as the cache reads: warnings are for `check`.
    assert same(result, read_pack(pack, lint=False))


def test_a_version_or_format_change_is_a_miss(
    pack: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.load_pack_cached(pack)
    monkeypatch.setattr(cache, "__version__", "999.0")
    cache.load_pack_cached(pack)
    assert reads.count == 2
    monkeypatch.setattr(cache, "CACHE_FORMAT", cache.CACHE_FORMAT + 1)
    cache.load_pack_cached(pack)
    assert reads.count == 3
    cache.load_pack_cached(pack)
    assert reads.count == 3  # rewritten under the new version


def test_progress_is_reported_on_a_miss_only(pack: Path, reads: Reads) -> None:
    calls: list[tuple[int, int]] = []
    cache.load_pack_cached(pack, lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1] == 4
    calls.clear()
    cache.load_pack_cached(pack, lambda done, total: calls.append((done, total)))
    assert reads.count == 1
    assert calls == []


def test_is_cached_says_whether_the_next_load_is_a_hit(pack: Path, reads: Reads) -> None:
    assert not cache.is_cached(pack)
    cache.load_pack_cached(pack)
    assert cache.is_cached(pack)
    os.utime(pack / "show.toml", ns=(OLD + 7, OLD + 7))
    assert not cache.is_cached(pack)
    cache.load_pack_cached(pack)
    assert cache.is_cached(pack)
    entry = cache.cache_file(pack)
    entry.write_bytes(entry.read_bytes()[:30])
    assert not cache.is_cached(pack)
    assert reads.count == 2


# -- never trusted blindly -------------------------------------------------------


def _valid_entry(pack: Path) -> bytes:
    cache.load_pack_cached(pack)
    return cache.cache_file(pack).read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1],
        lambda data: b"",
        lambda data: b"\x00" * len(data),
        lambda data: data[:-100] + bytes(b ^ 0xFF for b in data[-100:]),  # flipped payload bytes
        lambda data: b"soundtrack pack cache\n" + b"garbage",
        lambda data: pickle.dumps({"not": "a cache"}),
    ],
    ids=["half", "last-byte", "empty", "zeros", "flipped", "bad-header", "foreign-pickle"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(pack: Path, reads: Reads, damage: object) -> None:
    data = _valid_entry(pack)
    assert callable(damage)
    cache.cache_file(pack).write_bytes(damage(data))
    result = cache.load_pack_cached(pack)
    assert reads.count == 2
    assert same(result, read_pack(pack))
    assert cache.cache_file(pack).read_bytes() == data  # rewritten whole
    cache.load_pack_cached(pack)
    assert reads.count == 2


def _entry_with_payload(pack: Path, payload: bytes) -> bytes:
    """A well-formed entry for `pack` (right key, length, CRC) carrying `payload`."""
    stored = {"key": cache._key(pack), "length": len(payload), "crc": zlib.crc32(payload)}
    return cache.PACK_MAGIC + pickle.dumps(stored, protocol=5) + payload


class _Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (self.target,))

    def __init__(self, target: str) -> None:
        self.target = target


def test_a_foreign_pickle_with_a_valid_header_runs_nothing(pack: Path, reads: Reads, tmp_path: Path) -> None:
    _valid_entry(pack)
    planted = tmp_path / "planted"
    cache.cache_file(pack).write_bytes(_entry_with_payload(pack, pickle.dumps(_Planted(str(planted)))))
    result = cache.load_pack_cached(pack)
    assert not planted.exists()
    assert reads.count == 2
    assert same(result, read_pack(pack))


@pytest.mark.parametrize(
    "payload",
    [
        ("show", {}, (), []),
        (None, None, None, None),
        [1, 2, 3],
        "text",
    ],
)
def test_a_well_formed_entry_of_the_wrong_shape_is_ignored(pack: Path, reads: Reads, payload: object) -> None:
    _valid_entry(pack)
    cache.cache_file(pack).write_bytes(_entry_with_payload(pack, pickle.dumps(payload)))
    result = cache.load_pack_cached(pack)
    assert reads.count == 2
    assert same(result, read_pack(pack))


def test_an_entry_claiming_an_error_is_ignored(pack: Path, reads: Reads) -> None:
    good = read_pack(pack)
    assert good.pack is not None
    p = good.pack
    payload = pickle.dumps((p.show, dict(p.episodes), p.characters, [Problem("x", "", "bad")]), protocol=5)
    _valid_entry(pack)
    cache.cache_file(pack).write_bytes(_entry_with_payload(pack, payload))
    cache.load_pack_cached(pack)
    assert reads.count == 2


def test_an_entry_of_another_pack_is_not_used(pack: Path, tmp_path: Path, reads: Reads) -> None:
    other = tmp_path / "other"
    shutil.copytree(pack, other)
    backdate(other)
    data = _valid_entry(other)
    cache.cache_file(pack).parent.mkdir(parents=True, exist_ok=True)
    cache.cache_file(pack).write_bytes(data)  # same files, wrong path
    result = cache.load_pack_cached(pack)
    assert reads.count == 2
    assert result.pack is not None and result.pack.root == pack


# -- never in the way --------------------------------------------------------------


@pytest.mark.parametrize("where", ["a-file", "under-a-file"])
def test_an_unwritable_cache_folder_still_loads(
    pack: Path, tmp_path: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    folder = blocker if where == "a-file" else blocker / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    first = cache.load_pack_cached(pack)
    second = cache.load_pack_cached(pack)
    assert reads.count == 2
    assert same(first, second)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_read_only_cache_folder_still_loads(
    pack: Path, cache_home: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    import tempfile

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = cache.load_pack_cached(pack)
    assert same(result, read_pack(pack))
    assert not cache.cache_file(pack).exists()
    assert not any(cache_home.glob(".tmp-*"))


def test_an_unreadable_entry_still_loads(pack: Path, reads: Reads) -> None:
    _valid_entry(pack)
    entry = cache.cache_file(pack)
    entry.unlink()
    entry.mkdir()  # reading a folder fails
    result = cache.load_pack_cached(pack)
    assert reads.count == 2
    assert same(result, read_pack(pack))


def test_packs_with_errors_are_never_cached(pack: Path, reads: Reads) -> None:
    show = pack / "show.toml"
    show.write_text(show.read_text(encoding="utf-8") + "\nbogus_key = 1\n", encoding="utf-8")
    backdate(pack)
    first = cache.load_pack_cached(pack)
    assert first.errors
    assert not cache.cache_file(pack).exists()
    cache.load_pack_cached(pack)
    assert reads.count == 2


def test_a_missing_pack_is_reported_not_cached(tmp_path: Path, reads: Reads) -> None:
    result = cache.load_pack_cached(tmp_path / "nowhere")
    assert result.pack is None and result.errors
    assert not cache.cache_file(tmp_path / "nowhere").exists()


def test_fresh_files_are_not_cached_yet(pack: Path, reads: Reads) -> None:
    """A file younger than the racy window could still change without its
    size or mtime changing, on coarse-timestamp file systems."""
    os.utime(pack / "episodes" / "01.toml")  # now
    cache.load_pack_cached(pack)
    assert not cache.cache_file(pack).exists()
    backdate(pack)
    cache.load_pack_cached(pack)
    assert cache.cache_file(pack).exists()


def test_a_pack_edited_during_the_load_is_not_cached(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_and_edit(root: str | Path, progress: Progress | None = None, *, lint: bool = True) -> LoadResult:
        result = read_pack(root, lint=lint)
        os.utime(pack / "episodes" / "01.toml", ns=(OLD + 5, OLD + 5))
        return result

    monkeypatch.setattr(loader, "read_pack", read_and_edit)
    cache.load_pack_cached(pack)
    assert not cache.cache_file(pack).exists()


def test_a_stale_temp_file_is_cleaned_up(pack: Path, cache_home: Path) -> None:
    cache_home.mkdir(parents=True)
    stale = cache_home / ".tmp-abandoned.pickle"
    stale.write_bytes(b"half")
    os.utime(stale, ns=(OLD - 2 * 86400 * 10**9,) * 2)
    fresh = cache_home / ".tmp-writing.pickle"
    fresh.write_bytes(b"half")
    cache.load_pack_cached(pack)
    assert not stale.exists()
    assert fresh.exists()  # maybe another process, mid-write


def test_the_default_folder_is_the_platform_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_DIR_ENV)
    folder = cache.cache_dir()
    assert folder.name == "soundtrack"
    assert tmp_path in folder.parents  # XDG_CACHE_HOME / HOME point into tmp here
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "")
    assert cache.cache_dir() == folder


def test_nothing_is_written_outside_the_cache_folder(pack: Path, tmp_path: Path, cache_home: Path) -> None:
    cache.load_pack_cached(pack)
    cache.load_pack_cached(pack)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and pack not in p.parents]
    assert written and all(cache_home in p.parents for p in written)
    assert not (tmp_path / "home").exists()


# -- who uses it ---------------------------------------------------------------


def test_run_time_loads_skip_the_lint(pack: Path, reads: Reads) -> None:
    cache.load_pack_cached(pack)
    assert reads.count == 1
    assert reads.lint is False


def test_cli_sessions_load_through_the_cache(pack: Path, reads: Reads) -> None:
    first = commands.Session.open(str(pack), None)
    second = commands.Session.open(str(pack), None)
    assert reads.count == 1
    assert first.pack == second.pack


def test_check_always_reads_the_files(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A stale entry (same sizes and mtimes, different content) can fool
    the cache but never `check`."""
    cache.load_pack_cached(pack)
    file = pack / "episodes" / "01.toml"
    text = file.read_text(encoding="utf-8")
    broken = text.replace("number = 1", "number = 9", 1)
    assert len(broken) == len(text)
    file.write_text(broken, encoding="utf-8")
    os.utime(file, ns=(OLD, OLD))
    assert commands.check(str(pack)) == commands.EXIT_CONTENT
    assert "file name says episode 1" in capsys.readouterr().out


# -- the search index ----------------------------------------------------------------


class Builds:
    """Counts the search indexes built rather than loaded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from soundtrack_tui.core.search import SearchIndex

        self.count = 0
        real = SearchIndex.build

        def counted(pack: Pack, helper: EncodingHelper | None = None) -> SearchIndex:
            self.count += 1
            return real(pack, helper)

        monkeypatch.setattr(SearchIndex, "build", staticmethod(counted))


def answers(
    index: object, queries: tuple[str, ...] = ("sun-woo", "tarot card", "한선우", '"first love"')
) -> list:  # type: ignore[type-arg]
    from soundtrack_tui.core.policy import Level, Viewer

    found = []
    for viewer in (Viewer(frozenset({1}), Level.STANDARD), Viewer(level=Level.OFF)):
        for query in queries:
            results = index.search(query, viewer)  # type: ignore[attr-defined]
            hits = [(h.episode, h.field, h.snippet, h.spans, h.target, h.score) for h in results.hits]
            found.append((hits, results.total, dict(results.locked)))
    return found


def pack_of(root: Path) -> Pack:
    loaded = cache.load_pack_cached(root).pack
    assert loaded is not None
    return loaded


def test_an_index_is_built_once_then_loaded_with_the_same_answers(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = Builds(monkeypatch)
    loaded = pack_of(pack)
    first = cache.load_index_cached(loaded)
    assert builds.count == 1 and cache.index_file(pack).is_file()
    # A later start: a new pack object from the pack cache, the index from its own.
    again = pack_of(pack)
    second = cache.load_index_cached(again)
    assert builds.count == 1
    assert answers(second) == answers(first)
    # The index refers to the pack it was loaded for, not to a copy.
    stored = second.__getstate__()
    assert stored["episodes"][1] is again.episodes[1]  # type: ignore[index]
    assert stored["characters"][0] is again.characters[0]  # type: ignore[index]


def test_an_index_entry_is_rebuilt_when_the_pack_changes_or_is_damaged(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = Builds(monkeypatch)
    loaded = pack_of(pack)
    cache.load_index_cached(loaded)
    entry = cache.index_file(pack)
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0xFF
    entry.write_bytes(bytes(data))
    cache.load_index_cached(loaded)
    assert builds.count == 2  # a bad checksum is a miss, and the entry is rewritten
    cache.load_index_cached(loaded)
    assert builds.count == 2
    episode = pack / "episodes" / "01.toml"
    episode.write_text(episode.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    backdate(pack)
    changed = pack_of(pack)
    cache.load_index_cached(changed)
    assert builds.count == 3


@pytest.mark.parametrize("change", ["version", "format", "size", "mtime"])
def test_an_index_entry_is_keyed_on_the_version_the_format_and_the_pack_files(
    pack: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    builds = Builds(monkeypatch)
    cache.load_index_cached(pack_of(pack))
    assert cache.is_cached(pack, "index")
    if change == "version":
        monkeypatch.setattr(cache, "__version__", "999.0")
    elif change == "format":
        monkeypatch.setattr(cache, "CACHE_FORMAT", cache.CACHE_FORMAT + 1)
    else:
        episode = pack / "episodes" / "02.toml"
        if change == "size":
            episode.write_text(episode.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            os.utime(episode, ns=(OLD, OLD))  # the same mtime as before
        else:
            os.utime(episode, ns=(OLD + 1, OLD + 1))  # the same size
    assert not cache.is_cached(pack, "index")
    assert cache.load_index_cached(pack_of(pack), build=False) is None
    cache.load_index_cached(pack_of(pack))
    assert builds.count == 2 and cache.is_cached(pack, "index")


def test_a_foreign_index_entry_runs_nothing(
    pack: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A valid header and checksum around a pickle that names another global
    is refused before anything runs, and the index is rebuilt."""
    builds = Builds(monkeypatch)
    loaded = pack_of(pack)
    cache.load_index_cached(loaded)
    entry = cache.index_file(pack)
    data = entry.read_bytes()
    magic = b"soundtrack index cache\n"
    import io

    stream = io.BytesIO(data)
    stream.seek(len(magic))
    header = pickle.load(stream)
    marker = tmp_path / "ran"
    payload = pickle.dumps(Exploit(str(marker)), protocol=5)
    stored = {"key": header["key"], "length": len(payload), "crc": zlib.crc32(payload)}
    entry.write_bytes(magic + pickle.dumps(stored, protocol=5) + payload)
    index = cache.load_index_cached(loaded)
    assert not marker.exists()
    assert builds.count == 2 and answers(index)


class Exploit:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (Path.touch, (Path(self.path),))


def test_a_pack_made_in_memory_is_indexed_without_the_cache() -> None:
    from packs import make_pack
    from soundtrack_tui.core.search import SearchIndex

    assert isinstance(cache.load_index_cached(make_pack(3)), SearchIndex)
