"""The Textual app: wires a pack and a progress store to the main screen.

Kept small on purpose: state lives on the main screen, layout in
`app.tcss`, keys in each widget's BINDINGS (every one with an id, so
keys.toml can remap it). `run` is the entry point `soundtrack` calls.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from soundtrack_tui.core.loader import read_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.progress import ProgressStore, state_dir
from soundtrack_tui.core.sanitize import sanitize
from soundtrack_tui.ui.commands import EpisodeCommands
from soundtrack_tui.ui.keymap import KeymapConfig, keys_file, load_keymap
from soundtrack_tui.ui.screens.help import HelpScreen, KeyRow, KeySection
from soundtrack_tui.ui.screens.main import MainScreen
from soundtrack_tui.ui.screens.story import StoryScreen
from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.search_panel import ResultsList, SearchBox, SearchPanel

DEFAULT_THEME = "textual-dark"
MAX_PROBLEMS_SHOWN = 5


class SoundtrackApp(App[int]):
    """Browse a show pack without spoilers."""

    CSS_PATH = "app.tcss"
    TITLE = "soundtrack"
    COMMANDS = App.COMMANDS | {EpisodeCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit soundtrack"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key and what it does"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            priority=True,
            id="command-palette",
            tooltip="Open the command palette",
        ),
    ]

    def __init__(
        self,
        pack: Pack,
        store: ProgressStore,
        *,
        spoilers: bool = False,
        problems: int = 0,
        keymap: KeymapConfig | None = None,
    ) -> None:
        super().__init__()
        self.pack = pack
        self.store = store
        self.spoilers = spoilers
        self.problems = problems
        self.keymap_config = keymap if keymap is not None else load_keymap(keys_file(), binding_ids())
        self.main: MainScreen | None = None
        self._theme_ready = False

    # -- start -------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        progress = self.store.current
        level = Level.OFF if self.spoilers else progress.level
        self.main = MainScreen(self.pack, self.store, level=level, key_label=self.key_label)
        return self.main

    def on_mount(self) -> None:
        if self.keymap_config.keymap:
            self.set_keymap(dict(self.keymap_config.keymap))
        theme = self.store.current.theme
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        self._theme_ready = True
        if self.keymap_config.problem:
            self.notify(sanitize(self.keymap_config.problem), severity="warning", markup=False, timeout=10)
        if self.problems:
            noun = "problem" if self.problems == 1 else "problems"
            self.notify(
                f"{self.problems} {noun} in the pack; run soundtrack check",
                severity="warning",
                markup=False,
                timeout=10,
            )
        self.show_store_notices()

    def show_store_notices(self) -> None:
        """Progress notices are plain text (they quote file paths)."""
        for notice in self.store.take_notices():
            self.notify(notice, severity="warning", markup=False, timeout=10)

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready and theme != self.store.current.theme:
            self.store.set_theme(theme)
            self.show_store_notices()

    # -- keys ---------------------------------------------------------------

    def key_label(self, binding_id: str) -> str:
        """The key the user presses for `binding_id` now, remaps included."""
        for _, binding in binding_sections_raw():
            if binding.id == binding_id:
                key = self.keymap_config.keymap.get(binding_id, binding.key)
                first = key.split(",")[0].strip()
                return self.get_key_display(binding.with_key(first))
        return binding_id

    def help_sections(self) -> list[KeySection]:
        sections: list[KeySection] = []
        keymap = self.keymap_config.keymap
        for title, owner in BINDING_OWNERS:
            rows: list[KeyRow] = []
            # The search box inherits Input's editing keys: standard, and
            # too many to be useful here; list only its own.
            own_only = owner is SearchBox
            bindings = (
                BindingsMap(owner.__dict__.get("BINDINGS", [])) if own_only else owner._merge_bindings()
            )
            if keymap:
                bindings.apply_keymap(self._keymap)
            seen: dict[tuple[str, str | None, str], list[str]] = {}
            jumps: list[tuple[str, str]] = []
            for key, binding in bindings:
                if binding.system or binding.action in _HIDDEN_ACTIONS:
                    continue
                display = self.get_key_display(binding.with_key(key))
                if binding.action.startswith("jump("):
                    jumps.append((display, binding.id or ""))
                    continue
                label = binding.description or binding.tooltip or binding.action
                entry = (label, binding.id, binding.tooltip)
                seen.setdefault(entry, []).append(display)
            for (label, binding_id, tooltip), keys in seen.items():
                description = tooltip or label
                rows.append(KeyRow(" ".join(dict.fromkeys(keys)), description, binding_id))
            if jumps:
                keys_shown = " ".join(display for display, _ in jumps)
                ids = f"{jumps[0][1]} … {jumps[-1][1]}" if len(jumps) > 1 else jumps[0][1]
                rows.append(KeyRow(keys_shown, "Jump to that episode", ids))
            if rows:
                sections.append(KeySection(title, rows))
        return sections

    # -- actions ---------------------------------------------------------------

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.help_sections(), str(keys_file())))

    def show_story(self, viewer: Viewer) -> None:
        self.push_screen(StoryScreen(self.pack, viewer))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        if main is None:
            return
        yield SystemCommand("Search", "Search recaps, characters and reviews", main.action_search)
        yield SystemCommand(
            "Toggle spoilers",
            "Switch between your spoiler level and showing everything",
            main.action_toggle_spoilers,
        )
        for level, words in (
            (Level.STRICT, "locked episodes show only their number"),
            (Level.STANDARD, "locked episodes show title, facts and logline"),
            (Level.OFF, "show everything"),
        ):
            yield SystemCommand(
                f"Spoiler level: {level.value}",
                f"Save this level: {words}",
                partial(main.set_level, level, save=True),
            )
        number = main.selected
        watched = number in main.viewer.watched
        yield SystemCommand(
            f"Mark episode {number} {'not watched' if watched else 'watched'}",
            "Toggle the watched mark of the selected episode",
            main.action_toggle_watched,
        )
        yield SystemCommand("Story so far", "The recaps of everything you have watched", main.action_story)
        yield SystemCommand("Help", "Every key and what it does", self.action_help)


_HIDDEN_ACTIONS = frozenset({"help_quit", "scroll_left", "scroll_right"})

BINDING_OWNERS: list[tuple[str, type[DOMNode]]] = [
    ("Everywhere", SoundtrackApp),
    ("Browsing", MainScreen),
    ("Episode list", EpisodeList),
    ("Search", SearchPanel),
    ("Search box", SearchBox),
    ("Search results", ResultsList),
    ("Story so far", StoryScreen),
    ("Help", HelpScreen),
]


def binding_sections_raw() -> Iterable[tuple[str, Binding]]:
    for title, owner in BINDING_OWNERS:
        for _, binding in owner._merge_bindings():
            yield title, binding


def binding_ids() -> set[str]:
    """Every binding id a keys.toml may name."""
    return {binding.id for _, binding in binding_sections_raw() if binding.id}


def run(pack_path: Path, state_dir_override: str | None, *, spoilers: bool) -> int:
    """Start the browser on the pack at `pack_path`; returns an exit code.

    A pack that could not be built at all is reported on stderr before
    Textual starts (exit 1); one built with errors still runs, with a notice."""
    result = read_pack(pack_path)
    if result.pack is None:
        errors = result.errors or result.problems
        for problem in errors[:MAX_PROBLEMS_SHOWN]:
            sys.stderr.write(f"soundtrack: {problem}\n")
        if len(errors) > MAX_PROBLEMS_SHOWN:
            sys.stderr.write(
                f"soundtrack: ... and {len(errors) - MAX_PROBLEMS_SHOWN} more; run soundtrack check\n"
            )
        if not errors:
            sys.stderr.write(f"soundtrack: could not load the pack at {pack_path}\n")
        return 1
    store = ProgressStore(state_dir(state_dir_override), result.pack.show.id, lock_timeout=1.0)
    store.load()
    app = SoundtrackApp(result.pack, store, spoilers=spoilers, problems=len(result.errors))
    code = app.run()
    return code if isinstance(code, int) else (app.return_code or 0)
