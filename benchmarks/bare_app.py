"""The yardstick for UI start-up: a bare Textual app with the widget types
soundtrack's main screen uses (Header, Footer, an OptionList, three Static
text panes and an Input), laid out alike, with no data and no logic.

    python benchmarks/bare_app.py          # runs it in the terminal
    python benchmarks/bare_app.py --input  # the typing yardstick instead

Whatever this costs to start is Textual's (and Python's) floor on this
machine; soundtrack's start-up is reported as a ratio to it. The first
option of the list is `MARKER`, which the runner waits for on screen.

`--input` runs the yardstick for typing (`terminal_latency.py`): a line of
text, `INPUT_MARKER`, and an Input that "/" shows and focuses, as
soundtrack's "/" opens its search box. What a key costs there to show is
Textual's and the terminal's floor for echoing a keystroke.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, OptionList, Static

MARKER = "BARE-APP-READY"
INPUT_MARKER = "BARE-INPUT-READY"

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


class BareInputApp(App[int]):
    """A line of text, and an Input that "/" shows and focuses (as
    soundtrack's "/" opens its search box)."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [Binding("/", "open_input", "Search")]

    def compose(self) -> ComposeResult:
        yield Static(INPUT_MARKER)
        yield Input(placeholder="Search")

    def on_mount(self) -> None:
        self.query_one(Input).display = False

    def action_open_input(self) -> None:
        box = self.query_one(Input)
        box.display = True
        box.focus()


def main(argv: Sequence[str] = ()) -> int:
    app = BareInputApp() if "--input" in argv else BareApp()
    app.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
