"""The main screen: episode list, recap, characters and reviewer thoughts.

This screen owns the session state (the spoiler `Viewer`, the selected
episode, search) as reactives and pushes it down to the panes with
`data_bind`; panes report intents as messages. Every visibility question
goes to `core.policy`: the screen never decides what is a spoiler.

Layout follows the terminal width through CSS classes only (`-wide`,
`-medium`, `-narrow`), so a burst of resizes never re-mounts anything.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import CharacterView, EpisodeView, Level, ReviewView, Viewer
from soundtrack_tui.core.progress import ProgressStore
from soundtrack_tui.ui.messages import EpisodeChosen, EpisodeSelected
from soundtrack_tui.ui.widgets.characters_pane import CharactersPane
from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.key_bar import KeyBar
from soundtrack_tui.ui.widgets.marks import RecapMark, RecapMarks, TextMark
from soundtrack_tui.ui.widgets.recap_pane import RecapPane
from soundtrack_tui.ui.widgets.reviews_pane import ReviewsPane
from soundtrack_tui.ui.widgets.search_panel import SearchPanel, first_page
from soundtrack_tui.ui.widgets.show_header import ShowHeader

if TYPE_CHECKING:
    from soundtrack_tui.core.search import Hit, SearchIndex, SearchResults
    from soundtrack_tui.ui.app import SoundtrackApp
    from soundtrack_tui.ui.widgets.pane_tabs import PaneTabs

BoundWidget = TypeVar("BoundWidget", bound=Widget)

WIDE = 120
MEDIUM = 80
SHORT = 8  # rows: below, header, tabs, keys and a pane's minimum may not fit (see app.tcss)
CONTENT_PANES = ("recap", "characters", "reviews")
PANES = ("episodes", *CONTENT_PANES)
SAVE_DELAY = 1.0
MARK_LIMIT = 2000

CHARACTER_FIELDS = frozenset({"name", "alias", "intro", "note"})
REVIEW_FIELDS = frozenset({"review", "series review"})


def layout_for(width: int) -> str:
    if width >= WIDE:
        return "wide"
    if width >= MEDIUM:
        return "medium"
    return "narrow"


def recap_marks(hit: Hit) -> list[RecapMark]:
    """The marks a recap hit puts in its paragraph."""
    paragraph = hit.target.paragraph
    if hit.field != "recap" or paragraph is None:
        return []
    return [RecapMark(paragraph, start, end) for start, end in hit.target.spans]


def pane_for(field: str) -> str:
    if field in CHARACTER_FIELDS:
        return "characters"
    if field in REVIEW_FIELDS:
        return "reviews"
    return "recap"


class MainScreen(Screen[None]):
    """Browse the episodes of one pack."""

    AUTO_FOCUS = "#episodes"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab", "cycle_pane(1)", "Next pane", show=False, id="next-pane", tooltip="Move to the next pane"
        ),
        Binding(
            "shift+tab",
            "cycle_pane(-1)",
            "Previous pane",
            show=False,
            id="previous-pane",
            tooltip="Move to the previous pane",
        ),
        # A priority binding runs as soon as the key arrives, so the keys
        # typed right after "/" (already queued) land in the search box.
        Binding(
            "slash", "search", "Search", id="search", tooltip="Search everything you may see", priority=True
        ),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            id="back",
            tooltip="Close the search, clear highlights, or go back to the list",
        ),
        Binding(
            "w",
            "toggle_watched",
            "Watched",
            id="toggle-watched",
            tooltip="Mark the selected episode watched, or not watched",
        ),
        Binding(
            "p",
            "peek",
            "Peek",
            id="peek",
            tooltip="Show a locked episode until the selection moves; progress is unchanged",
        ),
        Binding(
            "s",
            "toggle_spoilers",
            "Spoilers",
            id="toggle-spoilers",
            tooltip="Switch between your spoiler level and showing everything",
        ),
        Binding("n", "next_match", "Next match", id="next-match", tooltip="Next search match in the recap"),
        Binding(
            "N",
            "previous_match",
            "Prev match",
            id="previous-match",
            tooltip="Previous search match in the recap",
        ),
        Binding(
            "f", "story", "Story so far", id="story", tooltip="The story so far, as far as you have watched"
        ),
        *(
            Binding(
                str(digit),
                f"jump({digit})",
                f"Episode {digit}",
                show=False,
                id=f"jump-{digit}",
                tooltip=f"Jump to episode {digit}",
            )
            for digit in range(1, 10)
        ),
    ]

    viewer: reactive[Viewer] = reactive(Viewer, init=False)
    selected: reactive[int] = reactive(1, init=False)
    current: reactive[EpisodeView | None] = reactive(None, init=False)
    characters: reactive[tuple[CharacterView, ...]] = reactive((), init=False)
    series: reactive[tuple[ReviewView, ...]] = reactive((), init=False)
    hidden_series: reactive[int] = reactive(0, init=False)
    recap_marks: reactive[RecapMarks | None] = reactive(None, init=False)
    character_mark: reactive[TextMark | None] = reactive(None, init=False)
    review_mark: reactive[TextMark | None] = reactive(None, init=False)
    results: reactive[SearchResults | None] = reactive(None, init=False)
    only: reactive[frozenset[int] | None] = reactive(None, init=False)
    searching: reactive[bool] = reactive(False, init=False)
    pane: reactive[str] = reactive("episodes", init=False)
    content_pane: reactive[str] = reactive("recap", init=False)
    layout_mode: reactive[str] = reactive("", init=False)

    def __init__(
        self,
        pack: Pack,
        store: ProgressStore,
        *,
        level: Level,
        key_label: Callable[[str], str],
        load_index: Callable[[Pack], SearchIndex],
    ) -> None:
        super().__init__(id="main")
        self.pack = pack
        self.store = store
        self.key_label = key_label
        self.load_index = load_index
        # Loaded or built off the UI thread once the first frame is drawn
        # (see on_mount): milliseconds for a small pack, seconds for a
        # thousand episodes the first time.
        self._index: SearchIndex | None = None
        self._index_ready = threading.Event()
        self.search_query = ""
        """What the search box holds now."""
        self.last_query = ""
        """The query n/N walk: the last one searched, kept after the box closes."""
        self._pane_before_search = "episodes"
        self._composed = False
        self._tab_strip: PaneTabs | None = None
        """Made the first time the layout needs it (see `_new_tab_strip`)."""
        self._save_timer: Timer | None = None
        self._saved_episode: int | None = None
        progress = store.current
        self.set_reactive(MainScreen.viewer, Viewer(progress.watched, level))
        start = progress.last_episode
        if start is None or start not in pack.numbers:
            start = policy.next_episode(pack, self.viewer) or 1
        self._saved_episode = progress.last_episode
        self.set_reactive(MainScreen.selected, start)
        for name, value in self._views().items():
            self.set_reactive(getattr(MainScreen, name), value)

    # -- composition -------------------------------------------------------

    @property
    def soundtrack_app(self) -> SoundtrackApp:
        from soundtrack_tui.ui.app import SoundtrackApp

        app = self.app
        assert isinstance(app, SoundtrackApp)
        return app

    def compose(self) -> ComposeResult:
        # Classes and bound values are set before anything mounts: set
        # afterwards, each would restyle or rebuild what is already there.
        mode = layout_for(self.app.size.width)
        self.set_class(self.app.size.height < SHORT, "-short")
        self.set_reactive(MainScreen.layout_mode, mode)
        self._set_layout_classes()
        self._apply_pane()  # before `_composed`: the screen's own classes only
        header = ShowHeader(self.pack.show.title, self.pack.numbers, id="header")
        yield self._bound(header, viewer=MainScreen.viewer)
        if mode != "wide":
            yield self._new_tab_strip()
        with Horizontal(id="body"):
            yield self._bound(
                EpisodeList(self.pack, id="episodes"),
                viewer=MainScreen.viewer,
                selected=MainScreen.selected,
                only=MainScreen.only,
            )
            with Container(id="content"):
                yield SearchPanel(self._heading, self.key_label, id="search").data_bind(MainScreen.results)
                yield self._bound(
                    RecapPane(self.key_label, id="recap", classes="-current"),
                    view=MainScreen.current,
                    marks=MainScreen.recap_marks,
                )
                yield self._bound(
                    CharactersPane(id="characters"),
                    views=MainScreen.characters,
                    mark=MainScreen.character_mark,
                )
                yield self._bound(
                    ReviewsPane(id="reviews"),
                    episode=MainScreen.current,
                    series=MainScreen.series,
                    hidden_series=MainScreen.hidden_series,
                    mark=MainScreen.review_mark,
                )
        yield KeyBar(id="keys")

    def _bound(self, widget: BoundWidget, **sources: Reactive[Any]) -> BoundWidget:
        """`widget.data_bind(**sources)`, with the values given before mount
        so the first compose already draws them."""
        for name, source in sources.items():
            widget.set_reactive(getattr(type(widget), name), getattr(self, source.name))
        return widget.data_bind(**sources)

    def _build_index(self) -> None:
        """In a daemon thread rather than a worker: a thousand episodes take
        seconds to index (in a child process, see `core.indexer`), and
        quitting must not wait for that."""
        thread = threading.Thread(target=self._index_pack, args=(self.app,), name="search-index", daemon=True)
        thread.start()

    def _index_pack(self, app: App[object]) -> None:
        try:
            self._index = self.load_index(self.pack)
        except Exception as error:  # a bug: say so rather than search forever
            message = f"Search is unavailable: indexing failed ({type(error).__name__})"
            with contextlib.suppress(RuntimeError):  # the app may be gone
                app.call_from_thread(app.notify, message, severity="error", markup=False)
        finally:
            self._index_ready.set()  # searches waiting on the build stop waiting

    def on_mount(self) -> None:
        self.call_after_refresh(self._build_index)
        self._composed = True
        self._apply_layout(layout_for(self.size.width))
        self._apply_pane()

    def _heading(self, number: int) -> str:
        return policy.episode_view(self.pack, self.viewer, number).heading

    # -- derived state -------------------------------------------------------

    def _views(self) -> dict[str, object]:
        """Ask the policy for everything the panes show."""
        viewer = self.viewer
        series = policy.series_reviews(self.pack, viewer)
        return {
            "current": policy.episode_view(self.pack, viewer, self.selected),
            "characters": tuple(policy.character_views(self.pack, viewer)),
            "series": series,
            "hidden_series": len(self.pack.show.reviews) - len(series),
        }

    def _update_views(self) -> None:
        for name, value in self._views().items():
            setattr(self, name, value)

    def watch_viewer(self, old: Viewer, new: Viewer) -> None:
        self._update_views()
        if self.searching and self.search_query:
            self._start_search(self.search_query)
        if self.last_query and not self.searching:
            self.recap_marks = self._recap_marks(self.selected, self.last_query)
        self.refresh_bindings()

    def watch_selected(self, old: int, new: int) -> None:
        if self.viewer.peek is not None and self.viewer.peek != new:
            # A peek lasts until the selection moves.
            self.viewer = self.viewer.with_peek(None)
        self._update_views()
        if self.last_query:
            self.recap_marks = self._recap_marks(new, self.last_query)
        self.character_mark = None
        self.review_mark = None
        self._schedule_save()
        self.refresh_bindings()

    # -- panes and layout ---------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT, "-short")
        self._apply_layout(layout_for(event.size.width))

    def _apply_layout(self, mode: str) -> None:
        self.layout_mode = mode

    def watch_layout_mode(self) -> None:
        self._set_layout_classes()
        self._apply_pane()

    def _set_layout_classes(self) -> None:
        for name in ("wide", "medium", "narrow"):
            self.set_class(self.layout_mode == name, f"-{name}")

    def watch_pane(self) -> None:
        self._apply_pane()

    def watch_searching(self, searching: bool) -> None:
        self.set_class(searching, "-searching")
        self._apply_pane()

    def pane_order(self) -> tuple[str, ...]:
        return ("search", "episodes") if self.searching else PANES

    def pane_widget(self, pane: str) -> Widget:
        if pane == "search":
            return self.query_one("#search-input", Input)
        return self.query_one(f"#{pane}")

    def _apply_pane(self) -> None:
        """Reflect `pane` and `content_pane` in classes and the tab strip."""
        if self.pane in CONTENT_PANES:
            self.content_pane = self.pane
        self.set_class(self.pane == "episodes", "-on-episodes")
        if not self._composed:
            return
        for name in CONTENT_PANES:
            self.query_one(f"#{name}").set_class(name == self.content_pane, "-current")
        tabs = self._tab_strip
        if tabs is None and self.layout_mode != "wide":
            self.call_later(self._mount_tab_strip, self._new_tab_strip())
            return
        if tabs is None or not tabs.is_mounted:
            return  # `_mount_tab_strip` brings it up to date once mounted
        tabs.set_class(self.layout_mode == "medium", "-medium")
        active = self._expected_tab()
        if tabs.active != active:
            with tabs.prevent(tabs.TabActivated):
                tabs.active = active

    def _new_tab_strip(self) -> PaneTabs:
        """The tab strip, made only when a layout first needs it: a wide
        terminal never shows it, and its nine widgets (of 39 on a wide first
        screen) were each styled twice before the first paint. Its module,
        with Textual's tabs, is imported then too (~0.16 MB)."""
        from soundtrack_tui.ui.widgets.pane_tabs import PaneTabs

        self._tab_strip = PaneTabs(
            active=self._expected_tab(),
            id="pane-tabs",
            classes="-medium" if self.layout_mode == "medium" else None,
        )
        return self._tab_strip

    async def _mount_tab_strip(self, tabs: PaneTabs) -> None:
        await self.mount(tabs, before=self.query_one("#body"))
        self._apply_pane()

    def _expected_tab(self) -> str:
        """The tab that shows what is on screen: the list in narrow mode
        when it is the pane in use, else the current content pane."""
        if self.pane == "episodes" and self.layout_mode == "narrow":
            return "tab-episodes"
        return f"tab-{self.content_pane}"

    def show_pane(self, pane: str) -> None:
        """Make `pane` the active pane and focus it."""
        if pane == "search" and not self.searching:
            pane = "episodes"
        self.pane = pane
        self._apply_pane()
        self.set_focus(self.pane_widget(pane))

    def action_cycle_pane(self, step: int) -> None:
        order = self.pane_order()
        current = self.pane if self.pane in order else order[0]
        self.show_pane(order[(order.index(current) + step) % len(order)])

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        node: Widget | None = event.widget
        while node is not None and node is not self:
            if node.id in PANES or node.id == "search":
                pane = node.id or "episodes"
                if pane != self.pane:
                    self.pane = pane
                return
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None

    def on_pane_tabs_pane_clicked(self, message: PaneTabs.PaneClicked) -> None:
        if message.pane in PANES:
            self.show_pane(message.pane)

    # -- episodes --------------------------------------------------------------

    def on_episode_selected(self, message: EpisodeSelected) -> None:
        self.selected = message.number

    def on_episode_chosen(self, message: EpisodeChosen) -> None:
        self.selected = message.number
        if self.searching:
            self.close_search()
        self.show_pane("recap")

    def action_jump(self, number: int) -> None:
        if number not in self.pack.numbers:
            count = self.pack.show.episode_count
            self.notify(f"There is no episode {number}: the show has {count}.", markup=False)
            return
        self.selected = number

    def action_toggle_watched(self) -> None:
        number = self.selected
        watched = number not in self.viewer.watched
        progress = self.store.set_watched([number], watched)
        self.viewer = policy.Viewer(progress.watched, self.viewer.level, None)
        state = "watched" if watched else "not watched"
        self.notify(f"Episode {number} marked {state}.", markup=False, timeout=3)
        self.soundtrack_app.show_store_notices()

    def action_peek(self) -> None:
        view = self.current
        if view is None:
            return
        if self.viewer.peek == view.number:
            self.viewer = self.viewer.with_peek(None)
            return
        if not view.locked:
            self.notify(f"Episode {view.number} is not locked.", markup=False, timeout=3)
            return
        self.viewer = self.viewer.with_peek(view.number)

    def action_toggle_spoilers(self) -> None:
        """Between the saved (safe) level and `off`, for this session only."""
        if self.viewer.level is Level.OFF:
            saved = self.store.current.level
            level = saved if saved is not Level.OFF else policy.DEFAULT_LEVEL
        else:
            level = Level.OFF
        self.set_level(level, save=False)

    def set_level(self, level: Level, *, save: bool) -> None:
        if save:
            self.store.set_level(level)
            self.soundtrack_app.show_store_notices()
        self.viewer = Viewer(self.viewer.watched, level, self.viewer.peek)
        words = "everything is shown" if level is Level.OFF else f"spoiler level {level.value}"
        self.notify(f"Spoilers: {words}.", markup=False, timeout=3)

    def action_story(self) -> None:
        self.soundtrack_app.show_story(self.viewer.with_peek(None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys from the footer when they would do nothing."""
        if action == "search" and self.searching and self.focused is self.pane_widget("search"):
            return False  # "/" is just a character inside the search box
        if action == "peek":
            view = self.current
            return view is not None and (view.locked or view.peeked)
        if action in ("next_match", "previous_match"):
            return self.recap_marks is not None and bool(self.recap_marks.marks)
        return True

    # -- search ----------------------------------------------------------------

    def action_search(self) -> None:
        if not self.searching:
            self._pane_before_search = self.pane if self.pane in PANES else "episodes"
            self.searching = True
            self.only = self._filter(self.results)
        self.show_pane("search")

    def close_search(self) -> None:
        self.searching = False
        self.only = None
        if self.search_query:
            self.last_query = self.search_query
            self.recap_marks = self._recap_marks(self.selected, self.last_query)

    def action_back(self) -> None:
        if self.searching:
            self.close_search()
            self.show_pane(self._pane_before_search)
        elif self.recap_marks is not None or self.character_mark or self.review_mark:
            self.last_query = ""
            self.recap_marks = None
            self.character_mark = None
            self.review_mark = None
        elif self.layout_mode == "narrow" and self.pane != "episodes":
            self.show_pane("episodes")

    def on_search_panel_closed(self, message: SearchPanel.Closed) -> None:
        if self.searching:
            self.action_back()

    def on_search_panel_query_changed(self, message: SearchPanel.QueryChanged) -> None:
        self.search_query = message.query
        if not message.query.strip():
            self.workers.cancel_group(self, "search")
            self.results = None
            self.only = None
            self.query_one(SearchPanel).show_idle()
            return
        self._start_search(message.query)

    def _start_search(self, query: str) -> None:
        if not self._index_ready.is_set():
            self.query_one(SearchPanel).show_indexing()
        self._search(query, self.viewer)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, viewer: Viewer) -> tuple[str, Viewer, SearchResults] | None:
        """Off the UI thread, so typing never waits; `exclusive` drops the
        search for the previous keystroke."""
        worker = get_current_worker()
        while not self._index_ready.wait(0.05):  # a big pack may still be indexing
            if worker.is_cancelled:
                return None
        if self._index is None:
            return None
        results = self._index.search(query, viewer)
        for hit in first_page(results.hits):
            hit.target  # noqa: B018  (works out snippet and spans here, not on the UI thread)
        return query, viewer, results

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "search" or event.state is not WorkerState.SUCCESS:
            return
        result = worker.result
        if not isinstance(result, tuple):
            return
        query, viewer, results = result
        if query != self.search_query or viewer != self.viewer or not self.searching:
            return  # a stale answer: a newer keystroke or viewer is on its way
        self.results = results
        self.only = self._filter(results)

    @staticmethod
    def _filter(results: SearchResults | None) -> frozenset[int] | None:
        if results is None:
            return None
        numbers = {hit.episode for hit in results.hits if hit.episode is not None}
        return frozenset(numbers | set(results.locked))

    def on_search_panel_hit_chosen(self, message: SearchPanel.HitChosen) -> None:
        self.jump_to_hit(message.hit)

    def jump_to_hit(self, hit: Hit) -> None:
        """Close the search and show the match in its pane, highlighted."""
        self.close_search()
        if hit.episode is not None and hit.episode in self.pack.numbers:
            self.selected = hit.episode
        pane = pane_for(hit.field)
        self.last_query = self.search_query
        if pane == "recap":
            marks = self._recap_marks(self.selected, self.last_query)
            chosen = recap_marks(hit)
            if marks is not None and chosen and chosen[0] in marks.marks:
                marks = RecapMarks(marks.episode, marks.marks, marks.marks.index(chosen[0]))
            self.recap_marks = marks
        elif pane == "characters":
            self.character_mark = self._character_mark(hit)
        else:
            self.review_mark = self._review_mark(hit)
        self.show_pane(pane)

    # -- search marks ------------------------------------------------------------

    def _recap_marks(self, number: int, query: str) -> RecapMarks | None:
        """Every match of `query` in episode `number`'s recap, in reading order."""
        if not query.strip():
            return None
        view = self.current
        if view is None or view.paragraphs is None:
            return RecapMarks(number, ())
        if self._index is None:
            return RecapMarks(number, ())  # still indexing: no marks yet
        results = self._index.search(query, self.viewer, limit=MARK_LIMIT)
        marks: set[RecapMark] = set()
        for hit in results.hits:
            if hit.episode == number and hit.field == "recap":
                marks.update(recap_marks(hit))
        return RecapMarks(number, tuple(sorted(marks, key=lambda m: (m.paragraph, m.start))))

    def _character_mark(self, hit: Hit) -> TextMark | None:
        target = hit.target
        if target.character_id is None:
            return None
        index = target.alias_index if hit.field == "alias" else target.note_index
        return TextMark(target.character_id, hit.field, target.spans, index)

    def _review_mark(self, hit: Hit) -> TextMark | None:
        index = hit.target.review_index
        if index is None:
            return None
        if hit.field == "series review":
            if not 0 <= index < len(self.pack.show.reviews):
                return None
            review = self.pack.show.reviews[index]
            visible = [view.review for view in self.series]
            if review not in visible:
                return None
            return TextMark(f"series-{visible.index(review)}", "text", hit.target.spans)
        return TextMark(f"episode-{index}", "text", hit.target.spans)

    def action_next_match(self) -> None:
        self._move_match(1)

    def action_previous_match(self) -> None:
        self._move_match(-1)

    def _move_match(self, step: int) -> None:
        marks = self.recap_marks
        if marks is None or not marks.marks:
            key = self.key_label("search")
            self.notify(f"No search matches in this recap. Press {key} to search.", markup=False, timeout=3)
            return
        self.recap_marks = marks.moved(step)
        if self.pane != "recap":
            self.show_pane("recap")

    # -- persistence -------------------------------------------------------------

    def _schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_last_episode)

    def save_last_episode(self) -> None:
        """Remember the selection for the next launch (debounced: holding
        j should not write a file per row)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.selected != self._saved_episode:
            self._saved_episode = self.selected
            self.store.set_last_episode(self.selected)

    def on_unmount(self) -> None:
        self.save_last_episode()
