"""`soundtrack add / remove / shows` and `--show ID`, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.runner import run_soundtrack

from soundtrack_tui.core.bundled import bundled_pack

VALID = Path(__file__).parent / "fixtures" / "packs" / "valid"  # night-shift, 3 episodes
BROKEN = Path(__file__).parent / "fixtures" / "packs" / "duplicate-source-key"
SEASONS = Path(__file__).parent / "fixtures" / "packs" / "seasons"  # harbour-lights, 3 seasons, [ids]


def installed(tmp_path: Path) -> Path:
    state = tmp_path / "state"
    pack = tmp_path / "pack"
    shutil.copytree(VALID, pack)
    added = run_soundtrack("add", str(pack), state=state)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added night-shift: Night Shift, 3 episodes (0/3 watched)")
    return state


def test_shows_lists_the_bundled_and_the_installed_with_progress(tmp_path: Path) -> None:
    state = installed(tmp_path)
    assert run_soundtrack("watched", "1-2", "--show", "night-shift", state=state).returncode == 0
    shows = json.loads(run_soundtrack("shows", "--json", state=state).stdout)
    by_id = {show["id"]: show for show in shows}
    assert set(by_id) == {"night-shift", bundled_pack().name}
    assert (by_id["night-shift"]["watched"], by_id["night-shift"]["last_used"]) == (2, True)
    assert by_id[bundled_pack().name]["bundled"]
    text = run_soundtrack("shows", state=state).stdout
    assert "* night-shift   Night Shift    3         2/3 watched" in text


def test_plain_commands_use_the_show_used_last(tmp_path: Path) -> None:
    state = installed(tmp_path)
    assert run_soundtrack("list", state=state).stdout.startswith("Soundtrack #1")
    run_soundtrack("list", "--show", "night-shift", state=state)
    listed = run_soundtrack("list", state=state)
    assert listed.stdout.startswith("Night Shift  watched 0/3"), listed.stdout
    run_soundtrack("--show", bundled_pack().name, "level", state=state)
    assert run_soundtrack("list", state=state).stdout.startswith("Soundtrack #1")


def test_an_unknown_show_is_one_line_with_a_suggestion(tmp_path: Path) -> None:
    state = installed(tmp_path)
    result = run_soundtrack("list", "--show", "night-shfit", state=state)
    assert result.returncode == 1
    assert result.stderr == (
        "soundtrack: no show night-shfit in the library; did you mean night-shift? "
        "(soundtrack shows lists them)\n"
    )


def test_show_and_content_together_are_a_usage_error(tmp_path: Path) -> None:
    result = run_soundtrack("list", "--show", "x", "--content", str(VALID), state=tmp_path)
    assert (result.returncode, result.stderr.count("\n")) == (2, 1)


def test_a_broken_pack_is_refused_one_line_per_problem(tmp_path: Path) -> None:
    result = run_soundtrack("add", str(BROKEN), state=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("soundtrack: show.toml:")
    assert "duplicate source key" in result.stderr


def test_remove_asks_for_yes_then_removes_and_keeps_progress(tmp_path: Path) -> None:
    state = installed(tmp_path)
    run_soundtrack("watched", "1", "--show", "night-shift", state=state)
    asked = run_soundtrack("remove", "night-shift", state=state)
    assert asked.returncode == 2
    assert "pass --yes" in asked.stderr.lower() and asked.stderr.count("\n") == 1
    removed = run_soundtrack("remove", "night-shift", "--yes", state=state)
    assert removed.returncode == 0, removed.stderr
    assert run_soundtrack("list", state=state).stdout.startswith("Soundtrack #1")
    bundled = run_soundtrack("remove", bundled_pack().name, "--yes", state=state)
    assert (bundled.returncode, bundled.stderr.count("\n")) == (1, 1)
    assert "always in the library" in bundled.stderr
    assert run_soundtrack("add", str(tmp_path / "pack"), state=state).returncode == 0
    assert "1/3 watched" in run_soundtrack("shows", state=state).stdout


def test_hints_name_the_show_by_id(tmp_path: Path) -> None:
    state = installed(tmp_path)
    result = run_soundtrack("show", "3", "--show", "night-shift", state=state)
    assert "--show night-shift" in result.stdout + result.stderr


def test_serve_sessions_open_the_show_named_by_id(tmp_path: Path) -> None:
    import argparse

    from soundtrack_tui.arguments import build_parser
    from soundtrack_tui.commands.library import choose_show
    from soundtrack_tui.commands.serve import session_command
    from soundtrack_tui.core import library

    shutil.copytree(VALID, tmp_path / "pack")
    library.install(tmp_path / "pack")
    args: argparse.Namespace = build_parser().parse_args(["serve", "--show", "night-shift"])
    choose_show(args)
    command = session_command(args.content, args.state_dir, spoilers=False)
    assert f"--content {library.shows_dir() / 'night-shift'}" in command
    assert library.last_show() == "night-shift"


def test_history_moves_every_installed_show_and_only_adds_marks(tmp_path: Path) -> None:
    state = installed(tmp_path)
    run_soundtrack("watched", "2", "--show", "night-shift", state=state)
    run_soundtrack("watched", "1", "--show", bundled_pack().name, state=state)
    exported = run_soundtrack("history", "export", state=state)
    assert exported.returncode == 0, exported.stderr
    saved = tmp_path / "history.json"
    saved.write_text(exported.stdout, encoding="utf-8")
    exported_ids = {show["id"] for show in json.loads(exported.stdout)["shows"]}
    assert exported_ids == {"night-shift", bundled_pack().name}
    run_soundtrack("unwatched", "2", "--show", "night-shift", state=state)
    run_soundtrack("unwatched", "1", "--show", bundled_pack().name, state=state)
    run_soundtrack("watched", "3", "--show", "night-shift", state=state)
    imported = run_soundtrack("history", "import", str(saved), state=state)
    assert imported.returncode == 0, imported.stderr
    shows = {show["id"]: show for show in json.loads(run_soundtrack("shows", "--json", state=state).stdout)}
    assert shows["night-shift"]["watched"] == 2  # 2 back, 3 kept
    assert shows[bundled_pack().name]["watched"] == 1
    only = run_soundtrack("history", "import", str(saved), "--show", "nope", state=state)
    assert only.returncode != 0 and "nope" in only.stderr


def test_a_history_matches_an_installed_show_by_its_ids(tmp_path: Path) -> None:
    """The history calls the show something else and numbers one episode
    wrongly: the pack's [ids] (show tvdb, episode tmdb) still find them, and
    S2 E1 is found by its season place."""
    state = tmp_path / "state"
    pack = tmp_path / "pack"
    shutil.copytree(SEASONS, pack)
    assert run_soundtrack("add", str(pack), state=state).returncode == 0

    def item(season: int, number: int, episode_ids: dict[str, object]) -> dict[str, object]:
        return {
            "watched_at": "2025-05-01T20:00:00.000Z",
            "type": "episode",
            "episode": {"season": season, "number": number, "ids": episode_ids},
            "show": {"title": "Harbor Lights (US)", "year": 2025, "ids": {"tvdb": 371234, "imdb": None}},
        }

    history = tmp_path / "watched-history.json"
    history.write_text(json.dumps([item(2, 1, {}), item(9, 9, {"tmdb": 77})]), encoding="utf-8")
    dry = run_soundtrack("history", "import", str(history), "--dry-run", state=state)
    assert dry.returncode == 0, dry.stderr
    assert "harbour-lights" in dry.stdout and "to mark          S2 E1, S3 E2" in dry.stdout
    shows = {show["id"]: show for show in json.loads(run_soundtrack("shows", "--json", state=state).stdout)}
    assert shows["harbour-lights"]["watched"] == 0  # a dry run writes nothing
    assert run_soundtrack("history", "import", str(history), state=state).returncode == 0
    listed = json.loads(run_soundtrack("list", "--json", "--show", "harbour-lights", state=state).stdout)
    watched = [episode["label"] for episode in listed if episode["watched"]]
    assert watched == ["S2 E1", "S3 E2"]
