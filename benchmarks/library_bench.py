"""`soundtrack shows` with a full library against `soundtrack list`.

    python benchmarks/library_bench.py [--runs 7] [--work /tmp/library-bench]

Target (issue #20): with 20 installed packs, one of 1,000 episodes,
`soundtrack shows` takes at most 2x `soundtrack list` (the bundled show,
warm cache). Listing reads each pack's show.toml and the progress file, so
it should not grow with the size of the packs. Kept apart from run.py so
that it can be wired in as one more function: `library_shows(work, command)`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate_pack

SIZES = (1000, *range(3, 22))  # 20 packs; the synthetic ids differ by size
TARGET_RATIO = 2.0


def library_shows(work: Path, command: Sequence[str], runs: int = 7) -> dict[str, float]:
    """Median seconds of `shows` and `list`, and their ratio, in a library
    of 20 packs built under `work` (its own data, state and cache folders)."""
    if work.exists():
        shutil.rmtree(work)
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "SOUNDTRACK_DATA_DIR": str(work / "data"),
        "SOUNDTRACK_STATE_DIR": str(work / "state"),
        "SOUNDTRACK_CACHE_DIR": str(work / "cache"),
    }
    for size in SIZES:
        source = generate_pack(work / f"pack-{size}", size, recap_words=40 if size < 1000 else 300)
        _run(command, ["add", str(source)], env)
        shutil.rmtree(source)
    _run(command, ["watched", "1-2", "--show", "synthetic-1000"], env)
    _run(command, ["--show", "soundtrack-1", "list"], env)  # the show used last: list times it
    timings = {name: _median(command, [name], env, runs) for name in ("shows", "list")}
    timings["ratio"] = timings["shows"] / timings["list"]
    return timings


def _run(command: Sequence[str], argv: list[str], env: dict[str, str]) -> None:
    subprocess.run([*command, *argv], env=env, check=True, capture_output=True)


def _median(command: Sequence[str], argv: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs + 1):  # the first run warms the cache and the disk
        start = time.perf_counter()
        _run(command, argv, env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples[1:])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/soundtrack-library-bench"))
    args = parser.parse_args(argv)
    script = Path(sys.executable).parent / "soundtrack"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "soundtrack_tui"]
    timings = library_shows(args.work, command, args.runs)
    verdict = "met" if timings["ratio"] <= TARGET_RATIO else "missed"
    print(
        f"shows {timings['shows'] * 1000:.0f} ms, list {timings['list'] * 1000:.0f} ms: "
        f"{timings['ratio']:.2f}x (target {TARGET_RATIO}x: {verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
