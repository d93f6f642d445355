"""The search panel: an input whose results update on every keystroke.

Results are grouped by episode, each a snippet with its matches
highlighted, and a line counts the matches waiting in locked episodes
(never their text). The panel only reports intents (`QueryChanged`,
`HitChosen`); the main screen runs the search, off the UI thread, and
pushes results back through `results`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import Input, Static

from soundtrack_tui.ui.text import join, marked
from soundtrack_tui.ui.widgets.cursor_list import CursorList
from soundtrack_tui.ui.widgets.key_label import KeyLabel, default_key_label

if TYPE_CHECKING:
    from soundtrack_tui.core.search import Hit, SearchResults

FIELD_NAMES = {
    "title": "title",
    "logline": "logline",
    "recap": "recap",
    "review": "review",
    "name": "name",
    "alias": "also known as",
    "intro": "intro",
    "note": "note",
    "series review": "review",
    "track": "song",
}


SHORT_FIELDS = frozenset({"title", "name", "alias"})
CHARACTERS = -1
SERIES = -2
TRACKS = -3
PAGE = 40
"""Results drawn per keystroke: more than a screenful, far fewer than a
search returns. The next page is drawn as the cursor nears the end."""
NEAR_END = 5
IDLE_HINT = "Type to search everything you are allowed to see."
INDEXING_HINT = "Indexing the pack… results follow as soon as it is ready."


def group_key(hit: Hit) -> int:
    """Episode number, or CHARACTERS / SERIES / TRACKS for hits outside an episode."""
    if hit.episode is not None:
        return hit.episode
    if hit.field == "track":
        return TRACKS
    return SERIES if hit.field == "series review" else CHARACTERS


def first_page(hits: Iterable[Hit]) -> list[Hit]:
    """The hits the panel draws first, in its order."""
    return [hit for _, group in grouped(hits) for hit in group][:PAGE]


def grouped(hits: Iterable[Hit]) -> list[tuple[int, list[Hit]]]:
    """Hits grouped by episode; groups in order of their best hit (hits
    arrive ranked), hits in rank order inside a group."""
    groups: dict[int, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(group_key(hit), []).append(hit)
    return list(groups.items())


class ResultsList(CursorList):
    """Search results; group headings are rows the cursor skips. Posts
    `NearEnd` when the cursor or the view comes within a screen of the last
    result drawn, and `Chosen` for Enter or a click on a result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="results-down", tooltip="Next result"),
        # A priority binding runs as the app reads the key, before the keys
        # typed after it are handed to the focused widget: Up from the first
        # result moves the focus back to the box in time for them.
        Binding(
            "k,up", "cursor_up", "Up", show=False, id="results-up", tooltip="Previous result", priority=True
        ),
        Binding("home", "first", "First", show=False, id="results-first", tooltip="First result"),
        Binding("end", "last", "Last", show=False, id="results-last", tooltip="Last result drawn"),
        Binding(
            "pagedown", "page_down", "Page down", show=False, id="results-page-down", tooltip="A page down"
        ),
        Binding("pageup", "page_up", "Page up", show=False, id="results-page-up", tooltip="A page up"),
        Binding("enter", "select", "Go to match", id="results-open", tooltip="Jump to this match"),
    ]

    class NearEnd(Message):
        """Time to draw the next page of results."""

    class Chosen(Message):
        """Enter or a click on a result."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Hit | Content] = []
        """Results and the headings before their groups (a `Content`)."""

    @property
    def item_count(self) -> int:
        return len(self.entries)

    def item_content(self, index: int) -> Content:
        entry = self.entries[index]
        return entry if isinstance(entry, Content) else hit_prompt(entry)

    def item_enabled(self, index: int) -> bool:
        return not isinstance(self.entries[index], Content)

    @property
    def hits(self) -> list[Hit]:
        return [entry for entry in self.entries if not isinstance(entry, Content)]

    def cursor_moved(self, index: int) -> None:
        if index >= self.item_count - NEAR_END:
            self.post_message(self.NearEnd())

    def item_chosen(self, index: int) -> None:
        entry = self.entries[index]
        if not isinstance(entry, Content):
            self.post_message(self.Chosen(entry))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y - self.scrollable_content_region.height:
            self.post_message(self.NearEnd())

    def action_cursor_up(self) -> None:
        """Up from the first result goes back to the input."""
        if self.cursor is None or self.cursor == self.first_enabled:
            self.screen.set_focus(self.screen.query_one("#search-input"))
            return
        super().action_cursor_up()


def hit_prompt(hit: Hit) -> Content:
    """A short match (a name, a title) on one line; prose as a tag line
    ("note · Han Sun-woo") over its snippet."""
    tag = Content.styled(FIELD_NAMES.get(hit.field, hit.field), "dim")
    snippet = marked(hit.snippet, hit.spans)
    if hit.field in SHORT_FIELDS:
        return Content.assemble(tag, "  ", snippet)
    if not hit.label.startswith("Episode "):
        tag = join([tag, Content.styled(hit.label, "dim italic")], " · ")
    return Content.assemble(tag, "\n", snippet)


class SearchBox(Input):
    """The query input; Down moves to the results (Input would scroll)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "to_results",
            "Results",
            id="search-to-results",
            tooltip="Move from the search box to the results",
            priority=True,  # see ResultsList's Up
        ),
    ]

    def __init__(self, on_edit: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_edit = on_edit
        """Called as soon as the text changes, before the echo is drawn (the
        `Changed` message arrives a frame later)."""

    def watch_value(self) -> None:
        self.on_edit()

    def action_to_results(self) -> None:
        panel = next((node for node in self.ancestors if isinstance(node, SearchPanel)), None)
        if panel is not None:
            panel.action_results()


class SearchPanel(Vertical):
    """Input, locked-matches line and grouped results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close-search", tooltip="Close the search"),
    ]

    # Not compared (see the screen's `results`): `_show` compares what it
    # has drawn. A var: the panel itself need not repaint, the rows that
    # change do.
    results: var[SearchResults | None] = var(None, init=False, always_update=True)

    class QueryChanged(Message):
        """The text in the search box changed."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class HitChosen(Message):
        """Enter on a result: jump to it."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(
        self,
        heading: Callable[[int], str],
        key_label: KeyLabel = default_key_label,
        *,
        on_edit: Callable[[], None] = lambda: None,
        id: str | None = None,
    ) -> None:
        """`on_edit` runs the moment the query is edited, ahead of the
        `QueryChanged` that follows."""
        super().__init__(id=id)
        self.heading = heading
        self.key_label = key_label
        self.on_edit = on_edit
        self._entries: list[int | Hit] = []
        """What `results` lists, in order: a group key starts a heading."""
        self._drawn = 0
        self._listing_results = False
        """Whether the list shows results (else a hint and no rows)."""
        self._children_ready = False
        self.border_title = "Search"

    def compose(self) -> ComposeResult:
        yield SearchBox(
            self.on_edit,
            placeholder="Search recaps, characters and reviews",
            id="search-input",
            compact=True,
            select_on_focus=False,  # back from the results, typing goes on with the query
        )
        yield Static(Content(""), id="search-summary", markup=False)
        yield ResultsList(id="search-results")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results_list(self) -> ResultsList:
        return self.query_one(ResultsList)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the box goes to the first result."""
        event.stop()
        hits = self.results_list.hits
        if hits:
            self.post_message(self.HitChosen(hits[0]))

    class Closed(Message):
        """Escape: close the search."""

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_results(self) -> None:
        results = self.results_list
        if results.first_enabled is not None:
            # At once, not `focus()` (which waits for the queue): the keys
            # typed in the same burst as Down are read next.
            self.screen.set_focus(results)
            if results.cursor is None:
                results.action_first()

    def on_mount(self) -> None:
        self._children_ready = True
        self._show(self.results)

    def watch_results(self, results: SearchResults | None) -> None:
        """Drawn from mount on: data binding may set `results` before this
        panel's children are composed (seen when the screen is pushed over
        the loading screen). `_show` keeps the rows an answer draws the same."""
        if self._children_ready:
            self._show(results)

    def show_indexing(self) -> None:
        """A query typed while a big pack is still being indexed: say why
        nothing is listed yet (the results replace this when they come)."""
        self._show(None, INDEXING_HINT)

    def show_idle(self) -> None:
        """An empty box: the hint, whatever was shown before."""
        self._show(None)

    def _show(self, results: SearchResults | None, hint: str = IDLE_HINT) -> None:
        """Draw `results` (None: `hint`). Rows already drawn that the new
        results draw the same (a keystroke that finds the same thing) stay
        as they are, cursor and scroll included: only the rows not drawn
        yet come from the new results. Comparing only those drawn keeps the
        cost to a page of hits, whose snippets the worker has made."""
        summary = self.query_one("#search-summary", Static)
        listing = self.results_list
        entries: list[int | Hit] = []
        for key, hits in grouped(results.hits if results is not None else ()):
            entries.append(key)
            entries.extend(hits)
        drawn, before = self._drawn, self._entries
        self._entries = entries
        if results is not None and self._listing_results and entries[:drawn] == before[:drawn]:
            if len(before) == drawn < len(entries):  # all was drawn: so is what follows
                self._draw_more()
            said = self._summary(results)
            if said != summary.content:
                summary.update(said)
            return
        self._listing_results = results is not None
        self._drawn = 0
        listing.entries = []
        listing.cursor = None
        if results is None:
            listing.items_changed()
            summary.update(Content.styled(hint, "dim italic"))
            return
        self._draw_more(changed=True)
        listing.place_cursor(listing.first_enabled)
        summary.update(self._summary(results))

    def _draw_more(self, *, changed: bool = False) -> None:
        """Append the next PAGE hits (and their headings) to the list;
        `changed`: the list was emptied for new results."""
        drawn: list[Hit | Content] = []
        hits = 0
        entries = self._entries
        while self._drawn < len(entries) and hits < PAGE:
            entry = entries[self._drawn]
            self._drawn += 1
            if not isinstance(entry, int):
                drawn.append(entry)
                hits += 1
                continue
            if entry == CHARACTERS:
                title = "Characters"
            elif entry == SERIES:
                title = "Whole-series reviews"
            elif entry == TRACKS:
                title = "Soundtrack"
            else:
                title = self.heading(entry)
            drawn.append(Content.styled(title, "bold $accent"))
        listing = self.results_list
        listing.entries.extend(drawn)
        if changed:
            listing.items_changed()
        elif drawn:
            listing.items_added()

    def _summary(self, results: SearchResults) -> Content:
        count = results.total
        found = f"{count:,} match{'es' if count != 1 else ''}" if count else "No visible matches"
        if len(results.hits) < count:
            found += f", the best {len(results.hits):,} listed"
        parts = [Content.styled(found, "bold")]
        corrected = results.summary_corrections()
        if corrected:
            parts.insert(0, Content.styled(corrected, "italic"))
        locked = results.summary_locked()
        if locked:
            parts.append(
                Content.assemble(
                    (locked, "$warning"),
                    "; ",
                    (self.key_label("toggle-spoilers-anywhere"), "bold"),
                    " shows them",
                )
            )
        return join(parts, " · ")

    def on_results_list_chosen(self, event: ResultsList.Chosen) -> None:
        event.stop()
        self.post_message(self.HitChosen(event.hit))

    def on_results_list_near_end(self, event: ResultsList.NearEnd) -> None:
        event.stop()
        self._draw_more()
