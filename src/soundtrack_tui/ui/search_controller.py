"""The main screen's search: what it remembers between keystrokes, and the
work it runs off the UI thread.

Plain Python, no Textual: the screen runs `answer` and `recap_marks` in
workers and applies what they return only if it still fits (the query, the
viewer, the episode shown). Each answer carries what it was asked, so a
late one is recognised and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from soundtrack_tui.core.policy import Viewer
from soundtrack_tui.ui.widgets.marks import RecapMark, RecapMarks
from soundtrack_tui.ui.widgets.search_panel import first_page

if TYPE_CHECKING:
    from soundtrack_tui.core.search import SearchIndex, SearchResults


class SearchAnswer(NamedTuple):
    query: str
    viewer: Viewer
    results: SearchResults
    episodes: frozenset[int]
    """The episodes the list keeps while searching."""


class MarksAnswer(NamedTuple):
    query: str
    viewer: Viewer
    marks: RecapMarks


def episodes_in(results: SearchResults) -> frozenset[int]:
    """Episodes with a visible hit, and the locked ones with matches (the
    list shows those locked, never why)."""
    numbers = {hit.episode for hit in results.hits if hit.episode is not None}
    return frozenset(numbers | set(results.locked))


@dataclass
class SearchController:
    """`query` is what the search box holds; `last_query` is what `n`/`N`
    walk, the query last searched, kept after the box closes. `index` is
    None until loaded (milliseconds for a small pack, seconds for a big one
    on its first start), and stays None if loading `failed`."""

    index: SearchIndex | None = None
    failed: bool = False
    query: str = ""
    last_query: str = ""

    def answer(self, query: str, viewer: Viewer) -> SearchAnswer:
        """Search for `query` (in a worker). The first page's snippets and
        spans are worked out here too, not when the UI draws them."""
        assert self.index is not None
        results = self.index.search(query, viewer)
        for hit in first_page(results.hits):
            hit.target  # noqa: B018  (computed on first access, then kept)
        return SearchAnswer(query, viewer, results, episodes_in(results))

    def recap_marks(
        self, query: str, viewer: Viewer, episode: int, chosen: RecapMark | None = None
    ) -> MarksAnswer:
        """Every match of `query` in `episode`'s recap, in reading order (in a
        worker), `n`/`N` on `chosen` if it is one of them."""
        assert self.index is not None
        # That episode's own matches, all of them: a whole-pack search with
        # a limit would miss them where a word is common across a big pack.
        found = self.index.episode_matches(query, viewer, episode).recap_marks
        marks = tuple(RecapMark(*match) for match in found)
        current = marks.index(chosen) if chosen in marks else 0
        return MarksAnswer(query, viewer, RecapMarks(episode, marks, current))
