"""One search box's state, for a UI to drive: plain Python, no Textual.

A UI has a query being typed, a viewer whose spoiler settings can change,
and an episode on screen. Once the user picks a result, the query's matches
are marked where the user reads, and next/previous step through every
match of the result set in reading order, across episodes and panes, with
"match 3 of 12" to say where they are. `SearchSession` holds all of that,
so the rules (what is stale, which match is current, what a change of
query or viewer clears) live here and are tested without a terminal.

Searching takes milliseconds to tens of them on a big pack, so a UI runs it
off its own thread. Each change of state therefore returns a
`SearchRequest` (or None when nothing needs computing) for everything the
state still lacks; `answer` computes it on any thread without touching the
session; `accept`, back on the UI's thread, applies an answer only if it
still fits the session's query and viewer (and, for an episode's matches,
the episode), so a slow answer to an earlier keystroke is dropped. The
newest request always covers what older ones asked, so a UI may drop those.
`refresh` does all three at once, for callers that can wait.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from soundtrack_tui.core.policy import Viewer
from soundtrack_tui.core.search.index import DEFAULT_LIMIT, SearchIndex
from soundtrack_tui.core.search.results import EpisodeMatches, Hit, RecapMatch, SearchResults

__all__ = ["SearchAnswer", "SearchRequest", "SearchSession"]

_NO_LOCKS: Mapping[int, int] = MappingProxyType({})
WALKED_OUT = frozenset({"track"})
"""Fields next/previous skip: the songs open in an overlay, outside the
panes being read, so stepping onto one would take the reader away."""


class SearchRequest(NamedTuple):
    """What to compute for `query` and `viewer`: the ranked results (when
    `results`), the matches in `episode` (when not None), and every match
    in reading order (when `walk`)."""

    query: str
    viewer: Viewer
    episode: int | None
    results: bool
    walk: bool = False


class SearchAnswer(NamedTuple):
    request: SearchRequest
    results: SearchResults | None
    matches: EpisodeMatches | None
    walk: tuple[Hit, ...] | None = None


class SearchSession:
    """The query, the viewer, the shown episode, the current results, and,
    once a result is chosen, the marks and the walk through every match.

    Results and marks always belong to the session's viewer: changing it
    drops them until the new answer is accepted, so nothing found under
    looser spoiler settings stays on screen. A new query keeps the previous
    results until its own arrive (typing does not blank the list) but clears
    the marks at once; a new episode drops the previous episode's matches.
    """

    def __init__(
        self,
        viewer: Viewer,
        index: SearchIndex | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        prepare: int = 0,
    ) -> None:
        """`limit` caps the ranked results (an episode's matches and the
        walk are never capped); the first `prepare` results get their
        snippets and targets worked out in `answer`, off the UI's thread."""
        self._index = index
        self._viewer = viewer
        self._limit = limit
        self._prepare = prepare
        self._query = ""
        self._episode: int | None = None
        self._results: SearchResults | None = None
        self._results_query: str | None = None  # the query the shown results answer
        self._marking = False
        self._matches: EpisodeMatches | None = None
        self._walk: tuple[Hit, ...] | None = None
        self._at: int | None = None  # the current match's place in the walk
        self._chosen: tuple[int, int, int, int] | None = None  # where to put `_at` once the walk arrives

    # ------------------------------------------------------------ state

    @property
    def query(self) -> str:
        return self._query

    @property
    def viewer(self) -> Viewer:
        return self._viewer

    @property
    def episode(self) -> int | None:
        return self._episode

    @property
    def ready(self) -> bool:
        """Is there an index to search yet (a big pack is indexed after start-up)?"""
        return self._index is not None

    @property
    def results(self) -> SearchResults | None:
        """The last accepted results, None with no query (or none yet)."""
        return self._results

    @property
    def locked(self) -> Mapping[int, int]:
        """Matches the viewer may not see yet, per gate episode."""
        return self._results.locked if self._results is not None else _NO_LOCKS

    @property
    def marking(self) -> bool:
        """Are the query's matches marked where the user reads (after a
        result was chosen, until the query changes or marks are cleared)?"""
        return self._marking

    @property
    def matches(self) -> EpisodeMatches | None:
        """Every visible match in the shown episode while marking (None:
        not marking, no episode, or not answered yet)."""
        return self._matches

    @property
    def marks(self) -> tuple[RecapMatch, ...]:
        """The shown episode's recap matches, in reading order."""
        return self._matches.recap_marks if self._matches is not None else ()

    @property
    def current(self) -> Hit | None:
        """The match next/previous are on."""
        return self._walk[self._at] if self._walk is not None and self._at is not None else None

    @property
    def current_mark(self) -> int | None:
        """The index in `marks` of the current match, if it is in the shown recap."""
        hit = self.current
        if hit is None or hit.field != "recap" or hit.episode != self._episode:
            return None
        target = hit.target
        if target.paragraph is None or not target.spans:
            return None
        first = RecapMatch(target.paragraph, *target.spans[0])
        marks = self.marks
        return marks.index(first) if first in marks else None

    @property
    def position(self) -> str | None:
        """ "match 3 of 12", or None when no match is current."""
        if self._walk is None or self._at is None:
            return None
        return f"match {self._at + 1:,} of {len(self._walk):,}"

    # ------------------------------------------------------------ changes

    def set_query(self, query: str) -> SearchRequest | None:
        """The user typed: the marks go at once; a blank query clears everything."""
        if query == self._query:
            return None
        self._query = query
        self.clear_marks()
        if not query.strip():
            self._results = self._results_query = None
            return None
        return self.request()

    def set_viewer(self, viewer: Viewer) -> SearchRequest | None:
        """Spoiler level, watched episodes or peek changed: everything found
        for the old viewer is dropped. The walk is made again, kept on the
        current match when the new viewer may still see it."""
        if viewer == self._viewer:
            return None
        current = self.current
        self._viewer = viewer
        self._results = self._results_query = None
        self._matches = None
        self._walk = self._at = None
        if current is not None:
            self._chosen = current.reading_order
        return self.request()

    def set_episode(self, number: int | None) -> SearchRequest | None:
        """Another episode is shown: its matches are wanted while marking."""
        if number == self._episode:
            return None
        self._episode = number
        self._matches = None
        return self.request()

    def choose(self, hit: Hit) -> SearchRequest | None:
        """The user picked `hit`: mark the query's matches, with `hit` the
        current one, and show its episode (if it has one)."""
        self._marking = True
        self._chosen = hit.reading_order
        self._place_chosen()
        if hit.episode is not None and hit.episode != self._episode:
            self._episode = hit.episode
            self._matches = None
        return self.request()

    def clear_marks(self) -> None:
        """Stop marking: no highlights, nothing for next/previous."""
        self._marking = False
        self._matches = None
        self._walk = self._at = self._chosen = None

    def attach(self, index: SearchIndex) -> SearchRequest | None:
        """The index is ready (a big pack is indexed after start-up)."""
        self._index = index
        return self.request()

    def request(self) -> SearchRequest | None:
        """Everything the current state still lacks, or None."""
        if not self._query.strip():
            return None
        results = self._results_query != self._query
        episode = self._episode if self._marking and self._matches is None else None
        walk = self._marking and self._walk is None
        if not (results or walk or episode is not None):
            return None
        return SearchRequest(self._query, self._viewer, episode, results, walk)

    # ------------------------------------------------------------ answers

    def answer(self, request: SearchRequest) -> SearchAnswer | None:
        """Compute `request`: safe on any thread, changes nothing here.
        None while there is no index."""
        index = self._index
        if index is None:
            return None
        results = matches = walk = None
        if request.results:
            results = index.search(request.query, request.viewer, limit=self._limit)
            for hit in results.hits[: self._prepare]:
                hit.target  # noqa: B018  (works out snippet and target here, off the UI's thread)
        if request.episode is not None:
            matches = index.episode_matches(request.query, request.viewer, request.episode)
        if request.walk:
            every = index.search(request.query, request.viewer, limit=len(index)).hits
            walk = tuple(sorted((hit for hit in every if hit.field not in WALKED_OUT), key=_reading_order))
        return SearchAnswer(request, results, matches, walk)

    def accept(self, answer: SearchAnswer) -> bool:
        """Apply `answer` if it still fits the query and viewer (and, for
        matches, the episode); False when it was stale."""
        request = answer.request
        if request.query != self._query or request.viewer != self._viewer or not self._query.strip():
            return False
        if answer.results is not None:
            self._results = answer.results
            self._results_query = request.query
        if self._marking:
            if answer.matches is not None and request.episode == self._episode:
                self._matches = answer.matches
            if answer.walk is not None:
                self._walk = answer.walk
                self._place_chosen()
        return True

    def refresh(self) -> bool:
        """Compute and apply the current state's request now, on this thread."""
        request = self.request()
        answer = None if request is None else self.answer(request)
        return answer is not None and self.accept(answer)

    # ------------------------------------------------------------ moving

    def next_match(self) -> Hit | None:
        """Step to the next match, after the last the first; None while
        there is no walk (nothing chosen, or not answered yet)."""
        return self._step(1)

    def previous_match(self) -> Hit | None:
        """Step to the previous match, before the first the last."""
        return self._step(-1)

    def _step(self, step: int) -> Hit | None:
        walk = self._walk
        if not walk:
            return None
        self._at = 0 if self._at is None and step > 0 else ((self._at or 0) + step) % len(walk)
        hit = walk[self._at]
        if hit.episode is not None and hit.episode != self._episode:
            self._episode = hit.episode
            self._matches = None
        return hit

    def _place_chosen(self) -> None:
        """Make the chosen match current once the walk is known: the first
        match at or after its place (the chosen one may no longer be seen)."""
        walk, chosen = self._walk, self._chosen
        if walk is None or chosen is None:
            return
        self._chosen = None
        self._at = next((i for i, hit in enumerate(walk) if hit.reading_order >= chosen), 0) if walk else None


def _reading_order(hit: Hit) -> tuple[int, int, int, int]:
    return hit.reading_order
