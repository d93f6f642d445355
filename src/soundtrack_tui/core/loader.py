"""Load a content pack folder into the immutable model, reporting every problem.

The loader never stops at the first problem: a pack author fixing a typo wants
the whole list at once, each as `path:line:col: key.path: message`. Whatever
the input (bad bytes, absurd nesting, huge files), only `ContentError`
escapes `load_pack`; `read_pack` returns what it could build plus the list.
"""

from __future__ import annotations

import contextlib
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from soundtrack_tui.core import schema
from soundtrack_tui.core.errors import ContentError, LoadResult, Problem, Progress, Severity
from soundtrack_tui.core.lint import Leak, find_leaks
from soundtrack_tui.core.model import (
    FORMAT_VERSION,
    Character,
    Episode,
    Note,
    Pack,
    Review,
    Show,
    Source,
)
from soundtrack_tui.core.tomlpos import Path as KeyPath
from soundtrack_tui.core.tomlpos import format_path, key_positions, locate

if sys.version_info >= (3, 14):
    import tomllib
else:
    import tomli as tomllib

# LoadResult and Progress are defined in `errors` (light to import) and
# still importable from here.
__all__ = ["MAX_FILE_BYTES", "LoadResult", "Progress", "load_pack", "read_pack"]

MAX_FILE_BYTES = 2 * 1024 * 1024
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_EPISODE_FILE = re.compile(r"^[0-9]{2,}$")
_TOML_PLACE = re.compile(r"(.*) \((?:at line (\d+), column (\d+)|at end of document)\)", re.DOTALL)

# An episode file's recap: `recap = """` at the start of a line, its text
# free of what would make a multi-line basic string need interpreting
# (escapes) or fail (controls other than tab and newline).
_RECAP_START = re.compile(r'^recap[ \t]*=[ \t]*"""', re.MULTILINE)
_NOT_PLAIN = re.compile(r"[\\\x00-\x08\x0b-\x1f\x7f]")
_STAND_IN = "\ue000recap\ue001"  # no quote, apostrophe, backslash or control


def _loads(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)`, several times faster on episode files.

    The parser reads strings a character at a time, and the recap is ~90%
    of an episode file. When the recap is a plain multi-line basic string,
    the rest of the file is parsed with a one-line stand-in for it and the
    recap's text is put back. The stand-in must come back as the top-level
    `recap` and nowhere else: had the recap's line been inside another
    string, that string would hold the stand-in as well. Any doubt, and
    any error (so that errors are reported at their real place), means the
    whole text is parsed as it is."""
    start = _RECAP_START.search(text)
    if start is not None and _STAND_IN not in text:
        opening = start.end()
        closing = text.find('"""', opening)
        plain = closing >= 0 and not _NOT_PLAIN.search(text, opening, closing)
        if plain and not text.startswith('"', closing + 3):  # `""""` ends with a quote
            recap = text[opening:closing]
            rest = f'{text[: opening - 3]}"{_STAND_IN}"{text[closing + 3 :]}'
            try:
                document = tomllib.loads(rest)
            except (tomllib.TOMLDecodeError, RecursionError):
                document = None
            if document is not None and document.get("recap") == _STAND_IN and _holding(document) == 1:
                document["recap"] = recap[1:] if recap.startswith("\n") else recap
                return document
    return tomllib.loads(text)


def _holding(document: dict[str, Any]) -> int:
    """How many string values of `document` contain the stand-in."""
    count = 0
    pending: list[Any] = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            count += _STAND_IN in value
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


@dataclass
class _File:
    """One parsed file and the means to report problems located in it."""

    shown: str  # path as printed
    problems: list[Problem]
    text: str = ""  # set once the file has parsed: what `positions` scans
    _positions: dict[KeyPath, tuple[int, int]] | None = None
    _line_starts: list[int] = field(default_factory=list)
    _key_offsets: list[int] | None = None

    @property
    def positions(self) -> dict[KeyPath, tuple[int, int]]:
        """Where each key is, scanned on the first problem to locate: a
        clean file, nearly every file, never needs it, and the scan costs
        more than parsing the TOML."""
        if self._positions is None:
            self._positions = key_positions(self.text) if self.text else {}
        return self._positions

    def report(self, path: KeyPath, message: str, severity: Severity = Severity.ERROR) -> None:
        where = locate(self.positions, path) if path else None  # the whole file has no position
        line, column = where if where else (None, None)
        self.problems.append(Problem(self.shown, format_path(path), message, line, column, severity))

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based line and column."""
        if not self._line_starts:
            self._line_starts = [0, *(i + 1 for i, c in enumerate(self.text) if c == "\n")]
        return self._line_starts[line - 1] + column - 1

    def key_offsets(self) -> list[int]:
        """Sorted offsets of every key (not value) in the file."""
        if self._key_offsets is None:
            keys = (where for path, where in self.positions.items() if path[-1:] != ("=",))
            self._key_offsets = sorted(self.offset(*where) for where in keys)
        return self._key_offsets


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
        self.episode_count = 0

    def shown(self, path: Path) -> str:
        return str(path)

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
        if show is None:
            return None
        episodes, files = self.load_episodes()
        characters = self.load_characters()
        pack = Pack(show, MappingProxyType(episodes), characters, self.root)
        if self.run_lint:
            self.lint(pack, files)
        return pack

    # -- files ------------------------------------------------------------

    def parse(self, path: Path, required: bool = True) -> tuple[_File, dict[str, Any] | None]:
        file = _File(self.shown(path), self.problems)
        if not path.exists():
            if required:
                file.report((), "missing file")
            return file, None
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                file.report((), f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
                return file, None
            data = path.read_bytes()
        except OSError as error:
            file.report((), f"cannot read: {error.strerror or error}")
            return file, None
        text = self.decode(file, data)
        if text is None:
            return file, None
        try:
            document = _loads(text)
        except tomllib.TOMLDecodeError as error:
            line = getattr(error, "lineno", None)
            column = getattr(error, "colno", None)
            message = getattr(error, "msg", None)
            if message is None:  # tomli < 2.1 only has "msg (at line L, column C)"
                found = _TOML_PLACE.fullmatch(str(error))
                message = found[1] if found else str(error)
                line, column = (int(found[2]), int(found[3])) if found and found[2] else (None, None)
            self.problems.append(Problem(file.shown, "", f"invalid TOML: {message}", line, column))
            return file, None
        except RecursionError:
            file.report((), "invalid TOML: arrays or tables nested too deeply")
            return file, None
        file.text = text
        return file, document

    def decode(self, file: _File, data: bytes) -> str | None:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            before = data[: error.start]
            line = before.count(b"\n") + 1
            column = len(before) - (before.rfind(b"\n") + 1) + 1
            self.problems.append(
                Problem(
                    file.shown,
                    "",
                    f"not UTF-8: invalid byte 0x{data[error.start]:02x} at byte offset {error.start}",
                    line,
                    column,
                )
            )
            return None

    # -- show.toml ----------------------------------------------------------

    def build_show(self, file: _File, doc: dict[str, Any]) -> Show | None:
        values = schema.check_table(doc, schema.SHOW, (), file.report)
        version = values.get("format")
        if version is not None and version != FORMAT_VERSION:
            file.report(
                ("format",), f"unsupported format {version}; this soundtrack reads format {FORMAT_VERSION}"
            )
            return None
        pack_id = values.get("id")
        if pack_id is not None and not _ID.match(pack_id):
            file.report(("id",), "must be lowercase letters, digits and hyphens (like 'soundtrack-1')")
            pack_id = None
        count = values.get("episode_count")
        if count is not None and not 1 <= count <= 100_000:
            file.report(("episode_count",), "must be between 1 and 100000")
            count = None
        year = values.get("year")
        if year is not None and not 1880 <= year <= 2200:
            file.report(("year",), "is not a plausible year")
        sources = self.build_sources(file, values.get("sources", []))
        if pack_id is None or count is None or "title" not in values or "synopsis" not in values:
            return None
        self.episode_count = count
        reviews = tuple(
            review
            for index, entry in enumerate(values.get("reviews", []))
            if (review := self.build_review(file, ("reviews", index), entry, None)) is not None
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
        )

    def build_sources(self, file: _File, entries: list[dict[str, Any]]) -> tuple[Source, ...]:
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
            if url is not None and not url.startswith("https://"):
                file.report((*path, "url"), "must be an https:// address")
                continue
            if key is None or url is None or "outlet" not in entry or "title" not in entry:
                continue
            sources.append(Source(key, entry["outlet"], entry["title"], url))
        return tuple(sources)

    def check_sources(self, file: _File, path: KeyPath, keys: tuple[str, ...]) -> None:
        for index, key in enumerate(keys):
            self.check_source(file, (*path, index), key)

    def check_source(self, file: _File, path: KeyPath, key: str) -> None:
        if key not in self.source_keys:
            hint = schema.suggest(key, sorted(self.source_keys))
            file.report(path, f"unknown source key {key!r}{hint}")

    def in_range(self, file: _File, path: KeyPath, value: int | None, lowest: int) -> bool:
        """Episode references must fall inside the show; `lowest` is 0 where
        0 means "before any episode", else 1. Reports when they do not."""
        if value is None or lowest <= value <= self.episode_count:
            return True
        file.report(path, f"must be between {lowest} and {self.episode_count} (episode_count)")
        return False

    def build_review(
        self, file: _File, path: KeyPath, entry: dict[str, Any], episode: int | None
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

    # -- episodes/ ------------------------------------------------------------

    def load_episodes(self) -> tuple[dict[int, Episode], dict[int, str]]:
        folder = self.root / "episodes"
        episodes: dict[int, Episode] = {}
        files: dict[int, str] = {}
        if not folder.is_dir():
            return episodes, files
        paths = sorted(folder.iterdir())
        for done, path in enumerate(paths, 1):
            if self.progress is not None and (done % 25 == 0 or done == len(paths)):
                self.progress(done, len(paths))
            if path.suffix != ".toml":
                continue
            relative = f"episodes/{path.name}"
            if not _EPISODE_FILE.match(path.stem):
                file = _File(self.shown(path), self.problems)
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
        return dict(sorted(episodes.items())), files

    def build_episode(self, file: _File, doc: dict[str, Any], named: int) -> Episode | None:
        values = schema.check_table(doc, schema.EPISODE, (), file.report)
        number = values.get("number")
        if number is None:
            return None
        if number != named:
            file.report(("number",), f"is {number} but the file name says episode {named}")
            return None
        if not self.in_range(file, ("number",), number, 1):
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
        if any(key not in values for key in ("title", "logline", "recap", "sources")):
            return None
        return Episode(
            number=number,
            title=values["title"],
            logline=values["logline"],
            recap=values["recap"],
            sources=values["sources"],
            reviews=reviews,
            runtime_minutes=runtime,
            aired=values.get("aired"),
            source_note=values.get("source_note"),
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

    def build_character(self, file: _File, path: KeyPath, entry: dict[str, Any]) -> Character | None:
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

    # -- spoiler lint -----------------------------------------------------------

    def lint(self, pack: Pack, files: dict[int, str]) -> None:
        located: dict[str, _File] = {}
        for leak in find_leaks(pack, files):
            file = located.get(leak.file)
            if file is None:
                file = self.reparse(leak.file)
                located[leak.file] = file
            seen_from = (
                "before any episode" if leak.visible_from == 0 else f"from episode {leak.visible_from}"
            )
            message = (
                f"names {leak.name!r} ({leak.character.name}), who first appears in episode "
                f"{leak.character.first_episode}, but this text is visible {seen_from}"
            )
            where = locate(file.positions, leak.path)
            line, column = self.refine(file, leak, where)
            self.problems.append(
                Problem(file.shown, format_path(leak.path), message, line, column, Severity.WARNING)
            )

    def reparse(self, relative: str) -> _File:
        path = self.root / relative
        file = _File(self.shown(path), self.problems)
        with contextlib.suppress(OSError, UnicodeDecodeError):
            file.text = path.read_bytes().decode("utf-8-sig")
        return file

    @staticmethod
    def refine(file: _File, leak: Leak, where: tuple[int, int] | None) -> tuple[int | None, int | None]:
        """Point at the name itself when it appears verbatim in the value
        (before the next key), else at the key."""
        if where is None:
            return None, None
        start = file.offset(*where)
        found = file.text.find(leak.name, start)
        key_offsets = file.key_offsets()
        following = bisect_right(key_offsets, start)
        if found < 0 or (following < len(key_offsets) and found > key_offsets[following]):
            return where
        before = file.text[:found]
        return before.count("\n") + 1, found - (before.rfind("\n") + 1) + 1
