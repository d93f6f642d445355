"""What the user typed, as search reads it: folded words and "quoted phrases"."""

from __future__ import annotations

import dataclasses
import re

from soundtrack_tui.core import textnorm

__all__ = ["Query", "parse_query"]

# Bounds on the work one keystroke may cause; real queries are far inside them.
MAX_QUERY_CHARS = 256
MAX_WORDS = 12  # unquoted words kept
MAX_PHRASES = 6

_QUOTE = re.compile('["“”]')


@dataclasses.dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: what to look for, already folded.

    `words` must all occur in a document, in any order; each phrase must occur
    as consecutive words. `prefix` says the last word is still being typed
    and may match the start of a longer word.
    """

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: bool = False

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases


def parse_query(query: str) -> Query:
    """Split a typed query into folded words and "quoted phrases".

    Straight and curly double quotes delimit phrases; an unclosed quote makes
    the rest of the query a phrase. The last unquoted word is a prefix only
    when it ends the query: after a space or a phrase the user has finished
    it. Absurdly long queries are cut, so one paste cannot stall the UI.
    """
    parts = _QUOTE.split(query[:MAX_QUERY_CHARS])
    found: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for index, part in enumerate(parts):
        folded = tuple(word for word, _, _ in textnorm.words(part))
        if index % 2:
            if folded and len(phrases) < MAX_PHRASES:
                phrases.append(folded)
        else:
            found.extend(folded)
    tail = textnorm.words(parts[-1]) if len(parts) % 2 else []
    prefix = bool(tail) and tail[-1][2] == len(parts[-1]) and len(found) <= MAX_WORDS
    return Query(tuple(found[:MAX_WORDS]), tuple(phrases), prefix)
