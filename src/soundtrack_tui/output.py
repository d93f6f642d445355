"""CLI output: styled on a terminal, plain in pipes, never interpreted.

Commands describe what to print as lines of (text, style) pieces. On a
terminal without NO_COLOR they go through Rich as `Text` objects, which are
never parsed for markup or emoji codes; otherwise they are written as plain
text and Rich is not even imported, which keeps scripted use fast. Pack text
was sanitized at load, so no control byte reaches either path.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any

Piece = tuple[str, str]  # (text, Rich style); style "" means unstyled
Line = Sequence[Piece]


def wants_style(stream: IO[str]) -> bool:
    """Style only for a real terminal, and never when NO_COLOR is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class Output:
    """Writes lines and tables to stdout, styled or plain."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self.styled = wants_style(self.stream)
        self._console: Any = None

    def console(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                file=self.stream, markup=False, emoji=False, highlight=False, soft_wrap=False
            )
        return self._console

    def line(self, *pieces: Piece) -> None:
        if not self.styled:
            self.stream.write("".join(text for text, _ in pieces) + "\n")
            return
        from rich.text import Text

        self.console().print(Text.assemble(*pieces))

    def blank(self) -> None:
        self.stream.write("\n")

    def paragraph(self, text: str, style: str = "") -> None:
        """A wrapped paragraph on a terminal; one long line in a pipe."""
        self.line((text, style))

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Piece]]) -> None:
        rows = list(rows)
        if not self.styled:
            widths = [len(h) for h in headers]
            for row in rows:
                for index, (text, _) in enumerate(row):
                    widths[index] = max(widths[index], len(text))
            for row in [[(h, "") for h in headers], *rows]:
                cells = [text.ljust(widths[i]) for i, (text, _) in enumerate(row)]
                self.stream.write("  ".join(cells).rstrip() + "\n")
            return
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, pad_edge=False, header_style="bold")
        for header in headers:
            table.add_column(header)
        for row in rows:
            table.add_row(*(Text(text, style=style) for text, style in row))
        self.console().print(table)


def print_json(data: Any, stream: IO[str] | None = None) -> None:
    """Machine-readable output: stable key order, UTF-8 kept readable.
    `json.dumps` escapes control characters, so nothing raw can slip out."""
    (stream or sys.stdout).write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def error(message: str) -> None:
    """One plain line on stderr."""
    from soundtrack_tui.core.sanitize import sanitize

    sys.stderr.write("soundtrack: " + sanitize(message).replace("\n", " ") + "\n")
