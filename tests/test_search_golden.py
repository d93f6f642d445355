"""Search results pinned to what the eager implementation produced.

Hits compute their snippet, spans and target on first access. These tests
hold every field of every hit, for many queries and two viewers, on the
bundled pack and a generated one, to digests recorded before that change
(tests/fixtures/search_golden.json), so laziness cannot alter a result.
Regenerate the fixture with `python tests/test_search_golden.py` only when
a change to ranking or snippets is intended.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import SearchIndex, SearchResults

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "search_golden.json"
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

TYPED = ["sun-woo", "tarot card", "한선우", "eun-soo studio", '"midnight train"', "café", "the mirror"]
WHOLE = ["s", "a", "e", "min", "sunwoo", "sun woo", '"tarot card" eun', "rain", "radio", "선우", "🎤", "ß"]
QUERIES = sorted({text[:end] for text in TYPED for end in range(1, len(text) + 1)} | set(WHOLE))


def generated_pack(folder: Path) -> Pack:
    """A 40-episode synthetic pack (benchmarks/generate.py, seed 0)."""
    spec = importlib.util.spec_from_file_location("bench_generate_golden", BENCHMARKS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return load_pack(module.generate_pack(folder / "pack", 40, recap_words=300))


def fingerprint(results: SearchResults) -> str:
    """Every public field of every hit, the locked counts and the total."""
    hits = [
        (h.gate, h.episode, h.field, h.label, h.snippet, h.spans, h.target, round(h.score, 9))
        for h in results.hits
    ]
    return hashlib.sha256(repr((hits, dict(results.locked), results.total)).encode()).hexdigest()[:16]


def digests(pack: Pack) -> Iterator[tuple[str, str]]:
    index = SearchIndex.build(pack)
    half = Viewer(frozenset(range(1, pack.show.episode_count // 2 + 1)), Level.STANDARD)
    for text in QUERIES:
        for name, viewer in (("off", Viewer(level=Level.OFF)), ("half", half)):
            yield f"{name} {text}", fingerprint(index.search(text, viewer, limit=10_000))


def current(name: str, folder: Path) -> dict[str, str]:
    pack = load_pack(bundled_pack()) if name == "bundled" else generated_pack(folder)
    return dict(digests(pack))


@pytest.mark.parametrize("name", ["bundled", "generated"])
def test_results_match_the_recorded_digests(name: str, tmp_path: Path) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    found = current(name, tmp_path)
    assert found.keys() == expected.keys()
    changed = [key for key, digest in found.items() if expected[key] != digest]
    assert not changed, changed


def test_a_screenful_is_the_start_of_everything(tmp_path: Path) -> None:
    """Asking for fewer hits truncates the list and changes nothing else."""
    index = SearchIndex.build(generated_pack(tmp_path))
    viewer = Viewer(frozenset(range(1, 21)), Level.STANDARD)
    for text in QUERIES:
        everything = index.search(text, viewer, limit=10_000)
        screen = index.search(text, viewer, limit=20)
        assert fingerprint(screen) == fingerprint(
            SearchResults(everything.hits[:20], everything.locked, everything.total)
        ), text


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        recorded = {name: current(name, Path(scratch)) for name in ("bundled", "generated")}
    GOLDEN.write_text(
        json.dumps(recorded, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
