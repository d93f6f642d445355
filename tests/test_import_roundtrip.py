"""Imported packs through the project's own loader, `check`, `list` and
`show`: the 3-season TVmaze document gives a pack whose list shows seasons
and whose recaps stay gated.

These need content format 1.1 in the loader (`season`, `[[seasons]]`,
`[ids]`, an absent `logline`), which the "seasons" branch brings; until it
is merged they fail at loading, and only for that reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import run_soundtrack
from soundtrack_tui.cli import main
from soundtrack_tui.core.loader import load_pack, read_pack

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
FIRST_RECAP = "The lighthouse keeper Mara finds a boat adrift"
LAST_RECAP = "The last light goes out"


def imported(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["import", *argv]) == 0
    capsys.readouterr()
    return Path(argv[-1])


@pytest.fixture
def tvmaze_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    source = FIXTURES / "tvmaze-three-seasons.json"
    return imported(["tvmaze", str(source), str(tmp_path / "harbour")], capsys)


@pytest.fixture
def nfo_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return imported(["nfo", str(FIXTURES / "nfo-show"), str(tmp_path / "ferry")], capsys)


def test_the_tvmaze_pack_loads_with_seasons_ids_and_no_loglines(tvmaze_pack: Path) -> None:
    pack = load_pack(tvmaze_pack)
    assert pack.has_seasons
    assert [season.number for season in pack.show.seasons] == [1, 2, 3]
    assert pack.show.ids == {"tvmaze": 4242, "tvdb": 371234, "imdb": "tt9912345"}
    assert [pack.episode_label(number) for number in (1, 3, 4, 7)] == ["S1 E1", "S1 E3", "S2 E1", "S3 E2"]
    assert pack.episodes[4].ids == {"tvmaze": 1005}
    assert all(not episode.logline for episode in pack.episodes.values())


def test_check_accepts_both_imported_packs(tvmaze_pack: Path, nfo_pack: Path) -> None:
    for folder in (tvmaze_pack, nfo_pack):
        result = read_pack(folder)
        assert result.errors == [], result.problems


def test_the_nfo_pack_loads_with_its_cast(nfo_pack: Path) -> None:
    pack = load_pack(nfo_pack)
    assert pack.episode_label(4) == "S2 E1"
    assert [(c.name, c.actor, c.first_episode) for c in pack.characters][:2] == [
        ("Captain Ines Roe", "Ana Example", 1),
        ("Ben Sample", "Ben Sample", 1),
    ]


def test_the_list_shows_seasons_and_no_recap(tvmaze_pack: Path, tmp_path: Path) -> None:
    listed = run_soundtrack("list", "--content", str(tvmaze_pack), state=tmp_path / "state")
    assert listed.returncode == 0, listed.stderr
    assert "S2 E1" in listed.stdout and "S3 E2" in listed.stdout
    assert FIRST_RECAP not in listed.stdout and LAST_RECAP not in listed.stdout


def test_recaps_stay_gated_until_watched(tvmaze_pack: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    locked = run_soundtrack("show", "1", "--content", str(tvmaze_pack), state=state)
    assert locked.returncode == 0, locked.stderr
    assert FIRST_RECAP not in locked.stdout
    assert run_soundtrack("watched", "1", "--content", str(tvmaze_pack), state=state).returncode == 0
    unlocked = run_soundtrack("show", "1", "--content", str(tvmaze_pack), state=state)
    assert FIRST_RECAP in unlocked.stdout
    still_locked = run_soundtrack("show", "7", "--content", str(tvmaze_pack), state=state)
    assert LAST_RECAP not in still_locked.stdout
