"""The one sanitizer every pack string passes through at load.

Rich and Textual hand ESC, CSI, OSC and C1 bytes straight to the terminal, so
a recap carrying `ESC ] 0 ; title BEL` would rename the user's window and
OSC 52 would write their clipboard. Bidi overrides let text display in an
order other than the one it is stored in (Trojan Source). We neutralise all
of them here, once, so nothing downstream has to remember to.

Visible replacement (U+FFFD) is used for controls rather than silent removal,
so a pack author can see that something was there. Bidi controls (the
embeddings, overrides and isolates, and the invisible marks LRM, RLM and
ALM) are dropped: a replacement character in the middle of right-to-left
text helps nobody. Unicode tag characters, invisible and able to carry a
hidden message, are dropped too, except inside the one thing they are for:
an emoji subdivision flag (a black flag, tags, a cancel tag).
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# Line separators of every flavour become "\n" before controls are replaced,
# because CR is itself a C0 control.
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029")

# Everything `sanitize` replaces or drops, once line breaks are "\n". A
# subdivision flag comes first so that its tags are matched whole and kept.
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_UNSAFE = re.compile(
    f"{_FLAG}|[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\u200e\u200f\u061c\U000e0000-\U000e007f]"
)
# The first characters `_UNSAFE` can match, as one character class: most
# texts hold none, and a search for a class alone runs several times faster
# than one for the alternation.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\u200e\u200f\u061c\U000e0000-\U000e007f\U0001f3f4]"
)
_DROPPED = frozenset(
    map(
        chr,
        [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, *range(0xE0000, 0xE0080)],
    )
)


def _replacement(match: re.Match[str]) -> str:
    # A function rather than a str.translate table: the table's 2,048
    # surrogate entries stayed in memory for the life of every process.
    found = match.group()
    if len(found) > 1:  # a subdivision flag
        return found
    return "" if found in _DROPPED else REPLACEMENT


def sanitize(text: str) -> str:
    """Return `text` safe to show in a terminal.

    C0 controls (except newline and tab), DEL, C1 controls and lone
    surrogates become U+FFFD; bidi embeddings, overrides, isolates and
    marks, and tag characters outside a subdivision flag, are dropped;
    CRLF, CR, U+2028 and U+2029 become newline. Everything real text needs
    (ZWJ emoji sequences, variation selectors, combining marks, Hangul, CJK)
    is kept. Idempotent.
    """
    if not _SUSPECT.search(text):
        return text
    return _UNSAFE.sub(_replacement, _LINE_BREAKS.sub("\n", text))


def one_line(text: str) -> str:
    """`text` sanitized, on one line: for a path or a name shown where a
    line break would break the layout (a file name may hold one)."""
    return sanitize(text).replace("\n", " ")
