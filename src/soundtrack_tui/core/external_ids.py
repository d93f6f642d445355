"""External ids (content format 1.1): where a show or episode is found in
the public databases, so watch histories exported from other tools can be
matched to a pack by id rather than by title.

One rule for the loader and for a pack read back from the cache: IMDb ids
are text (`tt` and digits, as IMDb writes them); the others are positive
integers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ExternalIds = Mapping[str, int | str]
"""Database name to id; empty when the pack gives none."""

NUMERIC_ID_KEYS = ("tvdb", "tmdb", "trakt", "tvmaze")
ID_KEYS = (*NUMERIC_ID_KEYS, "imdb")
_IMDB = re.compile(r"tt[0-9]+")
# Bigger than any database has issued, small enough to stay an exact number
# in every JSON reader a history export may meet.
MAX_NUMERIC_ID = 2**53


def id_problem(key: str, value: Any) -> str | None:
    """Why `value` is no valid id for database `key`, or None when it is."""
    if key == "imdb":
        if isinstance(value, str) and _IMDB.fullmatch(value):
            return None
        return "must be an IMDb id: 'tt' and digits, like 'tt0903747'"
    if key not in NUMERIC_ID_KEYS:
        return "is not a database this soundtrack knows"
    if type(value) is int and 1 <= value <= MAX_NUMERIC_ID:
        return None
    return "must be a positive integer"
