"""The smaller CLI commands and conveniences: ranges, the spoiler level,
characters, a new pack, hints that name the pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runner import run_soundtrack

VALID = Path(__file__).parent / "fixtures" / "packs" / "valid"


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state"


def watched(state: Path) -> list[int]:
    rows = json.loads(run_soundtrack("list", "--json", state=state).stdout)
    return [row["number"] for row in rows if row["watched"]]


def test_ranges_mark_every_episode_they_name(state: Path) -> None:
    result = run_soundtrack("watched", "1-2", "4", state=state)
    assert result.returncode == 0
    assert "Marked episodes 1, 2, 4 as watched" in result.stdout
    assert watched(state) == [1, 2, 4]
    assert run_soundtrack("unwatched", "2-4", state=state).returncode == 0
    assert watched(state) == [1]


@pytest.mark.parametrize(("typed", "message"), [("3-1", "runs from low to high"), ("1-x", "not an episode")])
def test_a_bad_range_is_a_usage_error(state: Path, typed: str, message: str) -> None:
    result = run_soundtrack("watched", typed, state=state)
    assert result.returncode == 2
    assert message in result.stderr
    assert watched(state) == []


def test_level_shows_and_saves_the_spoiler_level(state: Path) -> None:
    assert "Spoiler level: standard" in run_soundtrack("level", state=state).stdout
    assert run_soundtrack("level", "strict", state=state).returncode == 0
    rows = json.loads(run_soundtrack("list", "--json", state=state).stdout)
    assert all(row["title"] is None for row in rows)  # strict: numbers only
    assert "Spoiler level: strict" in run_soundtrack("level", state=state).stdout
    assert run_soundtrack("level", "loose", state=state).returncode == 2


def test_spoilers_work_before_and_after_the_command(state: Path) -> None:
    after = run_soundtrack("list", "--spoilers", state=state)
    before = run_soundtrack("--spoilers", "list", state=state)
    assert after.returncode == before.returncode == 0
    assert after.stdout == before.stdout
    assert after.stdout.count("not watched") == 4  # a status for every episode
    assert "locked" not in after.stdout


def test_characters_tell_only_what_was_watched(state: Path) -> None:
    nothing = json.loads(run_soundtrack("characters", "--json", state=state).stdout)
    assert {c["name"] for c in nothing} == {"Han Sun-woo", "Lee Eun-soo"}
    assert all(c["notes"] == [] for c in nothing)
    run_soundtrack("watched", "1", state=state)
    after = json.loads(run_soundtrack("characters", "--json", state=state).stdout)
    assert len(after) > len(nothing)
    assert all(note["episode"] == 1 for c in after for note in c["notes"])
    text = run_soundtrack("characters", state=state).stdout
    assert "More in later episodes." in text
    assert "more notes unlock" not in text  # never a count
    run_soundtrack("level", "strict", state=state)
    assert "More in later episodes." not in run_soundtrack("characters", state=state).stdout


def test_hints_name_the_pack_they_are_about(state: Path) -> None:
    result = run_soundtrack("show", "2", "--content", str(VALID), state=state)
    assert f"Run `soundtrack watched 2 --content {VALID}`" in result.stdout


def test_new_writes_a_pack_that_check_accepts(tmp_path: Path, state: Path) -> None:
    folder = tmp_path / "shows" / "night-shift"
    made = run_soundtrack("new", str(folder), "--title", "Night Shift", "--episodes", "12", state=state)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (folder / "episodes").iterdir())[:2] == ["01.toml", "02.toml"]
    checked = run_soundtrack("check", str(folder), state=state)
    assert checked.returncode == 0
    assert checked.stdout == "night-shift: 0 errors, 0 warnings (12 of 12 episodes, 0 characters)\n"
    again = run_soundtrack("new", str(folder), "--title", "Other", "--episodes", "2", state=state)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_help_explains_n_range_and_query(state: Path) -> None:
    text = run_soundtrack("--help", state=state).stdout
    for word in ("N is an episode number", "RANGE is N or two numbers", "QUERY is one or more words"):
        assert word in text
    assert "soundtrack watched 1-2" in text


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_is_a_usage_error(state: Path, query: str) -> None:
    result = run_soundtrack("search", query, state=state)
    assert result.returncode == 2
    assert "empty query" in result.stderr
    assert result.stdout == ""


def test_search_all_and_limit(state: Path) -> None:
    every = json.loads(run_soundtrack("search", "the", "--all", "--json", "--spoilers", state=state).stdout)
    two = json.loads(
        run_soundtrack("search", "the", "--limit", "2", "--json", "--spoilers", state=state).stdout
    )
    assert len(two["hits"]) == 2
    assert len(every["hits"]) > 50  # past the default limit
    assert every["hits"][:2] == two["hits"]


def test_search_json_says_what_gates_each_hit_and_which_name_it_found(state: Path) -> None:
    run_soundtrack("watched", "1-2", state=state)
    data = json.loads(run_soundtrack("search", "seon", "woo", "--all", "--json", state=state).stdout)
    assert data["corrections"] == [] and data["total"] == len(data["hits"])
    note = next(hit for hit in data["hits"] if hit["field"] == "note")
    assert note["episode"] is None and note["gate"] in (1, 2) and note["character"]
    assert all(hit["alias"] for hit in data["hits"])  # every hit names him, in some spelling
    assert {"gate", "field", "character", "review", "alias"} <= set(data["hits"][0])
    review = json.loads(run_soundtrack("search", "patient", "--json", "--spoilers", state=state).stdout)
    assert all(hit["gate"] >= 0 for hit in review["hits"])


def test_search_says_which_word_it_searched_for_instead(state: Path) -> None:
    run_soundtrack("watched", "1-2", state=state)
    text = run_soundtrack("search", "tarrot", state=state).stdout
    assert text.startswith("Showing results for tarot.")
    data = json.loads(run_soundtrack("search", "tarrot", "--json", state=state).stdout)
    assert data["corrections"] == [{"typed": "tarrot", "used": "tarot"}]


@pytest.mark.parametrize("limit", ["0", "-3", "two", "1.5"])
def test_search_limit_must_be_a_positive_count(state: Path, limit: str) -> None:
    result = run_soundtrack("search", "the", "--limit", limit, state=state)
    assert result.returncode == 2
    assert "not a positive whole number" in result.stderr and "Traceback" not in result.stderr
