"""What the browser does about its memory (`ui.heap`)."""

from __future__ import annotations

import gc

import rich.cells
from rich.style import Style

from soundtrack_tui.ui.heap import collect_often, release_drawn_text, settle_heap


def test_drawn_text_leaves_no_memo_entries_behind() -> None:
    rich.cells.cached_cell_len("a line the results list drew once")
    Style(bold=True) + Style(italic=True)
    assert rich.cells.cached_cell_len.cache_info().currsize > 0
    assert Style._add.cache_info().currsize > 0
    release_drawn_text()
    assert rich.cells.cached_cell_len.cache_info().currsize == 0
    assert Style._add.cache_info().currsize == 0


def test_settling_freezes_start_up_and_the_first_frame_tightens_collection() -> None:
    thresholds = gc.get_threshold()
    gc.disable()
    try:
        settle_heap()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert gc.get_threshold() == thresholds  # the first paint runs as usual
        collect_often()
        _, middle, old = gc.get_threshold()
        assert middle < thresholds[1] and old < thresholds[2]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        gc.enable()
