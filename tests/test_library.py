"""The library of installed shows: install from a folder or a zip, refuse
what is broken or hostile, replace atomically, remove, list cheaply."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from soundtrack_tui.core import library
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.pack_archive import MAX_ENTRIES
from soundtrack_tui.core.progress import ProgressStore, state_dir

FIXTURES = Path(__file__).parent / "fixtures" / "packs"
VALID = FIXTURES / "valid"  # id night-shift, 3 episodes


def copy_pack(tmp_path: Path, name: str = "valid") -> Path:
    target = tmp_path / f"src-{name}"
    shutil.copytree(FIXTURES / name, target)
    (target / "expected.txt").unlink(missing_ok=True)
    return target


def zip_folder(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


def test_data_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(library.DATA_DIR_ENV, str(tmp_path / "d"))
    assert library.shows_dir() == tmp_path / "d" / "shows"


def test_install_a_folder_and_list_it(tmp_path: Path) -> None:
    show = library.install(copy_pack(tmp_path))
    assert (show.id, show.title, show.episode_count) == ("night-shift", "Night Shift", 3)
    assert (library.shows_dir() / "night-shift" / "show.toml").is_file()
    listed = {item.id: item for item in library.list_shows()}
    assert set(listed) == {"night-shift", bundled_pack().name}
    assert listed[bundled_pack().name].bundled
    assert listed["night-shift"].progress == "0/3 watched"


@pytest.mark.parametrize("prefix", ["", "night-shift/"])
def test_install_a_zip_of_the_pack_or_of_its_folder(tmp_path: Path, prefix: str) -> None:
    archive = zip_folder(copy_pack(tmp_path), tmp_path / "pack.zip", prefix)
    assert library.install(archive).id == "night-shift"
    assert library.pack_for("night-shift") == library.shows_dir() / "night-shift"


def test_a_pack_with_errors_is_refused_one_line_per_problem_relative_to_the_pack(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path, "duplicate-source-key")
    with pytest.raises(library.LibraryError) as refused:
        library.install(pack)
    assert refused.value.lines
    assert all(line.startswith("show.toml:") for line in refused.value.lines), refused.value.lines
    assert not library.shows_dir().joinpath("night-shift").exists()
    assert [p.name for p in library.shows_dir().iterdir()] == []  # no staging folder left


def test_a_newer_copy_replaces_the_old_and_progress_is_kept(tmp_path: Path) -> None:
    library.install(copy_pack(tmp_path))
    store = ProgressStore(state_dir(), "night-shift")
    store.set_watched([1, 2], True)
    newer = copy_pack(tmp_path / "newer")
    text = (newer / "show.toml").read_text().replace('title = "Night Shift"', 'title = "Night Shift (new)"')
    (newer / "show.toml").write_text(text)
    show = library.install(newer)
    assert show.title == "Night Shift (new)"
    assert show.progress == "2/3 watched"


def test_a_broken_newer_copy_leaves_the_installed_one(tmp_path: Path) -> None:
    library.install(copy_pack(tmp_path))
    broken = copy_pack(tmp_path / "broken")
    (broken / "episodes" / "02.toml").write_text("title = [")
    with pytest.raises(library.LibraryError) as refused:
        library.install(broken)
    assert refused.value.lines[0].startswith("episodes/02.toml:1:")
    assert (library.shows_dir() / "night-shift" / "episodes" / "02.toml").read_text() != "title = ["


def test_a_folder_with_a_symlink_is_refused(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "episodes" / "04.toml").symlink_to("/etc/passwd")
    with pytest.raises(library.LibraryError, match=r"04\.toml: a symlink"):
        library.install(pack)


def hostile_zip(tmp_path: Path, name: str, data: bytes = b"x", mode: int | None = None) -> Path:
    archive = zip_folder(copy_pack(tmp_path), tmp_path / "hostile.zip")
    with zipfile.ZipFile(archive, "a") as out:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        out.writestr(info, data)
    return archive


@pytest.mark.parametrize(
    ("name", "reason"),
    [("../evil.toml", "a path with .."), ("/etc/evil", "an absolute path"), ("a\\b", "backslash")],
)
def test_a_zip_naming_a_path_outside_is_refused(tmp_path: Path, name: str, reason: str) -> None:
    with pytest.raises(library.LibraryError, match=reason):
        library.install(hostile_zip(tmp_path, name))
    assert not (library.data_dir() / "evil.toml").exists()
    assert not (library.shows_dir() / "night-shift").exists()


def test_a_zip_with_a_symlink_entry_is_refused(tmp_path: Path) -> None:
    archive = hostile_zip(tmp_path, "episodes/04.toml", b"/etc/passwd", stat.S_IFLNK | 0o777)
    with pytest.raises(library.LibraryError, match="not a plain file"):
        library.install(archive)


def test_a_zip_bomb_is_refused_while_inflating(tmp_path: Path) -> None:
    archive = hostile_zip(tmp_path, "episodes/bomb.toml", b"\0" * (3 * 1024 * 1024))
    with pytest.raises(library.LibraryError, match="larger than 2 MiB"):
        library.install(archive)


def test_a_zip_whose_directory_lies_about_sizes_is_refused(tmp_path: Path) -> None:
    """The size in the central directory says 10 bytes; the data inflates to 1 MiB."""
    archive = hostile_zip(tmp_path, "episodes/liar.toml", b"\0" * (1024 * 1024))
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo("episodes/liar.toml")
    # Both headers hold the compressed size followed by the real one.
    sizes = info.compress_size.to_bytes(4, "little")
    patched = data.replace(sizes + (1024 * 1024).to_bytes(4, "little"), sizes + (10).to_bytes(4, "little"))
    assert patched != data
    archive.write_bytes(patched)
    with pytest.raises(library.LibraryError, match=r"not a readable zip file \(Bad CRC-32"):
        library.install(archive)


def test_a_zip_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for index in range(MAX_ENTRIES + 1):
            out.writestr(f"f{index}", b"")
    with pytest.raises(library.LibraryError, match="entries"):
        library.install(archive)


def test_remove_keeps_progress_and_the_bundled_show_cannot_be_removed(tmp_path: Path) -> None:
    library.install(copy_pack(tmp_path))
    ProgressStore(state_dir(), "night-shift").set_watched([1], True)
    library.remove("night-shift")
    assert [show.id for show in library.list_shows()] == [bundled_pack().name]
    with pytest.raises(library.LibraryError, match="bundled show"):
        library.remove(bundled_pack().name)
    assert library.install(copy_pack(tmp_path / "again")).progress == "1/3 watched"


def test_an_unknown_id_suggests_the_closest(tmp_path: Path) -> None:
    library.install(copy_pack(tmp_path))
    with pytest.raises(library.LibraryError) as unknown:
        library.pack_for("night-shfit")
    assert unknown.value.lines == [
        "no show night-shfit in the library; did you mean night-shift? (soundtrack shows lists them)"
    ]


def test_an_installed_pack_with_the_bundled_id_shadows_it(tmp_path: Path) -> None:
    pack = tmp_path / "shadow"
    shutil.copytree(bundled_pack(), pack)
    library.install(pack)
    assert library.pack_for(bundled_pack().name) == library.shows_dir() / bundled_pack().name
    listed = library.list_shows()
    assert [(show.id, show.bundled) for show in listed] == [(bundled_pack().name, False)]


def test_the_show_used_last_is_remembered(tmp_path: Path) -> None:
    assert library.last_show() is None
    library.install(copy_pack(tmp_path))
    library.remember_show("night-shift")
    assert library.last_show() == "night-shift"
    library.remove("night-shift")
    assert library.last_show() is None  # gone from the library: the default applies
    assert not [name for name in os.listdir(state_dir()) if name.startswith(".")]  # no temp left
