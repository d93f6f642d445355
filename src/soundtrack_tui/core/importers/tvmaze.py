"""A TVmaze show document with embedded episodes (the JSON a browser saves
from api.tvmaze.com/shows/ID?embed=episodes) as a draft pack.

Episode summaries tell what happens, so they become the gated recap and
never a logline; an imported pack has no loglines at all. Specials
(`number: null`) have no place in the absolute order and are left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from soundtrack_tui.core.files import UnreadableFile, read_capped
from soundtrack_tui.core.importers.draft import (
    Draft,
    DraftEpisode,
    ImportFailed,
    external_id,
    html_to_text,
    parse_date,
    single_line,
    web_url,
    whole_number,
)

# A 1,000-episode show with summaries saves as about 2 MB.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
NO_RECAP = "TVmaze has no summary of this episode."
NO_SYNOPSIS = "TVmaze has no summary of this show."
# TVmaze's `externals` name -> the pack's id key.
_EXTERNALS = {"thetvdb": "tvdb", "imdb": "imdb"}


def read_tvmaze(path: Path) -> Draft:
    """The draft of the show in the document at `path`; ImportFailed when
    it cannot be read or is not a show document with embedded episodes."""
    label = str(path)
    try:
        data = read_capped(path, MAX_DOCUMENT_BYTES)
        document = json.loads(data.decode("utf-8-sig"))
    except UnreadableFile as failure:
        raise ImportFailed([(label, str(failure))]) from None
    except UnicodeDecodeError:
        raise ImportFailed([(label, "not UTF-8 text")]) from None
    except json.JSONDecodeError as failure:
        raise ImportFailed(
            [(label, f"not valid JSON (line {failure.lineno}, column {failure.colno})")]
        ) from None
    except (RecursionError, ValueError):
        raise ImportFailed([(label, "not valid JSON (nested too deeply or a number too long)")]) from None
    return draft_of(document, label)


def draft_of(document: Any, label: str) -> Draft:
    """The draft of an already parsed document (`label` names it in errors)."""
    embedded = document.get("_embedded") if isinstance(document, dict) else None
    episodes = embedded.get("episodes") if isinstance(embedded, dict) else None
    if not isinstance(document, dict) or not isinstance(episodes, list):
        raise ImportFailed(
            [(label, "not a TVmaze show document with embedded episodes (save it with ?embed=episodes)")]
        )
    title = single_line(document.get("name"))
    if not title:
        raise ImportFailed([(label, "the show has no name")])
    show_runtime = whole_number(document.get("runtime"), 1, 10_000)
    drafts: list[DraftEpisode] = []
    specials = 0
    for index, entry in enumerate(episodes):
        origin = f"{label}: _embedded.episodes[{index}]"
        if not isinstance(entry, dict):
            raise ImportFailed([(origin, "not an episode object")])
        if entry.get("number") is None:
            specials += 1
            continue
        drafts.append(_episode(entry, origin, show_runtime))
    premiered = parse_date(document.get("premiered"))
    return Draft(
        origin=label,
        title=title,
        synopsis=_summary(document.get("summary")) or NO_SYNOPSIS,
        outlet="TVmaze",
        episodes=drafts,
        specials_left_out=specials,
        year=premiered.year if premiered and 1880 <= premiered.year <= 2200 else None,
        platform=_platform(document),
        ids=_ids(document),
        url=web_url(document.get("url")),
    )


def _episode(entry: dict[str, Any], origin: str, show_runtime: int | None) -> DraftEpisode:
    season = whole_number(entry.get("season"), 1, 1_000_000)
    number = whole_number(entry.get("number"), 1, 1_000_000)
    if season is None or number is None:
        raise ImportFailed([(origin, "season and number must be whole numbers from 1")])
    name = single_line(entry.get("name"))
    tvmaze_id = external_id("tvmaze", entry.get("id"))
    return DraftEpisode(
        origin=origin,
        season=season,
        number_in_season=number,
        title=name or None,
        recap=_summary(entry.get("summary")) or NO_RECAP,
        aired=parse_date(entry.get("airdate")),
        runtime_minutes=whole_number(entry.get("runtime"), 1, 10_000) or show_runtime,
        ids={"tvmaze": tvmaze_id} if tvmaze_id is not None else {},
        url=web_url(entry.get("url")),
    )


def _summary(value: object) -> str:
    return html_to_text(value) if isinstance(value, str) else ""


def _platform(document: dict[str, Any]) -> str | None:
    for key in ("network", "webChannel"):
        channel = document.get(key)
        if isinstance(channel, dict) and single_line(channel.get("name")):
            return single_line(channel.get("name"))
    return None


def _ids(document: dict[str, Any]) -> dict[str, int | str]:
    ids: dict[str, int | str] = {}
    if (own := external_id("tvmaze", document.get("id"))) is not None:
        ids["tvmaze"] = own
    externals = document.get("externals")
    if isinstance(externals, dict):
        for name, key in _EXTERNALS.items():
            if (value := external_id(key, externals.get(name))) is not None:
                ids[key] = value
    return ids
