"""What the browser does about its own memory.

Python rarely gives freed memory back to the system, so the browser's peak
is what counts, and three habits of a Textual app raise it for good if left
alone: start-up garbage the collector walks again and again, drawn lines
that only the cycle collector frees, and module-wide memo caches that fill
with text drawn once. See docs/performance.md for what each one cost.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import cache

# Collect the older generations after 2 collections of the one below, not
# 10: drawn lines reach them, and with start-up frozen they hold little else.
_THRESHOLDS = (700, 2, 2)
_settled = False


def settle_heap() -> None:
    """Exempt everything alive now from garbage collection.

    What start-up creates (modules, classes, the pack) lives as long as the
    app, and each full collection would walk all of it again: freezing it
    takes a tenth off the first paint of the bundled pack, and far more
    with a thousand episodes in memory. Only cycle detection is affected;
    reference counting frees everything as usual. See `collect_often` for
    what follows the first frame."""
    global _settled
    gc.freeze()
    gc.enable()
    _settled = True


def collect_often() -> None:
    """Once the first frame is drawn (after `settle_heap`), collect the
    older generations after 2 collections of the one below, not 10.

    Every line Textual draws is a reference cycle (a `Strip` keeps itself
    in its own caches), so lines replaced on screen wait for the collector:
    with the default thresholds they reached the oldest generation and
    stayed there for a hundred young collections. Collecting it every four
    took ~1 MB off the bundled pack's peak while searching. Not before the
    first frame: drawing it makes thousands of objects, and the collections
    they would set off cost ~10% of the first paint."""
    if _settled:
        gc.set_threshold(*_THRESHOLDS)


def release_drawn_text() -> None:
    """Free what the lines just replaced on screen left behind.

    Their strips, which are reference cycles (see `collect_often`): the young
    generations are collected now, ~0.3 ms. And the entries they added to
    Rich's and Textual's memo caches, which are keyed by distinct text and
    style and hold up to 4,096 (cell widths) or 1,024 (style sums, colour
    conversions) entries each: search results are text mostly drawn once,
    so each keystroke filled them with entries that would never be used
    again, ~0.7 MB of the bundled pack's searching peak. Emptied, they
    refill with what the next screen draws."""
    for clear in _memo_clearers():
        clear()
    gc.collect(1)


@cache
def _memo_clearers() -> tuple[Callable[[], None], ...]:
    """The `cache_clear` of each memo cache above that this version of Rich
    and Textual has (looked up by name, so a renamed one is skipped)."""
    import rich.cells
    import rich.style
    from textual.filter import ANSIToTruecolor

    memos = (
        getattr(rich.cells, "cached_cell_len", None),
        getattr(rich.style.Style, "_add", None),
        getattr(ANSIToTruecolor, "truecolor_style", None),
    )
    clearers = (getattr(memo, "cache_clear", None) for memo in memos)
    return tuple(clear for clear in clearers if callable(clear))
