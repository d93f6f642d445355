"""`soundtrack import nfo`: Kodi/Jellyfin NFO files become a pack folder,
read with a hardened XML parser. The tests that load the written pack
through the project's loader are in test_import_roundtrip.py."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from soundtrack_tui.cli import main
from soundtrack_tui.core.importers import nfo
from soundtrack_tui.core.importers.nfo import MAX_NFO_BYTES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURE = Path(__file__).parent / "fixtures" / "imports" / "nfo-show"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tvshow><title>&lol9;</title></tvshow>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE tvshow [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tvshow><title>&secret;</title></tvshow>
"""


def read_toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def run_import(source: Path, dest: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", "nfo", str(source), str(dest)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the fixture library that a test may change."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "library"))


def test_a_kodi_library_becomes_a_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "ferry"
    code, out, err = run_import(FIXTURE, dest, capsys)
    assert (code, err) == (0, "")
    assert out == f"Wrote {dest}: 4 episodes in 2 seasons (1 special left out); run soundtrack check {dest}\n"
    show = read_toml(dest / "show.toml")
    assert (show["id"], show["title"], show["year"], show["episode_count"]) == (
        "night-ferry",
        "Night Ferry",
        2020,
        4,
    )
    assert show["synopsis"] == "A night ferry crew & the passengers they carry across the strait."
    assert show["ids"] == {"tvdb": 380001, "imdb": "tt1100001", "tmdb": 90001}  # anidb is no pack id
    assert show["seasons"] == [{"number": 1}, {"number": 2}]
    assert show["sources"] == []
    episodes = [read_toml(path) for path in sorted((dest / "episodes").iterdir())]
    assert [(e["number"], e["season"], e["title"]) for e in episodes] == [
        (1, 1, "Last Crossing"),
        (2, 1, "Manifest (1)"),  # both halves of the multi-episode file
        (3, 1, "Manifest (2)"),
        (4, 2, "New Route"),
    ]
    first = episodes[0]
    assert first["recap"] == "The captain takes the last crossing herself.\n\nA passenger never gets off."
    assert (first["runtime_minutes"], str(first["aired"]), first["ids"]) == (
        52,
        "2020-09-05",
        {"tvdb": 7000001},
    )
    assert "logline" not in first
    assert episodes[2]["recap"] == "The NFO file has no plot for this episode."
    assert episodes[3]["recap"] == "The ferry <finally> sails south."
    assert str(episodes[3]["aired"]) == "2021-09-04"  # the time is dropped


def test_the_cast_list_becomes_characters_without_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "ferry"
    run_import(FIXTURE, dest, capsys)
    characters = read_toml(dest / "characters.toml")["characters"]
    assert [(c["id"], c["name"], c["actor"], c["intro"]) for c in characters] == [
        ("captain-ines-roe", "Captain Ines Roe", "Ana Example", "Played by Ana Example."),
        ("ben-sample", "Ben Sample", "Ben Sample", "Ben Sample, in the show's cast list."),
        ("captain-ines-roe-2", "Captain Ines Roe", "Cleo Placeholder", "Played by Cleo Placeholder."),
    ]
    assert all(c["first_episode"] == 1 and "notes" not in c and c["aliases"] == [] for c in characters)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BILLION_LAUGHS, "refused: the file declares a DTD"),
        (EXTERNAL_ENTITY, "refused: the file declares a DTD"),
        ("<tvshow><title>Open</title>", "not well-formed XML (no element found: line 1"),
        ("", "not well-formed XML"),
    ],
)
def test_hostile_or_broken_xml_is_refused_and_nothing_is_written(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (library / "tvshow.nfo").write_text(text, encoding="utf-8")
    dest = tmp_path / "dest"
    code, out, err = run_import(library, dest, capsys)
    assert (code, out) == (1, "")
    assert err.startswith(f"soundtrack: import: {library / 'tvshow.nfo'}: {message}")
    assert err.count("\n") == 1 and "root:" not in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["library"]


def test_a_dtd_is_refused_in_an_episode_file_too(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    episode = library / "Season 02" / "Night Ferry - S02E01.nfo"
    episode.write_text(BILLION_LAUGHS.replace("tvshow", "episodedetails"), encoding="utf-8")
    code, _, err = run_import(library, library.parent / "dest", capsys)
    assert code == 1
    assert err == f"soundtrack: import: {episode}: refused: the file declares a DTD (entities and " + (
        "external references are never read)\n"
    )


def test_a_file_over_the_cap_is_refused_before_parsing(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = library / "Season 01" / "big.nfo"
    big.write_bytes(b"<episodedetails>" + b"x" * MAX_NFO_BYTES + b"</episodedetails>")
    parsed: list[bytes] = []
    real = nfo.fromstring
    monkeypatch.setattr(
        nfo, "fromstring", lambda data, **options: parsed.append(data) or real(data, **options)
    )
    code, _, err = run_import(library, library.parent / "dest", capsys)
    assert code == 1
    assert f"{big}: file is {MAX_NFO_BYTES + 33:,} bytes, over the {MAX_NFO_BYTES:,}-byte limit" in err
    assert all(len(data) < MAX_NFO_BYTES for data in parsed)


def test_every_bad_file_gets_its_own_line(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (library / "Season 01" / "a.nfo").write_text("<episodedetails><season>1</season></episodedetails>")
    (library / "Season 01" / "b.nfo").write_text(
        "<episodedetails><season>1</season><episode>1</episode></episodedetails>"
    )
    (library / "Season 02" / "c.nfo").write_text(
        "<episodedetails><season>2</season><episode>0</episode></episodedetails>"
    )
    code, _, err = run_import(library, library.parent / "dest", capsys)
    assert code == 1
    assert err.splitlines() == [
        f"soundtrack: import: {library / 'Season 01' / 'a.nfo'}: "
        "<episodedetails> needs whole numbers in <season> and <episode>",
        f"soundtrack: import: {library / 'Season 02' / 'c.nfo'}: season 2 has an episode numbered 0",
    ]
    (library / "Season 01" / "a.nfo").unlink()
    (library / "Season 02" / "c.nfo").unlink()
    code, _, err = run_import(library, library.parent / "dest", capsys)
    assert code == 1 and err.endswith("season 1 episode 1 appears twice\n") and err.count("\n") == 1


def test_symlinks_are_not_followed_and_deep_folders_not_walked(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.nfo").write_text(
        "<episodedetails><title>Evil</title><season>1</season><episode>9</episode></episodedetails>"
    )
    (library / "linked-folder").symlink_to(outside, target_is_directory=True)
    (library / "Season 01" / "linked.nfo").symlink_to(outside / "evil.nfo")
    deep = library.joinpath(*["d"] * (nfo.MAX_DEPTH + 1))
    deep.mkdir(parents=True)
    (deep / "deep.nfo").write_text(
        "<episodedetails><title>Deep</title><season>1</season><episode>8</episode></episodedetails>"
    )
    dest = tmp_path / "dest"
    code, out, _ = run_import(library, dest, capsys)
    assert code == 0 and "4 episodes" in out
    assert not any(
        "Evil" in path.read_text() or "Deep" in path.read_text() for path in (dest / "episodes").iterdir()
    )


def test_too_many_files_is_refused(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nfo, "MAX_NFO_FILES", 3)
    code, _, err = run_import(library, library.parent / "dest", capsys)
    assert code == 1 and err == f"soundtrack: import: {library}: more than 3 .nfo files; import one show\n"


def test_a_folder_without_tvshow_nfo_or_with_two_is_refused(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second = library / "Season 02" / "tvshow.nfo"
    shutil.copy(library / "tvshow.nfo", second)
    code, _, err = run_import(library, library.parent / "dest", capsys)
    assert code == 1 and err.startswith(f"soundtrack: import: {second}: a second tvshow.nfo")
    second.unlink()
    (library / "tvshow.nfo").unlink()
    code, _, err = run_import(library, library.parent / "dest", capsys)
    assert (code, err) == (
        1,
        f"soundtrack: import: {library}: no tvshow.nfo (a file whose root element is <tvshow>) found\n",
    )
    code, _, err = run_import(library / "missing", library.parent / "dest", capsys)
    assert (code, err) == (1, f"soundtrack: import: {library / 'missing'}: not a folder\n")
