"""`watched`/`unwatched` RANGEs that name seasons: parsing, then resolving against a pack."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packs import make_episode
from runner import run_soundtrack
from soundtrack_tui.arguments import EpisodeSpec, episode_spec
from soundtrack_tui.commands.episodes import numbers_named
from soundtrack_tui.core.model import Pack, Season, Show

SEASONS = str(Path(__file__).parent / "fixtures" / "packs" / "seasons")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("3", (None, 3), (None, 3)),
        ("1-3", (None, 1), (None, 3)),
        ("s2", (2, 0), (2, 0)),
        ("S2E5", (2, 5), (2, 5)),
        ("s1-s2", (1, 0), (2, 0)),
        ("s2e3-s2e7", (2, 3), (2, 7)),
        ("s2e3-s2", (2, 3), (2, 0)),
    ],
)
def test_range_forms(text: str, first: tuple[int | None, int], last: tuple[int | None, int]) -> None:
    assert episode_spec(text) == EpisodeSpec(text, first, last)


@pytest.mark.parametrize("text", ["s0", "s2e0", "s2-s1", "s2e5-s2e3", "3-1", "s", "se2", "s２", "s2e"])
def test_malformed_ranges_are_usage_errors(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        episode_spec(text)


def _watched(state: Path) -> list[int]:
    rows = json.loads(run_soundtrack("--content", SEASONS, "list", "--json", state=state).stdout)
    return [row["number"] for row in rows if row["watched"]]


@pytest.mark.parametrize(
    ("ranges", "numbers"),
    [
        (["s2"], [3, 4]),
        (["s2e2"], [4]),
        (["s1-s2"], [1, 2, 3, 4]),
        (["S1E2-s3e1"], [2, 3, 4, 5]),
        (["s3", "1"], [1, 5, 6]),
        (["2-s3"], [2, 3, 4, 5, 6]),
    ],
)
def test_watched_marks_what_a_season_range_names(
    tmp_path: Path, ranges: list[str], numbers: list[int]
) -> None:
    result = run_soundtrack("--content", SEASONS, "watched", *ranges, state=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _watched(tmp_path) == numbers
    assert run_soundtrack("--content", SEASONS, "unwatched", ranges[0], state=tmp_path).returncode == 0
    assert len(_watched(tmp_path)) < len(numbers)


@pytest.mark.parametrize(
    ("ranges", "code", "message"),
    [
        (["s4"], 1, "no season 4: Harbour Lights has seasons 1-3"),
        (["s2e3"], 1, "no episode 3 in season 2: it has episodes 1-2"),
        (["s3-2"], 2, "a range runs from low to high: 's3-2'"),
        (["s2-s1"], 2, "a range runs from low to high: 's2-s1'"),
    ],
)
def test_a_season_the_pack_lacks_is_one_line(
    tmp_path: Path, ranges: list[str], code: int, message: str
) -> None:
    result = run_soundtrack("--content", SEASONS, "watched", *ranges, state=tmp_path)
    assert result.returncode == code
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert _watched(tmp_path) == []


@st.composite
def seasoned_packs(draw: st.DrawFn) -> tuple[Pack, list[int]]:
    """A pack of 1 to 5 declared seasons of 1 to 4 episodes, and each
    season's size. Only a season's first episode must have a file (else it
    would fall in the season before); any other file may be missing."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=5))
    seasons = [season for season, size in enumerate(sizes, 1) for _ in range(size)]
    firsts = {sum(sizes[:index]) + 1 for index in range(len(sizes))}
    files = firsts | draw(st.sets(st.integers(1, len(seasons))))
    show = Show(
        id="t",
        title="T",
        episode_count=len(seasons),
        synopsis="S.",
        format=1.1,
        seasons=tuple(Season(n) for n in range(1, len(sizes) + 1)),
    )
    episodes = {n: make_episode(n) for n in sorted(files)}
    for n, episode in episodes.items():
        object.__setattr__(episode, "season", seasons[n - 1])
    return Pack(show, episodes), sizes


@given(seasoned_packs(), st.data(), st.booleans())
def test_sxey_names_the_episode_whose_season_and_number_in_season_they_are(
    generated: tuple[Pack, list[int]], data: st.DataObject, upper: bool
) -> None:
    pack, sizes = generated
    season = data.draw(st.integers(1, len(sizes)))
    in_season = data.draw(st.integers(1, sizes[season - 1]))
    typed = f"s{season}e{in_season}"
    [number] = numbers_named(pack, episode_spec(typed.upper() if upper else typed))
    assert (pack.season_of(number), pack.number_in_season(number)) == (season, in_season)
    assert pack.episode_label(number) == (
        f"S{season} E{in_season}" if len(sizes) > 1 else f"Episode {number}"
    )


@given(seasoned_packs(), st.data())
def test_sx_names_exactly_the_episodes_of_that_season(
    generated: tuple[Pack, list[int]], data: st.DataObject
) -> None:
    pack, sizes = generated
    first = data.draw(st.integers(1, len(sizes)))
    last = data.draw(st.integers(first, len(sizes)))
    named = list(numbers_named(pack, episode_spec(f"s{first}-s{last}")))
    assert named == [n for n in pack.numbers if first <= pack.season_of(n) <= last]
    assert len(named) == sum(sizes[first - 1 : last])


def test_list_groups_a_multi_season_pack_under_season_headers(tmp_path: Path) -> None:
    run_soundtrack("--content", SEASONS, "watched", "s1", state=tmp_path)
    lines = run_soundtrack("--content", SEASONS, "list", state=tmp_path).stdout.splitlines()
    assert lines[0] == "Harbour Lights  watched 2/6"
    headers = [line for line in lines if line.startswith("Season")]
    assert headers == [
        "Season 1: The Crossing  A new captain takes the night ferry.",
        "Season 2: Storm Season",
        "Season 3  The island votes on a bridge.",
    ]
    rows = [line.split("  ")[0] for line in lines if line.startswith("S") and not line.startswith("Season")]
    assert rows == ["S1 E1", "S1 E2", "S2 E1", "S2 E2", "S3 E1", "S3 E2"]
    assert lines.index(headers[1]) < lines.index(next(line for line in lines if line.startswith("S2 E1")))


def test_list_json_gives_each_episode_its_season(tmp_path: Path) -> None:
    rows = json.loads(run_soundtrack("--content", SEASONS, "list", "--json", state=tmp_path).stdout)
    assert [(r["number"], r["season"], r["number_in_season"]) for r in rows] == [
        (1, 1, 1),
        (2, 1, 2),
        (3, 2, 1),
        (4, 2, 2),
        (5, 3, 1),
        (6, 3, 2),
    ]


def test_list_of_a_pack_without_seasons_has_no_headers(tmp_path: Path) -> None:
    lines = run_soundtrack("list", state=tmp_path).stdout.splitlines()
    assert not any(line.startswith("Season") for line in lines)
    assert lines[1].split() == ["#", "status", "title"] and lines[2].startswith("1 ")
    rows = json.loads(run_soundtrack("list", "--json", state=tmp_path).stdout)
    assert {(r["season"], r["number_in_season"] - r["number"]) for r in rows} == {(1, 0)}
