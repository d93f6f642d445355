"""Where each key of a TOML document sits: line and column for error messages.

TOML parsers return plain dicts and forget positions, yet a good error says
`01.toml:7:1: recapp: unknown key`. This scanner walks a document that has
already parsed successfully and records the position of every table header
and every `key = value`, by key path: ("characters", 2, "notes", 0, "text").
It only needs to tell keys from values, so it skips strings, arrays and inline
tables without interpreting them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Path = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_starts.append(index + 1)

    def position(self, offset: int) -> Position:
        low, high = 0, len(self.line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1, offset - self.line_starts[low] + 1

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\ufeff" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def key(self) -> list[str]:
        """A possibly dotted, possibly quoted key."""
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            char = self.peek()
            if char in "\"'":
                inner = self.string()
                # A basic-string key is stored by its value: "\u00e9" is "é".
                parts.append(_unescape(inner) if char == '"' else inner)
            else:
                start = self.pos
                while self.peek() in _BARE and self.peek():
                    self.pos += 1
                parts.append(self.text[start : self.pos])
                if start == self.pos:
                    return parts
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.pos += 1

    def string(self) -> str:
        """Skip a string of any kind and return its raw inner text."""
        quote = self.peek()
        if self.text.startswith(quote * 3, self.pos):
            self.pos += 3
            end = self.text.find(quote * 3, self.pos)
            while quote == '"' and end > 0 and _escaped(self.text, end):
                end = self.text.find(quote * 3, end + 1)
            end = len(self.text) if end < 0 else end
            # A closing delimiter may carry up to two extra quotes.
            while self.text.startswith(quote * 4, end):
                end += 1
            inner = self.text[self.pos : end]
            self.pos = end + 3
            return inner
        self.pos += 1
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in (quote, "\n"):
            self.pos += 2 if quote == '"' and self.text[self.pos] == "\\" else 1
        inner = self.text[start : self.pos]
        self.pos += 1
        return inner

    def value(self) -> None:
        """Skip one value, including nested arrays and inline tables."""
        depth = 0
        while self.pos < len(self.text):
            char = self.peek()
            if char in "\"'":
                self.string()
            elif char in "[{":
                depth += 1
                self.pos += 1
            elif char in "]}":
                depth -= 1
                self.pos += 1
            elif char == "#":
                self.skip_blank(newlines=False)
            elif char == "\n" and depth <= 0:
                return
            else:
                self.pos += 1


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}


def _unescape(raw: str) -> str:
    """The value of a basic string's raw inner text (TOML escapes only)."""

    def one(match: re.Match[str]) -> str:
        code = match[1] or match[2] or match[3]
        if code:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return match[0]
        return _SIMPLE_ESCAPES.get(match[4], match[0])

    return _ESCAPE.sub(one, raw)


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def key_positions(text: str) -> dict[Path, Position]:
    """Map every key path of a valid TOML document to its position."""
    scanner = _Scanner(text)
    positions: dict[Path, Position] = {}
    counts: dict[Path, int] = {}
    table: Path = ()
    while True:
        scanner.skip_blank(newlines=True)
        if scanner.pos >= len(text):
            return positions
        start = scanner.pos
        if scanner.peek() == "[":
            is_array = scanner.peek(1) == "["
            scanner.pos += 2 if is_array else 1
            names = scanner.key()
            table = _resolve(names, counts, is_array)
            positions.setdefault(table, scanner.position(start))
            end = text.find("\n", scanner.pos)
            scanner.pos = len(text) if end < 0 else end
            continue
        names = scanner.key()
        if scanner.pos == start:  # not a key: skip the line defensively
            end = text.find("\n", scanner.pos + 1)
            scanner.pos = len(text) if end < 0 else end
            continue
        positions.setdefault((*table, *names), scanner.position(start))
        scanner.skip_blank(newlines=False)
        if scanner.peek() == "=":
            scanner.pos += 1
            scanner.skip_blank(newlines=False)
            positions.setdefault((*table, *names, "="), scanner.position(scanner.pos))
            scanner.value()


def _resolve(names: Sequence[str], counts: dict[Path, int], is_array: bool) -> Path:
    """The concrete path of a table header, with array indices filled in:
    `[[characters.notes]]` inside the third character is
    ("characters", 2, "notes", n)."""
    path: Path = ()
    for index, name in enumerate(names):
        path = (*path, name)
        last = index == len(names) - 1
        if last and is_array:
            counts[path] = counts.get(path, -1) + 1
            path = (*path, counts[path])
        elif path in counts:
            path = (*path, counts[path])
    return path


def locate(positions: dict[Path, Position], path: Path) -> Position | None:
    """The position of `path`, or of its nearest located ancestor."""
    probe = tuple(path)
    while probe:
        if probe in positions:
            return positions[probe]
        probe = probe[:-1]
    return None


def format_path(path: Path) -> str:
    """("characters", 2, "notes", 0, "text") -> "characters[2].notes[0].text"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
