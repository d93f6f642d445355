"""Load a content pack folder into the immutable model, reporting every problem.

The loader never stops at the first problem: a pack author fixing a typo wants
the whole list at once, each as `path:line:col: key.path: message`. Whatever
the input (bad bytes, absurd nesting, huge files), only `ContentError`
escapes `load_pack`; `read_pack` returns what it could build plus the list.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from soundtrack_tui.core import schema
from soundtrack_tui.core.errors import ContentError, LoadResult, Problem, Progress, Severity
from soundtrack_tui.core.files import describe_os_error
from soundtrack_tui.core.format_rules import FormatRules, readable_format
from soundtrack_tui.core.layout import layout_warnings
from soundtrack_tui.core.lint import report_leaks
from soundtrack_tui.core.model import (
    MAX_EPISODES,
    Character,
    Episode,
    Note,
    Pack,
    Review,
    Show,
    Source,
    Track,
)
from soundtrack_tui.core.tomlfile import MAX_FILE_BYTES, TomlFile, parse_file, reread_reporter
from soundtrack_tui.core.tomlpos import Path as KeyPath

# LoadResult and Progress are defined in `errors` (light to import) and
# still importable from here.
__all__ = ["MAX_FILE_BYTES", "LoadResult", "Progress", "load_pack", "read_pack"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_EPISODE_FILE = re.compile(r"^[0-9]{2,}$")
_URL_SCHEMES = ("https://", "http://")
# A "previously on" reads in a breath: the format asks for 60 to 90 words.
SUMMARY_WORDS = range(60, 91)


def load_pack(root: str | Path) -> Pack:
    """Load a pack, raising `ContentError` with every problem if it has errors."""
    result = read_pack(root)
    if result.errors or result.pack is None:
        raise ContentError(result.problems)
    return result.pack


def read_pack(root: str | Path, progress: Progress | None = None, *, lint: bool = True) -> LoadResult:
    """Load what can be loaded and report everything else. Never raises.

    `lint=False` skips the spoiler lint, most of the time a big pack takes
    to load: its warnings are for pack authors (`soundtrack check`), and
    nothing at run time reads them."""
    problems: list[Problem] = []
    try:
        pack = _Loader(Path(root), problems, progress, lint).load()
    except (RecursionError, MemoryError) as error:  # pragma: no cover - last resort
        problems.append(Problem(str(root), "", f"pack too complex to load: {type(error).__name__}"))
        pack = None
    except Exception as error:
        problems.append(Problem(str(root), "", f"could not load pack: {error}"))
        pack = None
    return LoadResult(pack, problems)


class _Loader:
    def __init__(
        self, root: Path, problems: list[Problem], progress: Progress | None = None, lint: bool = True
    ) -> None:
        self.root = root
        self.problems = problems
        self.progress = progress
        self.run_lint = lint
        self.source_keys: set[str] = set()
        self.cited: set[str] = set()
        self.episode_count = 0
        self.readable_format = True
        self.format_rules = FormatRules()

    def load(self) -> Pack | None:
        if not self.root.is_dir():
            self.problems.append(
                Problem(str(self.root), "", "not a folder (a pack is a folder with show.toml)")
            )
            return None
        show_file, show_doc = self.parse(self.root / "show.toml")
        if show_doc is None:
            return None
        show = self.build_show(show_file, show_doc)
        if show is None and not self.readable_format:
            return None  # a format this version cannot read: its files would only add noise
        if show is None:
            # Still read the rest: an author fixing show.toml wants every
            # other problem in the same run. Episode numbers are checked
            # against the largest count the format allows.
            self.episode_count = self.episode_count or MAX_EPISODES
            self.load_episodes()
            self.load_characters()
            return None
        episodes, files = self.load_episodes()
        characters = self.load_characters()
        if not any(problem.is_error for problem in self.problems):
            # With a file unread, its citations are unknown: no false alarms.
            self.warn_uncited(show_file, show_doc)
        pack = Pack(show, MappingProxyType(episodes), characters, self.root)
        if self.run_lint:
            report_leaks(pack, files, self.root, self.problems)
            self.problems.extend(layout_warnings(self.root, show.episode_count))
        return pack

    # -- files ------------------------------------------------------------

    def parse(self, path: Path, required: bool = True) -> tuple[TomlFile, dict[str, Any] | None]:
        return parse_file(path, self.problems, required=required)

    # -- show.toml ----------------------------------------------------------

    def build_show(self, file: TomlFile, doc: dict[str, Any]) -> Show | None:
        values = schema.check_table(doc, schema.SHOW, (), file.report)
        if (version := values.get("format")) is not None and not readable_format(version, file.report):
            self.readable_format = False
            return None
        pack_id = values.get("id")
        if pack_id is not None and not _ID.match(pack_id):
            file.report(("id",), "must be lowercase letters, digits and hyphens (like 'soundtrack-1')")
            pack_id = None
        count = values.get("episode_count")
        if count is not None and not 1 <= count <= MAX_EPISODES:
            file.report(("episode_count",), f"must be between 1 and {MAX_EPISODES}")
            count = None
        year = values.get("year")
        if year is not None and not 1880 <= year <= 2200:
            file.report(("year",), "is not a plausible year")
        sources = self.build_sources(file, values.get("sources", []))
        format_fields = self.format_rules.show_fields(version, values, file.report)
        if pack_id is None or count is None or "title" not in values or "synopsis" not in values:
            return None
        self.episode_count = count
        reviews = tuple(
            review
            for index, entry in enumerate(values.get("reviews", []))
            if (review := self.build_review(file, ("reviews", index), entry, None)) is not None
        )
        tracks = tuple(
            track
            for index, entry in enumerate(values.get("tracks", []))
            if (track := self.build_track(file, ("tracks", index), entry)) is not None
        )
        return Show(
            id=pack_id,
            title=values["title"],
            episode_count=count,
            synopsis=values["synopsis"],
            original_title=values.get("original_title"),
            platform=values.get("platform"),
            year=year,
            director=values.get("director"),
            writer=values.get("writer"),
            sources=sources,
            reviews=reviews,
            tracks=tracks,
            **format_fields,
        )

    def build_sources(self, file: TomlFile, entries: list[dict[str, Any]]) -> tuple[Source, ...]:
        sources: list[Source] = []
        for index, entry in enumerate(entries):
            path: KeyPath = ("sources", index)
            key, url = entry.get("key"), entry.get("url")
            if key is not None and key in self.source_keys:
                file.report((*path, "key"), f"duplicate source key {key!r}")
                continue
            if key is not None:
                # Defined, even if the entry is faulty: its users are not "unknown".
                self.source_keys.add(key)
            if url is not None and not url.startswith(_URL_SCHEMES):
                file.report((*path, "url"), "must be an https:// or http:// address")
                continue
            if key is None or url is None or "outlet" not in entry or "title" not in entry:
                continue
            sources.append(Source(key, entry["outlet"], entry["title"], url))
        return tuple(sources)

    def check_sources(self, file: TomlFile, path: KeyPath, keys: tuple[str, ...]) -> None:
        for index, key in enumerate(keys):
            self.check_source(file, (*path, index), key)

    def check_source(self, file: TomlFile, path: KeyPath, key: str) -> None:
        self.cited.add(key)
        if key not in self.source_keys:
            hint = schema.suggest(key, sorted(self.source_keys))
            file.report(path, f"unknown source key {key!r}{hint}")

    def in_range(self, file: TomlFile, path: KeyPath, value: int | None, lowest: int) -> bool:
        """Episode references must fall inside the show; `lowest` is 0 where
        0 means "before any episode", else 1. Reports when they do not."""
        if value is None or lowest <= value <= self.episode_count:
            return True
        file.report(path, f"must be between {lowest} and {self.episode_count} (episode_count)")
        return False

    def build_review(
        self, file: TomlFile, path: KeyPath, entry: dict[str, Any], episode: int | None
    ) -> Review | None:
        source = entry.get("source")
        if source is not None:
            self.check_source(file, (*path, "source"), source)
        after = entry.get("after_episode", episode)
        if episode is None and not self.in_range(file, (*path, "after_episode"), after, 0):
            return None
        required = ("outlet", "source", "verdict", "thoughts")
        if after is None or any(key not in entry for key in required):
            return None
        return Review(
            outlet=entry["outlet"],
            source=entry["source"],
            verdict=entry["verdict"],
            thoughts=entry["thoughts"],
            after_episode=after,
            rating=entry.get("rating"),
        )

    def build_track(self, file: TomlFile, path: KeyPath, entry: dict[str, Any]) -> Track | None:
        self.check_sources(file, (*path, "sources"), entry.get("sources", ()))
        episode = entry.get("episode", 0)
        if not self.in_range(file, (*path, "episode"), episode, 0):
            return None
        if any(key not in entry for key in ("title", "artist", "sources")):
            return None
        return Track(
            title=entry["title"],
            artist=entry["artist"],
            episode=episode,
            original_title=entry.get("original_title"),
            released=entry.get("released"),
            note=entry.get("note"),
            sources=entry["sources"],
        )

    def warn_uncited(self, file: TomlFile, doc: dict[str, Any]) -> None:
        """A source nothing cites is a reader's dead end and usually a
        leftover: warn, pointing at its key."""
        entries = doc.get("sources")
        if not isinstance(entries, list):
            return
        for index, entry in enumerate(entries):
            key = entry.get("key") if isinstance(entry, dict) else None
            if isinstance(key, str) and key not in self.cited:
                file.report(
                    ("sources", index, "key"), f"source {key!r} is not cited by any text", Severity.WARNING
                )

    # -- episodes/ ------------------------------------------------------------

    def load_episodes(self) -> tuple[dict[int, Episode], dict[int, str]]:
        folder = self.root / "episodes"
        episodes: dict[int, Episode] = {}
        files: dict[int, str] = {}
        if not folder.is_dir():
            return episodes, files
        try:
            paths = sorted(folder.iterdir())
        except OSError as error:
            self.problems.append(
                Problem(str(folder), "", f"cannot list the folder: {describe_os_error(error)}")
            )
            return episodes, files
        for done, path in enumerate(paths, 1):
            if self.progress is not None and (done % 25 == 0 or done == len(paths)):
                self.progress(done, len(paths))
            if path.suffix != ".toml":
                continue
            relative = f"episodes/{path.name}"
            if not _EPISODE_FILE.match(path.stem):
                file = TomlFile(str(path), self.problems)
                file.report(
                    (), "episode files are named by number, zero-padded to two digits or more (01.toml)"
                )
                continue
            file, doc = self.parse(path)
            if doc is None:
                continue
            episode = self.build_episode(file, doc, int(path.stem))
            if episode is None:
                continue
            if episode.number in episodes:
                file.report(
                    ("number",), f"episode {episode.number} is already defined in {files[episode.number]}"
                )
                continue
            episodes[episode.number] = episode
            files[episode.number] = relative
        self.format_rules.check_seasons()
        return dict(sorted(episodes.items())), files

    def build_episode(self, file: TomlFile, doc: dict[str, Any], named: int) -> Episode | None:
        values = schema.check_table(doc, schema.EPISODE, (), file.report)
        number = values.get("number")
        if number is None:
            return None
        if number != named:
            file.report(("number",), f"is {number} but the file name says episode {named}")
            return None
        later = reread_reporter(file.shown, self.problems)
        format_fields = self.format_rules.episode_fields(number, values, file.report, later)
        if format_fields is None or not self.in_range(file, ("number",), number, 1):
            return None
        runtime = values.get("runtime_minutes")
        if runtime is not None and not 1 <= runtime <= 10_000:
            file.report(("runtime_minutes",), "must be a positive number of minutes")
            runtime = None
        self.check_sources(file, ("sources",), values.get("sources", ()))
        reviews = tuple(
            review
            for index, entry in enumerate(values.get("reviews", []))
            if (review := self.build_review(file, ("reviews", index), entry, number)) is not None
        )
        summary = values.get("summary")
        if summary is not None and len(summary.split()) not in SUMMARY_WORDS:
            file.report(
                ("summary",),
                f"has {len(summary.split())} words; a summary should have "
                f"{SUMMARY_WORDS.start} to {SUMMARY_WORDS.stop - 1}",
                Severity.WARNING,
            )
        if any(key not in values for key in ("title", "recap", "sources")):
            return None
        return Episode(
            number=number,
            title=values["title"],
            recap=values["recap"],
            sources=values["sources"],
            reviews=reviews,
            runtime_minutes=runtime,
            aired=values.get("aired"),
            source_note=values.get("source_note"),
            summary=summary,
            **format_fields,
        )

    # -- characters.toml ---------------------------------------------------

    def load_characters(self) -> tuple[Character, ...]:
        file, doc = self.parse(self.root / "characters.toml", required=False)
        if doc is None:
            return ()
        values = schema.check_table(doc, schema.CHARACTERS_FILE, (), file.report)
        characters: list[Character] = []
        ids: set[str] = set()
        for index, entry in enumerate(values.get("characters", [])):
            character = self.build_character(file, ("characters", index), entry)
            if character is None:
                continue
            if character.id in ids:
                file.report(("characters", index, "id"), f"duplicate character id {character.id!r}")
                continue
            ids.add(character.id)
            characters.append(character)
        return tuple(characters)

    def build_character(self, file: TomlFile, path: KeyPath, entry: dict[str, Any]) -> Character | None:
        char_id = entry.get("id")
        if char_id is not None and not _ID.match(char_id):
            file.report((*path, "id"), "must be lowercase letters, digits and hyphens")
            return None
        if not self.in_range(file, (*path, "first_episode"), entry.get("first_episode"), 0):
            return None
        self.check_sources(file, (*path, "sources"), entry.get("sources", ()))
        notes: list[Note] = []
        for index, raw in enumerate(entry.get("notes", [])):
            note_path: KeyPath = (*path, "notes", index)
            episode = raw.get("episode")
            if not self.in_range(file, (*note_path, "episode"), episode, 1):
                continue
            self.check_sources(file, (*note_path, "sources"), raw.get("sources", ()))
            if episode is not None and "text" in raw:
                notes.append(Note(episode, raw["text"], raw.get("sources", ())))
        required = ("id", "name", "aliases", "first_episode", "intro", "sources")
        if any(key not in entry for key in required):
            return None
        return Character(
            id=entry["id"],
            name=entry["name"],
            first_episode=entry["first_episode"],
            intro=entry["intro"],
            aliases=tuple(alias for alias in entry["aliases"] if alias),
            actor=entry.get("actor"),
            source_note=entry.get("source_note"),
            sources=entry["sources"],
            notes=tuple(sorted(notes, key=lambda note: note.episode)),
        )
