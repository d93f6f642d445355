"""The episode list: number, title (or a hidden marker), watched and locked
marks, as the spoiler policy allows.

A `CursorList` of one-line rows: while the search is open the list shows
only the episodes with matches, that set changes on most keystrokes, and a
change here is a new list of numbers; rows are built only when drawn.

A show of several seasons lists its episodes ("S2 E5") under a header per
season, which folds and unfolds from the keyboard (Left and Right, or Enter
on the header). Folding is for browsing: while searching, every season with
a match is open and its header cannot be chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.reactive import reactive, var

from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import EpisodeRow, Viewer, episode_row
from soundtrack_tui.ui.messages import EpisodeChosen, EpisodeSelected, SeasonsFolded
from soundtrack_tui.ui.panes import PANE_TITLES
from soundtrack_tui.ui.widgets.cursor_list import CursorList

WATCHED = "✓"
LOCKED = "⊘"
PEEKING = "◐"
OPEN = "·"
NO_MATCH = Content.styled("no episode matches", "dim italic")


def season_header(pack: Pack, season: int, viewer: Viewer, *, folded: bool, foldable: bool = True) -> Content:
    """A season's header row: whether it is folded, its number, how many of
    its episodes are watched, then its title and logline (spoiler-free, as
    the format says; `soundtrack list` shows them too)."""
    arrow = ("▸ " if folded else "▾ ") if foldable else ""
    name = f"{arrow}Season {season}"
    episodes = pack.season_range(season)
    watched = sum(1 for number in episodes if number in viewer.watched)
    tally = f"  {watched}/{len(episodes)} ✓"
    declared = pack.season(season)
    title = f"  {declared.title}" if declared is not None and declared.title else ""
    logline = f"  {declared.logline}" if declared is not None and declared.logline else ""
    # The tally before the title: a narrow list cuts the end of the line.
    end = len(name) + len(tally)
    spans = [Span(0, len(name), "bold"), Span(len(name), end, "dim")]
    if logline:
        spans.append(Span(end + len(title), end + len(title) + len(logline), "dim italic"))
    return Content(name + tally + title + logline, spans)


def grouped_rows(pack: Pack, numbers: Iterable[int], folded: frozenset[int]) -> list[int]:
    """The list's rows for episodes `numbers` (ascending) of a show of
    several seasons: each season's header (stored as minus its number)
    before its episodes, which a folded season leaves out."""
    rows: list[int] = []
    last = None
    for number in numbers:
        season = pack.season_of(number)
        if season != last:
            rows.append(-season)
            last = season
        if season not in folded:
            rows.append(number)
    return rows


def status_mark(view: EpisodeRow) -> tuple[str, str]:
    """The one-cell status of an episode and its style."""
    if view.watched:
        return WATCHED, "$success"
    if view.peeked:
        return PEEKING, "$accent"
    if view.locked:
        return LOCKED, "$warning"
    return OPEN, "dim"


def episode_prompt(view: EpisodeRow, number_width: int, *, label: str | None = None) -> Content:
    """One row: number (or `label`, such as "S2 E5"), status mark, title or
    why it is missing.

    Built as one string with spans: `Content.assemble` would clean and
    measure each of the six parts separately."""
    mark, mark_style = status_mark(view)
    number = str(view.number).rjust(number_width) if label is None else label.ljust(number_width)
    if view.title is not None:
        title, title_style = view.title, ""
    else:
        title, title_style = ("no recap yet" if not view.has_file else "title hidden"), "dim italic"
    head = f"{number} {mark} "
    mark_at = len(head) - len(mark) - 1
    spans = [Span(0, len(number), "bold"), Span(mark_at, mark_at + len(mark), mark_style)]
    if title_style:
        spans.append(Span(len(head), len(head) + len(title), title_style))
    return Content(head + title, spans)


class EpisodeList(CursorList):
    """Episodes of the pack; the cursor row is the selected episode, or a
    season's header.

    Fed by the main screen through data binding (`viewer`, `selected`,
    `only`); reports what the user does with `EpisodeSelected` (the cursor
    moved) and `EpisodeChosen` (Enter or a click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list-down", tooltip="Next episode"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list-up", tooltip="Previous episode"),
        Binding("home", "first", "First", show=False, id="list-first", tooltip="First episode"),
        Binding("end", "last", "Last", show=False, id="list-last", tooltip="Last episode"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down", tooltip="A page down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up", tooltip="A page up"),
        Binding("enter", "select", "Open", id="list-open", tooltip="Open the episode in the Recap pane"),
        Binding("left,h", "fold", "Fold season", show=False, id="list-fold", tooltip="Fold the season"),
        Binding(
            "right,l", "unfold", "Unfold season", show=False, id="list-unfold", tooltip="Unfold the season"
        ),
    ]
    ONE_LINE = True
    EMPTY = Content.styled("no episode matches", "dim italic")

    viewer: reactive[Viewer] = reactive(Viewer, init=False)
    selected: reactive[int] = reactive(1, init=False)
    only: var[frozenset[int] | None] = var(None, init=False)
    """While searching: the episodes with matches; None lists every episode.
    A var: `rebuild` redraws the list when its rows change, and only then
    (the set changes on most keystrokes, the rows on screen far less)."""

    def __init__(
        self,
        pack: Pack,
        *,
        folded: frozenset[int] = frozenset(),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.pack = pack
        self.seasons = pack.has_seasons
        self.folded = folded
        """Seasons whose episodes are hidden under their header (as the user
        left them: `SeasonsFolded` reports each change)."""
        self._rows: list[int] = []
        """Episode numbers, and a season header as minus its number."""
        self._index: dict[int, int] | None = None
        self._built: tuple[Viewer, frozenset[int] | None, frozenset[int]] | None = None
        self._prompts: dict[int, Content] = {}
        """Rows drawn for the viewer of `_built`, kept while only the
        search filter changes."""
        if self.seasons:  # the widest label is the last episode of some season
            self._number_width = max(len(f"S{s} E{len(pack.season_range(s))}") for s in pack.season_numbers)
        else:
            self._number_width = len(str(pack.show.episode_count))
        self.border_title = PANE_TITLES["episodes"]

    def on_mount(self) -> None:
        self.rebuild()

    def watch_viewer(self) -> None:
        self.rebuild()

    def watch_only(self) -> None:
        self.rebuild()

    def watch_selected(self, old: int, number: int) -> None:
        # A move into a folded season opens it, to show where the selection
        # went; the selection restored at start (set again, unchanged, by
        # data binding) leaves the season as the user left it, the cursor on
        # its header.
        moved = self._built is not None and old != number
        if moved and self.seasons and self.only is None and self.pack.season_of(number) in self.folded:
            self._set_folded(self.pack.season_of(number), False)
        self.place_cursor(self._resting_row(None))

    def rebuild(self) -> None:
        """List the episodes `only` allows, as the viewer may see them.

        Data binding sets every bound value again after mount, so an
        unchanged viewer and filter are skipped."""
        if self._built == (self.viewer, self.only, self.folded):
            return
        if self._built is None or self._built[0] != self.viewer:
            self._prompts.clear()
        header = self._row_at_cursor() if self.on_season_header else None
        before = self._built
        self._built = (self.viewer, self.only, self.folded)
        numbers: Iterable[int] = self.pack.numbers if self.only is None else sorted(self.only)
        if self.seasons:
            rows = grouped_rows(self.pack, numbers, self.folded if self.only is None else frozenset())
        else:
            rows = list(numbers)
        # A search keystroke that lists the same episodes leaves the rows as
        # drawn (a season's header is drawn differently while searching).
        if (
            before is not None
            and before[0] == self.viewer
            and rows == self._rows
            and (not self.seasons or (before[1] is None) == (self.only is None))
        ):
            self.place_cursor(self._resting_row(header))
            return
        self._rows = rows
        self._index = None
        self.cursor = None
        self.items_changed()
        self.place_cursor(self._resting_row(header))

    def _resting_row(self, header: int | None) -> int | None:
        """Where the cursor goes after a rebuild: the season header it was
        on, else the selected episode, else (folded away) its season's header.
        While searching, only the selected episode."""
        if self.only is not None:
            return self.row_of(self.selected)
        row = self.row_of(header) if header is not None else None
        if row is None:
            row = self.row_of(self.selected)
        if row is None and self.seasons:
            row = self.row_of(-self.pack.season_of(self.selected))
        return row

    # -- rows ------------------------------------------------------------------

    @property
    def item_count(self) -> int:
        return len(self._rows)

    def item_content(self, index: int) -> Content:
        number = self._rows[index]
        if number < 0:  # a few per show, and they change with folding and searching: not kept
            season = -number
            return season_header(
                self.pack, season, self.viewer, folded=season in self.folded, foldable=self.only is None
            )
        prompt = self._prompts.get(number)
        if prompt is None:
            view = episode_row(self.pack, self.viewer, number)
            prompt = episode_prompt(view, self._number_width, label=self.pack.season_label(number))
            self._prompts[number] = prompt
        return prompt

    def item_enabled(self, index: int) -> bool:
        return self._rows[index] > 0 or self.only is None

    def row_of(self, number: int) -> int | None:
        """The row that lists episode `number`, if it is listed."""
        if self.only is None and not self.seasons:
            return number - 1 if 1 <= number <= len(self._rows) else None
        if self._index is None:  # built on demand: most filter changes never need it
            self._index = {number: row for row, number in enumerate(self._rows)}
        return self._index.get(number)

    def number_at(self, row: int | None) -> int | None:
        """The episode on `row`; None for a season's header."""
        if row is None or not 0 <= row < len(self._rows) or self._rows[row] < 0:
            return None
        return self._rows[row]

    @property
    def on_season_header(self) -> bool:
        """Is the cursor on a season's header (no episode under it)?"""
        under = self._row_at_cursor()
        return under is not None and under < 0

    @property
    def highlighted_episode(self) -> int | None:
        """The episode under the cursor now. Ahead of `selected` while the
        `EpisodeSelected` of a move is still queued: keys that arrive in one
        write run their actions before it lands."""
        return self.number_at(self.cursor)

    # -- seasons -----------------------------------------------------------------

    def _row_at_cursor(self) -> int | None:
        """What the cursor is on: an episode number, minus a season's, or None."""
        cursor = self.cursor
        return self._rows[cursor] if cursor is not None and 0 <= cursor < len(self._rows) else None

    def _season_at_cursor(self) -> int | None:
        row = self._row_at_cursor()
        if not self.seasons or self.only is not None or row is None:
            return None
        return -row if row < 0 else self.pack.season_of(row)

    def _set_folded(self, season: int, folded: bool) -> None:
        self.folded = self.folded | {season} if folded else self.folded - {season}
        self.post_message(SeasonsFolded(self.folded))
        self.rebuild()
        self.place_cursor(self.row_of(-season))

    def action_fold(self) -> None:
        """Fold the season under the cursor; the cursor rests on its header."""
        season = self._season_at_cursor()
        if season is not None and season not in self.folded:
            self._set_folded(season, True)
        elif season is not None:
            self.place_cursor(self.row_of(-season))

    def action_unfold(self) -> None:
        season = self._season_at_cursor()
        if season is not None and season in self.folded:
            self._set_folded(season, False)

    # -- what the user does ----------------------------------------------------

    def cursor_moved(self, index: int) -> None:
        number = self._rows[index]
        if number > 0 and number != self.selected:
            self.post_message(EpisodeSelected(number))  # the screen's keys follow the new selection
        else:  # onto a season's header, or back from one: the screen's episode keys come or go
            self.refresh_bindings()

    def item_chosen(self, index: int) -> None:
        number = self._rows[index]
        if number > 0:
            self.post_message(EpisodeChosen(number))
        elif self.only is None:
            self._set_folded(-number, -number not in self.folded)
