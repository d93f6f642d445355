"""The main screen's search: the box, the results, and the marks a chosen
result leaves where the user reads.

The rules live in the core's `SearchSession` (what is stale, which match is
current, what a change of query or viewer clears); this screen feeds it the
user's intents, runs what it asks for in a Textual worker, and pushes what
it holds down to the panes. The session is made when the index is in: its
module, with the whole search package, is imported in the indexing worker,
not before the first paint.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.reactive import var
from textual.worker import Worker, WorkerState

from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import ReviewView, Viewer
from soundtrack_tui.ui.frame_hold import FrameHold
from soundtrack_tui.ui.messages import TracksRequested
from soundtrack_tui.ui.screens.paned import PanedScreen
from soundtrack_tui.ui.widgets import marks
from soundtrack_tui.ui.widgets.marks import RecapMark, RecapMarks, TextMark
from soundtrack_tui.ui.widgets.search_panel import PAGE, SearchPanel

if TYPE_CHECKING:
    from soundtrack_tui.core.search import Hit, SearchAnswer, SearchIndex, SearchRequest, SearchResults
    from soundtrack_tui.core.search.session import SearchSession

IndexLoader = Callable[[Pack], "SearchIndex"]
"""Loads or builds a pack's search index; blocks, so it runs in a worker."""

CURRENT_PANES = ("recap", "characters", "reviews")
WORKER_DONE = frozenset({WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED})


def keep_out_of_collections() -> None:
    """Once the pack, its index and the screen exist, tell the collector
    they live for good (`gc.freeze`): a full collection then scans only
    what was made since. Measured while typing a search in the bundled
    pack: full collections came every few keys and took 20 to 33 ms each,
    a dropped frame every time; after this, 2 to 3 ms.

    Once per process: frozen objects are never collected, and a show
    switched away from later must be (its screen and widgets hold cycles);
    the first show's screen stays under the others for good anyway."""
    if gc.get_freeze_count() == 0:
        gc.freeze()


def episodes_in(results: SearchResults) -> frozenset[int]:
    """Episodes with a visible hit, and the locked ones with matches (the
    list shows those locked, never why)."""
    numbers = {hit.episode for hit in results.hits if hit.episode is not None}
    return frozenset(numbers | set(results.locked))


class SearchingScreen(PanedScreen):
    """A paned screen with a search box over a pack. Subclasses compose the
    `SearchPanel` and the panes, keep `viewer`, `selected` and `series`
    (the series reviews shown) up to date, and call `search_viewer_changed`
    and `search_episode_changed` when the first two change."""

    # `var`, not `reactive`: a screen's reactive repaints the whole screen
    # when it changes, and these change on every keystroke of a search; the
    # panes bound to them repaint themselves.
    viewer: var[Viewer] = var(Viewer, init=False)
    selected: var[int] = var(1, init=False)
    # Never compared: results are a new object per answer, and comparing two
    # compares their hits, each of which then works out its snippet, on
    # this thread, for every hit while they are equal (two hundred of them
    # when a keystroke does not change what is found).
    results: var[SearchResults | None] = var(None, init=False, always_update=True)
    only: var[frozenset[int] | None] = var(None, init=False)
    recap_marks: var[RecapMarks | None] = var(None, init=False)
    character_mark: var[TextMark | None] = var(None, init=False)
    review_mark: var[TextMark | None] = var(None, init=False)

    series: var[tuple[ReviewView, ...]] = var((), init=False)

    def __init__(
        self, pack: Pack, key_label: Callable[[str], str], load_index: IndexLoader, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.pack = pack
        self.key_label = key_label
        self.load_index = load_index
        self.search: SearchSession | None = None
        """None until the index is in (or for good, if indexing failed)."""
        self.search_failed = False
        self._frame_hold: FrameHold | None = None
        self._typed = ""
        """The query typed before the session exists."""

    def hold_frame(self) -> None:
        """The query is being edited: draw the edit with its results, which
        a search worker will answer in a moment (see `ui/frame_hold.py`)."""
        if self.search is not None:
            self.frame_hold.hold()

    @property
    def frame_hold(self) -> FrameHold:
        if self._frame_hold is None:
            self._frame_hold = FrameHold(self)
        return self._frame_hold

    # -- intents ---------------------------------------------------------------

    def action_search(self) -> None:
        if not self.panes.searching and self.results is not None:
            self.only = episodes_in(self.results)
        self.show_pane("search", searching=True)
        self.query_one(SearchPanel).input.select_all()  # "/" again: typing starts a new query

    def close_search(self, *, keep_marks: bool = False) -> None:
        """Leave the search box; a chosen result's marks stay (`keep_marks`),
        a cancelled search leaves none. The caller shows the pane that follows."""
        self.only = None
        if not keep_marks:
            self.clear_marks()

    def clear_marks(self) -> None:
        if self.search is not None:
            self.search.clear_marks()
        self._show_marks()

    @property
    def marking(self) -> bool:
        return self.search is not None and self.search.marking

    def on_search_panel_closed(self, message: SearchPanel.Closed) -> None:
        if self.panes.searching:
            self.leave_search()

    def leave_search(self) -> None:
        """Close the search and go back to the pane in use before it."""
        self.close_search()
        self.show_pane(self.panes.before_search, searching=False)

    def on_search_panel_query_changed(self, message: SearchPanel.QueryChanged) -> None:
        self._typed = message.query
        if self.search is None:
            self.frame_hold.release()
            if message.query.strip() and not self.search_failed:
                self.query_one(SearchPanel).show_indexing()  # searched once the index is in
            return
        request = self.search.set_query(message.query)
        if request is None or not request.results:
            self.frame_hold.release()  # nothing to wait for
        self._show_marks()
        if not message.query.strip():
            self.workers.cancel_group(self, "search")
            self.results = None
            self.only = None
            self.query_one(SearchPanel).show_idle()
        self._run(request)

    def on_search_panel_hit_chosen(self, message: SearchPanel.HitChosen) -> None:
        self.jump_to_hit(message.hit)

    def jump_to_hit(self, hit: Hit) -> None:
        """Close the search and show the match in its pane, highlighted; `n`
        and `N` then step through every match from there."""
        if self.search is None:
            return
        request = self.search.choose(hit)
        self.close_search(keep_marks=True)
        self.show_hit(hit)
        self._run(request)

    def show_hit(self, hit: Hit) -> None:
        """Select the hit's episode and show the pane that holds it."""
        if hit.episode is not None and hit.episode in self.pack.numbers:
            self.selected = hit.episode
        pane = marks.pane_for(hit.field)
        if pane == "tracks":  # an overlay, over the pane in use before the search
            self.show_pane(self.panes.before_search, searching=False)
            self.post_message(TracksRequested(self.viewer))
            return
        self._show_marks()
        self.show_pane(pane, searching=False)

    def action_move_match(self, step: int) -> None:
        """`n`/`N`: the next or previous match of the whole result set."""
        session = self.search
        hit = None
        if session is not None:
            hit = session.next_match() if step > 0 else session.previous_match()
        if hit is None:
            if self.marking:
                message = "Still finding the matches; try again in a moment."
            else:
                message = f"No search matches to step through. Press {self.key_label('search')} to search."
            self.notify(message, markup=False, timeout=3)
            return
        self.show_hit(hit)
        if session is not None:
            self._run(session.request())

    # -- state changes from the subclass ---------------------------------------

    def search_viewer_changed(self) -> None:
        """Spoiler level, watched episodes or peek changed: what was found
        for the old viewer goes at once; the new answer follows."""
        if self.search is None:
            return
        request = self.search.set_viewer(self.viewer)
        if self.panes.searching:
            self.results = self.search.results
        self._show_marks()
        self._run(request)

    def search_episode_changed(self) -> None:
        if self.search is None:
            return
        request = self.search.set_episode(self.selected)
        self._show_marks()
        self._run(request)

    # -- workers -----------------------------------------------------------------

    def start_indexing(self) -> None:
        self._load_index()

    @work(thread=True, group="index", exit_on_error=False)
    def _load_index(self) -> SearchSession:
        from soundtrack_tui.core.search.session import SearchSession

        return SearchSession(self.viewer, self.load_index(self.pack), prepare=PAGE)

    def _run(self, request: SearchRequest | None) -> None:
        if request is not None and self.search is not None:
            self._answer(self.search, request)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _answer(self, session: SearchSession, request: SearchRequest) -> SearchAnswer | None:
        """`exclusive`: each request covers what the ones before it asked."""
        return session.answer(request)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        try:
            self._worker_done(event)
        finally:
            if event.worker.group == "search" and event.state in WORKER_DONE:
                # After the panes' own refresh messages, which the frame must include.
                self.frame_hold.release_soon()

    def _worker_done(self, event: Worker.StateChanged) -> None:
        worker, result = event.worker, event.worker.result
        if worker.group == "index" and event.state is WorkerState.ERROR:
            self.search_failed = True
            error = type(worker.error).__name__
            self.notify(f"Search is unavailable: indexing failed ({error})", severity="error", markup=False)
        elif event.state is not WorkerState.SUCCESS or result is None:
            return
        elif worker.group == "index":
            self.search = session = result
            keep_out_of_collections()
            session.set_viewer(self.viewer)
            session.set_episode(self.selected)
            session.set_query(self._typed)
            self._run(session.request())
        elif worker.group == "search" and self.search is not None and self.search.accept(result):
            if self.panes.searching:
                self.results = self.search.results
                self.only = episodes_in(self.results) if self.results is not None else None
            self._show_marks()

    # -- marks -----------------------------------------------------------------

    def _show_marks(self) -> None:
        """Push the session's marks down to the panes, and say where the
        current match is in the pane that holds it."""
        session = self.search
        hit = session.current if session is not None else None
        recap: RecapMarks | None = None
        if session is not None and session.marking and session.episode is not None:
            found = tuple(RecapMark(*match) for match in session.marks)
            recap = RecapMarks(session.episode, found, session.current_mark)
            if session.matches is None and hit is not None and hit.episode == session.episode:
                recap = RecapMarks(session.episode, tuple(marks.recap_marks(hit)))  # the rest follow
        self.recap_marks = recap
        pane = marks.pane_for(hit.field) if hit is not None else None
        self.character_mark = marks.character_mark(hit) if hit is not None and pane == "characters" else None
        review = None
        if hit is not None and pane == "reviews":
            review = marks.review_mark(hit, self.pack.show.reviews, self.series)
        self.review_mark = review
        position = session.position if session is not None else None
        label = ""
        if position:
            label = f"{position} · {self.key_label('next-match')}/{self.key_label('previous-match')}"
        for name in CURRENT_PANES:
            subtitle = label if name == pane else ""
            widget = self.query_one(f"#{name}")
            if widget.border_subtitle != subtitle:  # a change repaints the pane: not on every key
                widget.border_subtitle = subtitle
