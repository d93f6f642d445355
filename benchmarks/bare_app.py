"""The yardstick for UI start-up: a bare Textual app with the widget types
soundtrack's main screen uses (Header, Footer, an OptionList, three Static
text panes and an Input), laid out alike, with no data and no logic.

    python benchmarks/bare_app.py        # runs it in the terminal

Whatever this costs to start is Textual's (and Python's) floor on this
machine; soundtrack's start-up is reported as a ratio to it. The first
option of the list is `MARKER`, which the runner waits for on screen.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, OptionList, Static

MARKER = "BARE-APP-READY"

CSS = """
#list { width: 32; height: 1fr; border: round $surface-lighten-2; }
#panes { width: 1fr; }
.pane { width: 1fr; height: 1fr; border: round $surface-lighten-2; padding: 0 1; }
#search { height: 1; }
"""


class BareApp(App[int]):
    """Header, Footer, an OptionList, three Static panes and an Input."""

    CSS = CSS
    TITLE = "bare"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(MARKER, *(f"Row {n}" for n in range(2, 5)), id="list")
            with Vertical(id="panes"):
                yield Input(placeholder="Search", id="search", compact=True)
                with Horizontal():
                    yield Static("Recap text.", classes="pane")
                    yield Static("Characters text.", classes="pane")
                    yield Static("Reviews text.", classes="pane")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()


def main() -> int:
    BareApp().run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
