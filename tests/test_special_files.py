"""Special files in a pack: only regular files are read, with the size cap
enforced while reading; anything else is one clear line, never a hang."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soundtrack_tui.core import files
from soundtrack_tui.core.files import UnreadableFile, read_capped
from soundtrack_tui.core.loader import read_pack

VALID = Path(__file__).parent / "fixtures" / "packs" / "valid"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and devices are POSIX")


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    return root


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    """`soundtrack check` in a subprocess: a hang fails on the timeout."""
    return subprocess.run(
        [sys.executable, "-m", "soundtrack_tui", "check", str(root)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("name", ["show.toml", "characters.toml", "episodes/02.toml"])
def test_a_fifo_is_refused_not_waited_on(pack: Path, name: str) -> None:
    (pack / name).unlink()
    os.mkfifo(pack / name)
    result = _check(pack)
    assert result.returncode == 1
    assert f"{pack / name}: not a regular file (a FIFO)" in result.stdout.splitlines()
    assert "Traceback" not in result.stderr


def test_a_symlink_to_an_endless_device_is_refused(pack: Path) -> None:
    (pack / "characters.toml").unlink()
    (pack / "characters.toml").symlink_to("/dev/zero")
    problems = [str(p) for p in read_pack(pack).problems]
    assert problems == [f"{pack / 'characters.toml'}: not a regular file (a character device)"]


def test_a_folder_in_place_of_a_file(pack: Path) -> None:
    (pack / "episodes" / "03.toml").unlink()
    (pack / "episodes" / "03.toml").mkdir()
    problems = [str(p) for p in read_pack(pack).problems]
    assert f"{pack / 'episodes' / '03.toml'}: not a regular file (a folder)" in problems


def test_a_symlink_loop_is_called_a_loop_not_missing(pack: Path) -> None:
    (pack / "show.toml").unlink()
    (pack / "show.toml").symlink_to(pack / "loop")
    (pack / "loop").symlink_to(pack / "show.toml")
    assert [str(p) for p in read_pack(pack).problems] == [f"{pack / 'show.toml'}: a symlink loop"]


def test_a_dangling_symlink_is_not_a_missing_file(pack: Path) -> None:
    (pack / "show.toml").unlink()
    (pack / "show.toml").symlink_to(pack / "nowhere.toml")
    problems = [str(p) for p in read_pack(pack).problems]
    assert problems == [f"{pack / 'show.toml'}: a symlink to a file that does not exist"]


def test_a_symlink_to_a_regular_file_is_read(pack: Path) -> None:
    real = pack.parent / "elsewhere.toml"
    (pack / "characters.toml").rename(real)
    (pack / "characters.toml").symlink_to(real)
    result = read_pack(pack)
    assert result.problems == []
    assert result.pack is not None and len(result.pack.characters) == 3


def test_the_cap_is_counted_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`stat` may lie (a growing file, /proc): the bytes read are what count."""
    path = tmp_path / "big"
    path.write_bytes(b"x" * 100)

    real_fstat = os.fstat

    def small_stat(fd: int) -> os.stat_result:
        real = real_fstat(fd)
        return os.stat_result((real.st_mode, *real[1:6], 0, *real[7:]))

    monkeypatch.setattr(files.os, "fstat", small_stat)
    assert read_capped(path, 100) == b"x" * 100
    with pytest.raises(UnreadableFile, match="grew past the 99-byte limit"):
        read_capped(path, 99)


def test_an_unlistable_episodes_folder_is_one_line(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self.name == "episodes":
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    problems = [str(p) for p in read_pack(pack).problems]
    assert f"{pack / 'episodes'}: cannot list the folder: permission denied" in problems
    assert not any("Errno" in problem for problem in problems)


def test_a_missing_optional_file_is_fine_but_a_broken_one_is_not(pack: Path) -> None:
    (pack / "characters.toml").unlink()
    assert read_pack(pack).problems == []
    os.mkfifo(pack / "characters.toml")
    assert [str(p) for p in read_pack(pack).problems] == [
        f"{pack / 'characters.toml'}: not a regular file (a FIFO)"
    ]
