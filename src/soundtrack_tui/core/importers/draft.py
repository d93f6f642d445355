"""What an importer read, before it becomes pack files.

Importers only extract; numbering, seasons, source keys and TOML are the
writer's job, so the two importers cannot drift apart in the packs they
write. Every text here is already plain and sanitized.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from soundtrack_tui.core.sanitize import sanitize

# The ids format 1.1 accepts; anything else a document carries is dropped.
INT_ID_KEYS = ("tvdb", "tmdb", "trakt", "tvmaze")
_IMDB = re.compile(r"^tt[0-9]+$")
_URL_SCHEMES = ("https://", "http://")


class ImportFailed(Exception):
    """Why the input cannot become a pack: one (path, message) per problem,
    each printed as its own line."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class DraftEpisode:
    origin: str  # where it was read, for an error line (a file, a JSON path)
    season: int  # as the input numbers it (may be a year, or skip a number)
    number_in_season: int
    title: str | None
    recap: str
    aired: dt.date | None = None
    runtime_minutes: int | None = None
    ids: dict[str, int | str] = field(default_factory=dict)
    url: str | None = None


@dataclass(frozen=True, slots=True)
class DraftCharacter:
    name: str
    actor: str
    intro: str


@dataclass(frozen=True, slots=True)
class Draft:
    origin: str  # the file or folder read, for an error line
    title: str
    synopsis: str
    outlet: str  # who published the data, for the sources ("TVmaze")
    episodes: list[DraftEpisode]
    specials_left_out: int = 0
    year: int | None = None
    platform: str | None = None
    ids: dict[str, int | str] = field(default_factory=dict)
    url: str | None = None
    characters: list[DraftCharacter] = field(default_factory=list)


def clean(text: str) -> str:
    """Sanitized, each paragraph on one line, paragraphs apart by one blank
    line: the shape the format's multi-paragraph texts take."""
    paragraphs = re.split(r"\n\s*\n", sanitize(text))
    return "\n\n".join(" ".join(part.split()) for part in paragraphs if part.split())


def single_line(value: object) -> str:
    """A name or title: sanitized, its whitespace runs one space ("" for
    anything but a string)."""
    return " ".join(sanitize(value).split()) if isinstance(value, str) else ""


class _PlainText(HTMLParser):
    """Text of an HTML fragment: tags dropped, entities decoded, block
    elements as paragraph breaks, and script or style bodies left out
    entirely (they are code, never prose)."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote"})
    _HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain, sanitized text of an HTML fragment ("" when it holds none)."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return clean("".join(parser.parts))


def web_url(value: object) -> str | None:
    """An http(s) address, or None: a pack cites nothing else."""
    if isinstance(value, str) and value.strip().startswith(_URL_SCHEMES):
        text = value.strip()
        return text if text.isprintable() and " " not in text else None
    return None


def external_id(key: str, value: object) -> int | str | None:
    """`value` as a format 1.1 id under `key`, or None when it is not one
    (a TVmaze `thetvdb` of 0, an imdb id without its "tt")."""
    if key == "imdb":
        text = value.strip() if isinstance(value, str) else ""
        return text if _IMDB.match(text) else None
    return whole_number(value, 1, 2**53)


def parse_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD date, or None for anything else (TVmaze writes "" for
    an unknown airdate; an NFO may hold a time too, which is dropped)."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def whole_number(value: object, lowest: int, highest: int) -> int | None:
    """A whole number in lowest..highest, from an int or a string of ASCII
    digits (never a bool, never a 5,000-digit string int() would refuse)."""
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            return None
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if lowest <= value <= highest else None
