"""`soundtrack history import` and `export` on exports written for these
tests from the public field lists (Trakt's watched-history.json, TV Time's
tracking-prod-records CSV in its two known generations, our own export),
bare and zipped as the trackers ship them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from soundtrack_tui.cli import main
from soundtrack_tui.core.history.notice import take_waiting_notice
from soundtrack_tui.core.history.sources import open_history
from soundtrack_tui.core.progress import ProgressStore
from soundtrack_tui.ui.notices import show_store_notices

FIXTURES = Path(__file__).parent / "fixtures" / "history"
PACK = "soundtrack-1"


def _watched(state: Path) -> set[int]:
    return set(ProgressStore(state, PACK).load().watched)


def _import(state: Path, path: Path, *more: str) -> int:
    return main(["history", "import", str(path), "--state-dir", str(state), *more])


def _zipped(tmp_path: Path, name: str, inner: str) -> Path:
    """The fixture inside a zip next to the personal files a real export
    holds, which must never be read."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("user.csv", "email,token\nme@example.com,SECRET-TOKEN\n")
        out.write(FIXTURES / name, inner)
    return archive


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("watched-history.json", {1, 2, 3}),
        ("tracking-prod-records-v2.csv", {1, 2, 4}),
        ("tracking-prod-records.csv", {3, 4}),
        ("soundtrack-history.json", {2, 4}),
        ("soundtrack-history.csv", {1, 3}),
    ],
)
def test_each_fixture_imports_its_marks(tmp_path: Path, name: str, expected: set[int]) -> None:
    assert _import(tmp_path / "state", FIXTURES / name) == 0
    assert _watched(tmp_path / "state") == expected


@pytest.mark.parametrize(
    ("name", "inner", "expected"),
    [
        ("watched-history.json", "export/watched-history.json", {1, 2, 3}),
        ("tracking-prod-records-v2.csv", "tracking-prod-records-v2.csv", {1, 2, 4}),
    ],
)
def test_export_zips_import_without_reading_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, inner: str, expected: set[int]
) -> None:
    assert _import(tmp_path / "state", _zipped(tmp_path, name, inner)) == 0
    assert _watched(tmp_path / "state") == expected
    out = capsys.readouterr().out
    assert f"Read {inner} in export.zip" in out
    assert "SECRET" not in out
    assert not (tmp_path / "user.csv").exists()


def test_tv_time_says_which_file_and_columns_it_read(tmp_path: Path) -> None:
    with open_history(FIXTURES / "tracking-prod-records.csv") as source:
        assert source.tracker == "TV Time"
        assert (
            source.described
            == "tracking-prod-records.csv (columns created_at, series_name, s_id, ep_id, s_no, ep_no)"
        )
    with open_history(FIXTURES / "tracking-prod-records-v2.csv") as source:
        assert "season_number, episode_number" in source.described
        assert "user_id" not in source.described


def test_dry_run_prints_the_plan_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    assert _import(state, FIXTURES / "watched-history.json", "--dry-run") == 0
    assert not state.exists()
    out = capsys.readouterr().out
    assert "6 rows, 1 movie play skipped" in out
    assert "to mark          1-3" in out
    assert "S0 E1: no such episode in the pack (1 row)" in out
    assert "Parks and Recreation (2009)" in out
    assert "Dry run: nothing was written. Without --dry-run, 3 episodes would be marked watched." in out


def test_import_only_adds_and_says_what_was_already_watched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    ProgressStore(state, PACK).set_watched([4], True)
    assert _import(state, FIXTURES / "tracking-prod-records.csv") == 0
    out = capsys.readouterr().out
    assert "already watched  4" in out
    assert "Marked 1 episode of Soundtrack #1 as watched (2/4 watched)" in out
    assert _watched(state) == {3, 4}
    assert _import(state, FIXTURES / "tracking-prod-records.csv") == 0
    assert "Nothing new to mark" in capsys.readouterr().out


def test_import_leaves_one_notice_for_the_next_launch(tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert _import(state, FIXTURES / "watched-history.json") == 0
    shown: list[tuple[str, dict[str, object]]] = []
    store = ProgressStore(state, PACK)
    show_store_notices(store, lambda message, **options: shown.append((message, options)))
    assert shown == [
        ("Soundtrack #1: 3 episodes marked from your Trakt history", {"markup": False, "timeout": 10})
    ]
    assert "notice" not in json.loads((state / "progress.json").read_text())["packs"][PACK]
    assert take_waiting_notice(ProgressStore(state, PACK)) is None
    assert _watched(state) == {1, 2, 3}


def test_show_option_names_an_installed_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state"
    assert _import(state, FIXTURES / "watched-history.json", "--show", "no-such-show") == 1
    assert "no installed show has the id 'no-such-show' (installed: soundtrack-1)" in capsys.readouterr().err
    assert _import(state, FIXTURES / "watched-history.json", "--show", PACK) == 0
    assert _watched(state) == {1, 2, 3}


@pytest.mark.parametrize("shape", ["--json", "--csv"])
def test_export_reads_back_as_the_same_marks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    ProgressStore(tmp_path / "a", PACK).set_watched([1, 3, 4], True)
    assert main(["history", "export", shape, "--state-dir", str(tmp_path / "a")]) == 0
    exported = tmp_path / f"export.{shape[2:]}"
    exported.write_text(capsys.readouterr().out, encoding="utf-8")
    assert _import(tmp_path / "b", exported) == 0
    assert _watched(tmp_path / "b") == {1, 3, 4}


def test_export_json_carries_the_shows_and_episodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ProgressStore(tmp_path, PACK).set_watched([2], True)
    assert main(["history", "export", "--state-dir", str(tmp_path)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == {
        "format": "soundtrack-history",
        "version": 1,
        "shows": [
            {
                "id": PACK,
                "title": "Soundtrack #1",
                "year": 2022,
                "ids": {},
                "watched": [{"number": 2, "season": 1, "number_in_season": 2, "ids": {}}],
            }
        ],
    }


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["history", "export", "--json", "--csv"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["history"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 2
