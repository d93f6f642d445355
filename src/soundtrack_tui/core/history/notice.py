"""The line a history import leaves for the next launch of the browser.

The import runs in another process, maybe days earlier, so the line waits
in the progress file (`PackProgress.notice`) and is taken, and cleared,
under the store's lock by whichever launch shows it first.
"""

from __future__ import annotations

from dataclasses import replace

from soundtrack_tui.core.progress import ProgressStore
from soundtrack_tui.core.progress_document import PackProgress
from soundtrack_tui.core.sanitize import one_line


def take_waiting_notice(store: ProgressStore) -> str | None:
    """The waiting line, once; None (and no write) when there is none."""
    if store.current.notice is None:
        return None
    taken: list[str] = []

    def clear(progress: PackProgress) -> PackProgress:
        if progress.notice is not None:
            taken.append(progress.notice)
        return replace(progress, notice=None)

    store.update(clear)
    return one_line(taken[-1]) if taken else None
