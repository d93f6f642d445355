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
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, var
from textual.widgets import Input, Static

from soundtrack_tui.ui.text import join
from soundtrack_tui.ui.widgets.key_label import KeyLabel, default_key_label
from soundtrack_tui.ui.widgets.results_list import ResultsList

if TYPE_CHECKING:
    from soundtrack_tui.core.search import Hit, SearchResults

CHARACTERS = -1
SERIES = -2
TRACKS = -3
PAGE = 40
"""Most results drawn at once, far fewer than a search returns."""
SCREENS = 2
"""A draw stops once its rows fill this many heights of the list: a
keystroke wraps and draws a screenful and the next, not a whole page of
prose (at a thousand episodes, most of the time between a key and its
results). The next rows are drawn as the cursor or the view nears the end."""
IDLE_HINT = "Type to search everything you are allowed to see."
INDEXING_HINT = "Indexing the pack… results follow as soon as it is ready."


def group_key(hit: Hit) -> int:
    """Episode number, or CHARACTERS / SERIES / TRACKS for hits outside an episode."""
    if hit.episode is not None:
        return hit.episode
    if hit.field == "track":
        return TRACKS
    return SERIES if hit.field == "series review" else CHARACTERS


def grouped(hits: Iterable[Hit]) -> list[tuple[int, list[Hit]]]:
    """Hits grouped by episode; groups in order of their best hit (hits
    arrive ranked), hits in rank order inside a group."""
    groups: dict[int, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(group_key(hit), []).append(hit)
    return list(groups.items())


class SearchBox(Input):
    """The query input; Down moves to the results (Input would scroll)."""

    # Input sets its virtual size (the text's width) on every character,
    # and Textual lays the whole screen out when a virtual size changes: on
    # this screen, each keystroke then drew both lists' scrollbars again
    # (3 to 5 ms each at 1,000 episodes) and once more a frame later. The
    # box is one line in a fixed-size panel, so its text's width changes
    # nothing in the layout; it still scrolls to the cursor (Input scrolls
    # within the virtual size itself).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

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
        """Down from the box: into the results, on the first one. With
        none visible the list takes the focus all the same, so the keys of
        the screen (`s` for spoilers, which the hint names) work there and
        are not typed into the query; Up goes back to the box."""
        results = self.results_list
        # At once, not `focus()` (which waits for the queue): the keys
        # typed in the same burst as Down are read next.
        self.screen.set_focus(results)
        if results.cursor is None and results.first_enabled is not None:
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
                self._say(summary, said)
            return
        self._listing_results = results is not None
        self._drawn = 0
        listing.entries = []
        listing.cursor = None
        if results is None:
            listing.items_changed()
            self._say(summary, Content.styled(hint, "dim italic"))
            return
        listing.forget_items()
        self._draw_more(changed=True)
        listing.place_cursor(listing.first_enabled)
        self._say(summary, self._summary(results))

    @staticmethod
    def _say(summary: Static, said: Content) -> None:
        """Show `said` in the summary line; the screen is laid out again
        only when it takes another number of lines than what it replaces
        (a layout redraws more than the line)."""
        region = summary.content_region
        same_height = region.width > 0 and len(said.wrap(region.width)) == region.height
        summary.update(said, layout=not same_height)

    def _draw_more(self, *, changed: bool = False) -> None:
        """Append the next hits (and their headings) to the list, until its
        rows reach SCREENS heights of it past the top of the view, or PAGE
        hits are added (all of them before the list has a size);
        `changed`: the list was emptied for new results, shown from the top."""
        listing = self.results_list
        view = listing.scrollable_content_region.height
        if changed:
            lines, enough = 0, SCREENS * view
        else:
            lines, enough = listing.virtual_size.height, round(listing.scroll_offset.y) + SCREENS * view
        drawn = hits = 0
        entries = self._entries
        while self._drawn < len(entries) and hits < PAGE and (lines < enough or view <= 0):
            entry = entries[self._drawn]
            self._drawn += 1
            if isinstance(entry, int):
                listing.entries.append(Content.styled(self._heading(entry), "bold $accent"))
            else:
                listing.entries.append(entry)
                hits += 1
            drawn += 1
            if view > 0:
                lines += listing.item_height(len(listing.entries) - 1)
        if changed or drawn:
            listing.items_added()

    def _heading(self, key: int) -> str:
        if key == CHARACTERS:
            return "Characters"
        if key == SERIES:
            return "Whole-series reviews"
        if key == TRACKS:
            return "Soundtrack"
        return self.heading(key)

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
