"""The Textual app: wires a pack and a progress store to the main screen.

Kept small on purpose: state lives on the main screen, layout in
`app.tcss`, keys in each widget's BINDINGS (every one with an id, so
keys.toml can remap it). `run` is the entry point `soundtrack` calls.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.filter import LineFilter
from textual.screen import Screen
from textual.worker import get_current_worker

from soundtrack_tui.core.errors import Problem
from soundtrack_tui.core.indexer import CHILD_MIN_EPISODES, PackIndexer, is_big
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level
from soundtrack_tui.core.progress import ProgressStore, state_dir
from soundtrack_tui.core.sanitize import sanitize
from soundtrack_tui.ui import app_keys, bindings, show_switch
from soundtrack_tui.ui.keymap import KeymapConfig, keys_file, load_keymap
from soundtrack_tui.ui.messages import StoryRequested, TracksRequested
from soundtrack_tui.ui.notices import show_store_notices
from soundtrack_tui.ui.safe_lines import SanitizedLines
from soundtrack_tui.ui.screens.main import MainScreen
from soundtrack_tui.ui.termination import end_on_signals
from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.results_list import ResultsList
from soundtrack_tui.ui.widgets.scrolling import ReadingScroll
from soundtrack_tui.ui.widgets.search_panel import SearchBox, SearchPanel
from soundtrack_tui.ui.widgets.text_pane import TextPane

if TYPE_CHECKING:
    from textual.command import Provider

    from soundtrack_tui.core.errors import LoadResult
    from soundtrack_tui.core.search import SearchIndex

DEFAULT_THEME = "textual-dark"
MAX_PROBLEMS_SHOWN = 5
# Episode files: an uncached pack this big loads behind a progress bar, read
# by the child process that then indexes it (`core.indexer`).
LARGE_PACK = CHILD_MIN_EPISODES
SANITIZED_LINES = SanitizedLines()


def _episode_commands() -> type[Provider]:
    """The palette's episode provider, imported when the palette first opens."""
    from soundtrack_tui.ui.commands import EpisodeCommands

    return EpisodeCommands


class SoundtrackApp(App[int]):
    """Browse a show pack without spoilers."""

    CSS_PATH = "app.tcss"
    TITLE = "soundtrack"
    COMMANDS = App.COMMANDS | {_episode_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        app_keys.QUIT,
        app_keys.HELP,
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
        pack: Pack | None,
        store: ProgressStore | None,
        *,
        spoilers: bool = False,
        problems: int = 0,
        keymap: KeymapConfig | None = None,
        load_from: tuple[Path, str | None] | None = None,
        indexer: PackIndexer | None = None,
    ) -> None:
        """`pack` and `store` ready, or both None with `load_from` = (pack
        folder, state dir override): then the app paints a loading screen at
        once and reads the pack in a worker. `indexer`: the child that reads
        and indexes a big pack (`core.indexer`); the app closes it when it
        closes."""
        super().__init__()
        self.pack = pack
        self.store = store
        self.spoilers = spoilers
        self.problems = problems
        self.load_from = load_from
        self.indexer = indexer
        self.load_failure: list[Problem] = []
        self.keymap_config = (
            keymap if keymap is not None else load_keymap(keys_file(), binding_ids, binding_contexts)
        )
        self.main: MainScreen | None = None
        self._theme_ready = False

    # -- start -------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        if self.pack is None or self.store is None:
            from soundtrack_tui.ui.screens.loading import LoadingScreen

            where = self.load_from[0] if self.load_from else Path("?")
            return LoadingScreen(str(where))
        self.main = self._main_screen(self.pack, self.store)
        return self.main

    def _main_screen(self, pack: Pack, store: ProgressStore) -> MainScreen:
        level = Level.OFF if self.spoilers else store.current.level
        return MainScreen(pack, store, level=level, key_label=self.key_label, load_index=self.load_index)

    def load_index(self, pack: Pack) -> SearchIndex:
        """The search index of `pack`: by the child for a big pack, else
        from the cache or built here. Blocks: the main screen calls it off
        the UI thread."""
        if self.indexer is not None:
            return self.indexer.load_index(pack)
        from soundtrack_tui.core.cache import load_index_cached

        return load_index_cached(pack)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters (NO_COLOR and the like), then the last
        sanitizing pass over everything drawn (`safe_lines`)."""
        return [*super().get_line_filters(), SANITIZED_LINES]

    def on_load(self) -> None:
        """SIGTERM and SIGHUP end the app the way q does, with 128 + the
        signal's number as its exit code (see `termination`)."""
        end_on_signals(lambda code: self.exit(None, code))

    def on_mount(self) -> None:
        if self.pack is None and self.load_from is not None:
            self._load(*self.load_from)
            return
        self._start()

    def on_unmount(self) -> None:
        if self.indexer is not None:
            self.indexer.close()  # ends a child still at work; waiting loads return

    @work(thread=True, exit_on_error=False)
    def _load(self, pack_path: Path, state_override: str | None) -> None:
        """Read a large pack off the UI thread, reporting progress: a child
        process reads it (see `core.indexer`), this loads what it stored."""
        from soundtrack_tui.core.cache import load_pack_cached
        from soundtrack_tui.ui.screens.loading import LoadingScreen

        screen = self.screen
        advance = screen.advance if isinstance(screen, LoadingScreen) else None

        def progress(done: int, total: int) -> None:
            if advance is not None:
                self.call_from_thread(advance, done, total)

        if self.indexer is not None:
            result = self.indexer.load_pack(progress)
        else:
            result = load_pack_cached(pack_path, progress)
        if get_current_worker().is_cancelled or (self.indexer is not None and self.indexer.closed):
            return  # the app is closing: nobody waits for the pack
        store = None
        if result.pack is not None:
            store = ProgressStore(state_dir(state_override), result.pack.show.id, lock_timeout=1.0)
            store.load()
        self.call_from_thread(self._loaded, result, store)

    def _loaded(self, result: LoadResult, store: ProgressStore | None) -> None:
        if result.pack is None or store is None:
            self.load_failure = result.errors or result.problems
            self.exit(1)
            return
        self.pack, self.store, self.problems = result.pack, store, len(result.errors)
        self.main = self._main_screen(result.pack, store)
        self.push_screen(self.main)  # over the loading screen, which stays beneath
        self._start()

    def _start(self) -> None:
        """Settings and notices, once the pack and its progress are in."""
        assert self.store is not None
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
        show_store_notices(self.store, self.notify)

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready and self.store is not None and theme != self.store.current.theme:
            self.store.set_theme(theme)
            show_store_notices(self.store, self.notify)

    # -- keys ---------------------------------------------------------------

    def key_label(self, binding_id: str) -> str:
        """The key the user presses for `binding_id` now, remaps included."""
        return bindings.key_label(binding_owners, self.keymap_config.keymap, self.get_key_display, binding_id)

    def help_sections(self, screen: Screen[object] | None = None) -> list[bindings.KeySection]:
        """The keys that act on `screen`, or every key when it is None."""
        owners = (
            binding_owners if screen is None else bindings.owners_on(binding_owners, binding_contexts, screen)
        )
        keymap = self.keymap_config.keymap
        return bindings.help_sections(owners, keymap, self.get_key_display, own_only=[SearchBox])

    # -- actions ---------------------------------------------------------------

    def action_help(self) -> None:
        from soundtrack_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.help_sections(self.screen), str(keys_file())))

    def on_story_requested(self, message: StoryRequested) -> None:
        if self.pack is not None:
            from soundtrack_tui.ui.screens.story import StoryScreen

            self.push_screen(StoryScreen(self.pack, message.viewer))

    def on_tracks_requested(self, message: TracksRequested) -> None:
        if self.pack is not None:
            from soundtrack_tui.ui.screens.soundtrack import SoundtrackScreen

            self.push_screen(SoundtrackScreen(self.pack, message.viewer))

    def save_story(self) -> None:
        """Hand the story so far to the browser as a Markdown download. Only
        offered in a browser: in a terminal, `soundtrack story > file.md`
        does it, and deliver_text would write into ~/Downloads unasked."""
        if self.pack is None or self.main is None:
            return
        from soundtrack_tui.core.story import story_markdown, story_so_far

        markdown = story_markdown(story_so_far(self.pack, self.main.viewer.with_peek(None)))
        name = f"{self.pack.show.id}-story-so-far.md"
        self.deliver_text(io.StringIO(markdown), save_filename=name, mime_type="text/markdown")
        self.notify(f"Saving the story as {name}", markup=False)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        if main is None:
            return
        from soundtrack_tui.ui.palette import browsing_commands

        yield from browsing_commands(
            main,
            is_web=self.is_web,
            save_story=self.save_story,
            show_help=self.action_help,
            show_shows=self.action_shows,
        )

    def action_shows(self) -> None:
        if self.store is not None:
            show_switch.open_library(show_switch.Switch(self, self.store, self.adopt), self.pack)

    def adopt(self, pack: Pack, store: ProgressStore) -> None:
        """Browse `pack` in place of the current one (`show_switch`), with its
        own progress, level, theme and position. The first screen stays
        beneath (switching it away would leave no screen for a moment)."""
        if self.indexer is not None:
            self.indexer.close()  # it reads and indexes the previous pack only
        self.pack, self.store, self.problems, self.indexer = pack, store, 0, None
        self.main = self._main_screen(pack, store)
        (self.switch_screen if len(self.screen_stack) > 1 else self.push_screen)(self.main)
        self._theme_ready = False
        self._start()


def binding_owners() -> Iterator[tuple[str, type[DOMNode]]]:
    """Every class with BINDINGS, titled as the help screen shows them. The
    two screens a user opens on demand come last and are imported only when
    reached: a key looked up at start-up is found before them."""
    yield from (
        ("Everywhere", SoundtrackApp),
        ("Browsing", MainScreen),
        ("Episode list", EpisodeList),
        ("Recap, Characters and Reviews", TextPane),
        ("Search", SearchPanel),
        ("Search box", SearchBox),
        ("Search results", ResultsList),
    )
    from soundtrack_tui.ui.screens.reading import ReadingScreen

    yield "Story so far and Soundtrack", ReadingScreen
    from soundtrack_tui.ui.screens.help import HelpScreen
    from soundtrack_tui.ui.screens.shows import ShowsScreen

    yield "Help", HelpScreen
    yield "Shows", ShowsScreen
    yield "Scrolling", ReadingScroll


def binding_contexts() -> Iterator[tuple[type[DOMNode], ...]]:
    """The classes whose keys are live at once, as `bindings.Contexts`
    describes: keys.toml clashes are looked for in each, and help lists the
    classes of the screen it opens over."""
    from soundtrack_tui.ui.screens.help import HelpScreen
    from soundtrack_tui.ui.screens.reading import ReadingScreen
    from soundtrack_tui.ui.screens.shows import ShowsScreen

    yield (ShowsScreen,)
    for pane in (EpisodeList, TextPane):
        yield pane, MainScreen, SoundtrackApp
    for part in (SearchBox, ResultsList):
        yield part, SearchPanel, MainScreen, SoundtrackApp
    for overlay in (ReadingScreen, HelpScreen):  # modal: the app's keys are cut off
        yield ReadingScroll, overlay


def binding_ids() -> set[str]:
    """Every binding id a keys.toml may name."""
    return bindings.binding_ids(binding_owners)


def run(
    pack_path: Path, state_dir_override: str | None, *, spoilers: bool, indexer: PackIndexer | None = None
) -> int:
    """Start the browser on the pack at `pack_path`; returns an exit code.

    A pack that could not be built at all is reported on stderr (exit 1);
    one built with errors still runs, with a notice. A big pack (see
    `core.indexer`) not in the cache yet loads behind a progress bar while
    a child process reads and indexes it, started as early as possible so
    that it reads while the browser starts up (`ui.launch` starts it
    before Textual is even imported and passes it as `indexer`); the app
    holds that child and closes it. Any other pack is read here, and a
    broken one is reported before Textual starts (it is never stored, so
    it is read again every time)."""
    from soundtrack_tui.core.cache import is_cached, load_pack_cached

    cached = is_cached(pack_path)
    child = indexer if indexer is not None else PackIndexer(pack_path) if is_big(pack_path) else None
    with child or contextlib.nullcontext():
        if child is not None and not cached:
            child.start()
            load_from = (pack_path, state_dir_override)
            app = SoundtrackApp(None, None, spoilers=spoilers, load_from=load_from, indexer=child)
        else:
            result = load_pack_cached(pack_path)
            if result.pack is None:
                return _report_failure(result.errors or result.problems, pack_path)
            store = ProgressStore(state_dir(state_dir_override), result.pack.show.id, lock_timeout=1.0)
            store.load()
            problems = len(result.errors)
            app = SoundtrackApp(result.pack, store, spoilers=spoilers, problems=problems, indexer=child)
        code = app.run()
    if app.load_failure:
        return _report_failure(app.load_failure, pack_path)
    return code if isinstance(code, int) else (app.return_code or 0)


def _report_failure(errors: list[Problem], pack_path: Path) -> int:
    for problem in errors[:MAX_PROBLEMS_SHOWN]:
        sys.stderr.write(f"soundtrack: {problem}\n")
    if len(errors) > MAX_PROBLEMS_SHOWN:
        sys.stderr.write(
            f"soundtrack: ... and {len(errors) - MAX_PROBLEMS_SHOWN} more; run soundtrack check\n"
        )
    if not errors:
        sys.stderr.write(f"soundtrack: could not load the pack at {sanitize(str(pack_path))}\n")
    return 1
