"""Reading one pack file: size-capped bytes, UTF-8, TOML, and the means to
report a problem at the line and column of the key it is about.

Kept apart from the loader, which only assembles the model from what this
module parsed, so that every file of a pack is read by one function.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soundtrack_tui.core.errors import Problem, Severity
from soundtrack_tui.core.files import UnreadableFile, read_capped
from soundtrack_tui.core.tomlpos import Path as KeyPath
from soundtrack_tui.core.tomlpos import format_path, key_positions, locate

if sys.version_info >= (3, 14):
    import tomllib
else:
    import tomli as tomllib

MAX_FILE_BYTES = 2 * 1024 * 1024
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
class TomlFile:
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


def reread_reporter(shown: str, problems: list[Problem]) -> Callable[..., None]:
    """`TomlFile.report` for a file the caller has let go: the file is read
    and parsed again only if a problem is reported, so that a loader need
    not keep a thousand episode files' text to report on one of them once
    it has seen them all."""

    def report(path: KeyPath, message: str, severity: Severity = Severity.ERROR) -> None:
        file, document = parse_file(Path(shown), [])  # its own problems were said the first time
        if document is None:  # gone or broken since: the problem stands, without a place
            problems.append(
                Problem(
                    shown, format_path(path), f"{message} (the file changed while read)", None, None, severity
                )
            )
        else:
            file.problems = problems
            file.report(path, message, severity)

    return report


def parse_file(
    path: Path, problems: list[Problem], *, required: bool = True
) -> tuple[TomlFile, dict[str, Any] | None]:
    """Read and parse one TOML file; problems go to `problems`, and the
    document is None when the file could not be read or parsed."""
    file = TomlFile(str(path), problems)
    try:
        data = read_capped(path, MAX_FILE_BYTES)
    except UnreadableFile as error:
        if required or not error.missing:
            file.report((), str(error))
        return file, None
    text = _decode(file, data)
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
        problems.append(Problem(file.shown, "", f"invalid TOML: {message}", line, column))
        return file, None
    except RecursionError:
        file.report((), "invalid TOML: arrays or tables nested too deeply")
        return file, None
    file.text = text
    return file, document


def _decode(file: TomlFile, data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        file.problems.append(
            Problem(
                file.shown,
                "",
                f"not UTF-8: invalid byte 0x{data[error.start]:02x} at byte offset {error.start}",
                line,
                column,
            )
        )
        return None
