"""Switching shows in the browser, against the bare Textual app's first paint.

    python benchmarks/switch_bench.py [--runs 5] [--work /tmp/switch-bench]

Target (issue #20): switching shows in the browser draws the new show's
list within 1.5x the bare-app first paint, warm. Two cases: to the bundled
show (from a 1,000-episode one) and to a 1,000-episode show (from the
bundled one), since a switch reads the new show's pack and progress and
builds a new main screen, and only the pack grows with the show.

How: a library of the bundled show and a 1,000-episode synthetic pack
(`soundtrack add`), in data, state, cache and config folders of its own
under the work folder. Warm: each show is opened once and each switch done
once before any timing (untimed), so the pack and search index of both are
cached. A timed run starts `soundtrack --show A` in tmux (120x40, the
private server of tmux_launch.py), waits until A's list shows, presses S,
waits for the Shows screen, moves the highlight to B with the arrow keys,
then times from sending Enter until B's first episode title is on screen,
polling capture-pane every 10 ms. Each step is followed by a pause
(SETTLE_S) so that the app is idle when Enter is sent. That is the first
switch of the session, as a user makes it: modules the switch imports
are imported then. Every run is alternated with a launch of the bare app
(benchmarks/bare_app.py) timed as run.py's tmux first paint is, in the
same tmux server, so the two figures are timed alike. The ratio is of
medians. Kept apart from run.py, which wires it in as one function:
`measure_switches`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import DEFAULT_RECAP_WORDS, generate_pack, list_marker
from terminal_latency import wait_children
from tmux_launch import Tmux, shell_line

TARGET_RATIO = 1.5
BIG_EPISODES = 1000
BARE_MARKER = "BARE-APP-READY"  # bare_app.MARKER, not imported: that would load Textual here
SHOWS_MARKER = "Your shows"  # the Shows screen's title
SETTLE_S = 0.5
# The cache does not store packs whose files are under two seconds old.
CACHE_MIN_AGE_S = 2.1


@dataclass(frozen=True)
class LibraryShow:
    """A show as `soundtrack shows --json` lists it, in the Shows screen's order."""

    id: str
    position: int
    marker: str  # list_marker of its pack: on screen once its list is drawn
    bundled: bool


@dataclass
class Switches:
    """Seconds: the bare app's first paints, and the switches of each case."""

    bare: list[float] = field(default_factory=list)
    to_bundled: list[float] = field(default_factory=list)  # from the big show
    to_big: list[float] = field(default_factory=list)  # from the bundled show

    def ratio(self, switches: Sequence[float]) -> float:
        """Median switch over median bare first paint."""
        return statistics.median(switches) / statistics.median(self.bare)


def measure_switches(
    work: Path, command: Sequence[str], env: dict[str, str], big_pack: Path, runs: int = 5
) -> Switches:
    """Time switching to each show of a library of the bundled show and
    `big_pack` (installed under `work`, emptied first), `runs` times each,
    alternated with bare-app first paints. `env` is the children's
    environment; soundtrack's data, state, cache and config folders are set
    here, under `work` (run.py's also keeps HOME and XDG folders apart)."""
    if work.exists():
        shutil.rmtree(work)
    env = {
        **env,
        "SOUNDTRACK_DATA_DIR": str(work / "data"),
        "SOUNDTRACK_STATE_DIR": str(work / "state"),
        "SOUNDTRACK_CACHE_DIR": str(work / "cache"),
        "SOUNDTRACK_CONFIG_DIR": str(work / "config"),
    }
    _run(command, ["add", str(big_pack)], env)
    time.sleep(CACHE_MIN_AGE_S)
    shows = _library(command, env)
    bundled = next(show for show in shows if show.bundled)
    big = next(show for show in shows if not show.bundled)
    result = Switches()
    cases = [(big, bundled, result.to_bundled), (bundled, big, result.to_big)]
    bare = shell_line(env, [sys.executable, str(Path(__file__).parent / "bare_app.py")])
    tmux = Tmux(f"soundtrack-switch-{os.getpid()}")
    try:
        for show in (bundled, big):  # untimed: stores each pack and its index
            with tmux.open(_launch(command, env, show)) as session:
                session.wait_for(show.marker, time.perf_counter())
                wait_children(session.pid)
        for start, target, _ in cases:  # untimed: the first switch of each kind
            _switch(tmux, command, env, start, target)
        for _ in range(runs):
            for start, target, samples in cases:
                result.bare.append(tmux.measure(bare, BARE_MARKER)[1])
                samples.append(_switch(tmux, command, env, start, target))
    finally:
        tmux.close()
    return result


def _switch(
    tmux: Tmux, command: Sequence[str], env: dict[str, str], start: LibraryShow, target: LibraryShow
) -> float:
    """One session: start on `start`, open the Shows screen, highlight
    `target`; seconds from Enter to the target's list on screen."""
    with tmux.open(_launch(command, env, start)) as session:
        session.wait_for(start.marker, time.perf_counter())
        time.sleep(SETTLE_S)
        session.send("S")
        session.wait_for(SHOWS_MARKER, time.perf_counter())
        steps = target.position - start.position
        if steps:
            session.send(*["Down" if steps > 0 else "Up"] * abs(steps))
        time.sleep(SETTLE_S)
        if target.marker in session.screen():
            raise RuntimeError(f"{target.marker!r} is on screen before the switch")
        enter = time.perf_counter()
        session.send("Enter")
        _, found = session.wait_for(target.marker, enter)
        wait_children(session.pid)
    return found


def _launch(command: Sequence[str], env: dict[str, str], show: LibraryShow) -> str:
    return shell_line(env, [*command, "--show", show.id])


def _library(command: Sequence[str], env: dict[str, str]) -> list[LibraryShow]:
    listed = json.loads(_run(command, ["shows", "--json"], env))
    return [
        LibraryShow(show["id"], place, list_marker(show["path"]), bool(show["bundled"]))
        for place, show in enumerate(listed)
    ]


def _run(command: Sequence[str], argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([*command, *argv], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/soundtrack-switch-bench"))
    args = parser.parse_args(argv)
    script = Path(sys.executable).parent / "soundtrack"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "soundtrack_tui"]
    pack = generate_pack(args.work / "source" / "pack-1000", BIG_EPISODES, recap_words=DEFAULT_RECAP_WORDS)
    got = measure_switches(args.work / "library", command, dict(os.environ), pack, args.runs)
    print(f"bare app first paint {statistics.median(got.bare) * 1000:.0f} ms (median of {len(got.bare)})")
    cases = {
        "to the bundled show, from 1,000 ep": got.to_bundled,
        "to 1,000 ep, from the bundled show": got.to_big,
    }
    for label, samples in cases.items():
        ratio = got.ratio(samples)
        verdict = "met" if ratio <= TARGET_RATIO else "missed"
        print(
            f"switch {label}: {statistics.median(samples) * 1000:.0f} ms = {ratio:.2f}x bare "
            f"(target {TARGET_RATIO}x: {verdict}; samples {', '.join(f'{s * 1000:.0f}' for s in samples)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
