"""Text folding: what search and the spoiler lint consider the same name."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soundtrack_tui.core.textnorm import fold_char, squash, words


def fold(text: str) -> str:
    """The folded words of `text`, one space apart: what search compares."""
    return " ".join(word for word, _, _ in words(text))


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("SUN-WOO", "sun woo"),
        ("Sun woo", "sun woo"),
        ("  Sun   Woo  ", "sun woo"),
        ("Café", "cafe"),
        ("cafe\u0301", "cafe"),  # decomposed: e + combining acute
        ("CAFÉ", "cafe"),
        ("Ångström", "angstrom"),
        ("Straße", "strasse"),
        ("Ma-ri's", "ma ri s"),
        ("Ma-ri\u2019s", "ma ri s"),
        ("한선우", "한선우"),  # Hangul unchanged
        ("이은수 and 한선우", "이은수 and 한선우"),
        ("宣宇", "宣宇"),
        ("ハン・ソヌ", "ハン ソヌ"),
        ("Soundtrack #1", "soundtrack 1"),
        ("", ""),
        ("--- !!! ---", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_decomposed_and_composed_fold_alike() -> None:
    assert fold("Jos\u00e9") == fold("Jose\u0301") == fold("JOSE") == "jose"
    assert squash("Han Sun-woo") == squash("han sunwoo") == squash("HAN SUN WOO") == "hansunwoo"


def test_hangul_is_not_decomposed() -> None:
    # Folding must compose Hangul back: jamo would never match a typed name.
    assert fold("선우") == "선우"
    assert len(fold("선우")) == 2


def test_every_hangul_syllable_folds_as_the_unicode_round_trip_would() -> None:
    # The syllables skip the normalisation; this is what it would give.
    def round_trip(char: str) -> str:
        decomposed = unicodedata.normalize("NFD", char.casefold())
        return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))

    syllables = "".join(map(chr, range(0xAC00, 0xD7A4)))
    assert fold(syllables) == "".join(map(round_trip, syllables)) == syllables


def test_words_spans_ascii() -> None:
    text = "Ma-ri's  café, Sun-woo!"
    found = words(text)
    assert [w for w, _, _ in found] == ["ma", "ri", "s", "cafe", "sun", "woo"]
    for word, start, end in found:
        assert fold(text[start:end]) == word
    assert found[0][1:] == (0, 2)
    assert found[3][1:] == (9, 13)


def test_words_spans_keep_combining_marks_in_the_word() -> None:
    text = "a cafe\u0301 b"
    assert words(text) == [("a", 0, 1), ("cafe", 2, 7), ("b", 8, 9)]
    assert text[2:7] == "cafe\u0301"


def test_words_spans_non_ascii() -> None:
    text = "한선우, Lee Eun-soo"
    assert words(text) == [("한선우", 0, 3), ("lee", 5, 8), ("eun", 9, 12), ("soo", 13, 16)]


def _words_reference(text: str) -> list[tuple[str, int, int]]:
    """`words` as first written, a character at a time: what the faster
    one must reproduce exactly."""
    result: list[tuple[str, int, int]] = []
    current: list[str] = []
    start = -1
    for index, char in enumerate(text):
        folded = fold_char(char)
        if folded:
            if start < 0:
                start = index
            current.append(folded)
        elif folded is None and start >= 0:
            result.append(("".join(current), start, index))
            current, start = [], -1
    if start >= 0:
        result.append(("".join(current), start, len(text)))
    return result


_TRICKY = "aZ09_-' \t\n.é\u0301\u0308\ufe0f\u200d🎤👩한선우ßİŉǅ\u0903\u20dd٣²ⅻ\u3000"


@settings(max_examples=400)
@given(st.text(st.one_of(st.sampled_from(_TRICKY), st.characters(exclude_categories=("Cs",))), max_size=40))
def test_words_match_the_character_loop(text: str) -> None:
    assert words(text) == _words_reference(text)


@pytest.mark.parametrize(
    "text",
    ["", "\u0301abc", "abc\u0301", "a\u0301\u0301b c", "🎤\ufe0f sun-woo", "x\u200dy", "\u0301", "é\u0301-é"],
)
def test_words_match_the_character_loop_on_marks(text: str) -> None:
    assert words(text) == _words_reference(text)
