"""Switching the app to another show of the library.

A cached pack loads in milliseconds, so it is read at once and the new
list is drawn on the next frame; an uncached one is read in a worker behind
the loading screen, as at a cold start. The app only adopts the result
(`SoundtrackApp.adopt`): the pack, its progress store and a new main screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App

from soundtrack_tui.core import library
from soundtrack_tui.core.cache import is_cached, load_pack_cached
from soundtrack_tui.core.errors import LoadResult
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.progress import ProgressStore


@dataclass(frozen=True)
class Switch:
    """What a switch needs of the app, passed in so that this module never
    imports it: the app, where progress is kept, and how it takes a pack."""

    app: App[Any]
    state: ProgressStore
    adopt: Callable[[Pack, ProgressStore], None]


def open_library(switch: Switch, current: Pack | None) -> None:
    """Push the Shows screen; the show chosen there is opened."""
    from soundtrack_tui.ui.screens.shows import ShowsScreen

    if isinstance(switch.app.screen, ShowsScreen):
        return
    shown = current.show.id if current is not None else None

    def chosen(pack_id: str | None) -> None:
        # Later, not now: the Shows screen is still on top while its
        # result is handed over, and the switch replaces the screen on top.
        if pack_id is not None and pack_id != shown:
            switch.app.call_later(switch_to, switch, pack_id)

    shows = library.list_shows(str(switch.state.folder))
    switch.app.push_screen(ShowsScreen(shows, shown), chosen)


def switch_to(switch: Switch, pack_id: str) -> None:
    """Open show `pack_id` in `app`, cached at once, else behind a progress bar."""
    app = switch.app
    try:
        path = library.pack_for(pack_id)
    except library.LibraryError as failure:
        app.notify(failure.lines[0], severity="error", markup=False)
        return
    if is_cached(path):
        _finish(switch, pack_id, load_pack_cached(path))
        return
    from soundtrack_tui.ui.screens.loading import LoadingScreen

    loading = LoadingScreen(str(path))
    app.push_screen(loading)

    def read() -> None:
        def progress(done: int, total: int) -> None:
            app.call_from_thread(loading.advance, done, total)

        result = load_pack_cached(path, progress)
        app.call_from_thread(_finish, switch, pack_id, result, loading)

    app.run_worker(read, thread=True, exit_on_error=False, group="show-switch")


def _finish(switch: Switch, pack_id: str, result: LoadResult, loading: object = None) -> None:
    app = switch.app
    if loading is not None and app.screen is loading:
        app.pop_screen()
    if result.pack is None or result.errors:
        first = str(result.errors[0]) if result.errors else f"could not load {pack_id}"
        app.notify(f"{first} (run soundtrack check)", severity="error", markup=False, timeout=10)
        return
    folder = switch.state.folder
    store = ProgressStore(folder, result.pack.show.id, lock_timeout=1.0)
    store.load()
    switch.adopt(result.pack, store)
    library.remember_show(pack_id, str(folder))
