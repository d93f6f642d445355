"""Helpers that turn untrusted pack text into `Content`.

Pack text is never markup: everything shown from a pack goes through
`Content(text)` (or `Content.styled`), whose spans come only from this
program. A recap containing `[@click=app.quit]` therefore renders those
characters literally and can never trigger an action.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content, Span

MATCH_STYLE = "bold reverse"
# Underlined as well as coloured: under NO_COLOR the colour is gone, and the
# match n/N is on must still stand out from the others.
CURRENT_MATCH_STYLE = "bold reverse underline $warning"


def literal(text: str, style: str = "") -> Content:
    """`text` exactly as written, optionally in one style of ours."""
    return Content.styled(text, style) if style else Content(text)


def marked(text: str, spans: Iterable[tuple[int, int]], style: str = MATCH_STYLE) -> Content:
    """`text` with each (start, end) span highlighted; spans outside the text
    or empty are ignored rather than trusted."""
    length = len(text)
    extra = [Span(start, end, style) for start, end in spans if 0 <= start < end <= length]
    return Content(text, extra) if extra else Content(text)


def join(parts: Sequence[Content], separator: str = " · ", style: str = "dim") -> Content:
    """Parts separated by a dim separator, skipping empty ones."""
    kept = [part for part in parts if part.plain]
    if not kept:
        return Content("")
    pieces: list[Content | tuple[str, str]] = []
    for index, part in enumerate(kept):
        if index:
            pieces.append((separator, style))
        pieces.append(part)
    return Content.assemble(*pieces)
