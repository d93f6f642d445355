"""The browser's last sanitizing pass: every line Textual draws.

Pack text is sanitized when it is loaded, and paths when they are shown;
this filter is for whatever still gets through (a cached recap, whose
content is checked only for being UTF-8, or a string some future widget
forgets to clean), so that no path from disk to the screen skips the
sanitizer. It is a Textual `LineFilter`, the hook Textual itself uses for
NO_COLOR: it sees the text of every segment of every widget's lines just
before they are composed for the terminal. A clean segment, nearly all of
them, costs one regular-expression search and is passed on unchanged.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from soundtrack_tui.core.sanitize import sanitize


class SanitizedLines(LineFilter):
    """Runs the text of every segment through `sanitize`, with newlines
    (which a line cannot hold) as spaces."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        cleaned = segments
        for index, segment in enumerate(segments):
            text = segment.text
            safe = sanitize(text)
            if safe is not text or "\n" in text:
                if cleaned is segments:
                    cleaned = list(segments)
                cleaned[index] = Segment(safe.replace("\n", " "), segment.style, segment.control)
        return cleaned
