"""Drawing a keystroke and its search results in one frame.

Textual draws at most 60 frames a second. Typing into the search box asks
for a frame at once (the character echoed), and the results, back from a
worker a few milliseconds later, must then wait for the next frame slot:
every keystroke cost two frames and 25 to 50 ms before the results showed.
Holding repaints back (`App.batch_update`, Textual's public way to group
changes into one frame) from the keystroke until its answer arrives draws
both at once. A deadline bounds the hold, so a slow search never delays the
echo of what was typed by more than two frames.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from textual.screen import Screen
from textual.timer import Timer

DEADLINE = 1 / 30
"""Longest hold, in seconds: two frames at 60 Hz."""
SETTLE = 0.002
"""Seconds from the answer to the release."""


class FrameHold:
    """Holds the frames of the app `screen` belongs to, for that screen's
    edits; one hold at a time, and `release` is safe when nothing is held.
    Timers run on the screen, so none outlives it."""

    def __init__(self, screen: Screen[Any], deadline: float = DEADLINE) -> None:
        self._screen = screen
        self._deadline = deadline
        self._held: ExitStack | None = None
        self._timer: Timer | None = None

    @property
    def held(self) -> bool:
        return self._held is not None

    def hold(self) -> None:
        if self._held is not None:
            return
        stack = ExitStack()
        stack.enter_context(self._screen.app.batch_update())
        self._held = stack
        self._timer = self._screen.set_timer(self._deadline, self.release, name="frame-hold")

    def release_soon(self) -> None:
        """Release once the widgets changed by now have asked for their
        repaint: each asks through its own message queue, and a frame drawn
        before they have would show the echo alone."""
        if self._held is not None:
            self._screen.set_timer(SETTLE, self.release, name="frame-hold-settle")

    def release(self) -> None:
        if self._held is None:
            return
        held, self._held = self._held, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        held.close()
        # What changed while held is drawn when the screen next idles;
        # prompt it, as nothing else may arrive to.
        self._screen.check_idle()
