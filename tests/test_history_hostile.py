"""Hostile and broken history files: each is refused with one line on
stderr and exit 1, and the progress file is never created."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from soundtrack_tui.cli import main
from soundtrack_tui.core.history import reading, trakt

FIXTURES = Path(__file__).parent / "fixtures" / "history"
TRAKT = (FIXTURES / "watched-history.json").read_text(encoding="utf-8")
V2_HEADER = "id,created_at,series_name,s_id,ep_id,season_number,episode_number\n"


def _refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], path: Path, *why: str) -> None:
    state = tmp_path / "state"
    assert main(["history", "import", str(path), "--state-dir", str(state)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("soundtrack: ") and err.rstrip().endswith("nothing was imported"), err
    for words in why:
        assert words in err, err
    assert not (state / "progress.json").exists()


def _zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as out:
        for name, data in entries.items():
            out.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


@pytest.mark.parametrize(
    "name", ["../watched-history.json", "/etc/watched-history.json", "a/../../x.txt", "C:/x"]
)
def test_escaping_entry_names_refuse_the_whole_zip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    archive = _zip(tmp_path / "export.zip", {"watched-history.json": TRAKT.encode(), name: b"[]"})
    _refused(tmp_path, capsys, archive, "holds an entry named", "refusing it")


def test_a_zip_bomb_is_refused_before_inflating(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"watched-history.json": b"[" + b" " * 50_000_000 + b"]"})
    assert archive.stat().st_size < 200_000
    _refused(tmp_path, capsys, archive, "inflates", "zip bomb")


def test_an_entry_over_the_cap_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_JSON_BYTES", 1000)
    archive = _zip(tmp_path / "export.zip", {"watched-history.json": TRAKT.encode()}, zipfile.ZIP_STORED)
    _refused(tmp_path, capsys, archive, "over the 1,000-byte limit")


def test_bytes_past_the_cap_stop_the_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip's sizes can lie; what is read is counted all the same."""
    archive = _zip(tmp_path / "export.zip", {"watched-history.json": TRAKT.encode()}, zipfile.ZIP_STORED)
    real = reading._wanted_entry

    def understated(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
        monkeypatch.setattr(reading, "MAX_JSON_BYTES", 1000)  # after the declared size passed
        return real(archive, name)

    monkeypatch.setattr(reading, "_wanted_entry", understated)
    _refused(tmp_path, capsys, archive, "over the 1,000-byte limit")


def test_an_oversized_file_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "watched-history.json"
    with huge.open("wb") as out:
        out.truncate(reading.MAX_JSON_BYTES + 1)  # sparse: no disk used
    _refused(tmp_path, capsys, huge, "over the 536,870,912-byte limit")


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: p.mkdir(), "not a regular file (a folder)"),
        (lambda p: os.mkfifo(p), "not a regular file (a FIFO)"),
        (lambda p: None, "missing file"),
        (lambda p: p.write_bytes(b""), "is empty"),
    ],
)
def test_what_is_not_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], None], why: str
) -> None:
    path = tmp_path / "history.json"
    make(path)
    _refused(tmp_path, capsys, path, why)


MALFORMED_TRAKT = [
    ("watched-history.json", text, why)
    for text, why in [
        (TRAKT[: len(TRAKT) // 2], "invalid JSON at watched-history.json line"),
        (TRAKT.replace('"season": 1', '"season": NaN', 1), "NaN is not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON"),
        (
            TRAKT.replace("2022-03-30T14:00:00.000Z", "2022-13-45T99:00:00Z"),
            "item 3: watched_at: '2022-13-45",
        ),
        (
            TRAKT.replace('"number": 2,', '"number": "two",', 1),
            "item 2: episode number: 'two' is not a number",
        ),
        (TRAKT.replace('"imdb": "tt18351802"', '"imdb": "nm123"', 1), "the imdb id 'nm123' is not valid"),
        (TRAKT + "[]", "text after the array"),
        ('[{"type": "episode"}]', "item 1: an episode play needs episode and show objects"),
        ('[{"type": "podcast"}]', "type 'podcast' is neither episode nor movie"),
        ("[1,]", "item 1: not an object"),
    ]
]


def test_not_utf8_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "watched-history.json"
    path.write_bytes(b'[{"type": "episode", "show": {"title": "\xff"}}]')
    _refused(tmp_path, capsys, path, "is not UTF-8 text")


MALFORMED_TV_TIME = [
    ("tracking-prod-records-v2.csv", text, why)
    for text, why in [
        (
            "title,when\nSoundtrack #1,2022-01-01\n",
            "not a TV Time tracking file: it needs series_name or s_id",
        ),
        (
            V2_HEADER + "1,2022-03-24 21:40:10,Soundtrack #1,,,1,one\n",
            "line 2: episode: 'one' is not a number",
        ),
        (V2_HEADER + "1,yesterday,Soundtrack #1,,,1,1\n", "line 2: created_at: 'yesterday' is not a date"),
        (V2_HEADER + "1,2022-03-24 21:40:10,Soundtrack #1,-5,,1,1\n", "the tvdb id '-5' is not valid"),
        (V2_HEADER + "1,2022-03-24,Soundtrack #1\n", "line 2: 3 cells, where the header has 7"),
    ]
]


@pytest.mark.parametrize(("name", "text", "why"), MALFORMED_TRAKT + MALFORMED_TV_TIME)
def test_malformed_files_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, why: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _refused(tmp_path, capsys, path, why)


def test_unknown_columns_in_our_own_csv_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.csv"
    text = (FIXTURES / "soundtrack-history.csv").read_text(encoding="utf-8")
    path.write_text(text.replace("show_imdb", "show_rating"), encoding="utf-8")
    _refused(tmp_path, capsys, path, "has columns this version does not know")


def test_formula_payloads_are_only_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV formula is a title that matches nothing: shown literally, never run."""
    path = tmp_path / "tracking-prod-records-v2.csv"
    payload = "=cmd|' /C calc'!A0"
    path.write_text(V2_HEADER + f'1,2022-03-24 21:40:10,"{payload}",,,1,1\n', encoding="utf-8")
    state = tmp_path / "state"
    assert main(["history", "import", str(path), "--state-dir", str(state)]) == 1
    captured = capsys.readouterr()
    assert payload in captured.out
    assert "none of its 1 row is for an installed show; nothing was imported" in captured.err
    assert not state.exists()


def test_duplicate_rows_are_counted_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plays = json.loads(TRAKT)
    path = tmp_path / "watched-history.json"
    path.write_text(json.dumps(plays + plays[:3]), encoding="utf-8")
    assert main(["history", "import", str(path), "--dry-run"]) == 0
    assert "9 rows, 3 duplicate rows counted once, 1 movie play skipped" in capsys.readouterr().out


def test_too_many_rows_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trakt, "MAX_ROWS", 5)
    path = tmp_path / "watched-history.json"
    path.write_text(TRAKT, encoding="utf-8")
    _refused(tmp_path, capsys, path, "holds more than 5 rows; refusing it")


def test_a_zip_without_a_history_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _zip(tmp_path / "export.zip", {"user.csv": b"email\nme@example.com\n"})
    _refused(tmp_path, capsys, archive, "holds no watched-history.json or tracking-prod-records-v2.csv")


def test_a_zip_with_two_histories_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _zip(tmp_path / "e.zip", {"a/watched-history.json": b"[]", "b/watched-history.json": b"[]"})
    _refused(tmp_path, capsys, archive, "more than one history file")


def test_a_damaged_zip_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _zip(tmp_path / "export.zip", {"watched-history.json": TRAKT.encode()}, zipfile.ZIP_STORED)
    data = bytearray(archive.read_bytes())
    start = data.index(b"Soundtrack")
    data[start : start + 10] = b"Xoundtrack"  # the CRC no longer matches
    archive.write_bytes(bytes(data))
    _refused(tmp_path, capsys, archive, "is damaged")
