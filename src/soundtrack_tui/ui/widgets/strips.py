"""Turning `Content` into the segments of one drawn line, for the widgets
that draw themselves a line at a time (the reading panes, the episode list).

One place, because a style name such as `$warning` in a span resolves only
against the running app's theme, which `Content.render` does for us given
the widget's own style.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.style import Style


def add_segments(segments: list[Segment], content: Content, style: Style, row: int | None = None) -> None:
    """Append `content`'s segments drawn over `style`. With `row`, each
    segment carries its offsets in that row, which is what a mouse
    selection is made of."""
    x = 0
    for text, text_style in content.render(style, end=""):
        combined = style + text_style
        rich = combined.rich_style if row is None else combined.rich_style_with_offset(x, row)
        segments.append(Segment(text, rich))
        x += len(text)


def padded_strip(segments: list[Segment], used: int, width: int, style: Style) -> Strip:
    """A strip of exactly `width` cells: `segments` (`used` cells wide)
    padded with `style`'s background, or cropped."""
    if used < width:
        segments.append(Segment(" " * (width - used), style.rich_style))
    strip = Strip(segments, max(used, width))
    return strip.crop(0, width) if used > width else strip
