"""The token tables' byte searches: a phrase or a prefix after other words
is found by searching each candidate document's token codes in place."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.packs import make_episode, make_pack

from soundtrack_tui.core.policy import Viewer
from soundtrack_tui.core.search import SearchIndex
from soundtrack_tui.core.search.storage import Codec, TokenTables

ALL = Viewer(frozenset(range(1, 5)))  # has watched every episode

# Vocabulary sizes that give two-, three- and four-byte token codes.
WIDTHS = st.sampled_from([300, 20_000, 3_000_000])


@st.composite
def ranges(draw: st.DrawFn) -> tuple[int, tuple[int, int], list[int]]:
    """A vocabulary size, a range of ids [low, high) in it, and the ids to
    try after a token: the range's ends and their neighbours, the code
    bytes' boundaries (multiples of 128, 16,384, ...) next to them, where a
    range written as byte classes would go wrong, and a few at random."""
    vocabulary = draw(WIDTHS)
    low = draw(st.integers(0, vocabulary - 1))
    high = draw(
        st.integers(low + 1, min(vocabulary, low + draw(st.sampled_from([1, 2, 130, 20_000, 10**6]))))
    )
    probes = {low - 1, low, low + 1, high - 1, high, high + 1}
    for block in (128, 128**2, 128**3):
        for end in (low, high):
            base = end - end % block
            probes |= {base - 1, base, base + block - 1, base + block}
    probes |= set(draw(st.lists(st.integers(0, vocabulary - 1), max_size=10)))
    return vocabulary, (low, high), sorted(p for p in probes if 0 <= p < vocabulary)


@given(ranges())
def test_a_token_followed_by_a_range_is_found_exactly_there(
    case: tuple[int, tuple[int, int], list[int]],
) -> None:
    vocabulary, (low, high), probes = case
    codec = Codec(vocabulary)
    first = probes[0]
    sequence = [token for probe in probes for token in (first, probe)]
    data = codec.pack(sequence)
    expected = [
        i for i, token in enumerate(sequence[:-1]) if token == first and low <= sequence[i + 1] < high
    ]
    pattern = codec.followed(codec.code(first), (low, high))
    assert [match.start() // codec.width for match in pattern.finditer(data)] == expected


def test_counts_and_finds_stay_inside_each_document() -> None:
    """The documents' codes sit end to end in one buffer: a phrase whose
    words end one document and start the next is in neither."""
    tables = TokenTables(
        ["midnight", "the", "train"], [array("I", [1, 0]), array("I", [2, 1]), array("I", [0, 2])]
    )
    needle = tables.codec.pack([0, 2])
    assert list(tables.counts([0, 1, 2], needle)) == [0, 0, 1]
    assert list(tables.holds([0, 1, 2], needle)) == [False, False, True]
    pattern = tables.codec.followed(tables.codec.code(0), (2, 3))
    assert [bool(match) for match in tables.finds([0, 1, 2], pattern)] == [False, False, True]
    assert list(map(len, tables.matches([0, 1, 2], pattern))) == [0, 0, 1]


def test_a_phrase_split_between_two_paragraphs_is_not_found() -> None:
    pack = make_pack(1, overrides={1: make_episode(1, recap=["We wait for midnight", "Train songs", "no"])})
    index = SearchIndex.build(pack)
    assert index.search('"midnight train"', ALL).hits == ()
    assert index.search("midnight tr", ALL).hits == ()
    assert len(index.search("midnight", ALL).hits) == 1


def test_a_prefix_after_a_word_counts_each_place_it_follows_that_word() -> None:
    pack = make_pack(
        2,
        overrides={
            1: make_episode(1, recap=["the tarot the tarot the tarot", "the cat"]),
            2: make_episode(2, recap=["the tarot"]),
        },
    )
    hits = SearchIndex.build(pack).search("the ta", ALL).hits
    # Occurrences rank the paragraph that holds three first.
    assert [(hit.episode, hit.snippet) for hit in hits] == [
        (1, "the tarot the tarot the tarot"),
        (2, "the tarot"),
    ]


def test_a_prefix_after_a_repeated_word_is_highlighted_where_it_matched() -> None:
    """ "zozonb" reads as "zo zo nb…": the document is found where "zo zo"
    is followed by "nbx", and the hit's spans are that place, not empty."""
    recap = "zo zo zo nbx nby"
    pack = make_pack(1, overrides={1: make_episode(1, recap=[recap])})
    (hit,) = SearchIndex.build(pack).search("zozonb", ALL).hits
    assert [recap[start:end] for start, end in hit.target.spans] == ["zo zo nbx"]


def test_token_codes_that_are_not_a_buffer_are_refused_on_load() -> None:
    """A forged entry's `blob` must be bytes-like: anything else fails the
    load (the cache then builds the index again), never becomes zeros."""
    state = TokenTables(["a", "b"], [array("I", [0, 1])]).stored()
    assert TokenTables.restored(dict(state)).blob == state["blob"]
    with pytest.raises(TypeError):
        TokenTables.restored({**state, "blob": 64})
