"""Starting the browser: a big pack's indexing child first, then Textual.

A big pack not in the cache yet is read and indexed by a child process
(`core.indexer`); the browser lists the episodes once the child has stored
the pack, and searches once it has stored the index. Importing Textual and
the app takes about 0.2 s here: started before that import, the child
reads while Textual loads, and the list and the first search come that
much sooner. So this module imports nothing of Textual.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from soundtrack_tui.core.cache import is_cached
from soundtrack_tui.core.indexer import PackIndexer, is_big


def run(pack_path: Path, state_dir_override: str | None, *, spoilers: bool) -> int:
    """`ui.app.run`, with a big uncached pack's child already at work."""
    child = PackIndexer(pack_path) if is_big(pack_path) and not is_cached(pack_path) else None
    with child or contextlib.nullcontext():  # closed here too if the app never starts
        if child is not None:
            child.start()
        from soundtrack_tui.ui.app import run as run_app

        return run_app(pack_path, state_dir_override, spoilers=spoilers, indexer=child)
