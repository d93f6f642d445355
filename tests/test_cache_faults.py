"""The cache under faults from outside: an entry truncated while a session
holds it, and a cache folder that would otherwise grow without limit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from soundtrack_tui.core import cache, cache_folder
from soundtrack_tui.core.bundled import bundled_pack
from test_cache import backdate

GENERATOR = Path(__file__).parent.parent / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def big_recaps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack whose recaps and index arrays are large enough to be stored
    in the entry's blob (the part that was mapped)."""
    root = tmp_path_factory.mktemp("packs") / "pack"
    command = [sys.executable, str(GENERATOR), "--episodes", "30", "--out", str(root), "--recap-words", "400"]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    backdate(root)
    return root


# Runs in a child: a SIGBUS kills the process, and must not kill pytest.
TRUNCATE_THEN_READ = textwrap.dedent(
    """
    import os, sys
    from soundtrack_tui.core import cache
    from soundtrack_tui.core.policy import Level, Viewer

    root = sys.argv[1]
    cache.load_pack_cached(root)
    cache.load_index_cached(cache.load_pack_cached(root).pack)  # both entries written
    assert cache.is_cached(root) and cache.is_cached(root, "index")
    pack = cache.load_pack_cached(root).pack
    index = cache.load_index_cached(pack, build=False)
    assert index is not None, "expected a hit"
    for path in (cache.cache_file(root), cache.index_file(root)):
        os.truncate(path, 0)  # as another process might, in place
    text = sum(len(episode.recap) for episode in pack.episodes.values())
    results = index.search("the", Viewer(frozenset(), Level.OFF))
    print("read", text, "found", results.total)
    """
)


def test_an_entry_truncated_under_a_loaded_pack_and_index_is_harmless(
    big_recaps: Path, tmp_path: Path
) -> None:
    env = {**os.environ, cache.CACHE_DIR_ENV: str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", TRUNCATE_THEN_READ, str(big_recaps)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert "found" in done.stdout
    assert int(done.stdout.split()[-1]) > 0


# -- growth --------------------------------------------------------------------------


def _used_at(root: Path, seconds: int) -> None:
    """Say the entries of the pack at `root` were last used at `seconds`
    past the epoch (file times are too coarse to tell quick loads apart)."""
    for path in (cache.cache_file(root), cache.index_file(root)):
        if path.exists():
            os.utime(path, (seconds, seconds))


def test_the_folder_keeps_the_packs_used_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    packs = []
    for number in range(1, cache_folder.MAX_PACKS + 3):
        root = tmp_path / f"pack{number}"
        shutil.copytree(bundled_pack(), root)
        backdate(root)
        packs.append(root)
    for number, root in enumerate(packs[: cache_folder.MAX_PACKS], start=1):
        cache.load_pack_cached(root)
        _used_at(root, 1_000_000 + number)
    cache.load_pack_cached(packs[0])  # a hit: pack 1 is now the one used last
    for root in packs[cache_folder.MAX_PACKS :]:
        cache.load_pack_cached(root)  # written: the oldest used goes, each time
    kept = {root.name for root in packs if cache.cache_file(root).exists()}
    assert kept == {root.name for root in packs} - {"pack2", "pack3"}
    assert len(cache_folder.listing(folder)) == cache_folder.MAX_PACKS


def soundtrack(*args: str, folder: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, cache.CACHE_DIR_ENV: str(folder)}
    return subprocess.run(
        [sys.executable, "-m", "soundtrack_tui", *args], capture_output=True, env=env, timeout=60
    )


def test_cache_lists_then_clear_empties_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    root = tmp_path / "pack\x1b]0;PWNED\x07\x9b"  # a folder name that carries escape codes
    shutil.copytree(bundled_pack(), root)
    backdate(root)
    result = cache.load_pack_cached(root)
    assert result.pack is not None
    cache.load_index_cached(result.pack)
    (folder / ".tmp-left-by-a-crash.pickle").write_bytes(b"x")
    (folder / "notes.txt").write_text("not ours")

    listed = soundtrack("cache", folder=folder)
    assert listed.returncode == 0, listed.stderr
    assert b"1 pack, " in listed.stdout and b"PWNED" in listed.stdout
    assert not [byte for byte in (b"\x1b", b"\x07", b"\xc2\x9b") if byte in listed.stdout]
    assert soundtrack("cache", "info", folder=folder).stdout == listed.stdout

    cleared = soundtrack("cache", "clear", folder=folder)
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout.startswith(b"Removed 3 files")
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]
    assert soundtrack("cache", "clear", folder=folder).stdout.startswith(b"Removed 0 files")
    assert b"0 packs" in soundtrack("cache", folder=folder).stdout


def test_a_cache_that_cannot_be_cleared_says_why_and_exits_1(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the folder should be")
    result = soundtrack("cache", "clear", folder=not_a_folder)
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.startswith(b"soundtrack: cannot clear the cache at ")
    assert len(result.stderr.splitlines()) == 1 and b"Traceback" not in result.stderr


def test_an_unknown_cache_action_is_a_usage_error(tmp_path: Path) -> None:
    result = soundtrack("cache", "purge", folder=tmp_path / "cache")
    assert result.returncode == 2
    assert b"invalid choice" in result.stderr
