"""The sanitizer every pack string passes through."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soundtrack_tui.core.sanitize import REPLACEMENT, sanitize

FFFD = "\ufffd"
assert REPLACEMENT == FFFD

# What the sanitizer replaces or drops, written out independently of its
# own pattern: controls, surrogates, line and paragraph separators, bidi
# controls and marks, and tag characters (a subdivision flag, matched
# first, is kept whole).
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_REMOVED = re.compile(
    f"({_FLAG})|[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\u200e\u200f\u061c\U000e0000-\U000e007f]"
)


def _kept(match: re.Match[str]) -> str:
    return match.group(1) or ""


def is_clean(text: str) -> bool:
    """Nothing in `text` that the sanitizer would change."""
    return sanitize(text) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x1bb", f"a{FFFD}b"),  # ESC
        ("a\x07b", f"a{FFFD}b"),  # BEL
        ("\x1b]0;pwned\x07", f"{FFFD}]0;pwned{FFFD}"),  # OSC set-title
        ("\x1b[31mred\x1b[0m", f"{FFFD}[31mred{FFFD}[0m"),  # SGR
        ("a\x9b2Jb", f"a{FFFD}2Jb"),  # 8-bit CSI
        ("a\x9d52;c;x\x9cb", f"a{FFFD}52;c;x{FFFD}b"),  # 8-bit OSC and ST
        ("a\x85b", f"a{FFFD}b"),  # NEL (C1)
        ("a\x7fb", f"a{FFFD}b"),  # DEL
        ("a\x00b", f"a{FFFD}b"),  # NUL
        ("a\x08b\x0bc\x0cd", f"a{FFFD}b{FFFD}c{FFFD}d"),  # BS, VT, FF
        ("a\ud800b", f"a{FFFD}b"),  # lone high surrogate
        ("a\udfffb", f"a{FFFD}b"),  # lone low surrogate
    ],
)
def test_controls_become_replacement(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean
    assert not is_clean(raw)
    assert is_clean(clean)


@pytest.mark.parametrize("code", [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
def test_bidi_controls_are_dropped(code: int) -> None:
    assert sanitize(f"abc{chr(code)}def") == "abcdef"
    assert not is_clean(chr(code))


def test_trojan_source_is_flattened() -> None:
    assert sanitize("if admin \u202e }\u2066 { \u2069\u202c") == "if admin  } { "


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\u2028b", "a\nb"),
        ("a\u2029b", "a\nb"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),
    ],
)
def test_line_breaks_become_newline(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "👩‍💻",  # ZWJ sequence
        "❤️",  # variation selector 16
        "e\u0301",  # combining acute
        "é",
        "한선우",
        "사운드트랙 #1",
        "宣宇",
        "ハン・ソヌ",
        "עברית العربية",  # right-to-left scripts themselves are fine
        "tab\tand\nnewline",
        "\u200b\u200c\u200d",  # zero-width space / (non-)joiner
        "🇰🇷",  # regional indicator pair
        "[bold]not markup[/] [@click=app.quit]",
        "",
    ],
)
def test_real_text_is_kept(text: str) -> None:
    assert sanitize(text) == text
    assert is_clean(text)


# -- properties ---------------------------------------------------------------

_interesting = st.sampled_from(
    [
        "\x1b",
        "\x07",
        "\x9b",
        "\x9d",
        "\x7f",
        "\x00",
        "\r",
        "\r\n",
        "\n",
        "\t",
        "\u2028",
        "\u2029",
        "\u202e",
        "\u2066",
        "\ud800",
        "\udc00",
        "\u200d",
        "\u200e",
        "\U000e0041",
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        "\ufe0f",
        "\u0301",
        "é",
        "한",
        "a",
    ]
)
_text = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=()), max_size=8), _interesting), max_size=20
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_sanitize_removes_every_unsafe_class(text: str) -> None:
    clean = sanitize(text)
    assert all(match.group(1) for match in _REMOVED.finditer(clean))  # flags only
    assert "\r" not in clean
    assert is_clean(clean)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_sanitize_is_idempotent(text: str) -> None:
    once = sanitize(text)
    assert sanitize(once) == once


@settings(max_examples=300, deadline=None)
@given(_text)
def test_sanitize_keeps_everything_else(text: str) -> None:
    """Only unsafe characters change; the rest survives in order."""
    clean = sanitize(text)
    assert is_clean(text) == (clean == text)
    kept = _REMOVED.sub(_kept, text.replace("\r", ""))
    assert clean.replace(FFFD, "").replace("\n", "") == kept.replace(FFFD, "").replace("\n", "")


@pytest.mark.parametrize(
    "invisible",
    ["\u200e", "\u200f", "\u061c", "\U000e0001", "\U000e0041", "\U000e007f"],
    ids=["LRM", "RLM", "ALM", "language-tag", "tag-A", "cancel-tag"],
)
def test_invisible_marks_and_tags_are_dropped(invisible: str) -> None:
    assert sanitize(f"a{invisible}b") == "ab"


def test_a_subdivision_flag_keeps_its_tags() -> None:
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert sanitize(f"go {england}!") == f"go {england}!"
    # Tags that do not finish a flag are a hidden message: gone.
    assert sanitize("\U0001f3f4\U000e0067\U000e0062 x") == "\U0001f3f4 x"
