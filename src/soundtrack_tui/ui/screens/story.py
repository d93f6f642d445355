"""The story so far: the recaps of every unlocked episode, in order.

Built from `policy.story_so_far` as Content, never by parsing Markdown: pack
text is untrusted and must not become links or markup."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level, Viewer


def story_lines(pack: Pack, viewer: Viewer) -> list[tuple[Content, str]]:
    """(content, css class) pairs: title, coverage, then each episode."""
    views = policy.story_so_far(pack, viewer)
    lines: list[tuple[Content, str]] = [
        (Content.assemble(Content.styled(pack.show.title, "bold"), ": the story so far"), "story-title")
    ]
    if not views:
        lines.append(
            (
                Content(
                    "Nothing watched yet, so nothing to recap and nothing to spoil. Start with episode 1."
                ),
                "story-empty",
            )
        )
    else:
        covered = ", ".join(str(view.number) for view in views)
        lines.append(
            (
                Content.styled(f"Covers episodes {covered} of {pack.show.episode_count}.", "dim italic"),
                "story-covers",
            )
        )
    for view in views:
        lines.append((Content.styled(view.heading, "bold underline"), "story-heading"))
        if view.logline:
            lines.append((Content.styled(view.logline, "italic"), "story-logline"))
        for paragraph in view.paragraphs or ():
            lines.append((Content(paragraph), "story-paragraph"))
    upcoming = policy.next_episode(pack, viewer)
    if upcoming is not None and viewer.level is not Level.OFF:
        lines.append((Content.styled(f"Next up: episode {upcoming}.", "bold $accent"), "story-next"))
    return lines


class StoryScreen(ModalScreen[None]):
    """A scrollable "previously on" over the main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="close-story", tooltip="Back to the episodes"),
        Binding("j", "scroll('down')", "Down", show=False, id="story-down", tooltip="Scroll down"),
        Binding("k", "scroll('up')", "Up", show=False, id="story-up", tooltip="Scroll up"),
    ]

    def __init__(self, pack: Pack, viewer: Viewer) -> None:
        super().__init__(id="story-screen")
        self.pack = pack
        self.viewer = viewer

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="story", can_focus=True) as scroll:
            scroll.border_title = "Story so far"
            scroll.border_subtitle = "esc close"
            for content, classes in story_lines(self.pack, self.viewer):
                yield Static(content, classes=classes)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#story", VerticalScroll)
        if direction == "down":
            scroll.scroll_down()
        else:
            scroll.scroll_up()
