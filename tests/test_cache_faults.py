"""The cache under faults from outside: an entry truncated while a session
holds it, and a cache folder that would otherwise grow without limit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from soundtrack_tui.core import cache
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
