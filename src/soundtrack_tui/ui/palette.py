"""The app's own palette commands: our words, no pack text (episode titles
go through `commands.EpisodeCommands`, which highlights them safely)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import SystemCommand

from soundtrack_tui.core.policy import LEVEL_WORDS
from soundtrack_tui.ui.screens.main import MainScreen


def browsing_commands(
    main: MainScreen,
    *,
    is_web: bool,
    save_story: Callable[[], None],
    show_help: Callable[[], None],
    show_shows: Callable[[], None],
) -> Iterator[SystemCommand]:
    yield SystemCommand("Search", "Search recaps, characters and reviews", main.action_search)
    yield SystemCommand(
        "Toggle spoilers",
        "Switch between your spoiler level and showing everything",
        main.action_toggle_spoilers,
    )
    for level, words in LEVEL_WORDS.items():
        yield SystemCommand(
            f"Spoiler level: {level.value}",
            f"Save this level: {words}",
            partial(main.set_level, level, save=True),
        )
    number = main.selected
    watched = number in main.viewer.watched
    yield SystemCommand(
        f"Mark episode {number} {'not watched' if watched else 'watched'}",
        "Toggle the watched mark of the selected episode",
        main.action_toggle_watched,
    )
    yield SystemCommand("Story so far", "A summary of everything you have watched", main.action_story)
    if is_web:
        yield SystemCommand(
            "Save the story as Markdown", "Download the story so far to this computer", save_story
        )
    yield SystemCommand("Soundtrack", "The show's songs, as far as you have watched", main.action_tracks)
    yield SystemCommand("Shows", "Your library of shows: open another one", show_shows)
    yield SystemCommand("Help", "Every key and what it does", show_help)
