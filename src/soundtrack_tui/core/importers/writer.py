"""The one writer of new pack folders: a draft from any importer becomes
show.toml, episodes/NN.toml and characters.toml, written all or nothing.

Numbering lives here. Episode `number` is the absolute order in the show,
seasons are renumbered 1, 2, 3... in the input's order (TVmaze numbers some
shows' seasons by year), and `season` and `[[seasons]]` are written only
when there is more than one, as format 1.1 allows.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

import tomli_w

from soundtrack_tui.core.importers.draft import Draft, DraftCharacter, DraftEpisode, ImportFailed
from soundtrack_tui.core.model import MAX_EPISODES

IMPORTED_FORMAT = 1.1
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lowercase letters, digits and hyphens: the shape of pack and
    character ids ("" when `text` has no Latin letter or digit)."""
    return _SLUG.sub("-", text.lower()).strip("-")


def pack_id(title: str, folder: Path) -> str:
    """A valid pack id from the title (or the folder's name when the title
    has no Latin letters or digits)."""
    return slug(title) or slug(folder.name) or "my-show"


def numbered(draft: Draft) -> list[tuple[int, int, DraftEpisode]]:
    """(absolute number, season ordinal, episode) in viewing order.

    Raises ImportFailed when two episodes claim the same place, or when
    there are none or more than the format allows."""
    episodes = sorted(draft.episodes, key=lambda episode: (episode.season, episode.number_in_season))
    if not episodes:
        raise ImportFailed([(draft.origin, "no episodes with a season and an episode number")])
    if len(episodes) > MAX_EPISODES:
        raise ImportFailed([(draft.origin, f"{len(episodes):,} episodes; a pack holds {MAX_EPISODES:,}")])
    problems = [
        (later.origin, f"season {later.season} episode {later.number_in_season} appears twice")
        for earlier, later in pairwise(episodes)
        if (earlier.season, earlier.number_in_season) == (later.season, later.number_in_season)
    ]
    if problems:
        raise ImportFailed(problems)
    ordinal = {season: index for index, season in enumerate(sorted({e.season for e in episodes}), 1)}
    return [(number, ordinal[episode.season], episode) for number, episode in enumerate(episodes, 1)]


def pack_files(draft: Draft, folder: Path) -> tuple[dict[str, str], int, int]:
    """The files of the pack, by path relative to its folder, with the
    number of episodes and of seasons written."""
    episodes = numbered(draft)
    seasons = max(season for _, season, _ in episodes)
    outlet_key = slug(draft.outlet) or "source"
    sources: list[dict[str, str]] = []
    if draft.url:
        sources.append({"key": outlet_key, "outlet": draft.outlet, "title": draft.title, "url": draft.url})
    width = max(2, len(str(len(episodes))))
    files: dict[str, str] = {}
    for number, season, episode in episodes:
        table, source = _episode_table(draft, number, season if seasons > 1 else None, episode)
        cited = [outlet_key] if draft.url else []
        if source is not None:
            sources.append(source)
            cited.append(source["key"])
        table["sources"] = cited
        files[f"episodes/{number:0{width}d}.toml"] = _toml(table)
    show: dict[str, Any] = {
        "format": IMPORTED_FORMAT,
        "id": pack_id(draft.title, folder),
        "title": draft.title,
    }
    if draft.year is not None:
        show["year"] = draft.year
    if draft.platform:
        show["platform"] = draft.platform
    show["episode_count"] = len(episodes)
    show["synopsis"] = draft.synopsis
    if draft.ids:
        show["ids"] = dict(draft.ids)
    if seasons > 1:
        show["seasons"] = _season_tables(draft)
    show["sources"] = sources
    files["show.toml"] = _toml(show)
    if draft.characters:
        files["characters.toml"] = _toml({"characters": _character_tables(draft.characters)})
    return files, len(episodes), seasons


def _season_tables(draft: Draft) -> list[dict[str, Any]]:
    """One entry per season; where the data numbers a season otherwise
    (a year, or after a gap), its own number becomes the title, so the
    reader still recognises it."""
    tables: list[dict[str, Any]] = []
    for number, original in enumerate(sorted({episode.season for episode in draft.episodes}), 1):
        tables.append(
            {"number": number} if number == original else {"number": number, "title": f"Season {original}"}
        )
    return tables


def _episode_table(
    draft: Draft, number: int, season: int | None, episode: DraftEpisode
) -> tuple[dict[str, Any], dict[str, str] | None]:
    table: dict[str, Any] = {"number": number}
    if season is not None:
        table["season"] = season
    title = episode.title or f"Episode {episode.number_in_season}"
    table["title"] = title
    if episode.runtime_minutes is not None:
        table["runtime_minutes"] = episode.runtime_minutes
    if episode.aired is not None:
        table["aired"] = episode.aired
    table["recap"] = episode.recap
    if episode.ids:
        table["ids"] = dict(episode.ids)
    if not episode.url:
        return table, None
    label = f"S{episode.season} E{episode.number_in_season}: {title}"
    key = f"{slug(draft.outlet) or 'source'}-{number}"
    return table, {"key": key, "outlet": draft.outlet, "title": f"{draft.title}, {label}", "url": episode.url}


def _character_tables(characters: list[DraftCharacter]) -> list[dict[str, Any]]:
    tables: list[dict[str, Any]] = []
    taken: set[str] = set()
    for index, character in enumerate(characters, 1):
        base = slug(character.name) or f"character-{index}"
        character_id, suffix = base, 1
        while character_id in taken:
            suffix += 1
            character_id = f"{base}-{suffix}"
        taken.add(character_id)
        tables.append(
            {
                "id": character_id,
                "name": character.name,
                "aliases": [],
                "actor": character.actor,
                # An NFO cast list says nothing of when a character appears.
                "first_episode": 1,
                "intro": character.intro,
                "sources": [],
            }
        )
    return tables


def _toml(table: Mapping[str, Any]) -> str:
    # Multi-line strings keep a recap's paragraphs readable for hand editing.
    return tomli_w.dumps(table, multiline_strings=True)


def write_new_folder(folder: Path, files: Mapping[str, str]) -> None:
    """Write `files` (relative path -> text) as a new folder at `folder`.

    Built beside its final place and renamed: a failed or interrupted run
    leaves no half-written pack. Raises FileExistsError when `folder`
    exists, OSError when writing fails (after removing the staging folder)."""
    if os.path.lexists(folder):
        raise FileExistsError(folder)
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        for relative, text in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if os.path.lexists(folder):  # appeared while the files were written
            raise FileExistsError(folder)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
