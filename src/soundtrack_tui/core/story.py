"""The story so far: what the viewer has watched, retold briefly.

One builder serves the story overlay in the browser and `soundtrack story`
(Markdown or JSON), so the two can never tell different stories. Each
watched episode is told by its `summary`, a "previously on" written to be
read in a breath; an episode without one is told by its whole recap, since
a gap in the story would be worse than a long entry. The last episode told
ends with where it leaves off, so the reader knows where to pick up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level, Viewer


@dataclass(frozen=True, slots=True)
class StoryPart:
    """One episode of the story: its summary, or its recap when it has none."""

    number: int
    title: str
    paragraphs: tuple[str, ...]
    from_summary: bool
    season: int
    number_in_season: int
    season_label: str | None  # "S2 E5" in a show of several seasons, else None

    @property
    def heading(self) -> str:
        if self.season_label:
            return f"{self.season_label}: {self.title}"
        return f"{self.number}. {self.title}"


@dataclass(frozen=True, slots=True)
class Story:
    show_title: str
    episode_count: int
    parts: tuple[StoryPart, ...]
    ending: str | None  # where the last episode told leaves off
    next_episode: int | None  # None when every episode is watched or spoilers are off
    next_label: str | None  # "episode 3", or "S2 E1" in a show of several seasons

    @property
    def covers(self) -> str:
        """ "Covers episodes 1, 2 of 4." or "" when nothing is told."""
        if not self.parts:
            return ""
        numbers = ", ".join(part.season_label or str(part.number) for part in self.parts)
        noun = "episode" if len(self.parts) == 1 else "episodes"
        return f"Covers {noun} {numbers} of {self.episode_count}."


EMPTY_STORY = "Nothing watched yet, so nothing to retell. Start with episode 1."


def story_so_far(pack: Pack, viewer: Viewer) -> Story:
    """The story of the episodes `viewer` has watched (every episode when
    spoilers are off)."""
    episodes = policy.story_episodes(pack, viewer)
    parts = tuple(
        StoryPart(
            episode.number,
            episode.title,
            (episode.summary,) if episode.summary else episode.paragraphs,
            from_summary=episode.summary is not None,
            season=pack.season_of(episode.number),
            number_in_season=pack.number_in_season(episode.number),
            season_label=pack.season_label(episode.number),
        )
        for episode in episodes
    )
    # A recap told whole already ends where the episode does.
    ending = episodes[-1].ending if episodes and parts[-1].from_summary else None
    # Nothing told yet already says where to start.
    upcoming = None if viewer.level is Level.OFF or not parts else policy.next_episode(pack, viewer)
    next_label = None if upcoming is None else pack.episode_label(upcoming, in_sentence=True)
    return Story(pack.show.title, pack.show.episode_count, parts, ending, upcoming, next_label)


def story_markdown(story: Story) -> str:
    """The story as Markdown in which pack text reads exactly as written."""
    lines = [f"# {escape_markdown(story.show_title, block=False)}: the story so far", ""]
    lines += [f"_{story.covers}_" if story.parts else EMPTY_STORY, ""]
    for part in story.parts:
        lines += [f"## {escape_markdown(part.heading, block=False)}", ""]
        for paragraph in part.paragraphs:
            lines += [escape_markdown(paragraph), ""]
    if story.ending:
        lines += [f"**Where it leaves off:** {escape_markdown(story.ending, block=False)}", ""]
    if story.next_episode is not None:
        lines += [f"Next up: {story.next_label}.", ""]
    return "\n".join(lines)


def story_json(story: Story) -> dict[str, object]:
    return {
        "show": story.show_title,
        "episodes": [
            {
                "number": part.number,
                "season": part.season,
                "number_in_season": part.number_in_season,
                "title": part.title,
                "text": list(part.paragraphs),
                "from": "summary" if part.from_summary else "recap",
            }
            for part in story.parts
        ],
        "ending": story.ending,
        "next_episode": story.next_episode,
        "next_label": story.next_label,
    }


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>"})
_BLOCK_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))")


def escape_markdown(text: str, *, block: bool = True) -> str:
    """Pack text is shared as Markdown: escape what would turn into links,
    HTML or emphasis, and (for a block of its own) a heading or list marker,
    so it reads exactly as written."""
    text = text.translate(_MARKDOWN_SPECIAL)
    if not block:
        return text
    return _BLOCK_START.sub(
        lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)),
        text,
    )
