"""The one-line header: show title, progress and the spoiler level.

Textual's Header renders the app title as markup and carries a clock; a pack
title is untrusted text and snapshots need a still screen, so this header is
a plain Content line."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from soundtrack_tui.core.policy import Level, Viewer


def level_words(level: Level) -> Content:
    if level is Level.OFF:
        return Content.styled(" spoilers on ", "bold reverse $warning")
    return Content.assemble(("spoilers hidden: ", "dim"), (level.value, "bold"))


SEPARATOR = " · "


class ShowHeader(Widget):
    """Title, "watched 2/4", spoiler level and any peek, in one line."""

    viewer: reactive[Viewer] = reactive(Viewer, layout=False)

    def __init__(
        self,
        title: str,
        numbers: range,
        season_label: Callable[[int], str | None] = lambda number: None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.show_title = title
        self.numbers = numbers
        # `Pack.season_label`: "S2 E5" in a show of several seasons, else None.
        self.season_label = season_label

    def render(self) -> Content:
        """The long form when it fits whole, else the short one: the level
        and a peek matter more than the words around them."""
        viewer = self.viewer
        watched = sum(1 for number in viewer.watched if number in self.numbers)
        peek = viewer.peek if viewer.peek is not None and viewer.peek not in viewer.watched else None
        long_form = self._long_form(watched, peek)
        if long_form.cell_length <= self.size.width:
            return long_form
        level = (
            Content.styled("spoilers on", "bold reverse $warning")
            if viewer.level is Level.OFF
            else Content(viewer.level.value)
        )
        parts: list[Content | tuple[str, str] | str] = [
            (" ♪ ", "bold $accent"),
            (f"{watched}/{len(self.numbers)} ✓", ""),
            (SEPARATOR, "dim"),
            level,
        ]
        if peek is not None:
            parts += [(SEPARATOR, "dim"), (f"peeking {self.season_label(peek) or peek}", "italic $accent")]
        return Content.assemble(*parts, (SEPARATOR, "dim"), Content.styled(self.show_title, "bold"))

    def _long_form(self, watched: int, peek: int | None) -> Content:
        parts: list[Content | tuple[str, str] | str] = [
            (" ♪ ", "bold $accent"),
            Content.styled(self.show_title, "bold"),
            (SEPARATOR, "dim"),
            (f"watched {watched}/{len(self.numbers)}", ""),
            (SEPARATOR, "dim"),
            level_words(self.viewer.level),
        ]
        if peek is not None:
            named = self.season_label(peek) or f"episode {peek}"
            parts += [(SEPARATOR, "dim"), (f"peeking at {named}", "italic $accent")]
        return Content.assemble(*parts)
