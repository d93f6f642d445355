"""The main screen: episode list, recap, characters and reviewer thoughts.

The screen owns the session state (the spoiler `Viewer`, the selected
episode, the search marks) as reactives and pushes it down to the panes
with `data_bind`; panes report intents as messages. Every visibility
question goes to `core.policy`: the screen never decides what is a spoiler.
Layout and pane focus come from `PanedScreen`; search keeps its state in a
`SearchController`, whose work the screen runs in Textual workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal
from textual.reactive import Reactive, reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import CharacterView, EpisodeView, Level, ReviewView, Viewer
from soundtrack_tui.core.progress import ProgressStore
from soundtrack_tui.ui.messages import EpisodeChosen, EpisodeSelected, StoryRequested, TracksRequested
from soundtrack_tui.ui.notices import show_store_notices
from soundtrack_tui.ui.screens.main_keys import BROWSING_BINDINGS
from soundtrack_tui.ui.screens.paned import PanedScreen
from soundtrack_tui.ui.search_controller import MarksAnswer, SearchAnswer, SearchController, episodes_in
from soundtrack_tui.ui.widgets import marks
from soundtrack_tui.ui.widgets.characters_pane import CharactersPane
from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.key_bar import KeyBar
from soundtrack_tui.ui.widgets.marks import RecapMark, RecapMarks, TextMark
from soundtrack_tui.ui.widgets.recap_pane import RecapPane
from soundtrack_tui.ui.widgets.reviews_pane import ReviewsPane
from soundtrack_tui.ui.widgets.search_panel import SearchPanel
from soundtrack_tui.ui.widgets.show_header import ShowHeader

if TYPE_CHECKING:
    from soundtrack_tui.core.search import Hit, SearchIndex, SearchResults

BoundWidget = TypeVar("BoundWidget", bound=Widget)
IndexLoader = Callable[[Pack], "SearchIndex"]
"""Loads or builds a pack's search index; blocks, so it runs in a worker."""

SAVE_DELAY = 1.0


class MainScreen(PanedScreen):
    """Browse the episodes of one pack."""

    AUTO_FOCUS = "#episodes"

    BINDINGS: ClassVar[list[BindingType]] = BROWSING_BINDINGS

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

    def __init__(
        self,
        pack: Pack,
        store: ProgressStore,
        *,
        level: Level,
        key_label: Callable[[str], str],
        load_index: IndexLoader,
    ) -> None:
        super().__init__(id="main")
        self.pack = pack
        self.store = store
        self.key_label = key_label
        self.load_index = load_index
        self.search = SearchController()
        self._save_timer: Timer | None = None
        progress = store.current
        self._saved_episode = progress.last_episode
        self.set_reactive(MainScreen.viewer, Viewer(progress.watched, level))
        start = progress.last_episode  # reopened only if readable: else the next to watch
        if start is None or start not in pack.numbers or not self.viewer.unlocked(start):
            start = policy.next_episode(pack, self.viewer) or 1
        self.set_reactive(MainScreen.selected, start)
        for name, value in self._views().items():
            self.set_reactive(getattr(MainScreen, name), value)

    # -- composition -------------------------------------------------------

    def compose(self) -> ComposeResult:
        layout = self.start_layout()
        header = ShowHeader(self.pack.show.title, self.pack.numbers, id="header")
        yield self._bound(header, viewer=MainScreen.viewer)
        if layout != "wide":
            yield self.compose_tab_strip()
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

    def on_mount(self) -> None:
        # After the first frame: indexing must not delay it.
        self.call_after_refresh(self._load_index)

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

    def watch_viewer(self) -> None:
        self._update_views()
        if self.panes.searching and self.search.query.strip():
            self._start_search(self.search.query)
        self._find_recap_marks()
        self.refresh_bindings()

    def watch_selected(self, number: int) -> None:
        if self.viewer.peek is not None and self.viewer.peek != number:
            self.viewer = self.viewer.with_peek(None)  # a peek lasts until the selection moves
        self._update_views()
        self._find_recap_marks()
        self.character_mark = None
        self.review_mark = None
        self._schedule_save()
        self.refresh_bindings()

    # -- episodes --------------------------------------------------------------

    def on_episode_selected(self, message: EpisodeSelected) -> None:
        self.selected = self.query_one(EpisodeList).highlighted_episode or message.number  # not a stale one

    def on_episode_chosen(self, message: EpisodeChosen) -> None:
        self.selected = message.number
        if self.panes.searching:
            self.close_search()
        self.show_pane("recap", searching=False)

    def action_jump(self, number: int) -> None:
        if number not in self.pack.numbers:
            count = self.pack.show.episode_count
            self.notify(f"There is no episode {number}: the show has {count}.", markup=False)
            return
        self.selected = number

    def action_toggle_watched(self) -> None:
        number = self.selected = self.query_one(EpisodeList).highlighted_episode or self.selected
        watched = number not in self.viewer.watched
        progress = self.store.set_watched([number], watched)
        self.viewer = policy.Viewer(progress.watched, self.viewer.level, None)
        state = "watched" if watched else "not watched"
        self.notify(f"Episode {number} marked {state}.", markup=False, timeout=3)
        show_store_notices(self.store, self.notify)

    def action_peek(self) -> None:
        self.selected = self.query_one(EpisodeList).highlighted_episode or self.selected
        view = self.current
        if view is None:
            return
        if self.viewer.peek == view.number:
            self.viewer = self.viewer.with_peek(None)
        elif not view.locked:
            self.notify(f"Episode {view.number} is not locked.", markup=False, timeout=3)
        else:
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
            show_store_notices(self.store, self.notify)
        self.viewer = Viewer(self.viewer.watched, level, self.viewer.peek)
        shown = "Spoilers on: everything is shown" if level is Level.OFF else f"Spoiler level: {level.value}"
        self.notify(f"{shown}.", markup=False, timeout=3)

    def action_story(self) -> None:
        self.post_message(StoryRequested(self.viewer.with_peek(None)))

    def action_tracks(self) -> None:
        self.post_message(TracksRequested(self.viewer))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys from the key bar when they would do nothing."""
        if action == "search" and self.panes.searching and self.focused is self.pane_widget("search"):
            return False  # "/" is just a character inside the search box
        if action == "peek":
            view = self.current
            return view is not None and (view.locked or view.peeked)
        if action == "move_match":
            return self.recap_marks is not None and bool(self.recap_marks.marks)
        return True

    # -- search ----------------------------------------------------------------

    def action_search(self) -> None:
        if not self.panes.searching and self.results is not None:
            self.only = episodes_in(self.results)
        self.show_pane("search", searching=True)

    def close_search(self) -> None:
        """Leave the search box; its query stays marked in the recaps. The
        caller shows the pane that follows."""
        self.only = None
        if self.search.query.strip():
            self.search.last_query = self.search.query
            self._find_recap_marks()

    def action_back(self) -> None:
        if self.panes.searching:
            self.close_search()
            self.show_pane(self.panes.before_search, searching=False)
        elif self.recap_marks is not None or self.character_mark or self.review_mark:
            self.search.last_query = ""
            self.recap_marks = None
            self.character_mark = None
            self.review_mark = None
        elif self.panes.layout == "narrow" and self.panes.pane != "episodes":
            self.show_pane("episodes")

    def on_search_panel_closed(self, message: SearchPanel.Closed) -> None:
        if self.panes.searching:
            self.action_back()

    def on_search_panel_query_changed(self, message: SearchPanel.QueryChanged) -> None:
        self.search.query = message.query
        if not message.query.strip():
            self.workers.cancel_group(self, "search")
            self.results = None
            self.only = None
            self.query_one(SearchPanel).show_idle()
            return
        self._start_search(message.query)

    def _start_search(self, query: str) -> None:
        if self.search.index is not None:
            self._search(query, self.viewer)
        elif not self.search.failed:
            self.query_one(SearchPanel).show_indexing()  # searched once the index is in

    def on_search_panel_hit_chosen(self, message: SearchPanel.HitChosen) -> None:
        self.jump_to_hit(message.hit)

    def jump_to_hit(self, hit: Hit) -> None:
        """Close the search and show the match in its pane, highlighted."""
        self.close_search()
        if hit.episode is not None and hit.episode in self.pack.numbers:
            self.selected = hit.episode
        pane = marks.pane_for(hit.field)
        if pane == "tracks":  # an overlay, over the pane in use before the search
            self.show_pane(self.panes.before_search, searching=False)
            return self.action_tracks()
        if pane == "recap":
            chosen = marks.recap_marks(hit)
            # The chosen match at once; the recap's others follow from a worker.
            self.recap_marks = RecapMarks(self.selected, tuple(chosen))
            self._find_recap_marks(chosen[0] if chosen else None)
        elif pane == "characters":
            self.character_mark = marks.character_mark(hit)
        else:
            self.review_mark = marks.review_mark(hit, self.pack.show.reviews, self.series)
        self.show_pane(pane, searching=False)

    def _find_recap_marks(self, chosen: RecapMark | None = None) -> None:
        """Mark the last query's matches in the shown recap: found in a
        worker, none meanwhile (marks of another episode must not be walked)."""
        query, number, view = self.search.last_query, self.selected, self.current
        if not query.strip():
            return
        if self.recap_marks is None or self.recap_marks.episode != number:
            self.recap_marks = RecapMarks(number, ())
        if view is not None and view.paragraphs is not None and self.search.index is not None:
            self._marks(query, self.viewer, number, chosen)

    # -- workers -------------------------------------------------------------------

    @work(thread=True, group="index", exit_on_error=False)
    def _load_index(self) -> SearchIndex:
        return self.load_index(self.pack)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, viewer: Viewer) -> SearchAnswer:
        """`exclusive`: a keystroke drops the search for the one before."""
        return self.search.answer(query, viewer)

    @work(thread=True, exclusive=True, group="marks", exit_on_error=False)
    def _marks(self, query: str, viewer: Viewer, number: int, chosen: RecapMark | None) -> MarksAnswer:
        return self.search.recap_marks(query, viewer, number, chosen)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker, result = event.worker, event.worker.result
        if worker.group == "index" and event.state is WorkerState.ERROR:
            self.search.failed = True
            error = type(worker.error).__name__
            self.notify(f"Search is unavailable: indexing failed ({error})", severity="error", markup=False)
        elif event.state is not WorkerState.SUCCESS:
            return
        elif worker.group == "index":
            self.search.index = result
            if self.panes.searching and self.search.query.strip():
                self._start_search(self.search.query)
            self._find_recap_marks()
        elif isinstance(result, SearchAnswer):
            if (result.query, result.viewer) == (self.search.query, self.viewer) and self.panes.searching:
                self.results = result.results
                self.only = result.episodes
        elif isinstance(result, MarksAnswer):
            fits = (result.query, result.viewer) == (self.search.last_query, self.viewer)
            if fits and result.marks.episode == self.selected:
                self.recap_marks = result.marks

    def action_move_match(self, step: int) -> None:
        """`n`/`N`: the next or previous match in the recap."""
        recap_marks = self.recap_marks
        if recap_marks is None or not recap_marks.marks:
            key = self.key_label("search")
            self.notify(f"No search matches in this recap. Press {key} to search.", markup=False, timeout=3)
            return
        self.recap_marks = recap_marks.moved(step)
        if self.panes.pane != "recap":
            self.show_pane("recap")

    # -- persistence -------------------------------------------------------------

    def _schedule_save(self) -> None:
        """Remember the selection for the next launch once it rests: holding
        j should not write a file per row."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_last_episode)

    def save_last_episode(self) -> None:
        if self.selected != self._saved_episode:
            self._saved_episode = self.selected
            self.store.set_last_episode(self.selected)

    def on_unmount(self) -> None:
        self.save_last_episode()
