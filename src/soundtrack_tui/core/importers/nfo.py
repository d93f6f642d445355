"""Kodi and Jellyfin NFO files (a `tvshow.nfo` and one `<episodedetails>`
file per episode, beside the user's own media) as a draft pack.

NFO files come from scrapers and strangers' shares, so the XML is parsed by
defusedxml with DTDs, entity definitions and external references refused,
each file is size-capped before parsing, and the walk neither follows
symlinks nor goes deeper or wider than a TV library needs.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring

from soundtrack_tui.core.files import UnreadableFile, read_capped
from soundtrack_tui.core.importers.draft import (
    INT_ID_KEYS,
    Draft,
    DraftCharacter,
    DraftEpisode,
    ImportFailed,
    clean,
    external_id,
    parse_date,
    single_line,
    whole_number,
)

MAX_NFO_BYTES = 1024 * 1024
MAX_NFO_FILES = 5_000
MAX_DEPTH = 6  # a show folder, season folders, and room for a few more
MAX_ACTORS = 500
NO_RECAP = "The NFO file has no plot for this episode."
NO_SYNOPSIS = "tvshow.nfo has no plot for this show."
_ID_KEYS = (*INT_ID_KEYS, "imdb")
_XML_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")


def read_nfo_folder(root: Path) -> Draft:
    """The draft of the show whose NFO files are under `root`; ImportFailed
    with one problem per bad file."""
    problems: list[tuple[str, str]] = []
    show: tuple[Path, Element] | None = None
    episodes: list[DraftEpisode] = []
    specials = 0
    for path in find_nfo_files(root):
        try:
            elements = parse_nfo(path)
        except ImportFailed as failure:
            problems.extend(failure.problems)
            continue
        for element in elements:
            if element.tag == "tvshow":
                if show is not None:
                    problems.append(
                        (str(path), f"a second tvshow.nfo (the first is {show[0]}); import one show")
                    )
                show = show or (path, element)
            elif element.tag == "episodedetails":
                try:
                    episode = _episode(element, str(path))
                except ImportFailed as failure:
                    problems.extend(failure.problems)
                    continue
                if episode is None:
                    specials += 1
                else:
                    episodes.append(episode)
    if show is None and not problems:
        problems.append((str(root), "no tvshow.nfo (a file whose root element is <tvshow>) found"))
    if problems or show is None:
        raise ImportFailed(problems)
    return _draft(show[1], episodes, specials, root)


def find_nfo_files(root: Path) -> list[Path]:
    """Every `.nfo` file under `root`, in a stable order, symlinks skipped."""
    if root.is_symlink() or not root.is_dir():
        raise ImportFailed([(str(root), "not a folder")])
    found: list[Path] = []
    unreadable: list[tuple[str, str]] = []

    def refused(error: OSError) -> None:
        unreadable.append((str(error.filename), "cannot list the folder"))

    for folder, subfolders, names in os.walk(root, onerror=refused, followlinks=False):
        here = Path(folder)
        if len(here.relative_to(root).parts) >= MAX_DEPTH:
            subfolders.clear()  # deeper than a TV library goes: not walked
        subfolders.sort()
        for name in sorted(names):
            path = here / name
            if not name.lower().endswith(".nfo") or path.is_symlink():
                continue
            found.append(path)
            if len(found) > MAX_NFO_FILES:
                raise ImportFailed([(str(root), f"more than {MAX_NFO_FILES:,} .nfo files; import one show")])
    if unreadable:
        raise ImportFailed(unreadable)
    return found


def parse_nfo(path: Path) -> list[Element]:
    """The root elements of one NFO file (several for a multi-episode file)."""
    label = str(path)
    try:
        data = read_capped(path, MAX_NFO_BYTES, follow_symlinks=False)
    except UnreadableFile as failure:
        raise ImportFailed([(label, str(failure))]) from None
    try:
        try:
            return [fromstring(data, forbid_dtd=True)]
        except ParseError as failure:
            first_failure = failure
        # Read again as the children of one root: that is how a multi-episode
        # file parses, and how a file with the scraper's URL after the XML does.
        body = _XML_DECLARATION.sub(b"", data.removeprefix(codecs.BOM_UTF8))
        try:
            elements = list(fromstring(b"<nfo>" + body + b"</nfo>", forbid_dtd=True))
        except ParseError:
            elements = []
        if not elements:  # an empty file, or text with no element at all
            raise first_failure from None
        return elements
    except DTDForbidden:
        message = "refused: the file declares a DTD (entities and external references are never read)"
    except EntitiesForbidden:
        message = "refused: the file defines entities"
    except DefusedXmlException:
        message = "refused: the file refers to an external resource"
    except ParseError as failure:
        message = f"not well-formed XML ({single_line(str(failure))})"
    except (RecursionError, ValueError):
        message = "not well-formed XML"
    raise ImportFailed([(label, message)])


def _text(element: Element, tag: str) -> str:
    return single_line(element.findtext(tag))


def _ids(element: Element) -> dict[str, int | str]:
    ids: dict[str, int | str] = {}
    for unique in element.findall("uniqueid"):
        key = (unique.get("type") or "").strip().lower()
        if key in _ID_KEYS and key not in ids and (value := external_id(key, unique.text)) is not None:
            ids[key] = value
    return ids


def _episode(element: Element, origin: str) -> DraftEpisode | None:
    """The episode, or None for a special (season 0)."""
    season = whole_number(element.findtext("season"), 0, 1_000_000)
    number = whole_number(element.findtext("episode"), 0, 1_000_000)
    if season is None or number is None:
        raise ImportFailed([(origin, "<episodedetails> needs whole numbers in <season> and <episode>")])
    if season == 0:
        return None
    if number == 0:
        raise ImportFailed([(origin, f"season {season} has an episode numbered 0")])
    return DraftEpisode(
        origin=origin,
        season=season,
        number_in_season=number,
        title=_text(element, "title") or None,
        recap=clean(element.findtext("plot") or "") or NO_RECAP,
        aired=parse_date(element.findtext("aired")),
        runtime_minutes=whole_number(element.findtext("runtime"), 1, 10_000),
        ids=_ids(element),
    )


def _draft(show: Element, episodes: list[DraftEpisode], specials: int, root: Path) -> Draft:
    premiered = parse_date(show.findtext("premiered"))
    year = premiered.year if premiered else whole_number(show.findtext("year"), 1880, 2200)
    return Draft(
        origin=str(root),
        title=_text(show, "title") or single_line(root.resolve().name) or "Untitled show",
        synopsis=clean(show.findtext("plot") or "") or NO_SYNOPSIS,
        outlet="NFO",
        episodes=episodes,
        specials_left_out=specials,
        year=year if year and 1880 <= year <= 2200 else None,
        ids=_ids(show),
        characters=_cast(show),
    )


def _cast(show: Element) -> list[DraftCharacter]:
    """The cast list: characters named as the NFO names them, and nothing
    the NFO does not say."""
    cast: list[DraftCharacter] = []
    for actor in show.findall("actor")[:MAX_ACTORS]:
        name, role = _text(actor, "name"), _text(actor, "role")
        if not name:
            continue
        intro = f"Played by {name}." if role else f"{name}, in the show's cast list."
        cast.append(DraftCharacter(name=role or name, actor=name, intro=intro))
    return cast
