"""`soundtrack check` end to end, against one fixture pack per loader rule.

Each broken pack under tests/fixtures/packs/ differs from `valid/` by exactly
one defect and holds, in `expected.txt`, the exact lines `soundtrack check
<name>` prints from the fixtures folder: the problems, then the summary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soundtrack_tui.core.loader import MAX_FILE_BYTES

FIXTURES = Path(__file__).parent / "fixtures" / "packs"
VALID = FIXTURES / "valid"
SEASONS = FIXTURES / "seasons"
# Defects of format 1.1, each one change to the clean 3-season pack.
FROM_SEASONS = {
    "season-goes-down",
    "season-not-contiguous",
    "season-undeclared",
    "season-empty",
    "season-in-format-1",
    "ids-wrong-type",
    "ids-unknown-key",
    "no-logline",
}
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

# One fixture per loader rule; a missing folder is a failure, not a skip.
REQUIRED = {
    "valid",
    "seasons",
    *FROM_SEASONS,
    "malformed-toml",
    "not-utf8",
    "unknown-key-typo",
    "unknown-key",
    "wrong-type-string-for-int",
    "wrong-type-int-for-string",
    "wrong-type-datetime-for-date",
    "missing-required-show",
    "missing-required-character",
    "duplicate-episode",
    "episode-out-of-range",
    "file-name-mismatch",
    "bad-episode-filename",
    "unknown-sources-key",
    "unknown-review-source",
    "note-episode-out-of-range",
    "first-episode-out-of-range",
    "after-episode-out-of-range",
    "duplicate-source-key",
    "bad-url-scheme",
    "uncited-source",
    "track-episode-out-of-range",
    "summary-word-count",
    "duplicate-character-id",
    "bad-pack-id",
    "unsupported-format",
    "missing-show-toml",
    "deep-nesting",
    "utf8-bom",
    "crlf",
    "lint-logline",
    "lint-note-alias",
    "lint-intro",
    "lint-series-review",
    "escape-key",
}

# Terminal-unsafe bytes: C0 controls but tab and newline, DEL, and C1 (as
# UTF-8 encodes them: U+0080..U+009F are \xc2\x80..\xc2\x9f).
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SUMMARY = re.compile(r": (\d+) errors?, (\d+) warnings?\b")


def run_cli(*args: str, cwd: Path, state: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "SOUNDTRACK_STATE_DIR": str(state), "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "soundtrack_tui", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def assert_terminal_safe(data: bytes) -> None:
    text = data.decode("utf-8")
    assert not _UNSAFE_TEXT.search(text), repr(text)
    assert b"\x1b" not in data and b"\x07" not in data and b"\r" not in data


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != "expected.txt"
    }


def test_every_rule_has_a_fixture() -> None:
    assert set(NAMES) >= REQUIRED
    for name in NAMES:
        assert (FIXTURES / name / "expected.txt").is_file(), name


# Packs that load clean, each a whole pack rather than one defect of `valid/`.
CLEAN = {"valid", "seasons"}


@pytest.mark.parametrize("name", [n for n in NAMES if n not in CLEAN])
def test_fixture_differs_from_valid_by_one_defect(name: str) -> None:
    valid, broken = _files(SEASONS if name in FROM_SEASONS else VALID), _files(FIXTURES / name)
    changed = {path for path in valid.keys() | broken.keys() if valid.get(path) != broken.get(path)}
    if name == "crlf":
        assert valid.keys() == broken.keys()
        for path in valid:
            assert b"\r\n" in broken[path]
            assert broken[path].replace(b"\r\n", b"\n") == valid[path]
        return
    # A rename counts as one defect: one file gone, one file new.
    assert len(changed) == 1 or (name == "bad-episode-filename" and len(changed) == 2), changed
    for path, data in broken.items():
        assert len(data) < 64 * 1024, f"{name}/{path}: committed fixtures stay small"


@pytest.mark.parametrize("name", NAMES)
def test_check_output_matches_expected(name: str, tmp_path: Path) -> None:
    result = run_cli("check", name, cwd=FIXTURES, state=tmp_path)
    assert result.stderr == b""
    assert_terminal_safe(result.stdout)
    output = result.stdout.decode("utf-8")
    expected = (FIXTURES / name / "expected.txt").read_bytes().decode("utf-8")
    assert output == expected
    summary = _SUMMARY.search(expected.splitlines()[-1])
    assert summary is not None
    errors = int(summary[1])
    assert result.returncode == (1 if errors else 0)
    # Every problem line names its file, with a place wherever the file has one.
    for line in expected.splitlines()[:-1]:
        assert line.startswith(f"{name}/"), line


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("lint-")])
def test_spoiler_lint_warns_but_passes(name: str) -> None:
    lines = (FIXTURES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert re.match(rf"{name}/[a-z0-9/]+\.toml:\d+:\d+: \S+: warning: names ", lines[0])
    assert ": 0 errors, 1 warning " in lines[1]


@pytest.mark.parametrize("name", ["valid", "utf8-bom", "crlf"])
def test_accepted_packs_are_clean(name: str) -> None:
    expected = (FIXTURES / name / "expected.txt").read_text(encoding="utf-8")
    assert expected == "night-shift: 0 errors, 0 warnings (3 of 3 episodes, 3 characters)\n"


def test_positions_point_at_the_key() -> None:
    """Every located problem's line:col is where its key (or, for a warning,
    the leaked name; for bad bytes or syntax, the culprit) sits in the file."""
    checked = 0
    for name in NAMES:
        for line in (FIXTURES / name / "expected.txt").read_text(encoding="utf-8").splitlines():
            match = re.match(r"^(.+?\.toml):(\d+):(\d+): (.*)$", line)
            if not match:
                continue
            data = (FIXTURES / match[1]).read_bytes().removeprefix(b"\xef\xbb\xbf")
            row = data.split(b"\n")[int(match[2]) - 1].decode("utf-8", "replace")
            at = row[int(match[3]) - 1 :]
            rest = match[4]
            if "warning: names '" in rest:
                leaked = rest.split("names '", 1)[1].split("'", 1)[0]
                assert at.startswith(leaked), line
            elif rest.startswith(("invalid TOML", "not UTF-8")):
                assert at, line
            else:
                key = rest.split(": ", 1)[0]
                last = re.sub(r"\[\d+\]$", "", key).rsplit(".", 1)[-1]
                if re.fullmatch(r"characters\[\d+\]", key):
                    assert at.startswith("[[characters]]"), line
                elif key == "ids":  # a table sits at its header
                    assert at.startswith("[ids]"), line
                elif "\ufffd" in last:
                    assert at.startswith('"\\u001b]0;pwned\\u0007"'), line
                else:
                    assert re.match(rf"{re.escape(last)}\s*=", at), line
            checked += 1
    assert checked >= 25


def test_escape_sequences_in_keys_are_neutralised(tmp_path: Path) -> None:
    result = run_cli("check", "escape-key", cwd=FIXTURES, state=tmp_path)
    assert result.returncode == 1
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
    first = result.stdout.decode("utf-8").splitlines()[0]
    assert first == "escape-key/show.toml:7:1: \ufffd]0;pwned\ufffd: unknown key"


def test_not_utf8_names_the_byte_offset() -> None:
    data = (FIXTURES / "not-utf8" / "show.toml").read_bytes()
    offset = data.index(b"\xff")
    line_start = data.rindex(b"\n", 0, offset) + 1
    assert data[:offset].count(b"\n") + 1 == 3
    assert 0 < offset - line_start < len(data.split(b"\n")[2]) - 1  # the middle of line 3
    expected = (FIXTURES / "not-utf8" / "expected.txt").read_text(encoding="utf-8")
    assert f":3:{offset - line_start + 1}: " in expected
    assert f"invalid byte 0xff at byte offset {offset}" in expected


def test_file_over_size_cap_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "file-too-large"
    shutil.copytree(VALID, pack)
    episode = pack / "episodes" / "02.toml"
    data = episode.read_bytes()
    padding = MAX_FILE_BYTES + 1 - len(data)
    episode.write_bytes(data + b"#" + b"x" * (padding - 2) + b"\n")
    assert episode.stat().st_size == MAX_FILE_BYTES + 1
    result = run_cli("check", "file-too-large", cwd=tmp_path, state=tmp_path / "state")
    assert result.stderr == b""
    assert result.stdout.decode("utf-8") == (
        "file-too-large/episodes/02.toml: file is 2,097,153 bytes, over the 2,097,152-byte limit\n"
        "night-shift: 1 error, 0 warnings (2 of 3 episodes, 3 characters)\n"
    )
    assert result.returncode == 1


def test_check_without_path_checks_the_bundled_pack(tmp_path: Path) -> None:
    result = run_cli("check", cwd=tmp_path, state=tmp_path / "state")
    assert result.returncode == 0
    assert result.stderr == b""
    assert_terminal_safe(result.stdout)
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("soundtrack-1: 0 errors, 0 warnings (4 of 4 episodes, ")


def test_check_of_a_missing_folder_is_one_error(tmp_path: Path) -> None:
    result = run_cli("check", "no-such-pack", cwd=tmp_path, state=tmp_path / "state")
    assert result.returncode == 1
    assert result.stdout.decode("utf-8") == (
        "no-such-pack: not a folder (a pack is a folder with show.toml)\nno-such-pack: 1 error, 0 warnings\n"
    )


@pytest.mark.parametrize(
    "args",
    [("check", "a", "b"), ("check", "--bogus"), ("check", "valid", "--frobnicate=1"), ("--nope", "check")],
)
def test_usage_errors_are_one_line_exit_2(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_cli(*args, cwd=FIXTURES, state=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    stderr = result.stderr.decode("utf-8")
    assert stderr.endswith("\n")
    assert len(stderr.splitlines()) == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("soundtrack: error: ") or stderr.startswith("soundtrack check: error: ")
    assert_terminal_safe(result.stderr)


def test_a_broken_show_toml_does_not_hide_the_other_files_problems(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    show = root / "show.toml"
    show.write_text(show.read_text(encoding="utf-8").replace("episode_count = 3", 'episode_count = "3"'))
    episode = root / "episodes" / "02.toml"
    episode.write_text(
        episode.read_text(encoding="utf-8").replace("runtime_minutes = 47", 'runtime_minutes = "47"')
    )
    result = run_cli("check", str(root), cwd=tmp_path, state=tmp_path)
    lines = result.stdout.decode("utf-8").splitlines()
    assert f"{show}:7:1: episode_count: expected an integer, found a string" in lines
    assert f"{episode}:3:1: runtime_minutes: expected an integer, found a string" in lines
    assert lines[-1].endswith(": 2 errors, 0 warnings")
    assert result.returncode == 1


def test_check_warns_about_what_it_does_not_read(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    (root / "Episodes").mkdir()
    (root / "characters.toml").rename(root / "character.toml")
    (root / "episodes" / "03.toml").rename(root / "episodes" / "03.txt")
    (root / "README.md").write_text("notes for the author\n")
    (root / "episodes" / ".DS_Store").write_bytes(b"")
    result = run_cli("check", str(root), cwd=tmp_path, state=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").splitlines()[:4] == [
        f"{root / 'Episodes'}: warning: not read by soundtrack (did you mean 'episodes'?)",
        f"{root / 'character.toml'}: warning: not read by soundtrack (did you mean 'characters.toml'?)",
        f"{root / 'episodes' / '03.txt'}: warning: not read: episode files end in .toml"
        " (did you mean 03.toml?)",
        f"{root / 'episodes'}: warning: episode 3 has no file; shown as 'no recap yet'",
    ]
