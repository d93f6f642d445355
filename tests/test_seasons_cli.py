"""Content format 1.1 as a user meets it on the 3-season fixture pack:
external ids, episodes named "S2 E5" by `show`, `search`, `story` and
`watched`, the season fields of `--json`, and an episode without a logline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from packs import make_character, make_episode, make_note, make_pack, make_track
from runner import run_soundtrack
from soundtrack_tui.core import cache, policy
from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.core.policy import Viewer

FIXTURES = Path(__file__).parent / "fixtures" / "packs"
SEASONS = FIXTURES / "seasons"


def _run(*args: str, state: Path, content: Path = SEASONS) -> str:
    result = run_soundtrack("--content", str(content), *args, state=state)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ids_load_for_the_show_and_its_episodes() -> None:
    pack = load_pack(SEASONS)
    assert pack.show.ids == {"tvmaze": 4242, "tvdb": 371234, "imdb": "tt9912345"}
    assert pack.episodes[1].ids == {"tvmaze": 1001, "imdb": "tt9912346"}
    assert pack.episodes[6].ids == {"tvmaze": 1006, "tmdb": 77}
    assert pack.episodes[2].ids == {}
    assert load_pack(FIXTURES / "valid").show.ids == {}


def test_the_cache_keeps_ids_and_an_absent_logline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUNDTRACK_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "pack"
    shutil.copytree(FIXTURES / "no-logline", root)
    first = cache.load_pack_cached(root).pack
    again = cache.load_pack_cached(root).pack
    assert first is not None and again is not None and again is not first
    assert again.show.ids == first.show.ids == {"tvmaze": 4242, "tvdb": 371234, "imdb": "tt9912345"}
    assert {n: e.ids for n, e in again.episodes.items()} == {n: e.ids for n, e in first.episodes.items()}
    assert again.episodes[4].logline == "" and again.episodes[3].logline
    assert again.show.seasons == first.show.seasons


def test_show_names_the_episode_by_season(tmp_path: Path) -> None:
    _run("watched", "s1", state=tmp_path)
    shown = _run("show", "S2E1", state=tmp_path).splitlines()
    assert shown[0] == "S2 E1: Crossing 3  locked"
    assert "The recap is hidden until you have watched S2 E1." in " ".join(shown)
    assert _run("show", "3", state=tmp_path).splitlines()[0] == shown[0]


def test_show_refuses_a_whole_season_and_a_season_the_show_lacks(tmp_path: Path) -> None:
    whole = run_soundtrack("--content", str(SEASONS), "show", "s2", state=tmp_path)
    assert whole.returncode == 2 and "name one episode (like s2e5)" in whole.stderr
    missing = run_soundtrack("--content", str(SEASONS), "show", "s9e1", state=tmp_path)
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr.strip() == "soundtrack: no season 9: Harbour Lights has seasons 1-3"


def test_show_json_gives_the_season_fields_and_keeps_number(tmp_path: Path) -> None:
    data = json.loads(_run("show", "s3e2", "--json", state=tmp_path))
    assert (data["number"], data["season"], data["number_in_season"], data["label"]) == (6, 3, 2, "S3 E2")


def test_watched_says_which_episodes_by_season(tmp_path: Path) -> None:
    assert _run("watched", "s2", "5", state=tmp_path).startswith("Marked S2 E1, S2 E2, S3 E1 as watched (3/6")


def test_search_names_hits_by_season(tmp_path: Path) -> None:
    _run("watched", "s1-s2", state=tmp_path)
    lines = _run("search", "crossing", state=tmp_path).splitlines()
    assert [line.split(" · ")[0] for line in lines if line.startswith("S")][:3] == ["S1 E1", "S1 E2", "S2 E1"]
    hits = json.loads(_run("search", "crossing", "--json", state=tmp_path))["hits"]
    first = next(hit for hit in hits if hit["episode"] == 4)
    assert (first["season"], first["number_in_season"]) == (2, 2)


def test_story_heads_each_part_with_its_season_label(tmp_path: Path) -> None:
    _run("watched", "1-3", state=tmp_path)
    story = _run("story", state=tmp_path)
    assert "## S2 E1: Crossing 3" in story
    assert "_Covers episodes S1 E1, S1 E2, S2 E1 of 6._" in story
    assert story.rstrip().endswith("Next up: S2 E2.")
    data = json.loads(_run("story", "--json", state=tmp_path))
    assert [(e["number"], e["season"], e["number_in_season"]) for e in data["episodes"]] == [
        (1, 1, 1),
        (2, 1, 2),
        (3, 2, 1),
    ]
    assert (data["next_episode"], data["next_label"]) == (4, "S2 E2")


def test_a_pack_of_one_season_reads_as_before(tmp_path: Path) -> None:
    valid = FIXTURES / "valid"
    _run("watched", "1", state=tmp_path, content=valid)
    story = _run("story", state=tmp_path, content=valid)
    assert "Next up: episode 2." in story and "## 1. " in story
    assert _run("show", "2", state=tmp_path, content=valid).startswith("2. ")
    assert _run("watched", "3", state=tmp_path, content=valid).startswith("Marked episode 3 as watched")


def test_an_episode_without_a_logline_lists_and_shows_its_title_alone(tmp_path: Path) -> None:
    pack = FIXTURES / "no-logline"
    listed = _run("list", state=tmp_path, content=pack)
    assert "S2 E2  locked  Crossing 4" in listed
    shown = _run("show", "4", state=tmp_path, content=pack).splitlines()
    # The heading, a blank line, then straight to the gate: no logline line.
    assert shown[0] == "S2 E2: Crossing 4  locked" and shown[1] == ""
    assert shown[2].startswith("The recap is hidden until you have watched S2 E2.")
    assert json.loads(_run("show", "4", "--json", state=tmp_path, content=pack))["logline"] is None


def test_a_declared_season_without_episodes_is_named_as_such(tmp_path: Path) -> None:
    result = run_soundtrack("--content", str(FIXTURES / "season-empty"), "watched", "s4", state=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.strip() == "soundtrack: season 4 of Harbour Lights has no episodes yet"


def test_notes_and_tracks_name_their_episode_by_season() -> None:
    two_seasons = make_pack(
        4,
        overrides={n: make_episode(n, season=2) for n in (3, 4)},
        characters=[make_character("mara", notes=[make_note(4, "Mara leaves.")])],
        tracks=[make_track("Tide", episode=3), make_track("Single")],
    )
    viewer = Viewer(frozenset(two_seasons.numbers))
    [mara] = policy.character_views(two_seasons, viewer)
    assert [note.label for note in mara.notes] == ["S2 E2"]
    tracks, _ = policy.track_views(two_seasons, viewer)
    assert [view.facts for view in tracks] == [("heard in S2 E1",), ()]
    one_season = make_pack(4, characters=[make_character("mara", notes=[make_note(4, "Mara leaves.")])])
    assert [note.label for note in policy.character_views(one_season, viewer)[0].notes] == ["episode 4"]
