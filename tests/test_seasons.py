"""Seasons (content format 1.1): loading, the model's season arithmetic, the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packs import make_episode
from soundtrack_tui.core import cache
from soundtrack_tui.core.loader import load_pack, read_pack
from soundtrack_tui.core.model import Pack, Season, Show

FIXTURES = Path(__file__).parent / "fixtures" / "packs"
SEASONS = FIXTURES / "seasons"


def test_the_seasons_pack_loads_its_seasons() -> None:
    pack = load_pack(SEASONS)
    assert pack.show.format == 1.1
    assert pack.show.seasons == (
        Season(1, "The Crossing", "A new captain takes the night ferry."),
        Season(2, "Storm Season", None),
        Season(3, None, "The island votes on a bridge."),
    )
    assert [pack.episodes[n].season for n in pack.numbers] == [1, 1, 2, 2, 3, 3]
    assert pack.has_seasons
    assert [pack.episode_label(n) for n in pack.numbers] == [
        "S1 E1",
        "S1 E2",
        "S2 E1",
        "S2 E2",
        "S3 E1",
        "S3 E2",
    ]
    assert pack.season_range(2) == range(3, 5)
    assert pack.number_for(3, 2) == 6
    assert pack.number_for(3, 3) is None
    assert pack.number_for(4, 1) is None


def test_a_pack_without_seasons_is_one_season() -> None:
    pack = load_pack(FIXTURES / "valid")
    assert pack.show.seasons == () and pack.show.format == 1
    assert not pack.has_seasons
    assert pack.season_numbers == (1,)
    assert [pack.episode_label(n) for n in pack.numbers] == ["Episode 1", "Episode 2", "Episode 3"]
    assert [pack.number_in_season(n) for n in pack.numbers] == [1, 2, 3]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(SEASONS, root)
    return root


def _messages(root: Path) -> list[str]:
    return [f"{p.key}: {p.message}" for p in read_pack(root).errors]


def test_an_undeclared_season_is_an_error_with_its_place(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    episode = root / "episodes" / "06.toml"
    episode.write_text(episode.read_text().replace("season = 3", "season = 4"))
    [problem] = read_pack(root).errors
    assert (problem.key, problem.line) == ("season", 2)
    assert problem.message == "season 4 is not declared in show.toml [[seasons]] (1 to 3)"


def test_season_zero_and_wrong_types_are_errors(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "episodes" / "01.toml").write_text(
        (root / "episodes" / "01.toml").read_text().replace("season = 1", "season = 0")
    )
    (root / "episodes" / "02.toml").write_text(
        (root / "episodes" / "02.toml").read_text().replace("season = 1", 'season = "1"')
    )
    assert _messages(root) == ["season: must be 1 or more", "season: expected an integer, found a string"]


def test_format_must_be_1_or_1_1(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    show = root / "show.toml"
    show.write_text(show.read_text().replace("format = 1.1", "format = 1.2"))
    assert _messages(root) == ["format: unsupported format 1.2; this soundtrack reads format 1 or 1.1"]
    show.write_text(show.read_text().replace("format = 1.2", "format = true"))
    assert "format: expected a number, found a boolean" in _messages(root)


def test_season_text_is_sanitized(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    show = root / "show.toml"
    show.write_text(show.read_text().replace('"Storm Season"', '"Storm\\u001b]0;owned\\u0007 Season"'))
    title = load_pack(root).show.seasons[1].title
    assert title is not None and "\x1b" not in title and "\x07" not in title


def test_the_cache_keeps_seasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDTRACK_CACHE_DIR", str(tmp_path / "cache"))
    root = _copy(tmp_path)
    first = cache.load_pack_cached(root).pack
    again = cache.load_pack_cached(root).pack
    assert first is not None and again is not None
    assert again.show.seasons == first.show.seasons == load_pack(SEASONS).show.seasons
    assert [e.season for e in again.episodes.values()] == [1, 1, 2, 2, 3, 3]
    assert again.show.format == 1.1


def _pack(seasons: list[int], files: set[int]) -> Pack:
    """A pack of len(seasons) episodes, with files only for `files`."""
    show = Show(id="t", title="T", episode_count=len(seasons), synopsis="S.")
    episodes = {n: make_episode(n) for n in sorted(files)}
    for n, episode in episodes.items():
        object.__setattr__(episode, "season", seasons[n - 1])
    return Pack(show, episodes)


def test_a_missing_file_takes_the_season_of_the_nearest_earlier_one() -> None:
    pack = _pack([1, 1, 2, 2, 2, 3], files={2, 3, 6})
    assert [pack.season_of(n) for n in pack.numbers] == [1, 1, 2, 2, 2, 3]
    assert [pack.number_in_season(n) for n in pack.numbers] == [1, 2, 1, 2, 3, 1]
    assert pack.episode_label(5) == "S2 E3"
    assert _pack([2, 2], files={2}).season_of(1) == 1  # nothing earlier: season 1


@st.composite
def _season_packs(draw: st.DrawFn) -> Pack:
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=5))
    seasons = [season for season, size in enumerate(sizes, 1) for _ in range(size)]
    firsts = {sum(sizes[:i]) + 1 for i in range(len(sizes))}
    others = draw(st.sets(st.sampled_from(range(1, len(seasons) + 1))))
    return _pack(seasons, files=firsts | others)


@given(_season_packs(), st.data())
def test_season_and_number_in_season_name_one_episode(pack: Pack, data: st.DataObject) -> None:
    number = data.draw(st.sampled_from(pack.numbers))
    season, in_season = pack.season_of(number), pack.number_in_season(number)
    assert pack.number_for(season, in_season) == number
    assert number in pack.season_range(season)


def test_a_season_problem_reported_after_the_files_are_let_go(tmp_path: Path) -> None:
    """The season order check reports once every episode is read, through
    a reporter that reads the file again: placed when the file is still
    there, said without a place (and no second read error) when it is gone."""
    from soundtrack_tui.core.errors import Problem
    from soundtrack_tui.core.tomlfile import reread_reporter

    episode = tmp_path / "05.toml"
    episode.write_text('number = 5\nseason = 1\ntitle = "Five"\n', encoding="utf-8")
    problems: list[Problem] = []
    report = reread_reporter(str(episode), problems)
    report(("season",), "goes down")
    assert [(p.line, p.column, p.message) for p in problems] == [(2, 1, "goes down")]
    episode.unlink()
    report(("season",), "goes down")
    assert len(problems) == 2
    assert (problems[1].line, problems[1].message) == (None, "goes down (the file changed while read)")
