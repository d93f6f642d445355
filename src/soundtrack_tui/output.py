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
import textwrap
from collections.abc import Iterable, Sequence
from typing import IO, Any

from soundtrack_tui.core.sanitize import one_line, sanitize

Piece = tuple[str, str]  # (text, Rich style); style "" means unstyled
Line = Sequence[Piece]


def wants_style(stream: IO[str]) -> bool:
    """Style only for a real terminal, and never when NO_COLOR is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


MIN_WIDTH, MAX_WIDTH = 20, 500


def terminal_width(stream: IO[str]) -> int:
    """The width to wrap at: what the terminal itself reports, not $COLUMNS
    (0 would print nothing, 99999 would lay out forever), within sane
    bounds."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 80
    return min(max(columns or 80, MIN_WIDTH), MAX_WIDTH)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


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
                file=self.stream,
                width=terminal_width(self.stream),
                markup=False,
                emoji=False,
                highlight=False,
                soft_wrap=False,
            )
        return self._console

    def line(self, *pieces: Piece) -> None:
        # Pack text was sanitized at load; this pass covers whatever reached
        # here another way (a cache entry, a path, an OS message).
        pieces = tuple((sanitize(text), style) for text, style in pieces)
        if not self.styled:
            self.stream.write("".join(text for text, _ in pieces) + "\n")
            return
        from rich.text import Text

        self.console().print(Text.assemble(*pieces))

    def blank(self) -> None:
        self.stream.write("\n")

    def paragraph(self, text: str, style: str = "") -> None:
        """A wrapped paragraph on a terminal (at word boundaries, with or
        without colour); one long line in a pipe, for scripts."""
        if not self.styled and _is_terminal(self.stream):
            text = textwrap.fill(text, terminal_width(self.stream), break_on_hyphens=False)
        self.line((text, style))

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Piece]]) -> None:
        rows = [[(sanitize(text), style) for text, style in row] for row in rows]
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
    stream = stream or sys.stdout
    # Escaped where the output's encoding could not carry the text: JSON
    # stays valid and lossless instead of gaining "?"s.
    utf = (getattr(stream, "encoding", None) or "").lower().replace("-", "") in ("utf8", "utf8sig")
    text = json.dumps(data, ensure_ascii=not utf, indent=2, default=str)
    stream.write(sanitize(text) + "\n")


def error(message: str) -> None:
    """One plain line on stderr."""
    sys.stderr.write("soundtrack: " + one_line(message) + "\n")
