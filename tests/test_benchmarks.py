"""The benchmark tools work: the generator is deterministic and writes packs
that check clean, and the runner produces its whole table in --quick mode.

Timings are benchmarks, not tests: nothing here asserts a time."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from soundtrack_tui.core.loader import read_pack
from soundtrack_tui.core.search import SearchIndex

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return _module("generate")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _env(tmp_path: Path) -> dict[str, str]:
    """Children never see the real home, nor its soundtrack folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOUNDTRACK_", "XDG_"))}
    env.update(
        HOME=str(tmp_path / "home"),
        TMPDIR=str(tmp_path),
        SOUNDTRACK_STATE_DIR=str(tmp_path / "state"),
        SOUNDTRACK_CONFIG_DIR=str(tmp_path / "config"),
        SOUNDTRACK_CACHE_DIR=str(tmp_path / "cache"),
    )
    return env


def test_same_seed_same_files_other_seed_other_files(generate: ModuleType, tmp_path: Path) -> None:
    first = _files(generate.generate_pack(tmp_path / "a", 30, seed=7, recap_words=80))
    second = _files(generate.generate_pack(tmp_path / "b", 30, seed=7, recap_words=80))
    other = _files(generate.generate_pack(tmp_path / "c", 30, seed=8, recap_words=80))
    assert first == second
    assert first.keys() == other.keys()
    assert first != other
    assert len([name for name in first if name.startswith("episodes")]) == 30


def test_generated_pack_checks_clean(generate: ModuleType, tmp_path: Path) -> None:
    """No error and no warning: later characters never leak into earlier text."""
    root = generate.generate_pack(tmp_path / "pack", 90, recap_words=150)
    result = read_pack(root)
    assert result.pack is not None
    assert [str(p) for p in result.problems] == []
    pack = result.pack
    assert len(pack.episodes) == pack.show.episode_count == 90
    assert any(c.first_episode > 1 for c in pack.characters)
    assert all(c.aliases and c.notes for c in pack.characters)
    text = "\n".join(episode.recap for episode in pack.episodes.values())
    assert any("\uac00" <= char <= "\ud7a3" for char in text)  # Hangul
    assert "é" in text or "ï" in text or "ü" in text or "ö" in text or "á" in text  # accents
    assert any(ord(char) > 0x1F000 for char in text)  # emoji
    words = len(pack.episodes[1].recap.split())
    assert 140 <= words <= 180


def test_generated_pack_answers_the_benchmark_queries(generate: ModuleType, tmp_path: Path) -> None:
    from soundtrack_tui.core.policy import Level, Viewer

    pack = read_pack(generate.generate_pack(tmp_path / "pack", 12, recap_words=300)).pack
    assert pack is not None
    index = SearchIndex.build(pack)
    everything = Viewer(level=Level.OFF)
    for query in ("sun-woo", "tarot card", "한선우", "eun-soo"):
        assert index.search(query, everything).hits, query


SMALL = ["--seed", "3", "--recap-words", "60"]


def test_generator_command_line(tmp_path: Path) -> None:
    out = tmp_path / "cli-pack"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), "--episodes", "5", "--out", str(out), *SMALL],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (out / "episodes").iterdir()) == [f"0{n}.toml" for n in range(1, 6)]
    check = subprocess.run(
        [sys.executable, "-m", "soundtrack_tui", "check", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
        check=False,
    )
    assert check.returncode == 0, check.stdout
    assert "0 errors, 0 warnings" in check.stdout


EXPECTED_ROWS = [
    "UI first paint, headless: bare Textual app",
    "UI first paint, headless: 4 ep (bundled), warm",
    "UI first paint, headless: 4 ep (bundled), cold",
    "UI first paint, headless: 12 ep (tiny), warm",
    "UI first paint, headless: 12 ep (tiny), cold",
    "Peak RSS: bare Textual app",
    "Peak RSS at first paint: UI, 4 ep (bundled)",
    "Peak RSS at first paint: UI, 12 ep (tiny)",
    "UI first paint, tmux: bare Textual app",
    "UI first paint, tmux: 4 ep (bundled), warm",
    "UI first paint, tmux: 12 ep (tiny), cold",
    "First search in the browser, tmux: 12 ep (tiny), nothing cached",
    "Search per keystroke (core): 4 ep (bundled)",
    "Search per keystroke (core): 12 ep (tiny)",
    "Search keystroke to results drawn (UI): 4 ep (bundled)",
    "Search keystroke to results drawn (UI): 12 ep (tiny)",
    "Search keystroke to results drawn, tmux: bare Textual Input",
    "Search keystroke to results drawn, tmux: 4 ep (bundled)",
    "Search keystroke to results drawn, tmux: 12 ep (tiny)",
    "Peak RSS, searching (index built): 4 ep (bundled)",
    "Peak RSS, searching (index built): 12 ep (tiny)",
    "Index build in a child process (first start): 12 ep (tiny)",
    "CLI baseline: python -c pass",
    "CLI baseline: python -c 'import rich.console'",
    "CLI baseline: python -c 'import rich.console, rich.table'",
    "soundtrack list: 4 ep (bundled), warm",
    "soundtrack list: 4 ep (bundled), cold",
    "soundtrack search: 12 ep (tiny), warm",
    "soundtrack list: 4 ep (bundled), warm, terminal",
    "soundtrack search: 4 ep (bundled), warm, terminal",
    "CLI imports Textual",
    "soundtrack check: 4 ep (bundled)",
    "soundtrack check: 12 ep (tiny)",
]


def test_runner_quick_prints_the_whole_table(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    env = _env(tmp_path)
    env["TMUX_TMPDIR"] = str(tmp_path / "tmux")  # the tmux servers it starts, and no others
    (tmp_path / "tmux").mkdir()
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--quick", "--json", str(raw)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert table[0] == "| Measure | Result | Target | Method |"
    measures = [line.split(" | ")[0].removeprefix("| ") for line in table[1:]]
    for row in EXPECTED_ROWS:
        assert row in measures, row
    assert len(measures) == len(set(measures))
    rows = {row["measure"]: row for row in json.loads(raw.read_text(encoding="utf-8"))["rows"]}
    assert rows["CLI imports Textual"]["result"] == "no"
    for name, row in rows.items():
        assert row["result"], name
        assert row["method"] or row["result"].startswith("skipped"), name
        assert row["verdict"] == "", name  # --quick judges nothing
    assert "Machine:" in done.stdout
    before, after = json.loads(raw.read_text(encoding="utf-8"))["reference_loop_ms"]
    assert 0 < before < 60_000 and 0 < after < 60_000  # the machine's speed, for comparing runs
    assert f"Reference loop (pure Python, 2 million additions): {before:.0f} ms before" in done.stdout
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("soundtrack*"))
    typing = [row for name, row in rows.items() if name.startswith("Search keystroke to results drawn, tmux")]
    if shutil.which("tmux", path=env["PATH"]) is None:  # a machine without tmux says so
        assert all(row["result"] == "skipped (tmux not found)" for row in typing)
    else:  # typed, timed (10 keys, one launch each), and every tmux server it started gone with its socket
        assert all(
            row["result"].startswith("p50 ") and "10 keys, launches: 1" in row["method"] for row in typing
        )
        folders = list((tmp_path / "tmux").iterdir())
        assert folders  # tmux-UID: the servers were there
        assert [path for folder in folders for path in folder.iterdir()] == []
        assert _processes_with(f"TMUX_TMPDIR={tmp_path / 'tmux'}") == []


def _processes_with(variable: str) -> list[int]:
    """Processes whose environment holds `variable` (Linux; none found
    where there is no /proc)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if variable.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:  # gone, or not ours to read
            continue
    return found


@pytest.fixture(scope="module")
def latency() -> ModuleType:
    return _module("terminal_latency")


class ScriptedScreen:
    """A terminal whose app writes `writes` ((time, screen) pairs) on a
    fake clock that only moves while `settle` waits for output."""

    def __init__(self, writes: list[tuple[float, str]], first: str = "before") -> None:
        self.writes = sorted(writes)
        self.now = 0.0
        self.output_at = 0.0
        self.shown = first

    def clock(self) -> float:
        return self.now

    def wait_output(self, timeout: float) -> bool:
        if self.writes and self.writes[0][0] <= self.now + timeout:
            self.now, self.shown = self.writes.pop(0)
            self.output_at = self.now
            return True
        self.now += timeout
        return False

    def capture(self) -> str:
        return self.shown


def test_settle_dates_the_last_change_and_ignores_writes_that_change_nothing(latency: ModuleType) -> None:
    """The echo at 5 ms, results at 80 ms, a cursor blink at 500 ms that
    leaves the compared screen as it was: the key took 80 ms."""
    writes = [(0.005, "echo"), (0.080, "results"), (0.100, "results"), (0.500, "results")]
    screen = ScriptedScreen(writes)
    took, shown = latency.settle(screen, 0.0, "before", quiet=0.150, clock=screen.clock)
    assert took == pytest.approx(0.080)
    assert shown == "results"
    assert screen.now == pytest.approx(0.230)  # returned once 150 ms had passed with no change


def test_settle_waits_out_a_pause_shorter_than_the_quiet_period(latency: ModuleType) -> None:
    screen = ScriptedScreen([(0.010, "echo"), (0.150, "results")])
    took, shown = latency.settle(screen, 0.0, "before", quiet=0.150, clock=screen.clock)
    assert (took, shown) == (pytest.approx(0.150), "results")


def test_settle_fails_when_a_key_never_shows_or_the_screen_never_settles(latency: ModuleType) -> None:
    silent = ScriptedScreen([])
    with pytest.raises(TimeoutError, match="never changed"):
        latency.settle(silent, 0.0, "before", limit=2.0, clock=silent.clock)
    busy = ScriptedScreen([(n / 100, f"frame {n}") for n in range(1, 400)])
    with pytest.raises(TimeoutError, match="kept changing"):
        latency.settle(busy, 0.0, "before", limit=2.0, clock=busy.clock)


def test_settle_without_a_change_returns_once_quiet(latency: ModuleType) -> None:
    """Waiting for a start-up screen to settle: nothing to wait for is fine."""
    screen = ScriptedScreen([])
    assert latency.settle(screen, 0.0, "before", need_change=False, clock=screen.clock) == (0.0, "before")


def test_tmux_missing_says_why(latency: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert latency.tmux_missing() == "tmux not found"
    fake = tmp_path / "tmux"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    assert latency.tmux_missing() is None
