"""The index build's helper: a second process that encodes part of a big
pack's texts into token ids on the other core (`SearchIndex.build`'s
`helper`). The indexing child (`core.indexer`) and `soundtrack search`
start one for a big pack's first build. Run as `python -m
soundtrack_tui.core.index_helper PACK`; it is told on its stdin where its
share begins, and answers on its stdout (`Encoded.to_bytes`).

The browser imports this module at start-up (through `core.indexer`), so
the search package is imported only where it is used.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING

from soundtrack_tui.core.cache import stored_pack
from soundtrack_tui.core.child_process import end_process, exit_with_parent, leave_signals_to_parent

if TYPE_CHECKING:
    from soundtrack_tui.core.search.tokens import Encoded

__all__ = ["HelperProcess", "helper_command", "main"]


def helper_command(root: Path) -> list[str]:
    """How a helper is run (`HelperProcess`): this interpreter, this package."""
    return [sys.executable, "-m", "soundtrack_tui.core.index_helper", os.fspath(root)]


class HelperProcess:
    """The child's helper: a second process that encodes the last texts of
    the stored pack while the child encodes the first ones, on the other
    core (`SearchIndex.build`'s `helper`; encoding is half the build).

    `launch` starts it as soon as the pack is stored, so that it starts
    its interpreter and loads the pack from the stored entry while the
    child gets ready; `start` then tells it, on its stdin, where its share
    begins. It sends what it encoded on its stdout (`Encoded.to_bytes`)
    and exits 0; any failure leaves its share to the child. Like the
    child, it ends when its parent is gone (its stdin closes). A context
    manager: leaving it ends a helper still at work."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> HelperProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        process, self._process = self._process, None
        if process is not None:
            end_process(process, kill=True)

    def launch(self) -> None:
        """Start the process, which waits to be told its share."""
        with contextlib.suppress(OSError):
            self._process = subprocess.Popen(
                helper_command(self.root),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )

    def start(self, first: int) -> bool:
        process = self._process
        if process is None or process.stdin is None:
            return False
        try:
            process.stdin.write(b"%d\n" % first)
            process.stdin.flush()  # and kept open: the helper exits when it closes
        except OSError:  # it is gone already
            return False
        return True

    def result(self) -> Encoded | None:
        process, self._process = self._process, None
        if process is None or process.stdout is None:
            return None
        data = process.stdout.read()
        if end_process(process, kill=False) != 0:
            return None
        from soundtrack_tui.core.search.tokens import Encoded

        try:
            return Encoded.from_bytes(data)
        except ValueError:
            return None


def main(args: Sequence[str], fd: int, out: IO[bytes]) -> int:
    """The helper's work: the texts of the pack at args[0], as its cache
    entry holds it, encoded from the number read on `fd` on and written to
    `out`. 0 once written; 1 if the entry is missing or stale (the pack
    has changed since the child read it), or `fd` closed first."""
    if len(args) != 1:
        print("usage: python -m soundtrack_tui.core.index_helper PACK", file=sys.stderr)
        return 2
    pack = stored_pack(args[0])
    told = b""
    while pack is not None and not told.endswith(b"\n") and (chunk := os.read(fd, 64)):
        told += chunk
    if pack is None or not told.strip().isdigit():
        return 1
    exit_with_parent(fd)
    from soundtrack_tui.core.search.documents import sources
    from soundtrack_tui.core.search.tokens import Encoded

    first = int(told)
    out.write(Encoded.of(text for _, _, text in islice(sources(pack), first, None)).to_bytes())
    out.flush()
    return 0


if __name__ == "__main__":
    leave_signals_to_parent()
    sys.exit(main(sys.argv[1:], sys.stdin.fileno(), sys.stdout.buffer))
