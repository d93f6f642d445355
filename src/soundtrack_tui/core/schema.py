"""Declarative field rules for pack tables, and the checker that applies them.

Each table kind lists its keys once (type, required or not); the checker
reports every unknown key (with a did-you-mean), wrong type and missing key,
and returns the table's values sanitized, so the loader only assembles.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from soundtrack_tui.core.external_ids import NUMERIC_ID_KEYS
from soundtrack_tui.core.sanitize import sanitize
from soundtrack_tui.core.tomlpos import Path

Report = Callable[[Path, str], None]


@dataclass(frozen=True, slots=True)
class Field:
    kind: str  # "text", "int", "number", "date", "texts", "table", "tables"
    required: bool = True
    rules: Fields | None = None  # for "table" and "tables": the rules of the table or each entry


Fields = dict[str, Field]

_KIND_NAMES = {
    "text": "a string",
    "int": "an integer",
    "number": "a number",
    "date": "a date (like 2022-03-23)",
    "texts": "an array of strings",
    "table": "a table",
    "tables": "an array of tables",
}

SOURCE: Fields = {
    "key": Field("text"),
    "outlet": Field("text"),
    "title": Field("text"),
    "url": Field("text"),
}

_REVIEW: Fields = {
    "outlet": Field("text"),
    "source": Field("text"),
    "verdict": Field("text"),
    "rating": Field("text", required=False),
    "thoughts": Field("text"),
}
EPISODE_REVIEW: Fields = dict(_REVIEW)
SERIES_REVIEW: Fields = {**_REVIEW, "after_episode": Field("int")}

TRACK: Fields = {
    "title": Field("text"),
    "original_title": Field("text", required=False),
    "artist": Field("text"),
    "released": Field("date", required=False),
    "episode": Field("int", required=False),
    "note": Field("text", required=False),
    "sources": Field("texts"),
}

SEASON: Fields = {
    "number": Field("int"),
    "title": Field("text", required=False),
    "logline": Field("text", required=False),
}

# Format 1.1: where the show or episode is found in public databases.
IDS: Fields = {
    **{key: Field("int", required=False) for key in NUMERIC_ID_KEYS},
    "imdb": Field("text", required=False),
}

SHOW: Fields = {
    "format": Field("number"),
    "id": Field("text"),
    "title": Field("text"),
    "original_title": Field("text", required=False),
    "platform": Field("text", required=False),
    "year": Field("int", required=False),
    "episode_count": Field("int"),
    "synopsis": Field("text"),
    "director": Field("text", required=False),
    "writer": Field("text", required=False),
    "sources": Field("tables", rules=SOURCE),
    "reviews": Field("tables", required=False, rules=SERIES_REVIEW),
    "tracks": Field("tables", required=False, rules=TRACK),
    "seasons": Field("tables", required=False, rules=SEASON),
    "ids": Field("table", required=False, rules=IDS),
}

EPISODE: Fields = {
    "number": Field("int"),
    "season": Field("int", required=False),
    "ids": Field("table", required=False, rules=IDS),
    "title": Field("text"),
    "runtime_minutes": Field("int", required=False),
    "aired": Field("date", required=False),
    "logline": Field("text", required=False),
    "recap": Field("text"),
    "sources": Field("texts"),
    "source_note": Field("text", required=False),
    "summary": Field("text", required=False),
    "reviews": Field("tables", required=False, rules=EPISODE_REVIEW),
}

NOTE: Fields = {
    "episode": Field("int"),
    "text": Field("text"),
    "sources": Field("texts", required=False),
}

CHARACTER: Fields = {
    "id": Field("text"),
    "name": Field("text"),
    "aliases": Field("texts"),
    "actor": Field("text", required=False),
    "source_note": Field("text", required=False),
    "first_episode": Field("int"),
    "intro": Field("text"),
    "sources": Field("texts"),
    "notes": Field("tables", required=False, rules=NOTE),
}

CHARACTERS_FILE: Fields = {"characters": Field("tables", rules=CHARACTER)}


def suggest(word: str, choices: list[str]) -> str:
    """ " (did you mean 'recap'?)" when `word` is a likely typo of a choice."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_table(table: dict[str, Any], rules: Fields, path: Path, report: Report) -> dict[str, Any]:
    """Check one table against its rules.

    Returns the values that passed, strings sanitized and nested tables
    checked in turn; a failed or missing key is absent from the result.
    """
    clean: dict[str, Any] = {}
    for key, value in table.items():
        rule = rules.get(key)
        if rule is None:
            report((*path, key), f"unknown key{suggest(key, list(rules))}")
            continue
        checked = _check_value(value, rule, (*path, key), report)
        if checked is not None:
            clean[key] = checked
    for key, rule in rules.items():
        if rule.required and key not in table:
            report(path, f"missing required key {key!r}")
    return clean


def _check_value(value: Any, rule: Field, path: Path, report: Report) -> Any:
    expected = _KIND_NAMES[rule.kind]
    if rule.kind == "text":
        if not isinstance(value, str):
            report(path, f"expected {expected}, found {_type_name(value)}")
            return None
        text = sanitize(value).strip()
        if rule.required and not text:
            report(path, "must not be empty")
            return None
        return text
    if rule.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            report(path, f"expected {expected}, found {_type_name(value)}")
            return None
        return value
    if rule.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            report(path, f"expected {expected}, found {_type_name(value)}")
            return None
        return value
    if rule.kind == "date":
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            report(path, f"expected {expected}, found {_type_name(value)}")
            return None
        return value
    if rule.kind == "texts":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            report(path, f"expected {expected}, found {_type_name(value)}")
            return None
        return tuple(sanitize(v).strip() for v in value)
    if rule.kind == "table":
        if not isinstance(value, dict):
            report(path, f"expected {expected} ([{path[-1]}]), found {_type_name(value)}")
            return None
        assert rule.rules is not None
        return check_table(value, rule.rules, path, report)
    # "tables"
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        report(path, f"expected {expected} ([[{path[-1]}]]), found {_type_name(value)}")
        return None
    assert rule.rules is not None
    return [check_table(entry, rule.rules, (*path, i), report) for i, entry in enumerate(value)]


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
