"""One search box's state, for a UI to drive: plain Python, no Textual.

A UI has a query being typed, a viewer whose spoiler settings can change,
and an episode on screen whose recap shows the query's matches, stepped
through with next/previous. `SearchSession` holds all of that, so the
rules (what is stale, which match is current, what a viewer change
clears) live here and are tested without a terminal.

Searching takes milliseconds to tens of them on a big pack, so a UI runs it
off its own thread. Each change of state therefore returns a
`SearchRequest` (or None when nothing needs computing); `answer` computes
it on any thread without touching the session; `accept`, back on the UI's
thread, applies an answer only if it still fits the session's query,
viewer and episode, so a slow answer to an earlier keystroke is dropped.
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


class SearchRequest(NamedTuple):
    """What to compute: the results of `query` for `viewer` (when
    `whole_pack`), and the matches in `episode` (when not None)."""

    query: str
    viewer: Viewer
    episode: int | None
    whole_pack: bool


class SearchAnswer(NamedTuple):
    request: SearchRequest
    results: SearchResults | None
    matches: EpisodeMatches | None


class SearchSession:
    """The query, the viewer, the shown episode, the current results and the
    shown episode's matches, with a current match for next/previous.

    Results and matches always belong to the session's viewer: changing it
    drops them until the new answer is accepted, so nothing found under
    looser spoiler settings stays on screen. A new query keeps the previous
    results until its own arrive (typing does not blank the list); a new
    episode drops the previous episode's matches at once.
    """

    def __init__(
        self,
        viewer: Viewer,
        index: SearchIndex | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        prepare: int = 0,
    ) -> None:
        """`limit` caps the hits of a search (the matches of one episode are
        never capped); the first `prepare` hits get their snippets and
        targets worked out in `answer`, off the UI's thread."""
        self._index = index
        self._viewer = viewer
        self._limit = limit
        self._prepare = prepare
        self._query = ""
        self._episode: int | None = None
        self._results: SearchResults | None = None
        self._matches: EpisodeMatches | None = None
        self._marks: tuple[RecapMatch, ...] = ()
        self._current = 0
        self._focus: RecapMatch | None = None  # the mark to make current when the matches arrive

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
    def matches(self) -> EpisodeMatches | None:
        """Every visible match in the shown episode (None: no query, no
        episode, or not answered yet)."""
        return self._matches

    @property
    def marks(self) -> tuple[RecapMatch, ...]:
        """The shown episode's recap matches, in reading order."""
        return self._marks

    @property
    def current(self) -> RecapMatch | None:
        """The match next/previous are on."""
        return self._marks[self._current] if self._marks else None

    @property
    def position(self) -> str | None:
        """ "match 3 of 12", or None when the recap has no match."""
        if not self._marks:
            return None
        return f"match {self._current + 1:,} of {len(self._marks):,}"

    # ------------------------------------------------------------ changes

    def set_query(self, query: str) -> SearchRequest | None:
        """The user typed: a blank query clears everything at once."""
        if query == self._query:
            return None
        self._query = query
        self._focus = None
        if not query.strip():
            self._results = None
            self._set_matches(None)
            return None
        return self.request()

    def set_viewer(self, viewer: Viewer) -> SearchRequest | None:
        """Spoiler level, watched episodes or peek changed: results and
        matches found for the old viewer are dropped."""
        if viewer == self._viewer:
            return None
        self._viewer = viewer
        self._results = None
        self._set_matches(None)
        return self.request()

    def set_episode(self, number: int | None) -> SearchRequest | None:
        """Another episode is shown: its matches are wanted, not new results."""
        if number == self._episode:
            return None
        self._episode = number
        self._focus = None
        self._set_matches(None)
        if number is None or not self._query.strip():
            return None
        return SearchRequest(self._query, self._viewer, number, False)

    def show_hit(self, hit: Hit) -> SearchRequest | None:
        """The user chose `hit`: show its episode, with the hit's first
        match current once the episode's matches are known."""
        request = self.set_episode(hit.episode) if hit.episode is not None else None
        target = hit.target
        if hit.field == "recap" and target.paragraph is not None and target.spans:
            self._focus = RecapMatch(target.paragraph, *target.spans[0])
            self._apply_focus()
        return request

    def attach(self, index: SearchIndex) -> SearchRequest | None:
        """The index is ready (a big pack is indexed after start-up)."""
        self._index = index
        return self.request()

    def request(self) -> SearchRequest | None:
        """Everything the current state needs computed, or None (no query)."""
        if not self._query.strip():
            return None
        return SearchRequest(self._query, self._viewer, self._episode, True)

    # ------------------------------------------------------------ answers

    def answer(self, request: SearchRequest) -> SearchAnswer | None:
        """Compute `request`: safe on any thread, changes nothing here.
        None while there is no index."""
        index = self._index
        if index is None:
            return None
        results = None
        if request.whole_pack:
            results = index.search(request.query, request.viewer, limit=self._limit)
            for hit in results.hits[: self._prepare]:
                hit.target  # noqa: B018  (works out snippet and target here, off the UI's thread)
        matches = None
        if request.episode is not None:
            matches = index.episode_matches(request.query, request.viewer, request.episode)
        return SearchAnswer(request, results, matches)

    def accept(self, answer: SearchAnswer) -> bool:
        """Apply `answer` if it still fits the query and viewer (and, for
        matches, the episode); False when it was stale."""
        request = answer.request
        if request.query != self._query or request.viewer != self._viewer or not self._query.strip():
            return False
        if answer.results is not None:
            self._results = answer.results
        if answer.matches is not None and request.episode == self._episode:
            self._set_matches(answer.matches)
        return True

    def refresh(self) -> bool:
        """Compute and apply the current state's request now, on this thread."""
        request = self.request()
        answer = None if request is None else self.answer(request)
        return answer is not None and self.accept(answer)

    # ------------------------------------------------------------ moving

    def next_match(self) -> RecapMatch | None:
        """Step to the next match, after the last the first; None if none."""
        return self._step(1)

    def previous_match(self) -> RecapMatch | None:
        """Step to the previous match, before the first the last; None if none."""
        return self._step(-1)

    def _step(self, step: int) -> RecapMatch | None:
        if not self._marks:
            return None
        self._current = (self._current + step) % len(self._marks)
        return self._marks[self._current]

    def _set_matches(self, matches: EpisodeMatches | None) -> None:
        self._matches = matches
        self._marks = () if matches is None else matches.recap_marks
        self._current = 0
        self._apply_focus()

    def _apply_focus(self) -> None:
        if self._focus is not None and self._focus in self._marks:
            self._current = self._marks.index(self._focus)
            self._focus = None
