"""What the processes the browser starts have in common: they end with
their parent, leave the terminal's signals to it, and are reaped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from typing import Any

__all__ = ["end_process", "exit_with_parent", "leave_signals_to_parent"]


def end_process(process: subprocess.Popen[Any], *, kill: bool) -> int:
    """Wait for `process` (killed first if `kill`), close our pipe ends;
    its exit code."""
    if kill:
        with contextlib.suppress(OSError):
            process.kill()
    code = process.wait()
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError, ValueError):
            if stream is not None:
                stream.close()
    return code


def exit_with_parent(fd: int) -> None:
    """End this process as soon as file descriptor `fd` (its stdin, whose
    other end only its parent holds) reaches end of file: the parent has
    closed it or is gone, and nobody wants the work any more. Watched by
    a daemon thread, which is why the exit is `os._exit` (documented for
    leaving from a thread without running the main thread's cleanup): a
    half-written entry is a temp file the next writer removes. The thread
    reads the descriptor with `os.read`, not through `sys.stdin`: blocked
    inside a buffered reader, it would hold the reader's lock when the
    finished process shuts down, and the interpreter aborts on that lock
    (exit -6), which tells the parent the work failed."""

    def watch() -> None:
        while os.read(fd, 4096):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def leave_signals_to_parent() -> None:
    """Ignore the hangup and termination signals a terminal or a session
    sends to the whole process group. Ended by one of them, this process
    would leave its work to its parent (the browser, which handles them and
    is closing anyway, would build the index itself: seconds of work it then
    waits for before it can exit). The parent ends this process when it
    closes, and `exit_with_parent` when it is gone."""
    for number in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
