"""Command palette entries that involve pack text: jump to an episode.

System commands (search, spoilers, levels, watched, story, theme) come from
`SoundtrackApp.get_system_commands`; those titles are our own words. This
provider shows episode titles, which are untrusted: Textual's fuzzy
highlighter parses its candidate as markup, so prompts here are built as
Content and highlighted from the match offsets directly."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch

from soundtrack_tui.core import policy
from soundtrack_tui.ui.screens.main import MainScreen

MAX_DISCOVERY = 50


def highlight(text: str, offsets: Sequence[int]) -> Content:
    content = Content(text)
    for offset in offsets:
        if 0 <= offset < len(text) and not text[offset].isspace():
            content = content.stylize("reverse", offset, offset + 1)
    return content


class EpisodeCommands(Provider):
    """ "Go to episode N: Title", titles as the spoiler policy allows."""

    def _main(self) -> MainScreen | None:
        """The browsing screen, wherever it is in the stack (the palette may
        open over help or the story)."""
        return next((screen for screen in self.app.screen_stack if isinstance(screen, MainScreen)), None)

    def _entries(self) -> list[tuple[int, str]]:
        main = self._main()
        if main is None:
            return []
        rows = (policy.episode_row(main.pack, main.viewer, number) for number in main.pack.numbers)
        return [
            (row.number, f"Go to {row.label_in_sentence}" + (f": {row.title}" if row.title else ""))
            for row in rows
        ]

    def _go(self, number: int) -> None:
        main = self._main()
        if main is not None:
            main.action_jump(number)
            main.show_pane("recap")

    async def discover(self) -> Hits:
        for number, text in self._entries()[:MAX_DISCOVERY]:
            yield DiscoveryHit(
                Content(text),
                partial(self._go, number),
                text=text,
                help="Show this episode in the Recap pane",
            )

    async def search(self, query: str) -> Hits:
        fuzzy = FuzzySearch()
        for number, text in self._entries():
            score, offsets = fuzzy.match(query, text)
            if score > 0:
                yield Hit(
                    score,
                    highlight(text, offsets),
                    partial(self._go, number),
                    text=text,
                    help="Show this episode in the Recap pane",
                )
