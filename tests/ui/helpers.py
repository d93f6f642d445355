"""Reading what the UI shows, for assertions."""

from __future__ import annotations

from textual.app import App
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static

from soundtrack_tui.core.search import Hit
from soundtrack_tui.ui.screens.main import MainScreen
from soundtrack_tui.ui.widgets.cursor_list import CursorList
from soundtrack_tui.ui.widgets.results_list import ResultsList
from soundtrack_tui.ui.widgets.text_pane import TextPane


def text_of(widget: Widget) -> str:
    """The plain text of a text pane's blocks, or of every Static inside
    `widget` (or of it)."""
    if isinstance(widget, TextPane):
        return widget.text
    statics = [widget] if isinstance(widget, Static) else list(widget.query(Static))
    parts = []
    for static in statics:
        content = static.content
        parts.append(content.plain if isinstance(content, Content) else str(content))
    return "\n".join(parts)


def options_text(widget: CursorList | OptionList) -> list[str]:
    """Every item of a list as plain text, before it is cut to the width."""
    if isinstance(widget, OptionList):
        return [str(option.prompt) for option in widget.options]
    return [widget.item_content(index).plain for index in range(widget.item_count)]


def main_screen(app: App[object]) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
    return screen


def pane_text(app: App[object], pane: str) -> str:
    return text_of(main_screen(app).query_one(f"#{pane}"))


def notifications(app: App[object]) -> list[str]:
    return [notification.message for notification in app._notifications]


def header_text(app: App[object]) -> str:
    from soundtrack_tui.ui.widgets.show_header import ShowHeader

    return main_screen(app).query_one(ShowHeader).render().plain


def choose(app: App[object], field: str, episode: int | None = None) -> None:
    """Highlight the first result in `field` (and `episode`) and focus the list."""
    listing = main_screen(app).query_one(ResultsList)
    listing.focus()
    listing.place_cursor(
        next(
            index
            for index, entry in enumerate(listing.entries)
            if isinstance(entry, Hit)
            and entry.field == field
            and (episode is None or entry.episode == episode)
        )
    )


def chosen_hit(app: App[object]) -> Hit:
    screen = main_screen(app)
    listing = screen.query_one(ResultsList)
    assert listing.cursor is not None
    hit = listing.entries[listing.cursor]
    assert isinstance(hit, Hit)
    return hit
