"""The project's error types, the problem record the loader reports, and
what a load returns.

`LoadResult` and `Progress` live here, not in the loader, so that code that
only receives a result (a cache hit, the UI) does not import the parser,
the schema and the lint with them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from soundtrack_tui.core.sanitize import one_line

if TYPE_CHECKING:
    from soundtrack_tui.core.model import Pack

Progress = Callable[[int, int], None]  # (episode files read, episode files in all)


class SoundtrackError(Exception):
    """Base of every error the project raises on purpose."""


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a pack, located as precisely as the file allows."""

    path: str  # file path as shown to the user
    key: str  # dotted key path, "" for the file as a whole
    message: str
    line: int | None = None
    column: int | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        """`path:line:col: key.path: message`, sanitized because keys and
        messages may quote the untrusted file."""
        place = self.path
        if self.line is not None:
            place += f":{self.line}:{self.column or 1}"
        parts = [place]
        if self.key:
            parts.append(self.key)
        label = "warning: " if self.severity is Severity.WARNING else ""
        parts.append(label + self.message)
        return one_line(": ".join(parts))


class ContentError(SoundtrackError):
    """A pack could not be used. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first = str(errors[0]) if errors else "invalid content"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


@dataclass
class LoadResult:
    """What `read_pack` found: a pack (None when show.toml is unusable)
    built from every part that loaded, and every problem."""

    pack: Pack | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]
