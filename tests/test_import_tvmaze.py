"""`soundtrack import tvmaze`: a saved TVmaze show document becomes a pack
folder. These tests read the written TOML directly; the tests that load it
through the project's loader are in test_import_roundtrip.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from soundtrack_tui.cli import main
from soundtrack_tui.core.importers.tvmaze import MAX_DOCUMENT_BYTES, NO_RECAP

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURE = Path(__file__).parent / "fixtures" / "imports" / "tvmaze-three-seasons.json"


def read_toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def episodes_of(pack: Path) -> list[dict[str, Any]]:
    return [read_toml(path) for path in sorted((pack / "episodes").iterdir())]


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    dest = tmp_path / "harbour"
    assert main(["import", "tvmaze", str(FIXTURE), str(dest)]) == 0
    assert capsys.readouterr().out == (
        f"Wrote {dest}: 7 episodes in 3 seasons (1 special left out); run soundtrack check {dest}\n"
    )
    return dest


def test_the_show_keeps_its_title_ids_seasons_and_sources(imported: Path) -> None:
    show = read_toml(imported / "show.toml")
    assert show["format"] == 1.1
    assert (show["id"], show["title"], show["year"], show["platform"]) == (
        "harbour-lights",
        "Harbour Lights",
        2021,
        "Example TV",
    )
    assert show["episode_count"] == 7
    assert show["ids"] == {"tvmaze": 4242, "tvdb": 371234, "imdb": "tt9912345"}
    assert show["seasons"] == [{"number": 1}, {"number": 2}, {"number": 3}]
    assert show["synopsis"] == "Harbour Lights follows a keeper on a small island."
    urls = [source["url"] for source in show["sources"]]
    assert urls[0] == "https://www.tvmaze.com/shows/4242/harbour-lights"
    assert all(url.startswith("https://") for url in urls)
    assert not any("javascript" in url for url in urls)
    assert not (imported / "characters.toml").exists()


def test_episodes_are_numbered_in_viewing_order_without_specials(imported: Path) -> None:
    episodes = episodes_of(imported)
    assert [(e["number"], e["season"], e["title"]) for e in episodes] == [
        (1, 1, "Low Tide"),
        (2, 1, "Fog Bank"),
        (3, 1, "Undertow"),
        (4, 2, "Spring Tide"),
        (5, 2, "Riptide"),
        (6, 3, "Episode 1"),  # the document gives it no name
        (7, 3, "Slack Water"),
    ]
    assert [e["ids"]["tvmaze"] for e in episodes] == [1001, 1002, 1003, 1005, 1006, 1007, 1008]
    assert "Behind the Lights" not in "".join(path.read_text() for path in (imported / "episodes").iterdir())


def test_summaries_become_plain_recaps_never_loglines(imported: Path) -> None:
    episodes = episodes_of(imported)
    assert all("logline" not in episode for episode in episodes)
    assert episodes[0]["recap"] == (
        "The lighthouse keeper Mara finds a boat adrift & empty.\n\nBy dawn she knows whose it was."
    )
    assert episodes[1]["recap"] == "Mara lies to the harbour master."  # the script's body is gone
    assert episodes[2]["recap"] == NO_RECAP  # "summary": null
    # Markup stays text: the pack shows it literally, never interprets it.
    assert episodes[3]["recap"] == "Text with [bold]markup[/bold] and [@click=app.quit]a link[/]."
    riptide = episodes[4]["recap"]
    assert "\x1b" not in riptide and "\x07" not in riptide and "\u202e" not in riptide
    assert riptide.startswith("An escape \ufffd]0;owned\ufffd sequence")
    assert episodes[6]["recap"] == "The last light goes out \u2014 for good."


def test_missing_fields_are_left_out_or_fall_back(imported: Path) -> None:
    undertow, unnamed, last = episodes_of(imported)[2], episodes_of(imported)[5], episodes_of(imported)[6]
    assert "aired" not in undertow  # "airdate": ""
    assert undertow["runtime_minutes"] == 55  # the show's runtime
    assert last["runtime_minutes"] == 55  # no runtime key at all
    # A javascript: URL is no source; the show's own source is still cited.
    assert unnamed["sources"] == ["tvmaze"]
    assert undertow["sources"] == ["tvmaze", "tvmaze-3"]


def write_json(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "show.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def run_import(source: Path, dest: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["import", "tvmaze", str(source), str(dest)])
    captured = capsys.readouterr()
    assert captured.out == "" or code == 0
    return code, captured.err


def minimal(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": 1,
        "name": "Tiny",
        "summary": None,
        "_embedded": {"episodes": [{"id": 2, "season": 1, "number": 1, "name": "One", "summary": None}]},
    }
    document.update(changes)
    return document


def test_a_minimal_document_with_null_summaries_gives_a_single_season_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "tiny"
    code, _ = run_import(write_json(tmp_path, minimal()), dest, capsys)
    assert code == 0
    show, (episode,) = read_toml(dest / "show.toml"), episodes_of(dest)
    assert "seasons" not in show and "season" not in episode  # one season: format 1 shape
    assert show["synopsis"] == "TVmaze has no summary of this show."
    assert show["sources"] == [] and episode["sources"] == []
    assert episode["recap"] == NO_RECAP


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"name": "x", "_embedded": {"episodes": [', "not valid JSON (line 1, column"),
        (b"[1, 2]", "not a TVmaze show document with embedded episodes"),
        (b'{"name": "No episodes"}', "save it with ?embed=episodes"),
        (b'{"_embedded": {"episodes": []}}', "the show has no name"),
        (b'{"name": "x", "_embedded": {"episodes": []}}', "no episodes with a season and an episode number"),
        (b'{"name": "x", "_embedded": {"episodes": [7]}}', "_embedded.episodes[0]: not an episode object"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON (nested too deeply"),
        (b'{"name": "\xff"}', "not UTF-8 text"),
        (b"", "not valid JSON"),
    ],
)
def test_a_bad_document_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "bad.json"
    source.write_bytes(content)
    dest = tmp_path / "dest"
    code, err = run_import(source, dest, capsys)
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith(f"soundtrack: import: {source}: ") and message in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.json"]


def test_bad_episode_numbers_and_duplicates_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    episodes = [{"season": 1, "number": 1}, {"season": 1, "number": 1}, {"season": "two", "number": 2}]
    source = write_json(tmp_path, minimal(_embedded={"episodes": episodes[:2]}))
    code, err = run_import(source, tmp_path / "dest", capsys)
    assert (code, err) == (
        1,
        f"soundtrack: import: {source}: _embedded.episodes[1]: season 1 episode 1 appears twice\n",
    )
    source = write_json(tmp_path, minimal(_embedded={"episodes": episodes[2:]}))
    code, err = run_import(source, tmp_path / "dest", capsys)
    assert code == 1 and "_embedded.episodes[0]: season and number must be whole numbers" in err
    assert not (tmp_path / "dest").exists()


def test_a_file_over_the_cap_is_refused_before_it_is_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "huge.json"
    with source.open("wb") as file:  # 50 MB of valid JSON
        file.write(b'{"name": "Huge", "summary": "')
        file.write(b"a" * (50 * 1024 * 1024))
        file.write(b'", "_embedded": {"episodes": []}}')
    code, err = run_import(source, tmp_path / "dest", capsys)
    assert code == 1
    assert f"over the {MAX_DOCUMENT_BYTES:,}-byte limit" in err and err.count("\n") == 1
    assert not (tmp_path / "dest").exists()


def test_an_existing_destination_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "taken"
    dest.mkdir()
    (dest / "mine.txt").write_text("keep me")
    code, err = run_import(FIXTURE, dest, capsys)
    assert code == 2
    assert err == f"soundtrack: import: {dest}: already exists; name a new folder for the pack\n"
    assert [path.name for path in dest.iterdir()] == ["mine.txt"]


def test_a_failed_write_leaves_no_folder_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    original = Path.write_text

    def fail_on_the_third(self: Path, *args: Any, **kwargs: Any) -> int:
        written.append(self)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fail_on_the_third)
    dest = tmp_path / "full"
    code = main(["import", "tvmaze", str(FIXTURE), str(dest)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"soundtrack: import: {dest}: cannot write the pack: no space left on device\n"
    assert list(tmp_path.iterdir()) == []


def test_the_import_commands_need_a_kind_a_source_and_a_destination(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["import"], ["import", "csv", "a", "b"], ["import", "tvmaze", "only-one"]):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
        assert capsys.readouterr().err.count("\n") == 1


def test_seasons_numbered_by_year_are_renumbered_and_keep_their_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    episodes = [
        {"id": 1, "season": 2019, "number": 1, "name": "A"},
        {"id": 2, "season": 2021, "number": 1, "name": "B"},
        {"id": 3, "season": 2019, "number": 2, "name": "\ud800C\u202e"},
    ]
    dest = tmp_path / "yearly"
    code, _ = run_import(write_json(tmp_path, minimal(_embedded={"episodes": episodes})), dest, capsys)
    assert code == 0
    assert read_toml(dest / "show.toml")["seasons"] == [
        {"number": 1, "title": "Season 2019"},
        {"number": 2, "title": "Season 2021"},
    ]
    assert [(e["season"], e["title"]) for e in episodes_of(dest)] == [(1, "A"), (1, "\ufffdC"), (2, "B")]
