"""The story so far, as `core.story` tells it: a summary of each watched
episode and where the last one leaves off."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.content import Content

from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Viewer
from soundtrack_tui.core.story import EMPTY_STORY, story_so_far
from soundtrack_tui.ui.screens.reading import ReadingScreen


def story_lines(pack: Pack, viewer: Viewer) -> list[tuple[Content, str]]:
    """(content, css class) pairs: title, coverage, then each episode."""
    story = story_so_far(pack, viewer)
    lines: list[tuple[Content, str]] = [
        (Content.assemble(Content.styled(story.show_title, "bold"), ": the story so far"), "story-title")
    ]
    if story.parts:
        lines.append((Content.styled(story.covers, "dim italic"), "story-covers"))
    else:
        lines.append((Content(EMPTY_STORY), "story-empty"))
    for part in story.parts:
        lines.append((Content.styled(part.heading, "bold underline"), "story-heading"))
        lines.extend((Content(paragraph), "story-paragraph") for paragraph in part.paragraphs)
    if story.ending:
        lines.append((Content.assemble(("Where it leaves off: ", "bold"), story.ending), "story-ending"))
    if story.next_episode is not None:
        lines.append((Content.styled(f"Next up: {story.next_label}.", "bold $accent"), "story-next"))
    return lines


class StoryScreen(ReadingScreen):
    """A scrollable "previously on" over the main screen."""

    TITLE_TEXT = "Story so far"
    SCROLL_ID: ClassVar[str] = "story"

    def __init__(self, pack: Pack, viewer: Viewer) -> None:
        super().__init__(id="story-screen")
        self.pack = pack
        self.viewer = viewer

    def lines(self) -> Iterable[tuple[Content, str]]:
        return story_lines(self.pack, self.viewer)
