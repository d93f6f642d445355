"""Measure `history import` on a long Trakt history, and print the figures.

    python benchmarks/history_bench.py                   # 500,000 rows, 20 shows
    python benchmarks/history_bench.py --rows 20000      # quicker

A Trakt `watched-history.json` of `--rows` plays is generated (seed 0) with
the fields Trakt exports: about 60% are plays of the 20 "installed" shows
(half of them carry the show's tvdb id, the others match by title and
year), 35% of 200 other shows, 5% movies. A child process then does what
`soundtrack history import` does (open, parse, match, plan, and one locked
atomic write per show) and reports its wall time and its own peak RSS
(VmHWM), so the parent's memory does not count. Target (issue #21): 5 s and
200 MB. `measure_history_import` is the entry point for benchmarks/run.py;
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

TARGET_SECONDS = 5.0
TARGET_MB = 200.0
INSTALLED = 20
SEASONS, EPISODES_PER_SEASON = 5, 16

CHILD = r"""
import json, sys, time
from pathlib import Path
started, cpu = time.perf_counter(), time.process_time()
sys.path.insert(0, sys.argv[3])
from history_bench import installed_shows
from soundtrack_tui.core.history.plan import add_marks, build_plan
from soundtrack_tui.core.history.sources import open_history
from soundtrack_tui.core.progress import ProgressStore

shows = installed_shows()
stores = {show.id: ProgressStore(Path(sys.argv[2]), show.id) for show in shows}
watched = {show.id: stores[show.id].current.watched for show in shows}
with open_history(Path(sys.argv[1])) as source:
    plan = build_plan(source.rows, shows, watched)
for entry in plan.shows.values():
    change, _ = add_marks(entry.new, lambda count: f"{count} marked")
    stores[entry.show.id].update(change)
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
with open("/proc/self/status") as status:
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "hwm_kb": hwm, "rows": plan.rows,
                  "marks": plan.marks, "shows": len(plan.shows), "elsewhere": sum(plan.elsewhere.values())}))
"""


def installed_shows() -> list[Any]:
    """The 20 shows the history is imported against: five seasons of 16
    episodes each; the even ones carry a tvdb id."""
    from soundtrack_tui.core.history.rows import HistoryEpisode, HistoryShow

    per_show = SEASONS * EPISODES_PER_SEASON
    return [
        HistoryShow(
            id=f"show-{index}",
            title=f"Installed Show {index}",
            year=2000 + index,
            ids={"tvdb": 1000 + index} if index % 2 == 0 else {},
            episodes=tuple(
                HistoryEpisode(n, (n - 1) // EPISODES_PER_SEASON + 1, (n - 1) % EPISODES_PER_SEASON + 1)
                for n in range(1, per_show + 1)
            ),
        )
        for index in range(INSTALLED)
    ]


def _show(index: int, installed: bool) -> dict[str, Any]:
    title = f"Installed Show {index}" if installed else f"Other Show {index}"
    tvdb = (1000 if installed else 50_000) + index
    return {
        "title": title,
        "year": 2000 + index,
        "ids": {
            "trakt": 10_000 + tvdb,
            "slug": title.lower().replace(" ", "-"),
            "tvdb": tvdb if not installed or index % 2 == 0 else None,
            "imdb": f"tt{900_000 + tvdb}",
            "tmdb": 20_000 + tvdb,
            "tvrage": None,
        },
    }


def write_trakt_history(path: Path, rows: int, seed: int = 0) -> int:
    """A generated watched-history.json of `rows` plays; returns its size."""
    chance = random.Random(seed)
    installed = [_show(i, True) for i in range(INSTALLED)]
    others = [_show(i, False) for i in range(200)]
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for number in range(rows):
            roll = chance.random()
            item: dict[str, Any] = {
                "id": 7_000_000 + number,
                "watched_at": f"20{10 + number % 15:02d}-0{1 + number % 9}-1{number % 10}T2{number % 4}:"
                f"{number % 60:02d}:00.000Z",
                "action": chance.choice(("scrobble", "checkin", "watch")),
            }
            if roll < 0.05:
                item |= {"type": "movie", "movie": {"title": f"Movie {number % 900}", "year": 2010}}
            else:
                show = chance.choice(installed if roll < 0.65 else others)
                season, episode = chance.randint(1, SEASONS + 1), chance.randint(1, EPISODES_PER_SEASON)
                item |= {
                    "type": "episode",
                    "episode": {
                        "season": season,
                        "number": episode,
                        "title": f"Episode {episode}",
                        "ids": {
                            "trakt": 3_000_000 + number,
                            "tvdb": 4_000_000 + number,
                            "imdb": None,
                            "tmdb": 5_000_000 + number,
                            "tvrage": None,
                        },
                    },
                    "show": show,
                }
            out.write(("" if number == 0 else ",\n") + json.dumps(item))
        out.write("\n]\n")
    return path.stat().st_size


def measure_history_import(workdir: Path, rows: int = 500_000) -> dict[str, Any]:
    """Generate the history in `workdir`, import it in a child, and return
    the figures with the targets and whether they were met."""
    history = workdir / "watched-history.json"
    size = write_trakt_history(history, rows)
    state = workdir / "state"
    shutil.rmtree(state, ignore_errors=True)  # every run imports into empty progress
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(history), str(state), str(Path(__file__).resolve().parent)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout)
    figures |= {
        "file_mb": size / 1e6,
        "peak_mb": figures["hwm_kb"] / 1024,
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
    }
    figures["met"] = figures["seconds"] <= TARGET_SECONDS and figures["peak_mb"] <= TARGET_MB
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--workdir", type=Path, help="where to generate the history (default: a temp folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="history-bench-") as temp:
        workdir = args.workdir or Path(temp)
        workdir.mkdir(parents=True, exist_ok=True)
        figures = measure_history_import(workdir, args.rows)
    print(
        f"history import, {figures['rows']:,} episode rows ({figures['file_mb']:.0f} MB of Trakt JSON) "
        f"against {INSTALLED} shows: {figures['seconds']:.2f} s (CPU {figures['cpu_seconds']:.2f} s; "
        f"target {TARGET_SECONDS:g} s), "
        f"peak {figures['peak_mb']:.0f} MB (target {TARGET_MB:g} MB), {figures['marks']:,} marks: "
        f"{'met' if figures['met'] else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
