"""The show's soundtrack: each song once the episode that reveals it is
unlocked, the rest counted and never named."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.content import Content

from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import TrackView, Viewer
from soundtrack_tui.ui.screens.reading import ReadingScreen
from soundtrack_tui.ui.text import join

NEW = " new "


def track_block(view: TrackView) -> Content:
    """Title, artist and facts, then the original title and the note."""
    track = view.track
    head: list[Content | tuple[str, str] | str] = [
        Content.styled(track.title, "bold"),
        (" · ", "dim"),
        Content(track.artist),
    ]
    if view.new:
        head.append((NEW, "reverse $accent"))
    lines = [Content.assemble(*head)]
    if view.facts:
        lines.append(join([Content(fact) for fact in view.facts]).stylize("dim"))
    if track.original_title:
        lines.append(Content(track.original_title))
    if track.note:
        lines.append(Content.styled(track.note, "dim"))
    return Content("\n").join(lines)


def soundtrack_lines(pack: Pack, viewer: Viewer) -> list[tuple[Content, str]]:
    shown, hidden = policy.track_views(pack, viewer)
    lines: list[tuple[Content, str]] = [
        (Content.assemble(Content.styled(pack.show.title, "bold"), ": the soundtrack"), "tracks-title")
    ]
    if not pack.show.tracks:
        lines.append((Content.styled("This pack lists no songs.", "dim italic"), "tracks-empty"))
    lines.extend((track_block(view), "tracks-track") for view in shown)
    if hidden:
        noun = "song unlocks" if hidden == 1 else "songs unlock"
        lines.append((Content.styled(f"{hidden} more {noun} as you watch.", "dim italic"), "tracks-hidden"))
    return lines


class SoundtrackScreen(ReadingScreen):
    """The songs of the show, as far as the viewer may see."""

    TITLE_TEXT = "Soundtrack"
    SCROLL_ID: ClassVar[str] = "tracks"

    def __init__(self, pack: Pack, viewer: Viewer) -> None:
        super().__init__(id="tracks-screen")
        self.pack = pack
        self.viewer = viewer

    def lines(self) -> Iterable[tuple[Content, str]]:
        return soundtrack_lines(self.pack, self.viewer)
