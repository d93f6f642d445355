"""Shown while a large pack loads on a cold start (no cache yet).

A thousand-episode pack takes seconds to parse and check; a blank terminal
for that long looks like a hang, so the app paints this at once and the
loader reports how far it has got from its worker thread.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from soundtrack_tui.core.sanitize import one_line


class LoadingScreen(Screen[None]):
    """A progress bar over the episode files read so far."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="loading-quit", tooltip="Stop loading and quit"),
    ]

    def __init__(self, where: str) -> None:
        """`where`: the pack folder as given, which may hold any byte a file
        name can; it is shown sanitized, on one line."""
        super().__init__(id="loading-screen")
        self.where = one_line(where)

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Content.assemble(("Loading ", "bold"), (self.where, "italic")), id="loading-title")
            yield ProgressBar(id="loading-bar", show_eta=False)
            yield Static(Content("Reading the pack for the first time; later starts use a cache."))

    def advance(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
