"""The main screen's keys, each with an id keys.toml can remap and a
tooltip the key bar shows on hover."""

from __future__ import annotations

from textual.binding import Binding, BindingType

BROWSING_BINDINGS: list[BindingType] = [
    # A priority binding runs as soon as the key arrives, so the keys
    # typed right after "/" (already queued) land in the search box.
    Binding("slash", "search", "Search", id="search", tooltip="Search everything you may see", priority=True),
    Binding(
        "escape",
        "back",
        "Back",
        show=False,
        id="back",
        tooltip="Close the search, clear highlights, or go back to the list",
    ),
    Binding(
        "w",
        "toggle_watched",
        "Watched",
        id="toggle-watched",
        tooltip="Mark the selected episode watched, or not watched",
    ),
    Binding(
        "p",
        "peek",
        "Peek",
        id="peek",
        tooltip="Show a locked episode until the selection moves; progress is unchanged",
    ),
    Binding(
        "s",
        "toggle_spoilers",
        "Spoilers",
        id="toggle-spoilers",
        tooltip="Switch between your spoiler level and showing everything",
    ),
    Binding(
        "ctrl+s",
        "toggle_spoilers",
        "Spoilers",
        show=False,
        id="toggle-spoilers-anywhere",
        tooltip="Switch spoilers, also from inside the search box",
    ),
    Binding("n", "move_match(1)", "Next match", id="next-match", tooltip="Next match of the search"),
    Binding(
        "N",
        "move_match(-1)",
        "Prev match",
        id="previous-match",
        tooltip="Previous match of the search",
    ),
    Binding("f", "story", "Story so far", id="story", tooltip="The story so far, as far as you have watched"),
    Binding("t", "tracks", "Soundtrack", id="tracks", tooltip="The show's songs, as far as you have watched"),
    Binding("S", "app.shows", "Shows", show=False, id="shows", tooltip="Your library of shows: open another"),
    *(
        Binding(
            str(digit),
            f"jump({digit})",
            f"Episode {digit}",
            show=False,
            id=f"jump-{digit}",
            tooltip=f"Jump to episode {digit}",
        )
        for digit in range(1, 10)
    ),
]
