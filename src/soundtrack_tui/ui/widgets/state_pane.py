"""A scrolling pane drawn entirely from its reactive state.

The recap, characters and reviews panes are pure functions of what the
main screen binds to them. Data binding pushes every bound value once more
right after mount, flagged as changed even when equal, and each push asks
for a recompose: without a check, each pane was built two or three times
before the first frame. This base class recomposes only when the state
really differs from what was last composed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget


class StatePane(VerticalScroll, can_focus=True):
    """Subclasses name their state in `STATE` and draw it in `compose_pane`;
    a widget stored in `scroll_target` while composing is scrolled into
    view afterwards (see `reveal`)."""

    STATE: ClassVar[tuple[str, ...]] = ()

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=f"pane {classes or ''}".strip())
        self.border_title = title
        self.scroll_target: Widget | None = None
        self._composed: tuple[object, ...] | None = None

    def state(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.STATE)

    def compose(self) -> ComposeResult:
        self._composed = self.state()
        self.scroll_target = None
        yield from self.compose_pane()

    def compose_pane(self) -> Iterator[Widget]:
        raise NotImplementedError

    async def recompose(self) -> None:
        if self.state() == self._composed:
            return
        await super().recompose()
        self.after_recompose()
        if self.scroll_target is not None:
            self.call_after_refresh(self.reveal, self.scroll_target)

    def after_recompose(self) -> None:
        """Called after each real recompose, before scrolling to the target."""

    def reveal(self, target: Widget) -> None:
        self.scroll_to_widget(target, animate=False, top=True, immediate=True)
