"""Every CLI command under hostile surroundings: closed and full streams,
narrow encodings, absurd sizes, special files in the pack, a state folder
that cannot hold progress.

Whatever the surroundings, each command answers within a bound, with its
documented exit code (0 success, 1 content, lookup or output error, 2 usage
error), one line on stderr and never a traceback, no terminal control byte,
and a progress file that changes only when the command succeeded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

VALID = Path(__file__).parent / "fixtures" / "packs" / "valid"
# ESC, BEL and the C1 controls: nothing that could drive a terminal.
CONTROL = re.compile("[\x07\x1b\x80-\x9f]")
BOUND_SECONDS = 30

COMMANDS: list[list[str]] = [
    ["list"],
    ["list", "--json"],
    ["show", "1", "--spoilers"],
    ["search", "caller", "--spoilers"],
    ["search", "caller", "--json"],
    ["story", "--spoilers"],
    ["tracks"],
    ["watched", "1"],
    ["unwatched", "1"],
    ["check"],
    ["cache"],
    ["cache", "clear"],
]
WRITES = {"watched", "unwatched"}
NO_PACK = {"cache"}  # commands that never read a pack

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors and FIFOs")


class Surroundings:
    """One hostile setting: how to start the command, and the exit codes the
    command may end with there (the documented ones that fit)."""

    def __init__(
        self,
        name: str,
        *,
        env: dict[str, str] | None = None,
        stdout: str = "pipe",
        pack: Callable[[Path], None] | None = None,
        state: Callable[[Path], Path] | None = None,
        codes: frozenset[int] = frozenset({0}),
        checks: Callable[[list[str], subprocess.CompletedProcess[bytes]], None] | None = None,
    ) -> None:
        self.name = name
        self.env = env or {}
        self.stdout = stdout
        self.pack = pack
        self.state = state
        self.codes = codes
        self.checks = checks

    def __repr__(self) -> str:
        return self.name


def _fifo_episode(root: Path) -> None:
    (root / "episodes" / "02.toml").unlink()
    os.mkfifo(root / "episodes" / "02.toml")


def _endless_characters(root: Path) -> None:
    (root / "characters.toml").unlink()
    (root / "characters.toml").symlink_to("/dev/zero")


def _says_output_failed(args: list[str], result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"soundtrack: " in result.stderr


def _is_pack_error(args: list[str], result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"not a regular file" in (result.stderr + result.stdout)


SURROUNDINGS = [
    Surroundings("closed-stdout", stdout="closed", codes=frozenset({1}), checks=_says_output_failed),
    Surroundings("full-device", stdout="/dev/full", codes=frozenset({1}), checks=_says_output_failed),
    Surroundings("ascii-output", env={"PYTHONIOENCODING": "ascii"}),
    Surroundings("latin1-output", env={"PYTHONIOENCODING": "latin-1"}),
    Surroundings("zero-columns", env={"COLUMNS": "0", "LINES": "0"}),
    Surroundings("huge-columns", env={"COLUMNS": "99999", "LINES": "99999"}),
    Surroundings("fifo-in-pack", pack=_fifo_episode, codes=frozenset({1}), checks=_is_pack_error),
    Surroundings("device-in-pack", pack=_endless_characters, codes=frozenset({1}), checks=_is_pack_error),
    Surroundings("state-is-dev-null", state=lambda tmp: Path("/dev/null"), codes=frozenset({0, 1})),
]


@pytest.mark.parametrize("surroundings", SURROUNDINGS, ids=repr)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_command_in_hostile_surroundings(tmp_path: Path, surroundings: Surroundings, args: list[str]) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(VALID, pack)
    if surroundings.pack is not None:
        surroundings.pack(pack)
    state = surroundings.state(tmp_path) if surroundings.state else tmp_path / "state"
    progress = state / "progress.json"
    before = progress.read_bytes() if progress.is_file() else None
    argv = [*args, str(pack)] if args[0] == "check" else [*args, "--content", str(pack)]
    codes, checks = surroundings.codes, surroundings.checks
    if args[0] in NO_PACK:
        argv = args
        if surroundings.pack is not None:
            codes, checks = frozenset({0}), None  # the broken pack is not theirs to read
    env = {
        **os.environ,
        "SOUNDTRACK_STATE_DIR": str(state),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SOUNDTRACK_CONFIG_DIR": str(tmp_path / "config"),
        **surroundings.env,
    }
    env.pop("NO_COLOR", None)
    stdout: int | None = subprocess.PIPE
    opened = None
    if surroundings.stdout == "/dev/full":
        opened = open("/dev/full", "wb")  # noqa: SIM115 - closed below
        stdout = opened.fileno()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "soundtrack_tui", *argv],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=env,
            timeout=BOUND_SECONDS,
            check=False,
            # A closed stdout: the child starts with descriptor 1 closed.
            preexec_fn=(lambda: os.close(1)) if surroundings.stdout == "closed" else None,
        )
    finally:
        if opened is not None:
            opened.close()
    output = (result.stdout or b"") + result.stderr
    assert result.returncode in codes, (result.returncode, result.stderr)
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert not CONTROL.search(output.decode("utf-8", errors="replace"))
    assert len(result.stderr.splitlines()) <= 1, result.stderr
    if checks is not None:
        checks(args, result)
    after = progress.read_bytes() if progress.is_file() else None
    if args[0] in WRITES and surroundings.name == "full-device":
        # The mark was kept; only its confirmation could not be written, and
        # the error line says exactly that.
        assert b"cannot write the output" in result.stderr and after is not None
    elif args[0] not in WRITES or result.returncode != 0:
        assert after == before  # progress changes only when the command did its work
    else:
        assert after is not None


def test_check_output_in_the_fault_suite_is_the_pack_error(tmp_path: Path) -> None:
    """The fault suite's pack surroundings really are pack errors: a valid
    pack passes the same command."""
    pack = tmp_path / "pack"
    shutil.copytree(VALID, pack)

    def check() -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "soundtrack_tui", "check", str(pack)]
        return subprocess.run(command, capture_output=True, timeout=BOUND_SECONDS, check=False)

    assert check().returncode == 0
    _fifo_episode(pack)
    broken = check()
    assert broken.returncode == 1
    assert b"episodes/02.toml: not a regular file (a FIFO)" in broken.stdout
