"""Ending the app on SIGTERM and SIGHUP, even when its terminal is gone.

SIGTERM (a shutdown, `kill`) and SIGHUP (the terminal closed) end the app
the way q does, through `App.exit`: Textual's driver then gives the terminal
back (alternate screen and mouse off, the tty cooked), the main screen saves
the selection and the indexing child is closed. Left to their default, they
kill the process mid-draw and leave the terminal raw. The exit code says
which signal, as a shell's does (128 + its number).

A terminal closed while the app is drawing (a window closed, tmux killed,
SSH dropped) makes Textual's writes fail: its output thread ends on the
error, and every later write, the orderly exit's own included, waits for
ever for room in that thread's queue. So the first signal also starts a
timer that ends the process, with the same code, `GRACE` seconds later if
the orderly exit has not finished by then. The handler is a plain
`signal.signal` one, which Python runs even while the main thread waits on
that queue, rather than the event loop's `add_signal_handler`, whose
callback would wait for a loop stuck in the same write.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

__all__ = ["GRACE", "TERMINATING_SIGNALS", "end_on_signals"]

TERMINATING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
GRACE = 3.0  # seconds an orderly exit may take after a terminating signal


def end_on_signals(exit_app: Callable[[int], None]) -> None:
    """From now on SIGTERM and SIGHUP call `exit_app(128 + number)` on the
    running event loop, and end the process `GRACE` seconds after the first
    of them if it is still running. Call it on the loop's thread, the main
    one; where signals cannot be handled it does nothing."""
    loop = asyncio.get_running_loop()
    deadline: list[threading.Timer] = []

    def handle(number: int, _frame: FrameType | None) -> None:
        code = 128 + number
        if not deadline:
            timer = threading.Timer(GRACE, os._exit, (code,))
            timer.daemon = True  # an orderly exit does not wait for it
            timer.start()
            deadline.append(timer)
        with contextlib.suppress(RuntimeError):  # the loop has closed: only the timer is left
            loop.call_soon_threadsafe(exit_app, code)

    try:
        for number in TERMINATING_SIGNALS:
            signal.signal(number, handle)
    except ValueError:  # not the main thread: signals are not ours to handle
        return
