"""Measure soundtrack's start-up, search, CLI, memory and check, and print one table.

    python benchmarks/run.py                      # sizes 4,100,1000,5000; 5 runs
    python benchmarks/run.py --quick              # tiny pack, one run (the test suite uses it)
    python benchmarks/run.py --sizes 4,1000 --runs 7 --json out.json

Size 4 is the bundled pack; other sizes are generated with
`benchmarks/generate.py` (seed 0, 1,500-word recaps) into a temporary folder
(or `--workdir`). Every figure is the median of `--runs` runs, and every
"ours" launch is alternated with the yardstick it is compared to (the bare
Textual app of `benchmarks/bare_app.py`, or `python -c "import rich..."`),
so both see the same machine state. Sizes of `--big-size` episodes or more
get `--big-runs` runs (the table says so). Nothing here asserts a time.
Method, machine and findings: docs/performance.md.

Every child runs with HOME, the XDG folders and soundtrack's state, config
and cache folders pointed into the work folder: the real home is never read
or written. "Cold" means an empty soundtrack cache folder; "warm" means the
same launch done once before, untimed, with the same cache folder. Python's
bytecode and the OS page cache are warm in both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import DEFAULT_RECAP_WORDS, generate_pack, list_marker  # noqa: E402
from history_bench import TARGET_MB, TARGET_SECONDS, measure_history_import  # noqa: E402
from library_bench import TARGET_RATIO, library_shows  # noqa: E402
from switch_bench import TARGET_RATIO as SWITCH_RATIO  # noqa: E402
from switch_bench import measure_switches  # noqa: E402
from terminal_latency import QUIET_S, TYPED_QUERY, Typed, tmux_missing, type_query  # noqa: E402
from tmux_launch import MARKER_TIMEOUT, Tmux, shell_line  # noqa: E402

PYTHON = sys.executable
QUERIES = ["sun-woo", "tarot card", "한선우", "eun-soo studio", '"midnight train"']
FIRST_QUERY = "tarot"
# The core search also types names the pack does not list (found by
# romanization folding: "seon woo" is Sun-woo, "eunsu" Eun-soo) and typos
# retried as the nearest word ("studdio", "tarrot").
CORE_QUERIES = [*QUERIES, "seon woo", "eunsu studdio", "tarrot card"]
QUICK_SIZES = (4, 12)
QUICK_RECAP_WORDS = 120
TERM_SIZE = (120, 40)


# -- children ---------------------------------------------------------------------

# Put at the top of every child that reports its own peak RSS (see
# Sample.peak_kb, which prefers it): None where /proc is not available.
OWN_PEAK = r"""
def own_peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return None
"""

# Runs an app headless until `marker` is in a list on screen, then one
# more refresh, then exits. `App.run` is replaced, so soundtrack goes through
# its real entry point (`soundtrack_tui.ui.app.run`: load, store, app).
# The first rows of every list on screen: the bare app's OptionList, and
# soundtrack's lists, drawn a line at a time (ui/widgets/cursor_list.py).
LIST_ROWS = r"""
def list_rows(widgets):
    from textual.widgets import OptionList
    for widget in widgets:
        if isinstance(widget, OptionList):
            yield from (str(option.prompt) for option in widget.options[:64])
        elif hasattr(widget, "item_content") and hasattr(widget, "item_count"):
            yield from (widget.item_content(i).plain for i in range(min(widget.item_count, 64)))
"""

HEADLESS = OWN_PEAK + (
    r"""
import asyncio, json, sys, time
launched, mode, marker = float(sys.argv[1]), sys.argv[2], sys.argv[3]
from textual.app import App
seen = {}
LIST_ROWS

def shown(app):
    try:
        widgets = list(app.screen.query("*"))
    except Exception:
        return False
    return any(marker in row for row in list_rows(widgets))

def run(self, *args, **kwargs):
    async def drive():
        async with self.run_test(size=(WIDTH, HEIGHT)) as pilot:
            seen["ready"] = time.time() - launched
            deadline = time.monotonic() + TIMEOUT
            while not shown(self):
                if time.monotonic() > deadline:
                    raise SystemExit(3)
                await asyncio.sleep(0.005)
            await pilot.pause()
            seen["marker"] = time.time() - launched
    asyncio.run(drive())
    return 0

App.run = run
if mode == "bare":
    sys.path.insert(0, sys.argv[4])
    import bare_app
    code = bare_app.main()
else:
    from pathlib import Path
    from soundtrack_tui.ui.app import run as run_ui
    code = run_ui(Path(sys.argv[4]), sys.argv[5], spoilers=False)
seen["hwm_kb"] = own_peak_kb()  # this process's own (fork-inherited peaks do not count)
print(json.dumps({**seen, "code": code}))
""".replace("WIDTH", str(TERM_SIZE[0]))
    .replace("HEIGHT", str(TERM_SIZE[1]))
    .replace("TIMEOUT", str(MARKER_TIMEOUT))
    .replace("LIST_ROWS", LIST_ROWS)
)

# Typing in the running UI: "/" then each query character by character. A
# key is posted as the terminal driver would; the clock stops when the input
# holds the text, no search worker is pending, every widget has processed its
# messages and the screen has been redrawn. (Pilot.press is not used: it
# sleeps at least 40 ms per key waiting for idle.)
UI_TYPING = (
    OWN_PEAK
    + r"""
import asyncio, json, sys, time
marker, queries = sys.argv[1], json.loads(sys.argv[2])
from textual import events
from textual.app import App
from textual.widgets import Input
from textual.worker import WorkerState
LIST_ROWS
try:
    from textual.keys import _character_to_key
except ImportError:
    _character_to_key = lambda c: c
result = {"ms": [], "open_ms": None}

def shown(app):
    return any(marker in row for row in list_rows(list(app.screen.query("*"))))

async def settle(app, pilot, until):
    while not until():
        await asyncio.sleep(0.0002)
    await pilot._wait_for_screen()
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    while any(w.state in busy for w in list(app.workers) if w.group == "search"):
        await asyncio.sleep(0.0002)
    await pilot._wait_for_screen()
    app.screen._on_timer_update()

def key(app, char):
    name = _character_to_key(char) if len(char) == 1 and not char.isalnum() else char
    app.post_message(events.Key(name, char))

def run(self, *args, **kwargs):
    async def drive():
        async with self.run_test(size=(120, 40)) as pilot:
            while not shown(self):
                await asyncio.sleep(0.01)
            await pilot.pause()
            start = time.perf_counter()
            key(self, "/")
            await settle(self, pilot, lambda: isinstance(self.focused, Input))
            result["open_ms"] = (time.perf_counter() - start) * 1000
            box = self.focused
            for query in queries:
                box.value = ""
                await pilot.pause()
                for index, char in enumerate(query):
                    start = time.perf_counter()
                    key(self, char)
                    await settle(self, pilot, lambda: box.value == query[: index + 1])
                    result["ms"].append((time.perf_counter() - start) * 1000)
    asyncio.run(drive())
    return 0

App.run = run
from pathlib import Path
from soundtrack_tui.ui.app import run as run_ui
run_ui(Path(sys.argv[3]), sys.argv[4], spoilers=False)
result["hwm_kb"] = own_peak_kb()
print(json.dumps(result))
""".replace("LIST_ROWS", LIST_ROWS)
)

# In-process search latency: the query typed one character at a time, each
# prefix timed through SearchIndex.search as the UI calls it (limit 200),
# for a viewer who has watched the first half. Each run starts from a fresh
# copy of the index (pickled once), so no run benefits from another's caches.
MARKS_WORD = "tarot"
"""A word of every pack here, common in the generated ones: n/N's check."""

CORE_SEARCH = r"""
import json, pickle, sys, time
from soundtrack_tui.core.loader import read_pack
from soundtrack_tui.core.policy import Viewer
from soundtrack_tui.core.search import SearchIndex
pack = read_pack(sys.argv[1]).pack
queries, runs, MARKS_WORD = json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
index = SearchIndex.build(pack)
build = time.perf_counter() - start
try:
    blob = pickle.dumps(index, protocol=5)
except Exception:
    blob = None
viewer = Viewer(frozenset(range(1, pack.show.episode_count // 2 + 1)))
times = []
for run in range(runs if blob is not None else 1):
    fresh = pickle.loads(blob) if blob is not None else index
    for query in queries:
        for end in range(1, len(query) + 1):
            start = time.perf_counter()
            fresh.search(query[:end], viewer)
            times.append((time.perf_counter() - start) * 1000)
# n/N: every recap paragraph of an episode that holds the word is marked,
# however often the word occurs in the pack (the latest such episode, for
# a viewer who has watched everything). What a search without a limit
# finds there is the answer to check against.
every = Viewer(frozenset(pack.numbers))
found = index.search(MARKS_WORD, every, limit=len(index))
paragraphs = {}
for hit in found.hits:
    if hit.field == "recap":
        paragraphs.setdefault(hit.episode, set()).add(hit.target.paragraph)
last = max(paragraphs, default=None)
marked = set() if last is None else {p for p, _ in index.episode_matches(MARKS_WORD, every, last).recap}
expected = sorted(paragraphs.get(last, ()))
marks = {"episode": last, "expected": expected, "marked": sorted(marked), "matches": found.total}
print(json.dumps({"build_s": build, "ms": times, "docs": len(index), "marks": marks}))
"""

# The index build a big pack's first start hands to a child process
# (`core.indexer`): its wall time and its own peak, the pack entry already
# stored (the browser stores it before it shows the list).
INDEX_CHILD = (
    OWN_PEAK
    + r"""
import json, sys, time
start = time.perf_counter()
from soundtrack_tui.core.indexer import main
code = main([sys.argv[1]])
print(json.dumps({"code": code, "s": time.perf_counter() - start, "hwm_kb": own_peak_kb()}))
"""
)

# Does the CLI path import Textual? Runs each command in-process and lists
# the textual modules loaded.
NO_TEXTUAL = r"""
import contextlib, io, json, sys
from soundtrack_tui.cli import main
pack = sys.argv[1]
for argv in (["list"], ["search", "sun-woo"], ["show", "1"], ["story"]):
    with contextlib.redirect_stdout(io.StringIO()):
        main([*argv, "--content", pack])
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", pack])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "textual")))
"""


# -- measuring --------------------------------------------------------------------


@dataclass
class Sample:
    wall: float  # seconds, launch to exit
    rss_kb: int  # ru_maxrss of the child, from os.wait4
    code: int
    out: str = ""

    @property
    def peak_kb(self) -> int:
        """The child's peak RSS. On Linux, ru_maxrss of a forked child starts
        at the RSS of the parent it was forked from (the kernel keeps the
        pre-exec peak), so a runner bigger than its child would inflate it;
        children that can report their own VmHWM (the peak of the exec'd
        image only) are trusted instead."""
        try:
            reported = json.loads(self.out.strip().splitlines()[-1]).get("hwm_kb")
        except (ValueError, IndexError, AttributeError):
            reported = None
        return int(reported) if isinstance(reported, int) else self.rss_kb


def launch(cmd: Sequence[str], env: dict[str, str], *, tty: bool = False, timeout: float = 3600) -> Sample:
    """Run `cmd` to completion (killed after `timeout` seconds): wall time,
    exit code, output (stdout and stderr; none for a pty) and ru_maxrss from
    os.wait4 (see Sample.peak_kb for why that is only a fallback)."""
    with tempfile.TemporaryFile() as out:
        master = slave = -1
        if tty:
            import fcntl
            import pty
            import struct
            import termios

            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TERM_SIZE[1], TERM_SIZE[0], 0, 0))
        start = time.perf_counter()
        if tty:
            proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
            os.close(slave)
            drain = threading.Thread(target=_drain, args=(master,), daemon=True)
            drain.start()
        else:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env
            )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if tty:
            drain.join(5)
            os.close(master)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Sample(wall, usage.ru_maxrss, proc.returncode, text)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# -- the packs --------------------------------------------------------------------


@dataclass
class Pack:
    size: int
    path: Path
    label: str
    raw_bytes: int
    marker: str  # text of the first episode row, looked for on screen
    runs: int = 0


def prepare_packs(sizes: Sequence[int], work: Path, recap_words: int, tiny: bool) -> list[Pack]:
    from soundtrack_tui.core.bundled import bundled_pack

    packs = []
    newest = 0.0
    for size in sizes:
        if size == 4:
            path, label = bundled_pack(), "4 ep (bundled)"
        else:
            path = work / f"pack-{size}"
            if path.exists():
                shutil.rmtree(path)
            _log(f"generating a {size}-episode pack in {path}")
            generate_pack(path, size, recap_words=recap_words)
            newest = time.time()
            label = f"{size:,} ep" + (" (tiny)" if tiny else "")
        raw = sum(p.stat().st_size for p in path.rglob("*.toml"))
        packs.append(Pack(size, path, label, raw, list_marker(path)))
    # The cache does not store packs whose files are under two seconds old.
    time.sleep(max(0.0, newest + 2.1 - time.time()))
    return packs


# -- the run ----------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    result: str
    target: str
    method: str
    verdict: str = ""  # "met", "missed" or ""


@dataclass
class Bench:
    args: argparse.Namespace
    work: Path
    packs: list[Pack]
    soundtrack: list[str]
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    bare_mb: float = 0.0

    # -- environment

    def fresh_dir(self, kind: str) -> Path:
        """An empty folder; a reused --workdir keeps the old ones apart."""
        parent = self.work / "dirs"
        parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=parent))

    def env(self, cache: Path | None = None, *, tty: bool = False) -> dict[str, str]:
        home = self.work / "home"
        skip = ("NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SOUNDTRACK_", "XDG_", "TEXTUAL")) and key not in skip
        }
        env.update(
            HOME=str(home),
            XDG_CACHE_HOME=str(home / "cache"),
            XDG_STATE_HOME=str(home / "state"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            SOUNDTRACK_STATE_DIR=str(self.work / "state"),
            SOUNDTRACK_CONFIG_DIR=str(self.work / "config"),
            SOUNDTRACK_CACHE_DIR=str(cache or self.fresh_dir("cache")),
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
            PYTHONPYCACHEPREFIX=str(self.work / "pycache"),
        )
        env["TERM"] = "xterm-256color" if tty else env.get("TERM", "xterm-256color")
        return env

    def runs_for(self, pack: Pack) -> int:
        return pack.runs

    def compile_bytecode(self) -> None:
        """Children get a private bytecode cache (PYTHONPYCACHEPREFIX in the
        work folder: nothing is written next to the sources), filled here,
        untimed, as an installed wheel would have it: soundtrack, Textual and
        Rich compiled whole, then the entry points imported once so the
        standard library modules they use are compiled too."""
        import importlib.util

        folders = []
        for name in ("soundtrack_tui", "textual", "rich"):
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin:
                folders.append(str(Path(spec.origin).parent))
        _log("compiling bytecode")
        compileall = [PYTHON, "-m", "compileall", "-q", "-j", "0", *folders]
        self._checked(launch(compileall, self.env()), "compileall")
        modules = "soundtrack_tui.cli, soundtrack_tui.commands, soundtrack_tui.core.cache, "
        modules += "soundtrack_tui.core.search, soundtrack_tui.ui.app, rich.console, rich.table, rich.text"
        code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import {modules}, bare_app, asyncio"
        self._checked(launch([PYTHON, "-c", code], self.env()), "imports")

    # -- rows

    def add(self, measure: str, result: str, method: str, target: str = "", verdict: str = "") -> None:
        if self.args.quick:
            verdict = ""  # one run on a tiny pack judges nothing
        self.rows.append(Row(measure, result, target, method, verdict))
        _log(f"  {measure}: {result}" + (f"  [{verdict}]" if verdict else ""))

    # -- UI start-up --------------------------------------------------------------

    def ui_headless(self) -> dict[tuple[int, str], list[Sample]]:
        """Whole-process wall time and peak RSS of a headless start, every
        pack cold and warm, each launch paired with a bare-app launch."""
        _log("UI first paint, headless")
        bare_cmd = [PYTHON, "-c", HEADLESS, "", "bare", "BARE-APP-READY", str(HERE)]
        warm = {p.size: self.fresh_dir("cache") for p in self.packs}
        for pack in self.packs:  # the untimed first launch that makes "warm" warm
            self._headless(pack, warm[pack.size])
        samples: dict[tuple[int, str], list[Sample]] = {}
        bare: list[Sample] = []
        for run in range(max(p.runs for p in self.packs)):
            for pack in self.packs:
                if run >= pack.runs:
                    continue
                for state in ("warm", "cold"):
                    bare.append(self._checked(launch(_stamped(bare_cmd), self.env()), "bare app"))
                    cache = warm[pack.size] if state == "warm" else self.fresh_dir("cache")
                    samples.setdefault((pack.size, state), []).append(self._headless(pack, cache))
        samples[(0, "bare")] = bare
        base = median([s.wall for s in bare])
        self.add(
            "UI first paint, headless: bare Textual app",
            f"{base:.3f} s",
            "`python -c` child: build the app, `run_test(size=(120, 40))` until the marker row is in "
            f"its list, one refresh, exit; whole-process wall time, median of {len(bare)}",
        )
        for pack in self.packs:
            for state in ("warm", "cold"):
                got = samples[(pack.size, state)]
                ours = median([s.wall for s in got])
                target, verdict = self._startup_target(pack, state, ours / base)
                self.add(
                    f"UI first paint, headless: {pack.label}, {state}",
                    f"{ours:.3f} s = {ours / base:.2f}x bare",
                    f"same child through `soundtrack_tui.ui.app.run` until episode 1's title is listed; "
                    f"median of {len(got)}, alternated with the bare app",
                    target,
                    verdict,
                )
        self.raw["ui_headless"] = {f"{k[0]}-{k[1]}": [s.__dict__ for s in v] for k, v in samples.items()}
        return samples

    def _headless(self, pack: Pack, cache: Path) -> Sample:
        state = self.work / "state"
        cmd = [PYTHON, "-c", HEADLESS, "", "ours", pack.marker, str(pack.path), str(state)]
        return self._checked(launch(_stamped(cmd), self.env(cache)), f"headless UI on {pack.label}")

    def _startup_target(
        self, pack: Pack, state: str, ratio: float, first: float | None = None
    ) -> tuple[str, str]:
        """`first`: seconds to the first output on screen (tmux only): a
        cold start of a big pack is judged on how soon it shows progress."""
        if pack.size == 4 and not self.args.quick:
            return "≤ 1.15x bare", _verdict(ratio <= 1.15)
        if pack is self.ui_big and state == "warm":
            return "≤ 1.6x bare", _verdict(ratio <= 1.6)
        if pack is self.ui_big and state == "cold" and first is not None:
            return "progress shown ≤ 0.3 s", _verdict(first <= 0.3)
        return "", ""

    @property
    def ui_big(self) -> Pack:
        """The pack the 1,000-episode targets are judged on (the largest
        generated one in --quick)."""
        by_size = {p.size: p for p in self.packs}
        if 1000 in by_size:
            return by_size[1000]
        return max(self.packs, key=lambda p: p.size)

    @property
    def ui_packs(self) -> list[Pack]:
        """Packs for tmux and UI typing: the bundled one and ui_big."""
        chosen = [p for p in self.packs if p.size == 4][:1]
        return chosen + [p for p in [self.ui_big] if p not in chosen]

    def ui_tmux(self) -> None:
        if self.args.quick or self.args.no_tmux or shutil.which("tmux") is None:
            why = "--quick" if self.args.quick else "--no-tmux" if self.args.no_tmux else "tmux not found"
            for label in [
                "bare Textual app",
                *(f"{p.label}, {s}" for p in self.ui_packs for s in ("warm", "cold")),
            ]:
                self.add(f"UI first paint, tmux: {label}", f"skipped ({why})", "")
            return
        _log("UI first paint, tmux")
        tmux = Tmux(f"soundtrack-bench-{os.getpid()}")
        try:
            bare_cmd = shell_line(self.env(), [PYTHON, str(HERE / "bare_app.py")])
            warm = {p.size: self.fresh_dir("cache") for p in self.ui_packs}
            for pack in self.ui_packs:  # untimed first launches
                tmux.measure(self._tmux_cmd(pack, warm[pack.size]), pack.marker)
            bare: list[float] = []
            found: dict[tuple[int, str], list[tuple[float, float]]] = {}
            for run in range(max(p.runs for p in self.ui_packs)):
                for pack in self.ui_packs:
                    if run >= pack.runs:
                        continue
                    for state in ("warm", "cold"):
                        bare.append(tmux.measure(bare_cmd, "BARE-APP-READY")[1])
                        cache = warm[pack.size] if state == "warm" else self.fresh_dir("cache")
                        found.setdefault((pack.size, state), []).append(
                            tmux.measure(self._tmux_cmd(pack, cache), pack.marker)
                        )
        finally:
            tmux.close()
        base = median(bare)
        self.add(
            "UI first paint, tmux: bare Textual app",
            f"{base:.3f} s",
            f"`tmux new -d -x 120 -y 40 CMD`, `capture-pane -p` every 10 ms until the marker shows; "
            f"wall time from launch, median of {len(bare)}",
        )
        for pack in self.ui_packs:
            for state in ("warm", "cold"):
                got = found[(pack.size, state)]
                ours = median([f for _, f in got])
                first = median([f for f, _ in got])
                target, verdict = self._startup_target(pack, state, ours / base, first)
                self.add(
                    f"UI first paint, tmux: {pack.label}, {state}",
                    f"{ours:.3f} s = {ours / base:.2f}x bare (first output {first:.3f} s)",
                    f"`soundtrack --content PACK` in tmux until episode 1's title shows; median of "
                    f"{len(got)}, alternated with the bare app",
                    target,
                    verdict,
                )
        self.raw["ui_tmux"] = {"bare": bare, **{f"{k[0]}-{k[1]}": v for k, v in found.items()}}

    def first_search(self) -> None:
        """The first search of the big pack with nothing cached, in tmux:
        the list comes once the child has stored the pack, the results once
        it has built and stored the index."""
        pack = self.ui_big
        label = f"First search in the browser, tmux: {pack.label}, nothing cached"
        if self.args.no_tmux or shutil.which("tmux") is None:
            self.add(label, f"skipped ({'--no-tmux' if self.args.no_tmux else 'tmux not found'})", "")
            return
        _log("first search in the browser, tmux")
        tmux = Tmux(f"soundtrack-first-{os.getpid()}")
        try:
            got = [
                tmux.first_search(self._tmux_cmd(pack, self.fresh_dir("cache")), pack.marker, FIRST_QUERY)
                for _ in range(pack.runs)
            ]
        finally:
            tmux.close()
        listed, found = median([first for first, _ in got]), median([last for _, last in got])
        judged = pack.size == 1000 and not self.args.quick
        self.add(
            label,
            f"results {found:.2f} s (list {listed:.2f} s)",
            f"`soundtrack --content PACK` in tmux 120x40, empty cache; '/' and {FIRST_QUERY!r} typed as "
            "soon as episode 1's title shows; wall time from launch to the summary of the results (the "
            f"index is built meanwhile), median of {len(got)}",
            "≤ 2 s" if judged else "",
            _verdict(found <= 2) if judged else "",
        )
        self.raw["first_search_tmux"] = got

    def _tmux_cmd(self, pack: Pack, cache: Path) -> str:
        state = self.work / "state"
        return shell_line(
            self.env(cache), [*self.soundtrack, "--content", str(pack.path), "--state-dir", str(state)]
        )

    # -- search -------------------------------------------------------------------

    def search_core(self) -> None:
        _log("search per keystroke, in process")
        typed = sum(len(q) for q in CORE_QUERIES)
        for pack in self.packs:
            queries = json.dumps(CORE_QUERIES)
            cmd = [PYTHON, "-c", CORE_SEARCH, str(pack.path), queries, str(pack.runs), MARKS_WORD]
            sample = self._checked(launch(cmd, self.env()), f"search on {pack.label}")
            data = json.loads(sample.out.strip().splitlines()[-1])
            ms = data["ms"]
            p50, p95 = percentile(ms, 50), percentile(ms, 95)
            target, verdict = "", ""
            if pack.size == 1000 or (self.args.quick and pack is self.ui_big):
                target, verdict = "p95 ≤ 10 ms", _verdict(p95 <= 10)
            elif pack.size == 5000:
                target, verdict = "p95 ≤ 50 ms", _verdict(p95 <= 50)
            self.add(
                f"Search per keystroke (core): {pack.label}",
                f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {max(ms):.1f} ms",
                f"`SearchIndex.search` on every prefix of {len(CORE_QUERIES)} queries ({typed} keystrokes: "
                f"{', '.join(CORE_QUERIES)}), viewer has watched the first half, limit 200; {len(ms)} "
                f"samples over {len(ms) // typed} fresh index copies; index built in {data['build_s']:.2f} s "
                f"({data['docs']:,} documents)",
                target,
                verdict,
            )
            self.raw.setdefault("search_core", {})[pack.label] = data
            self._marks_row(pack, data["marks"])

    def _marks_row(self, pack: Pack, marks: dict[str, Any]) -> None:
        """#16's n/N target: the shown episode's every matching paragraph
        is marked, on the 1,000-episode pack, where the word is common."""
        expected, marked = marks["expected"], marks["marked"]
        target = verdict = ""
        if pack.size == 1000 or (self.args.quick and pack is self.ui_big):
            target, verdict = "every matching paragraph", _verdict(bool(expected) and marked == expected)
        self.add(
            f"n/N marks of one episode: {pack.label}",
            f"episode {marks['episode']}: {len(marked)} of {len(expected)} paragraphs holding "
            f"{MARKS_WORD!r} marked; the word matches {marks['matches']:,} documents in the pack",
            f"`SearchIndex.episode_matches` for the latest episode whose recap holds {MARKS_WORD!r}, "
            "viewer has watched everything, against the recap paragraphs a search with no limit finds",
            target,
            verdict,
        )

    def search_ui(self) -> None:
        _log("search keystroke to results drawn, in the UI")
        for pack in self.ui_packs:
            ms: list[float] = []
            opens: list[float] = []
            peaks: dict[str, list[float]] = {"cold": [], "warm": []}
            warm = self.fresh_dir("cache")
            self._typing(pack, warm)  # untimed: stores the pack and its index
            for _ in range(pack.runs):
                for state, cache in (("cold", None), ("warm", warm)):
                    data, peak = self._typing(pack, cache)
                    ms += data["ms"]
                    opens.append(data["open_ms"])
                    peaks[state].append(peak)
            self.add(
                f"Search keystroke to results drawn (UI): {pack.label}",
                f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, max {max(ms):.1f} ms "
                f"('/' to box focused: {median(opens):.1f} ms)",
                "headless app (120x40), '/' then each query typed a key at a time (key events posted as "
                "the driver does); clock stops when the box holds the text, no search worker is pending, "
                f"every widget has processed its messages and the screen is redrawn; {len(ms)} keys, "
                "cold and warm starts alternated",
            )
            self.raw.setdefault("search_ui", {})[pack.label] = {"ms": ms, "open_ms": opens, "peak_mb": peaks}
            self._session_peak(pack, median(peaks["cold"]), median(peaks["warm"]))
            if pack is self.ui_big:
                self._index_child(pack)

    def _typing(self, pack: Pack, cache: Path | None) -> tuple[dict[str, Any], float]:
        """One UI typing child (a fresh cache folder when `cache` is None):
        what it reported, and its peak RSS in MB."""
        cmd = [PYTHON, "-c", UI_TYPING, pack.marker, json.dumps(QUERIES), str(pack.path)]
        sample = self._checked(launch([*cmd, str(self.work / "state")], self.env(cache)), "UI typing")
        return json.loads(sample.out.strip().splitlines()[-1]), sample.peak_kb / 1024

    def search_terminal(self) -> None:
        """Keystroke to screen settled in tmux (`terminal_latency.py`): the
        bare Input app and the UI packs, runs alternated, warm caches: one
        untimed session each first (not in --quick), which for soundtrack is
        also the first search, the one that builds the index."""
        state = str(self.work / "state")
        bare = [PYTHON, str(HERE / "bare_app.py"), "--input"]
        subjects: list[tuple[str, list[str], str, Pack | None]] = [
            ("bare Textual Input", bare, "BARE-INPUT-READY", None),
            *(
                (p.label, [*self.soundtrack, "--content", str(p.path), "--state-dir", state], p.marker, p)
                for p in self.ui_packs
            ),
        ]
        why = "--no-tmux" if self.args.no_tmux else tmux_missing()
        if why:
            for label, *_ in subjects:
                self.add(f"Search keystroke to results drawn, tmux: {label}", f"skipped ({why})", "")
            return
        _log("search keystroke to results drawn, in tmux")
        envs = {label: self.env(self.fresh_dir("cache"), tty=True) for label, *_ in subjects}
        for label, argv, marker, _ in [] if self.args.quick else subjects:
            type_query(argv, envs[label], marker)
        typed: dict[str, list[Typed]] = {label: [] for label, *_ in subjects}
        for run in range(max(p.runs for p in self.ui_packs)):
            for label, argv, marker, pack in subjects:
                if pack is None or run < pack.runs:
                    typed[label].append(type_query(argv, envs[label], marker))
        for label, _, _, pack in subjects:
            got = typed[label]
            ms = [key for session in got for key in session.key_ms]
            p95 = percentile(ms, 95)
            target = verdict = ""
            if pack is not None and pack.size == 4:
                target, verdict = "p95 ≤ 16 ms", _verdict(p95 <= 16)
            elif pack is not None and (pack.size == 1000 or (self.args.quick and pack is self.ui_big)):
                target, verdict = "p95 ≤ 33 ms", _verdict(p95 <= 33)
            self.add(
                f"Search keystroke to results drawn, tmux: {label}",
                f"p50 {percentile(ms, 50):.1f} ms, p95 {p95:.1f} ms, max {max(ms):.1f} ms "
                f"('/' to settled: {median([s.open_ms for s in got]):.1f} ms)",
                f"tmux 120x40, '/' then {TYPED_QUERY!r} a key at a time; per key, from sending it to the "
                f"last change of the screen (attributes and cursor included, the blinking cursor's row "
                f"as text), settled after {QUIET_S * 1000:.0f} ms unchanged; screen captured on each "
                f"write of the app; {len(ms)} keys, launches: {len(got)}, alternated with the others",
                target,
                verdict,
            )
            self.raw.setdefault("search_tmux", {})[label] = [s.__dict__ for s in got]

    def _index_child(self, pack: Pack) -> None:
        """The first start's index build, done by a child process: its time
        and peak are not in the browser's, so they get their own row."""
        walls: list[float] = []
        peaks: list[float] = []
        for _ in range(pack.runs):
            env = self.env()
            store = "from soundtrack_tui.core.cache import load_pack_cached as l; import sys; l(sys.argv[1])"
            self._checked(launch([PYTHON, "-c", store, str(pack.path)], env), "pack cache")
            sample = self._checked(launch([PYTHON, "-c", INDEX_CHILD, str(pack.path)], env), "index child")
            data = json.loads(sample.out.strip().splitlines()[-1])
            walls.append(data["s"])
            peaks.append(sample.peak_kb / 1024)
        self.add(
            f"Index build in a child process (first start): {pack.label}",
            f"{median(walls):.2f} s, peak RSS {median(peaks):.1f} MB",
            "python -m soundtrack_tui.core.indexer as the browser starts it, the pack entry already "
            "cached, index entry not: wall time of main() and the child's own VmHWM, median (its "
            "helper, which encodes 40% of the texts on the other core, is a process of its own); the "
            "browser meanwhile answers keys and maps the stored index once the child says it is stored",
        )
        self.raw.setdefault("index_child", {})[pack.label] = {"s": walls, "peak_mb": peaks}

    def _session_peak(self, pack: Pack, cold: float, warm: float) -> None:
        """The memory targets, judged on the peak of a session that searched
        (so the index is built), not just on the first paint; on the first
        start (cold cache) and on every later one (warm), whichever is
        higher."""
        bare = self.bare_mb
        raw = pack.raw_bytes / 2**20
        peak = max(cold, warm)
        target = verdict = ""
        if bare and pack.size == 4 and not self.args.quick:
            target, verdict = f"≤ 1.25x bare = {bare * 1.25:.1f} MB", _verdict(peak <= bare * 1.25)
        elif bare and pack is self.ui_big:
            budget = 3 * raw + bare
            target, verdict = f"≤ 3 x raw + bare = {budget:.1f} MB", _verdict(peak <= budget)
        over = ""
        if bare:
            over = f" (+{cold - bare:.1f} / +{warm - bare:.1f} MB over bare; raw text {raw:.1f} MB)"
        self.add(
            f"Peak RSS, searching (index built): {pack.label}",
            f"cold {cold:.1f} MB, warm {warm:.1f} MB{over}",
            "peak RSS (VmHWM, read at exit) of the UI typing children above, median: start, open the "
            "search, type every query and wait for each result (the index is built by then); cold: "
            "first start, empty cache; warm: every later start",
            target,
            verdict,
        )

    # -- CLI ----------------------------------------------------------------------

    def cli(self) -> None:
        _log("CLI wall time")
        bases = {
            "pass": [PYTHON, "-c", "pass"],
            "rich.console": [PYTHON, "-c", "import rich.console"],
            "rich.console, rich.table": [PYTHON, "-c", "import rich.console, rich.table"],
        }
        base_samples: dict[str, list[float]] = {name: [] for name in bases}
        ours: dict[str, list[float]] = {}
        jobs: list[tuple[str, Pack, list[str], str, bool]] = []
        bundled = next((p for p in self.packs if p.size == 4), self.packs[0])
        for pack in self.packs:
            for command in (["list"], ["search", "sun-woo"]):
                for state in ("warm", "cold"):
                    jobs.append(
                        (f"soundtrack {command[0]}: {pack.label}, {state}", pack, command, state, False)
                    )
        for command in (["list"], ["search", "sun-woo"]):
            jobs.append(
                (f"soundtrack {command[0]}: {bundled.label}, warm, terminal", bundled, command, "warm", True)
            )
        warm: dict[int, Path] = {}
        for _, pack, _command, state, _tty in jobs:  # untimed first launches
            if state == "warm" and pack.size not in warm:
                warm[pack.size] = self.fresh_dir("cache")
                self._checked(launch(self._cli(pack, ["list"]), self.env(warm[pack.size])), "warm-up")
        for run in range(max(p.runs for p in self.packs)):
            for name, pack, command, state, tty in jobs:
                if run >= pack.runs:
                    continue
                for base, cmd in bases.items():
                    base_samples[base].append(launch(cmd, self.env(), tty=tty).wall)
                cache = warm[pack.size] if state == "warm" else self.fresh_dir("cache")
                sample = self._checked(
                    launch(self._cli(pack, command), self.env(cache, tty=tty), tty=tty), name
                )
                ours.setdefault(name, []).append(sample.wall)
        medians = {name: median(values) for name, values in base_samples.items()}
        for name, cmd in bases.items():
            self.add(
                f"CLI baseline: python -c {shlex.quote(cmd[-1])}",
                f"{medians[name] * 1000:.0f} ms",
                f"whole process, median of {len(base_samples[name])}, run before every soundtrack launch",
            )
        yardstick = medians["rich.console, rich.table"]
        for name, pack, command, state, tty in jobs:
            got = median(ours[name])
            ratio = got / yardstick
            target = verdict = ""
            if command[0] == "list" and pack is bundled and state == "warm" and not self.args.quick:
                target, verdict = "≤ 2.5x import rich.console, rich.table", _verdict(ratio <= 2.5)
            elif command[0] == "search" and pack.size == 1000 and state == "cold":
                target, verdict = "≤ 2 s, index build included", _verdict(got <= 2)
            where = "stdout a pty (TERM=xterm-256color: styled, imports Rich)" if tty else "stdout not a tty"
            self.add(
                name,
                f"{got * 1000:.0f} ms = {ratio:.2f}x `import rich.console, rich.table`",
                f"`soundtrack {shlex.join(command)} --content PACK`, {where}; whole process, median of "
                f"{len(ours[name])}",
                target,
                verdict,
            )
        self.raw["cli"] = {"bases": base_samples, "ours": ours}
        self.cli_textual(bundled)

    def _cli(self, pack: Pack, command: list[str]) -> list[str]:
        return [*self.soundtrack, *command, "--content", str(pack.path)]

    def cli_textual(self, pack: Pack) -> None:
        sample = self._checked(launch([PYTHON, "-c", NO_TEXTUAL, str(pack.path)], self.env()), "imports")
        leaked = json.loads(sample.out.strip().splitlines()[-1])
        self.add(
            "CLI imports Textual",
            "no" if not leaked else f"yes: {', '.join(leaked[:5])}",
            "list, search, show, story and check run in one interpreter, then `sys.modules` is inspected",
            "never",
            _verdict(not leaked),
        )

    # -- memory -------------------------------------------------------------------

    def memory(self, samples: dict[tuple[int, str], list[Sample]]) -> None:
        bare = median([s.peak_kb for s in samples[(0, "bare")]]) / 1024
        self.bare_mb = bare
        self.add(
            "Peak RSS: bare Textual app",
            f"{bare:.1f} MB",
            "peak RSS (VmHWM) of the headless first-paint children, median",
        )
        for pack in self.packs:
            cold = median([s.peak_kb for s in samples[(pack.size, "cold")]]) / 1024
            warm = median([s.peak_kb for s in samples[(pack.size, "warm")]]) / 1024
            worst = max(cold, warm)
            raw = pack.raw_bytes / 2**20
            self.add(
                f"Peak RSS at first paint: UI, {pack.label}",
                f"cold {cold:.1f} MB, warm {warm:.1f} MB (+{worst - bare:.1f} MB over bare; "
                f"raw text {raw:.1f} MB)",
                "peak RSS (VmHWM, read by the child at exit) of the headless first-paint children, "
                "median; raw = bytes of the pack's TOML files; the search index is still being built "
                "when these exit (see the searching rows for the targets)",
            )

    # -- check --------------------------------------------------------------------

    def library(self) -> None:
        """`soundtrack shows` with 20 installed packs, one of 1,000 episodes."""
        _log("soundtrack shows, 20 installed packs")
        measure = "soundtrack shows: 20 installed packs (one of 1,000 ep)"
        if self.args.quick:
            self.add(measure, "skipped (--quick)", "")
            return
        timings = library_shows(self.work / "library", self.soundtrack, self.args.runs)
        ratio = timings["ratio"]
        self.add(
            measure,
            f"{timings['shows'] * 1000:.0f} ms = {ratio:.2f}x `soundtrack list` "
            f"({timings['list'] * 1000:.0f} ms)",
            "benchmarks/library_bench.py: 20 packs added with `soundtrack add`, then `shows` and `list` "
            f"(the bundled show, warm) timed whole-process, medians of {self.args.runs}",
            f"≤ {TARGET_RATIO:g}x `soundtrack list`",
            "met" if ratio <= TARGET_RATIO else "missed",
        )

    def switch(self) -> None:
        """Switching shows in the browser: the bundled show and ui_big, each way."""
        big = self.ui_big
        bundled = next((p.label for p in self.packs if p.size == 4), "4 ep (bundled)")
        names = (
            f"Switch shows, tmux: to {bundled}, from {big.label}",
            f"Switch shows, tmux: to {big.label}, from {bundled}",
        )
        why = "--quick" if self.args.quick else "--no-tmux" if self.args.no_tmux else tmux_missing()
        if big.size == 4:
            why = "no generated pack in --sizes"
        if why:
            for name in names:
                self.add(name, f"skipped ({why})", "")
            return
        _log("switching shows, in tmux")
        got = measure_switches(self.work / "switch", self.soundtrack, self.env(), big.path, self.args.runs)
        bare = median(got.bare)
        for name, samples in zip(names, (got.to_bundled, got.to_big), strict=True):
            ratio = got.ratio(samples)
            self.add(
                name,
                f"{median(samples) * 1000:.0f} ms = {ratio:.2f}x bare first paint ({bare * 1000:.0f} ms)",
                "benchmarks/switch_bench.py: a library of the two (`soundtrack add`), each opened and "
                "switched to once before (warm); `soundtrack --show A` in tmux 120x40, S, arrows to B, then "
                "from sending Enter until B's episode 1 title shows (capture-pane every 10 ms): a session's "
                f"first switch; median of {len(samples)}, alternated with bare-app first paints in the same "
                f"tmux server (median of {len(got.bare)})",
                f"≤ {SWITCH_RATIO:g}x bare first paint",
                _verdict(ratio <= SWITCH_RATIO),
            )
        self.raw["switch"] = got.__dict__

    def history(self) -> None:
        """`soundtrack history import` of a 500,000-row Trakt history against 20 shows."""
        _log("soundtrack history import, 500,000 rows")
        measure = "History import: 500,000-row Trakt history, 20 shows"
        if self.args.quick:
            self.add(measure, "skipped (--quick)", "")
            return
        work = self.work / "history"
        work.mkdir(parents=True, exist_ok=True)
        got = measure_history_import(work)
        self.add(
            measure,
            f"{got['seconds']:.2f} s, peak {got['peak_mb']:.0f} MB",
            "benchmarks/history_bench.py: a generated watched-history.json imported in a child "
            "(parse, match, plan, one write per show); wall time and peak RSS",
            f"≤ {TARGET_SECONDS:g} s and ≤ {TARGET_MB:g} MB",
            "met" if got["met"] else "missed",
        )

    def check(self) -> None:
        _log("soundtrack check")
        for pack in self.packs:
            walls: list[float] = []
            out = ""
            for _ in range(pack.runs):
                sample = launch([*self.soundtrack, "check", str(pack.path)], self.env())
                if sample.code != 0:
                    raise RuntimeError(f"check failed on {pack.label}: {sample.out[-500:]}")
                walls.append(sample.wall)
                out = sample.out.strip().splitlines()[-1]
            got = median(walls)
            target, verdict = "", ""
            if pack.size == 1000 or (self.args.quick and pack is self.ui_big):
                target, verdict = "< 10 s", _verdict(got < 10)
            self.add(
                f"soundtrack check: {pack.label}",
                f"{got:.2f} s ({out.split(': ', 1)[-1]})",
                f"`soundtrack check PACK` (never cached: parse, validate, spoiler lint), "
                f"median of {len(walls)}",
                target,
                verdict,
            )

    def _checked(self, sample: Sample, what: str) -> Sample:
        if sample.code != 0:
            raise RuntimeError(f"{what} exited with {sample.code}:\n{sample.out[-2000:]}")
        return sample


def _stamped(cmd: list[str]) -> list[str]:
    """Fill in the launch time the headless child measures from."""
    return [cmd[0], cmd[1], cmd[2], f"{time.time():.6f}", *cmd[4:]]


def _verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    versions = ", ".join(f"{name} {version(name)}" for name in ("textual", "rich"))
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {versions}"
    )


def reference_loop_ms() -> float:
    """Milliseconds for a fixed pure-Python loop (two million additions),
    the best of three: how fast this machine runs Python right now. A
    shared machine can run the same code at half speed on another day, so
    figures from two runs compare only when their reference loops agree;
    the verdicts still judge the raw figures."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        best = min(best, time.perf_counter() - start)
    return best * 1000


def table(rows: Sequence[Row]) -> str:
    lines = ["| Measure | Result | Target | Method |", "|---|---|---|---|"]
    for row in rows:
        target = f"{row.target} ({row.verdict})" if row.verdict else row.target
        cells = [row.measure, row.result, target, row.method]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tiny pack and one run (for the test suite)")
    parser.add_argument("--sizes", default="4,100,1000,5000", help="pack sizes; 4 is the bundled pack")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (default 5), medians")
    parser.add_argument("--big-size", type=int, default=5000, help="packs this big get --big-runs")
    parser.add_argument("--big-runs", type=int, default=3, help="runs for the biggest packs (default 3)")
    parser.add_argument("--recap-words", type=int, default=DEFAULT_RECAP_WORDS, help="words per recap")
    parser.add_argument(
        "--workdir", type=Path, help="where packs and scratch folders go (default: a temp dir)"
    )
    parser.add_argument("--json", type=Path, help="also write every raw sample here")
    parser.add_argument("--no-tmux", action="store_true", help="skip the real-terminal measures")
    parser.add_argument(
        "--only",
        default="headless,tmux,first-search,search,ui-search,tmux-typing,cli,check,library,switch,history",
        help="comma-separated parts to run (default: all)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.big_runs, args.recap_words = QUICK_SIZES, 1, 1, QUICK_RECAP_WORDS
    else:
        try:
            args.sizes = tuple(int(s) for s in str(args.sizes).split(",") if s.strip())
        except ValueError:
            parser.error("--sizes takes comma-separated integers")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1 or args.big_runs < 1:
        parser.error("sizes and runs must be positive")
    args.only = {part.strip() for part in args.only.split(",")}
    return args


def soundtrack_command() -> list[str]:
    script = Path(PYTHON).parent / "soundtrack"
    return [str(script)] if script.exists() else [PYTHON, "-m", "soundtrack_tui"]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    owned = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="soundtrack-bench-")) if owned else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        speed_before = reference_loop_ms()
        packs = prepare_packs(args.sizes, work, args.recap_words, args.quick)
        for pack in packs:
            pack.runs = args.big_runs if pack.size >= args.big_size else args.runs
        bench = Bench(args, work, packs, soundtrack_command())
        bench.compile_bytecode()
        parts: list[tuple[str, Callable[[], object]]] = [
            ("tmux", bench.ui_tmux),
            ("first-search", bench.first_search),
            ("search", bench.search_core),
            ("ui-search", bench.search_ui),
            ("tmux-typing", bench.search_terminal),
            ("cli", bench.cli),
            ("check", bench.check),
            ("library", bench.library),
            ("switch", bench.switch),
            ("history", bench.history),
        ]
        if "headless" in args.only:
            bench.memory(bench.ui_headless())
        for name, part in parts:
            if name in args.only:
                part()
        elapsed = time.perf_counter() - started
        runs = ", ".join(f"{p.label}: {p.runs}" for p in packs)
        speed = (speed_before, reference_loop_ms())
        print(f"Machine: {machine()}")
        print(
            f"Reference loop (pure Python, 2 million additions): {speed[0]:.0f} ms before the run, "
            f"{speed[1]:.0f} ms after; compare runs only when these agree."
        )
        print(f"Runs per measure: {runs}. Benchmark wall time: {elapsed / 60:.1f} min.")
        print()
        print(table(bench.rows))
        if args.json:
            bench.raw["rows"] = [row.__dict__ for row in bench.rows]
            bench.raw["machine"] = machine()
            bench.raw["reference_loop_ms"] = speed
            args.json.write_text(json.dumps(bench.raw, indent=1, default=str), encoding="utf-8")
    finally:
        if owned:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
