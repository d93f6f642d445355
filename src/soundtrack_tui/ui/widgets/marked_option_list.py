"""An OptionList that marks the highlighted row with a glyph.

The stock highlight is a background colour, which disappears under NO_COLOR
(Textual strips colour but keeps glyphs and text attributes). A `▶` in the
row's first cell keeps the cursor visible in any terminal. Prompts reserve
that cell by starting with two spaces (`GUTTER`).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import OptionList

GUTTER = "  "
CURSOR = "▶ "


class MarkedOptionList(OptionList):
    """OptionList with a visible cursor glyph; prompts start with `GUTTER`."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        highlighted = self.highlighted
        if highlighted is None or strip.cell_length < len(CURSOR):
            return strip
        try:
            # Only the first line of a (possibly wrapped) option is marked.
            first_line = self._index_to_line[highlighted]
        except (KeyError, AttributeError):
            return strip
        if self.scroll_offset.y + y != first_line:
            return strip
        segments = list(strip)
        style = segments[0].style if segments else None
        marker = Strip([Segment(CURSOR, style)], len(CURSOR))
        return Strip.join([marker, strip.crop(len(CURSOR), strip.cell_length)])
