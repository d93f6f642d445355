"""Every CLI subcommand and exit code, through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from runner import run_soundtrack

CONTROL = set(range(0x00, 0x20)) - {0x0A} | {0x7F} | set(range(0x80, 0xA0))


def run(*args: str, state: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_soundtrack(*args, state=state, env=env)


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state"


def assert_clean(text: str) -> None:
    assert not [c for c in text if ord(c) in CONTROL], "control character in output"


def test_version(state: Path) -> None:
    result = run("--version", state=state)
    assert result.returncode == 0
    assert result.stdout.startswith("soundtrack ")


def test_list_marks_locked_and_watched(state: Path) -> None:
    fresh = run("list", state=state)
    assert fresh.returncode == 0
    assert "watched 0/4" in fresh.stdout
    assert fresh.stdout.count("locked") == 4
    assert run("watched", "1", "2", state=state).returncode == 0
    after = run("list", "--json", state=state)
    rows = json.loads(after.stdout)
    assert [(r["number"], r["watched"], r["locked"]) for r in rows] == [
        (1, True, False),
        (2, True, False),
        (3, False, True),
        (4, False, True),
    ]
    assert all(r["title"] for r in rows)  # standard level shows titles


def test_unwatched_undoes(state: Path) -> None:
    run("watched", "1", "3", state=state)
    result = run("unwatched", "3", state=state)
    assert result.returncode == 0
    assert "(1/4 watched)" in result.stdout
    rows = json.loads(run("list", "--json", state=state).stdout)
    assert [r["number"] for r in rows if r["watched"]] == [1]


def test_show_respects_the_gate(state: Path) -> None:
    locked = json.loads(run("show", "3", "--json", state=state).stdout)
    assert locked["locked"] is True
    assert locked["recap"] is None
    assert locked["reviews"] == []
    assert locked["logline"]
    assert locked["source_note"] is None
    human = run("show", "3", state=state).stdout
    assert "hidden until you have watched episode 3" in human
    revealed = json.loads(run("show", "4", "--json", "--spoilers", state=state).stdout)
    assert len(revealed["recap"]) >= 3
    assert revealed["reviews"][0]["label"] == "written after episode 4"


def test_show_after_watching(state: Path) -> None:
    run("watched", "1", state=state)
    result = run("show", "1", state=state)
    assert result.returncode == 0
    assert "Echoes of Love" in result.stdout
    assert "The Review Geek" in result.stdout
    assert_clean(result.stdout)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("show", "9"), 1, "no episode 9"),
        (("watched", "5"), 1, "no episode 5"),
        (("show", "x"), 2, "not an episode number"),
        (("show", "0"), 2, "episode numbers start at 1"),
        (("show",), 2, "required"),
        (("frobnicate",), 2, "invalid choice"),
        (("list", "--bogus"), 2, "unrecognized arguments"),
    ],
)
def test_errors_are_one_line_with_exit_code(
    state: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(*args, state=state)
    assert result.returncode == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_invalid_pack_is_exit_1(state: Path, tmp_path: Path) -> None:
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "show.toml").write_text("format = 1\nid = 'x'\n", encoding="utf-8")
    result = run("list", "--content", str(pack), state=state)
    assert result.returncode == 1
    assert result.stderr.startswith("soundtrack: ")
    assert "show.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_content_and_state_options_after_the_command(state: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    assert run("watched", "2", "--state-dir", str(other), state=state).returncode == 0
    rows = json.loads(run("list", "--json", "--state-dir", str(other), state=state).stdout)
    assert [r["number"] for r in rows if r["watched"]] == [2]
    # The default state dir was not touched.
    assert not state.exists()


def test_story_is_safe_to_share(state: Path) -> None:
    nothing = run("story", state=state)
    assert nothing.returncode == 0
    assert "Nothing watched yet" in nothing.stdout
    run("watched", "1", state=state)
    story = run("story", state=state).stdout
    assert story.startswith("# Soundtrack #1: the story so far")
    assert "## 1. Echoes of Love" in story
    assert "_Covers episode 1 of 4._" in story
    assert "Unrequited Love" not in story  # episode 3 is not in it, not even its title
    data = json.loads(run("story", "--json", state=state).stdout)
    assert [e["number"] for e in data["episodes"]] == [1]
    assert data["episodes"][0]["from"] == "summary"
    assert data["ending"] and data["ending"] in " ".join(
        json.loads(run("show", "1", "--json", state=state).stdout)["recap"]
    )
    assert data["next_episode"] == 2


def test_tracks_unlock_with_their_episode(state: Path) -> None:
    before = json.loads(run("tracks", "--json", state=state).stdout)
    assert before["tracks"], "the released singles are spoiler-free"
    assert all(track["episode"] is None for track in before["tracks"])
    assert before["locked"] >= 1
    run("watched", "1", "2", state=state)
    after = json.loads(run("tracks", "--json", state=state).stdout)
    assert [t for t in after["tracks"] if t["episode"] == 2]
    assert after["locked"] < before["locked"]
    human = run("tracks", state=state)
    assert human.returncode == 0
    assert "Soundtrack #1: the soundtrack" in human.stdout
    assert "Kyuhyun" in human.stdout
    assert_clean(human.stdout)
    everything = json.loads(run("tracks", "--json", "--spoilers", state=state).stdout)
    assert everything["locked"] == 0


def test_the_next_episode_opens_with_previously(state: Path) -> None:
    run("watched", "1", state=state)
    peeked = json.loads(run("show", "2", "--json", "--spoilers", state=state).stdout)
    assert peeked["previously"]["number"] == 1
    first = json.loads(run("show", "1", "--json", state=state).stdout)
    assert peeked["previously"]["summary"] == first["summary"]
    assert json.loads(run("show", "2", "--json", state=state).stdout)["previously"] is None
    text = run("show", "2", "--spoilers", state=state).stdout
    assert "Previously, in episode 1:" in text
    assert text.index("About the sources") > text.index("Previously, in episode 1:")


def test_bare_soundtrack_without_a_terminal_exits_2_quickly(state: Path) -> None:
    result = run(state=state)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "needs a terminal" in result.stderr
    assert "soundtrack list" in result.stderr
    assert "\x1b" not in result.stderr


def test_cli_path_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "from soundtrack_tui import cli, commands, output\n"
        "from soundtrack_tui.core import search, progress, loader, policy\n"
        "cli.build_parser()\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("where", ["/dev/null", "a-file"])
def test_watched_never_reports_progress_it_did_not_keep(tmp_path: Path, where: str) -> None:
    target = tmp_path / where if where == "a-file" else Path(where)
    if where == "a-file":
        target.write_text("not a folder\n", encoding="utf-8")
    result = run("watched", "1", "--state-dir", str(target), state=tmp_path / "unused")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"soundtrack: could not mark episode 1 as watched: {target} is not a folder\n"


def test_watched_fails_when_another_instance_holds_the_lock(state: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    state.mkdir(parents=True)
    with open(state / "progress.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run("watched", "2", state=state)
    assert result.returncode == 1
    assert "could not mark episode 2 as watched: another soundtrack is using" in result.stderr
    assert not (state / "progress.json").exists()


@pytest.mark.parametrize("typed", ["٣", "３", "3\u200f"])
def test_episode_numbers_are_ascii_digits(state: Path, typed: str) -> None:
    result = run("show", typed, state=state)
    assert result.returncode == 2
    assert "not an episode number" in result.stderr
    assert result.stdout == ""


def test_a_typed_escape_code_is_not_echoed_raw(state: Path) -> None:
    result = run("show", "\x1b]0;owned\x07", state=state)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
