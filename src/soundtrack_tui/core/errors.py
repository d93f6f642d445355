"""The project's error types and the problem record the loader reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from soundtrack_tui.core.sanitize import sanitize


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
        return sanitize(": ".join(parts)).replace("\n", " ")


class ContentError(SoundtrackError):
    """A pack could not be used. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first = str(errors[0]) if errors else "invalid content"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)
