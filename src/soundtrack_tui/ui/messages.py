"""Small messages for user intents, posted by widgets and handled by the
main screen. Widgets say what the user asked for; the screen, which owns the
progress store and the spoiler viewer, decides what happens."""

from __future__ import annotations

from textual.message import Message

from soundtrack_tui.core.policy import Viewer


class EpisodeSelected(Message):
    """The highlight moved to episode `number` (keys, mouse or a jump)."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class EpisodeChosen(Message):
    """Enter (or a click) on episode `number`: open it in the recap pane."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class SeasonsFolded(Message):
    """The user folded or unfolded a season: `folded` are those folded now."""

    def __init__(self, folded: frozenset[int]) -> None:
        super().__init__()
        self.folded = folded


class StoryRequested(Message):
    """The user asked for the story so far, as `viewer` may see it."""

    def __init__(self, viewer: Viewer) -> None:
        super().__init__()
        self.viewer = viewer


class TracksRequested(Message):
    """The user asked for the soundtrack, as `viewer` may see it."""

    def __init__(self, viewer: Viewer) -> None:
        super().__init__()
        self.viewer = viewer
