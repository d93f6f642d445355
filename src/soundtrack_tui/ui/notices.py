"""Notices the progress store leaves for the user.

The store never raises on a failed write (browsing goes on without saving):
it keeps a notice instead, and whoever just wrote to it shows the notices
as warnings. Plain text, never markup: they quote file paths."""

from __future__ import annotations

from collections.abc import Callable

from soundtrack_tui.core.progress import ProgressStore

Notify = Callable[..., object]
"""`App.notify` or `Widget.notify`."""


def show_store_notices(store: ProgressStore, notify: Notify) -> None:
    for notice in store.take_notices():
        notify(notice, severity="warning", markup=False, timeout=10)
