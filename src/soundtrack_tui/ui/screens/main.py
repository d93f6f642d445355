"""The main screen: the episode list and the Recap, Characters and Reviews panes.

The screen owns the session state (the spoiler `Viewer`, the selected
episode, the search marks) as reactives and pushes it down to the panes
with `data_bind`; panes report intents as messages. Every visibility
question goes to `core.policy`: the screen never decides what is a spoiler.
Layout and pane focus come from `PanedScreen`, the search and its marks
from `SearchingScreen`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal
from textual.reactive import Reactive, var
from textual.timer import Timer
from textual.widget import Widget

from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import CharacterView, EpisodeView, Level, Viewer
from soundtrack_tui.core.progress import ProgressStore
from soundtrack_tui.ui.messages import (
    EpisodeChosen,
    EpisodeSelected,
    SeasonsFolded,
    StoryRequested,
    TracksRequested,
)
from soundtrack_tui.ui.notices import show_store_notices
from soundtrack_tui.ui.screens.main_keys import BROWSING_BINDINGS
from soundtrack_tui.ui.screens.searching import IndexLoader, SearchingScreen
from soundtrack_tui.ui.widgets.characters_pane import CharactersPane
from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.key_bar import KeyBar
from soundtrack_tui.ui.widgets.recap_pane import RecapPane
from soundtrack_tui.ui.widgets.reviews_pane import ReviewsPane
from soundtrack_tui.ui.widgets.search_panel import SearchPanel
from soundtrack_tui.ui.widgets.show_header import ShowHeader

BoundWidget = TypeVar("BoundWidget", bound=Widget)

SAVE_DELAY = 1.0


class MainScreen(SearchingScreen):
    """Browse the episodes of one pack."""

    AUTO_FOCUS = "#episodes"

    BINDINGS: ClassVar[list[BindingType]] = BROWSING_BINDINGS

    current: var[EpisodeView | None] = var(None, init=False)
    characters: var[tuple[CharacterView, ...]] = var((), init=False)
    hidden_series: var[int] = var(0, init=False)

    def __init__(
        self,
        pack: Pack,
        store: ProgressStore,
        *,
        level: Level,
        key_label: Callable[[str], str],
        load_index: IndexLoader,
    ) -> None:
        # No id: switching shows mounts a new main screen while an older one
        # is still in the stack, and two screens cannot share an id.
        super().__init__(pack, key_label, load_index, id=None)
        self.store = store
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
        header = ShowHeader(self.pack.show.title, self.pack.numbers, self.pack.season_label, id="header")
        yield self._bound(header, viewer=MainScreen.viewer)
        if layout != "wide":
            yield self.compose_tab_strip()
        with Horizontal(id="body"):
            yield self._bound(
                EpisodeList(self.pack, folded=self.store.current.folded_seasons, id="episodes"),
                viewer=MainScreen.viewer,
                selected=MainScreen.selected,
                only=MainScreen.only,
            )
            with Container(id="content"):
                yield SearchPanel(
                    self._heading, self.key_label, on_edit=self.hold_frame, id="search"
                ).data_bind(MainScreen.results)
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
        self.call_after_refresh(self.start_indexing)

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
        self.search_viewer_changed()
        self.refresh_bindings()

    def watch_selected(self, number: int) -> None:
        if self.viewer.peek is not None and self.viewer.peek != number:
            self.viewer = self.viewer.with_peek(None)  # a peek lasts until the selection moves
        self._update_views()
        self.search_episode_changed()
        self._schedule_save()
        self.refresh_bindings()

    # -- episodes --------------------------------------------------------------

    def on_episode_selected(self, message: EpisodeSelected) -> None:
        episodes = self.query_one(EpisodeList)
        if episodes.on_season_header:
            return  # stale: the cursor has gone on to a season's header since
        self.selected = episodes.highlighted_episode or message.number  # not a stale one

    def on_seasons_folded(self, message: SeasonsFolded) -> None:
        self.store.update(lambda progress: replace(progress, folded_seasons=message.folded))
        show_store_notices(self.store, self.notify)

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
        self.notify(f"{self.pack.episode_label(number)} marked {state}.", markup=False, timeout=3)
        show_store_notices(self.store, self.notify)

    def action_peek(self) -> None:
        self.selected = self.query_one(EpisodeList).highlighted_episode or self.selected
        view = self.current
        if view is None:
            return
        if self.viewer.peek == view.number:
            self.viewer = self.viewer.with_peek(None)
        elif not view.locked:
            self.notify(f"{view.label} is not locked.", markup=False, timeout=3)
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
        if action in ("toggle_watched", "peek") and self._on_season_header():
            return False  # a season's header is no episode to mark
        if action == "peek":
            view = self.current
            return view is not None and (view.locked or view.peeked)
        if action == "move_match":
            return self.marking
        return True

    def _on_season_header(self) -> bool:
        episodes = self.query_one(EpisodeList)
        return self.focused is episodes and episodes.on_season_header

    def action_back(self) -> None:
        if self.panes.searching:
            self.leave_search()
        elif self.marking:
            self.clear_marks()
        elif self.panes.pane != "episodes":
            self.show_pane("episodes")

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
