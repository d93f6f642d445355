"""The items of a JSON array too big to load whole, read from a stream.

`json.load` of a 500 MB history would hold gigabytes of dicts, so the text
is read a megabyte at a time and decoded by the C decoder a few items at a
time: a run of whole items is cut at an item boundary (`},` then `{`) and
decoded as one small array, which lets the decoder share the keys between
the items; a run that does not decode that way (the window's end, an
unusual layout, an error) is decoded one item at a time, and that path
names the line of any error. Either way, exactly the items of the array
come out, in order.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from soundtrack_tui.core.history.rows import HistoryError

CHUNK = 1 << 20
BATCH_CHARS = 1 << 16  # measured: 64 KB runs decode about a third faster than single items
MAX_ITEM_CHARS = 1 << 20  # one Trakt play is about 500 characters
_SPACE = re.compile(r"[ \t\n\r]*")
_NEXT = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
_ITEM_START = re.compile(r"[ \t\n\r]*\{")

Decode = Callable[[str, int], tuple[Any, int]]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class _Window:
    """The part of the stream not yet decoded, as text, and where it starts
    in lines (for error messages)."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream, self.name = stream, name
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text, self.pos, self.line, self.eof = "", 0, 1, False

    def fill(self) -> None:
        """Drop what was decoded, append the next chunk."""
        chunk = self.stream.read(CHUNK)
        self.eof = not chunk
        try:
            more = self.decoder.decode(chunk, final=self.eof)
        except UnicodeDecodeError:
            raise HistoryError(f"{self.name} is not UTF-8 text") from None
        self.line += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos :] + more
        self.pos = 0

    def skip_space(self) -> str:
        """The next character after white space ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or self.eof:
                return self.text[self.pos : self.pos + 1]
            self.fill()

    def where(self, pos: int | None = None) -> str:
        at = self.pos if pos is None else pos
        return f"{self.name} line {self.line + self.text.count(chr(10), 0, at)}"


def json_array_items(stream: BinaryIO, name: str) -> Iterator[Any]:
    """Each item of the JSON array `stream` holds, in order."""
    window = _Window(stream, name)
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    window.fill()
    if window.text.startswith("\ufeff"):
        window.pos = 1
    if window.skip_space() != "[":
        raise HistoryError(f"{name} is not a JSON array (a Trakt watched-history.json is one)")
    window.pos += 1
    if window.skip_space() == "]":
        window.pos += 1
    else:
        batches = True
        while True:
            if batches:
                run = _run_of_items(window.text, window.pos, decoder.decode)
                if run is not None:
                    items, window.pos = run
                    yield from items
                    continue
                # Nothing to cut here: near the window's end, or a layout or
                # an error the run cannot pass; after a failed decode, one
                # item at a time to the end, rather than retrying each time.
                batches = _cut(window.text, window.pos) is None
            yield _one_item(window, decoder.raw_decode)
            after = window.skip_space()
            window.pos += 1
            if after == "]":
                break
            if after != ",":
                raise HistoryError(f"invalid JSON at {window.where(window.pos - 1)}: expected , or ]")
            window.skip_space()
    if window.skip_space():
        raise HistoryError(f"invalid JSON at {window.where()}: text after the array")


def _cut(text: str, pos: int) -> tuple[int, int] | None:
    """The last item boundary in the next `BATCH_CHARS`: where the item
    before it ends and the next one starts; None when there is none."""
    end = min(len(text), pos + BATCH_CHARS)
    while True:
        close = text.rfind("},", pos, end)
        if close < 0:
            return None
        start = _ITEM_START.match(text, close + 2)
        if start is not None and start.end() < len(text):
            return close + 1, start.end() - 1
        end = close


def _run_of_items(text: str, pos: int, decode: Callable[[str], Any]) -> tuple[list[Any], int] | None:
    """The whole items from `pos` to the last boundary, and where the next
    starts; None when there is no boundary or the run does not decode as
    an array (it then goes one item at a time, which names any error)."""
    cut = _cut(text, pos)
    if cut is None:
        return None
    try:
        items = decode(f"[{text[pos : cut[0]]}]")
    except (ValueError, RecursionError):
        return None
    return items, cut[1]


def _one_item(window: _Window, decode: Decode) -> Any:
    """The item at the window's position, reading more until it decodes,
    the file ends, or it is too long to be one play."""
    while True:
        try:
            item, window.pos = decode(window.text, window.pos)
            return item
        except json.JSONDecodeError as exc:
            if window.eof or len(window.text) - window.pos > MAX_ITEM_CHARS:
                raise HistoryError(f"invalid JSON at {window.where(exc.pos)}: {exc.msg}") from None
        except RecursionError:
            raise HistoryError(f"invalid JSON at {window.where()}: nested too deeply") from None
        except ValueError as exc:
            raise HistoryError(f"invalid JSON at {window.where()}: {exc}") from None
        window.fill()
