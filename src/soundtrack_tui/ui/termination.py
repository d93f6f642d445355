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

The kernel may hand a process's signal to any of its threads, and Python
runs handlers on the main thread only when that thread next runs Python
code: a signal caught by Textual's input or output thread while the main
thread sleeps in an idle event loop would wait for the next key, for ever
once the terminal is gone. So the signal module's wakeup file (written by
whichever thread catches a signal) is a socket that a small watcher thread
reads: it starts the timer and asks the loop to exit itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType

__all__ = ["GRACE", "TERMINATING_SIGNALS", "end_on_signals"]

TERMINATING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
GRACE = 3.0  # seconds an orderly exit may take after a terminating signal


class _Ending:
    """What a terminating signal does for one app: ask its loop to exit,
    and, on the first signal only, start the timer that ends the process
    if that exit is stuck. Safe from any thread, and more than once."""

    def __init__(self, loop: asyncio.AbstractEventLoop, exit_app: Callable[[int], None]) -> None:
        self.loop = loop
        self.exit_app = exit_app

    def begin(self, number: int) -> None:
        code = 128 + number
        _start_deadline(code)
        with contextlib.suppress(RuntimeError):  # the loop has closed: only the timer is left
            self.loop.call_soon_threadsafe(self.exit_app, code)


_deadline_lock = threading.RLock()  # a second signal may interrupt the first handler on its thread
_deadline: list[threading.Timer] = []  # process-wide: it ends once, whichever app asked


def _start_deadline(code: int) -> None:
    with _deadline_lock:
        if not _deadline:
            timer = threading.Timer(GRACE, os._exit, (code,))
            timer.daemon = True  # an orderly exit does not wait for it
            timer.start()
            _deadline.append(timer)


class _Watcher:
    """The thread that reads the signal module's wakeup socket (see the
    module docstring). One per process, as the wakeup file is; each app
    that starts points it at its own `_Ending`."""

    def __init__(self) -> None:
        self.reader, self.writer = socket.socketpair()
        self.writer.setblocking(False)  # the signal handler must never wait
        self.ending: _Ending | None = None

    def start(self) -> None:
        threading.Thread(target=self._watch, name="soundtrack-signals", daemon=True).start()

    def close(self) -> None:
        self.reader.close()
        self.writer.close()

    def _watch(self) -> None:
        while data := self.reader.recv(64):
            for number in data:  # one byte per signal caught, of every kind
                ending = self.ending
                if number in TERMINATING_SIGNALS and ending is not None:
                    ending.begin(number)


# Process-wide, as signal handlers and the wakeup file are.
_watcher: list[_Watcher] = []


def _watch_wakeups(ending: _Ending) -> None:
    """Point the process's watcher at `ending`, starting it unless the
    wakeup file belongs to someone else (an event loop's own signal
    handlers): the main thread is then woken by theirs, and the handler
    does the rest."""
    watcher = _watcher[0] if _watcher else _Watcher()
    previous = signal.set_wakeup_fd(watcher.writer.fileno(), warn_on_full_buffer=False)
    if previous not in (-1, watcher.writer.fileno()):
        signal.set_wakeup_fd(previous, warn_on_full_buffer=False)
        if not _watcher:
            watcher.close()
        return
    watcher.ending = ending
    if not _watcher:
        _watcher.append(watcher)
        watcher.start()


def end_on_signals(exit_app: Callable[[int], None]) -> None:
    """From now on SIGTERM and SIGHUP call `exit_app(128 + number)` on the
    running event loop, and end the process `GRACE` seconds after the first
    of them if it is still running. Call it on the loop's thread, the main
    one; where signals cannot be handled it does nothing."""
    ending = _Ending(asyncio.get_running_loop(), exit_app)

    def handle(number: int, _frame: FrameType | None) -> None:
        ending.begin(number)

    try:
        for number in TERMINATING_SIGNALS:
            signal.signal(number, handle)
    except ValueError:  # not the main thread: signals are not ours to handle
        return
    _watch_wakeups(ending)
