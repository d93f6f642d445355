"""Notices the progress store leaves for the user.

The store never raises on a failed write (browsing goes on without saving):
it keeps a notice instead, and whoever just wrote to it shows the notices
as warnings. Plain text, never markup: they quote file paths."""

from __future__ import annotations

from collections.abc import Callable

from soundtrack_tui.core.history.notice import take_waiting_notice
from soundtrack_tui.core.progress import ProgressStore

Notify = Callable[..., object]
"""`App.notify` or `Widget.notify`."""


def show_store_notices(store: ProgressStore, notify: Notify) -> None:
    # What another process left for this launch (a history import) first:
    # taking it writes, and a failed write adds a warning below.
    waiting = take_waiting_notice(store)
    if waiting is not None:
        notify(waiting, markup=False, timeout=10)
    for notice in store.take_notices():
        notify(notice, severity="warning", markup=False, timeout=10)
