"""Text folding shared by search and the spoiler lint.

Fans type names every which way: "sunwoo", "Sun woo", "SUN-WOO", "Seon-woo".
Folding removes what should not matter (case, accents, punctuation, spaces
between the parts of a name) while remembering where each folded character
came from, so a match can be highlighted in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

_WORD_SPLIT = re.compile(r"([^\W_]+)")  # runs of str.isalnum() characters
_ODD_CHAR = re.compile(r"[^\w\s\x00-\x7f]")  # non-ASCII, neither word nor space

_HANGUL_FIRST, _HANGUL_LAST = "\uac00", "\ud7a3"  # the precomposed syllables


@lru_cache(maxsize=8192)
def fold_char(char: str) -> str | None:
    """Case- and accent-folded form of one character: None for a separator,
    "" for a mark that belongs to the word but folds away (a combining
    accent written separately). The one definition of folding: words, the
    lint and the search index's per-character tokens all come here."""
    if not char.isalnum():
        return "" if unicodedata.category(char) in ("Mn", "Mc", "Me") else None
    if _HANGUL_FIRST <= char <= _HANGUL_LAST:
        # Folds to itself (no case, no marks); said here, it spares the
        # Unicode tables (~0.1 MB of memory) the round trip through jamo.
        return char
    decomposed = unicodedata.normalize("NFD", char.casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    # Compose back what NFD split and kept (jamo into syllables, say).
    return unicodedata.normalize("NFC", kept)


def words(text: str) -> list[tuple[str, int, int]]:
    """Folded words of `text` with their [start, end) offsets in `text`.

    A word is a run of letters and digits; hyphens, apostrophes and every
    other separator split words, so "Ma-ri's" gives "ma", "ri", "s".
    Combining marks (accents typed separately, emoji variation selectors)
    belong to the word they follow without splitting it, and start none."""
    found, offsets = split_words(text)
    return list(zip(found, offsets[::2], offsets[1::2], strict=True))


def split_words(text: str) -> tuple[list[str], list[int]]:
    """`words(text)` as folded words and flat [start, end, start, end, ...]
    offsets, the form the search index stores.

    The spoiler lint and the search index run this over every text of a
    pack, so the work is done in C: a regex split finds the words (letter
    and digit runs, with the marks the text holds allowed after a letter or
    digit) and `accumulate` turns piece lengths into offsets; only
    non-ASCII words are folded a character at a time."""
    if text.isascii():
        parts = _WORD_SPLIT.split(text.lower())
        return parts[1::2], list(accumulate(map(len, parts)))[:-1]
    marks = marks_in(text)
    splitter = _split_with_marks(marks) if marks else _WORD_SPLIT
    parts = splitter.split(text)
    return list(map(fold_word, parts[1::2])), list(accumulate(map(len, parts)))[:-1]


def marks_in(text: str) -> str:
    """The combining marks `text` holds outside words, sorted: those a word
    may hold after its first character without being split."""
    odd = set(_ODD_CHAR.findall(text))
    return "".join(sorted(char for char in odd if unicodedata.category(char)[0] == "M"))


@lru_cache(maxsize=256)
def _split_with_marks(marks: str) -> re.Pattern[str]:
    """Words that may hold these marks after their first character."""
    return re.compile(f"([^\\W_]+(?:[{re.escape(marks)}]+[^\\W_]*)*)")


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """One word, folded. Cached: a pack has far fewer distinct words than words."""
    return word.lower() if word.isascii() else "".join([fold_char(char) or "" for char in word])


def squash(text: str) -> str:
    """Folded text with every separator removed: "Sun-woo" -> "sunwoo"."""
    return "".join(word for word, _, _ in words(text))
