"""keys.toml: remapping by binding id, and bad files falling back."""

from __future__ import annotations

from pathlib import Path

import pytest

from soundtrack_tui.ui.app import binding_contexts, binding_ids
from soundtrack_tui.ui.keymap import load_keymap, parse_keymap, valid_key

from .conftest import AppFactory
from .helpers import main_screen, notifications, pane_text, text_of


def write_keys(config_path: Path, text: str) -> None:
    config_path.mkdir(parents=True, exist_ok=True)
    (config_path / "keys.toml").write_text(text, encoding="utf-8")


def test_every_binding_we_define_has_an_id_and_a_tooltip() -> None:
    """Ours: declared by a class of this package, in the help's contexts
    (and the classes they build on) or on the loading screen."""
    from textual.binding import Binding

    from soundtrack_tui.ui.app import binding_owners
    from soundtrack_tui.ui.screens.loading import LoadingScreen

    ours = {
        cls
        for _, owner in [*binding_owners(), ("Loading", LoadingScreen)]
        for cls in owner.__mro__
        if cls.__module__.startswith("soundtrack_tui.")
    }
    seen: dict[str, str] = {}
    for cls in ours:
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            assert binding.id, (cls.__name__, binding.key)
            assert binding.description and binding.tooltip, binding.id
            # One id, one meaning: an id reused must be the same action.
            assert seen.setdefault(binding.id, binding.action) == binding.action, binding.id
    assert {"next-pane", "loading-quit", "list-open"} <= seen.keys()


def test_declared_bindings_match_textuals_own_merge() -> None:
    """`declared_bindings` reads BINDINGS class by class, as Textual merges
    them for a widget; a Textual release that merges differently fails here."""
    from soundtrack_tui.ui.app import binding_owners
    from soundtrack_tui.ui.bindings import declared_bindings

    for title, owner in binding_owners():
        ours = [(key, binding) for key, binding in declared_bindings(owner)]
        textuals = list(owner._merge_bindings())
        assert ours == textuals, title


def test_remapped_keys_are_stored_as_textual_names_them() -> None:
    assert parse_keymap('help = "?"\nsearch = "/, ctrl+f"', {"help", "search"}) == {
        "help": "question_mark",
        "search": "slash,ctrl+f",
    }


def test_ids_are_unique_per_meaning() -> None:
    ids = binding_ids()
    assert {"toggle-watched", "peek", "toggle-spoilers", "search", "quit", "help"} <= ids


@pytest.mark.parametrize("key", ["m", "ctrl+m", "f5", "question_mark", "?", "shift+tab", "escape", "N"])
def test_valid_keys(key: str) -> None:
    assert valid_key(key)


@pytest.mark.parametrize("key", ["", "ctrl+", "hyperspace", "cmd+x", " "])
def test_invalid_keys(key: str) -> None:
    assert not valid_key(key)


def test_parse_rejects_unknown_ids_and_bad_values() -> None:
    ids = {"toggle-watched"}
    assert parse_keymap('toggle-watched = "m, ctrl+w"', ids) == {"toggle-watched": "m,ctrl+w"}
    with pytest.raises(ValueError, match="unknown binding id"):
        parse_keymap('nope = "m"', ids)
    with pytest.raises(ValueError, match="expected a key string"):
        parse_keymap("toggle-watched = 3", ids)
    with pytest.raises(ValueError, match="not a key"):
        parse_keymap('toggle-watched = "hyperspace"', ids)
    with pytest.raises(ValueError, match="not valid TOML"):
        parse_keymap("toggle-watched = ", ids)


def test_missing_file_is_silent(tmp_path: Path) -> None:
    config = load_keymap(tmp_path / "keys.toml", binding_ids, binding_contexts)
    assert config.keymap == {} and config.problem is None


async def test_remapped_key_works_everywhere(make_app: AppFactory, config_path: Path) -> None:
    """A clash drops only its own line: the rest of the file applies."""
    write_keys(config_path, 'toggle-watched = "m"\nsearch = "ctrl+f"\npeek = "q"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        assert 'keys.toml: "q" is bound to both quit and peek; quit keeps it' in notifications(app)
        assert "m mark watched" in pane_text(app, "recap") and "p peek" in pane_text(app, "recap")
        await pilot.press("w")
        assert screen.viewer.watched == frozenset()
        await pilot.press("m")
        assert screen.viewer.watched == frozenset({1})
        await pilot.press("ctrl+f")
        assert screen.panes.searching
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        rows = [text_of(row).split("\n") for row in app.screen.query(".help-row")]
        keys = next(key for key, description in rows if description.endswith("toggle-watched"))
        assert keys == "m"
        await pilot.press("escape", "q")
        await pilot.pause()
    assert not app.is_running


async def test_bad_config_is_one_notice_and_defaults(make_app: AppFactory, config_path: Path) -> None:
    write_keys(config_path, 'toggle-watched = "m"\nno-such-thing = "x"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        messages = [message for message in notifications(app) if "keys.toml" in message]
        assert len(messages) == 1
        assert "no-such-thing" in messages[0] and "default keys kept" in messages[0]
        await pilot.press("m")
        assert screen.viewer.watched == frozenset()
        await pilot.press("w")
        assert screen.viewer.watched == frozenset({1})


async def test_broken_toml_is_one_notice(make_app: AppFactory, config_path: Path) -> None:
    write_keys(config_path, "[[[")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert sum("keys.toml" in message for message in notifications(app)) == 1
        assert app.is_running


@pytest.mark.parametrize(("old", "new"), [("overlay-up", "scroll-up"), ("overlay-down", "scroll-down")])
def test_a_renamed_id_points_to_its_new_name(old: str, new: str) -> None:
    with pytest.raises(ValueError, match=f"did you mean '{new}'"):
        parse_keymap(f'{old} = "x"', binding_ids())


def test_an_unknown_id_gets_a_did_you_mean() -> None:
    with pytest.raises(
        ValueError, match=r"unknown binding id 'toggle-wached' \(did you mean 'toggle-watched'\?\)"
    ):
        parse_keymap('toggle-wached = "m"', binding_ids())


def test_a_clash_keeps_the_key_with_its_binding() -> None:
    """Within the keys live at once only: `j` is free on the main screen but
    moves down the list, so peek cannot have it; on an overlay it could."""
    from soundtrack_tui.ui.keymap import clashes

    kept, lines = clashes({"peek": "j", "search": "ctrl+f"}, binding_contexts)
    assert kept == {"search": "ctrl+f"}
    assert lines == ['keys.toml: "j" is bound to both list-down and peek; list-down keeps it']
    kept, lines = clashes({"story": "x", "tracks": "x"}, binding_contexts)
    assert kept == {"story": "x"}
    assert lines == ['keys.toml: "x" is bound to both story and tracks; story keeps it']
    # A swap is no clash, nor a key shared by default (Esc in the search).
    assert clashes({"quit": "w", "toggle-watched": "q"}, binding_contexts) == (
        {"quit": "w", "toggle-watched": "q"},
        [],
    )


async def test_an_unknown_id_is_a_notice_with_a_did_you_mean(make_app: AppFactory, config_path: Path) -> None:
    write_keys(config_path, 'toggle-wached = "m"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        (message,) = [message for message in notifications(app) if "keys.toml" in message]
        assert "did you mean 'toggle-watched'?" in message and "\n" not in message
