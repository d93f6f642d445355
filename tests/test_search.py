"""Spoiler-aware search: matching rules, ranking, spoiler gates, snippets.

The packs are built in memory (tests/packs.py); no test measures time.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
import subprocess
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from packs import make_character, make_episode, make_note, make_pack, make_review
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.core.model import Character, Episode, Note, Pack, Review, Show
from soundtrack_tui.core.policy import Level, Viewer, shows_title
from soundtrack_tui.core.search import (
    Hit,
    Query,
    SearchIndex,
    SearchResults,
    parse_query,
)
from soundtrack_tui.core.search import terms as terms_module
from soundtrack_tui.core.search.people import folded_key, spellings_of
from soundtrack_tui.core.search.ranking import Run
from soundtrack_tui.core.search.spans import Locator
from soundtrack_tui.core.search.storage import Codec, TokenTables
from soundtrack_tui.core.search.terms import Recent, Term, Terms
from soundtrack_tui.core.textnorm import squash

OFF = Viewer(level=Level.OFF)


def story_pack() -> Pack:
    """Four episodes and three characters with every kind of searchable text."""
    episodes = {
        1: make_episode(
            1,
            title="Dead Air",
            logline="Min-ji takes over the graveyard slot.",
            recap=[
                "Min-ji starts her first night on air. Her friend Sun-woo calls the studio.",
                "A caller asks for a song about a café in Seoul.",
                "The sun rose over the woo forest.",
            ],
            reviews=[
                make_review("Night Owl", verdict="A patient first hour.", thoughts="Lovely radio mood.")
            ],
        ),
        2: make_episode(
            2,
            title="The Tarot Reader",
            logline="A fortune teller visits the station.",
            recap=[
                "The tarot reader draws a card for Sun-woo.",
                "Eun-soo laughs at the tarot card reading.",
            ],
        ),
        3: make_episode(
            3,
            title="Unrequited",
            logline="Secrets come out.",
            recap=["Jennifer is revealed to be a made-up name.", "한선우는 노래를 부른다."],
        ),
        4: make_episode(
            4,
            title="Finale",
            logline="The last broadcast.",
            recap=[
                "Everyone says goodbye at the cafe. Sunwoo waves.",
                "Tarot, tarot, tarot: the cards again.",
            ],
        ),
    }
    characters = [
        make_character(
            "han-sun-woo",
            "Han Sun-woo",
            aliases=["Seon-woo", "Sunwoo", "한선우"],
            intro="A photographer back in Seoul.",
            notes=[make_note(2, "He keeps the tarot card."), make_note(3, "He has loved Eun-soo for years.")],
        ),
        make_character("lee-eun-soo", "Lee Eun-soo", intro="A lyricist with a deadline."),
        make_character("jennifer", "Jennifer Park", first_episode=3, aliases=["Jen"], intro="A mystery."),
    ]
    series = [
        make_review("Series Weekly", verdict="Warm.", thoughts="The tarot episode shines.", after_episode=4),
        make_review("Spoiler-free Mag", verdict="Cosy.", thoughts="A gentle radio drama.", after_episode=0),
    ]
    return make_pack(4, overrides=episodes, characters=characters, series_reviews=series)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(story_pack())


def fields(results: SearchResults) -> list[tuple[str, int | None]]:
    return [(hit.field, hit.episode) for hit in results.hits]


def highlighted(hit: Hit) -> list[str]:
    return [hit.snippet[start:end] for start, end in hit.spans]


def document_text(pack: Pack, hit: Hit) -> str:
    """The text a hit's target spans refer to, looked up independently."""
    target = hit.target
    if hit.field in ("name", "alias", "intro", "note"):
        person = next(c for c in pack.characters if c.id == target.character_id)
        if hit.field == "name":
            return person.name
        if hit.field == "alias":
            assert target.alias_index is not None
            return person.aliases[target.alias_index]
        if hit.field == "intro":
            return person.intro
        assert target.note_index is not None
        return person.notes[target.note_index].text
    if hit.field == "series review":
        assert target.review_index is not None
        return pack.show.reviews[target.review_index].text
    assert hit.episode is not None
    episode = pack.episodes[hit.episode]
    if hit.field == "title":
        return episode.title
    if hit.field == "logline":
        return episode.logline
    if hit.field == "recap":
        assert target.paragraph is not None
        return episode.paragraphs[target.paragraph]
    assert target.review_index is not None
    return episode.reviews[target.review_index].text


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sun woo", Query(("sun", "woo"), (), prefix=True)),
        ("sun woo ", Query(("sun", "woo"), (), prefix=False)),
        ("SUN-WOO", Query(("sun", "woo"), (), prefix=True)),
        ("Café", Query(("cafe",), (), prefix=True)),
        ('tarot "Sun woo"', Query(("tarot",), (("sun", "woo"),), prefix=False)),
        ('"sun woo', Query((), (("sun", "woo"),), prefix=False)),
        ("“Sun Woo” card", Query(("card",), (("sun", "woo"),), prefix=True)),
        ('a "" b', Query(("a", "b"), (), prefix=True)),
        ("", Query()),
        ('  "  ', Query()),
    ],
)
def test_parse_query(text: str, expected: Query) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "!!!", '"', '""', "\n\t", "-–—"])
def test_blank_queries_find_nothing(index: SearchIndex, text: str) -> None:
    assert parse_query(text).empty
    results = index.search(text, OFF)
    assert results == SearchResults()
    assert results.summary_locked() is None


# ---------------------------------------------------------------- forgiving matching


@pytest.mark.parametrize("text", ["sunwoo", "Sun woo", "SUN-WOO", "sun-woo", "Sunwoo", "sUn  WoO"])
def test_spellings_of_a_name_all_find_it(index: SearchIndex, text: str) -> None:
    results = index.search(text, OFF)
    assert results.hits[0].field in ("name", "alias")
    assert results.hits[0].label == "Han Sun-woo"
    recaps = {(hit.episode, hit.target.paragraph) for hit in results.hits if hit.field == "recap"}
    assert {(1, 0), (2, 0), (4, 0)} <= recaps


def test_an_alias_finds_the_character_under_every_name(index: SearchIndex) -> None:
    """The card's alias line is not the only match of "Seon-woo": the
    character is, wherever a text names him, and each hit says how."""
    alias, canonical = index.search("Seon-woo", OFF), index.search("Sun-woo", OFF)
    texts = [(hit.episode, hit.target.paragraph, hit.target.note_index) for hit in alias.hits]
    assert texts == [(hit.episode, hit.target.paragraph, hit.target.note_index) for hit in canonical.hits]
    (card,) = [hit for hit in alias.hits if hit.field in ("name", "alias")]
    assert (card.label, card.target.character_id) == ("Han Sun-woo", "han-sun-woo")
    assert highlighted(card) == ["Seon-woo"]  # the card line spelled as typed
    recap = next(hit for hit in alias.hits if hit.field == "recap")
    assert recap.alias == "Sun-woo" and highlighted(recap) == ["Sun-woo"]


def test_a_character_is_one_hit_however_many_names_match(index: SearchIndex) -> None:
    hits = index.search("sunwoo", OFF).hits
    assert [hit.field for hit in hits].count("name") + [hit.field for hit in hits].count("alias") == 1


@pytest.mark.parametrize("text", ["cafe", "café", "CAFÉ", "Cafe\u0301"])
def test_accents_do_not_matter(index: SearchIndex, text: str) -> None:
    found = {(hit.episode, hit.target.paragraph) for hit in index.search(text, OFF).hits}
    assert found == {(1, 1), (4, 0)}


@pytest.mark.parametrize("text", ["선우", "한선우", "한 선우"])
def test_hangul_finds_names_inside_words(index: SearchIndex, text: str) -> None:
    results = index.search(text, OFF)
    assert ("alias", None) in fields(results)
    recap = next(hit for hit in results.hits if (hit.episode, hit.target.paragraph) == (3, 1))
    assert "선우" in "".join(highlighted(recap))


def test_squashed_query_words_find_a_joined_name(index: SearchIndex) -> None:
    found = {(hit.episode, hit.target.paragraph) for hit in index.search("sun woo", OFF).hits}
    assert (4, 0) in found  # "Sunwoo waves."
    assert any(hit.field == "name" for hit in index.search("hansunwoo", OFF).hits)
    assert any(hit.label == "Lee Eun-soo" for hit in index.search("eunsoo", OFF).hits)


def test_words_match_in_any_order_and_all_are_required(index: SearchIndex) -> None:
    one = fields(index.search("tarot sun-woo", OFF))
    other = fields(index.search("sun woo tarot", OFF))
    assert sorted(one) == sorted(other) == [("recap", 2)]
    assert index.search("tarot jennifer", OFF).hits == ()


def test_a_quoted_phrase_must_appear_as_typed(index: SearchIndex) -> None:
    hits = index.search('"tarot card"', OFF).hits
    assert {(hit.field, hit.episode, hit.target.paragraph) for hit in hits} == {
        ("recap", 2, 1),
        ("note", None, None),
    }
    assert index.search('"card tarot"', OFF).hits == ()
    assert [hit.target.paragraph for hit in index.search('"CAFÉ in seoul"', OFF).hits] == [1]


def test_phrase_and_words_combine(index: SearchIndex) -> None:
    hits = index.search('"tarot card" eun soo', OFF).hits
    assert [(hit.episode, hit.target.paragraph) for hit in hits] == [(2, 1)]


def test_only_the_last_word_may_be_a_prefix(index: SearchIndex) -> None:
    assert any(hit.field == "title" for hit in index.search("tar", OFF).hits)
    assert index.search("tar ", OFF).hits == ()  # a space ends the word
    assert index.search("tar reading", OFF).hits == ()
    found = [(hit.field, hit.target.paragraph) for hit in index.search("tarot rea", OFF).hits]
    assert found == [("title", None), ("recap", 0), ("recap", 1)]  # Reader, reader, reading
    assert index.search('"tar"', OFF).hits == ()  # phrases are exact


def test_prefix_does_not_match_inside_words(index: SearchIndex) -> None:
    assert index.search("arot", OFF).hits == ()
    assert index.search("woo fo", OFF).hits[0].target.paragraph == 2


# ---------------------------------------------------------------- ranking


def test_titles_and_names_come_before_loglines_before_prose(index: SearchIndex) -> None:
    tiers = {"title": 0, "name": 0, "alias": 0, "logline": 1}
    for text in ("tarot", "sun", "the", "a"):
        order = [tiers.get(hit.field, 2) for hit in index.search(text, OFF).hits]
        assert order == sorted(order), text


def test_words_together_come_before_scattered_words(index: SearchIndex) -> None:
    hits = index.search("tarot card", OFF).hits
    recaps = [(hit.episode, hit.target.paragraph) for hit in hits if hit.field == "recap"]
    assert recaps.index((2, 1)) < recaps.index((2, 0))  # "the tarot card reading" first


def test_words_that_name_a_character_mean_the_character(index: SearchIndex) -> None:
    """ "sun woo" is Sun-woo, not the sun rising over a forest."""
    found = {(hit.episode, hit.target.paragraph) for hit in index.search("sun woo", OFF).hits}
    assert (1, 2) not in found and {(1, 0), (2, 0), (4, 0)} <= found
    assert (1, 2) in {(hit.episode, hit.target.paragraph) for hit in index.search("sun forest", OFF).hits}


def test_more_matches_come_before_fewer_then_story_order(index: SearchIndex) -> None:
    recaps = [
        (hit.episode, hit.target.paragraph) for hit in index.search("tarot", OFF).hits if hit.field == "recap"
    ]
    assert recaps == [(4, 1), (2, 0), (2, 1)]
    scores = [hit.score for hit in index.search("tarot", OFF).hits]
    assert scores == sorted(scores, reverse=True)


def test_results_are_deterministic() -> None:
    first = SearchIndex.build(story_pack()).search("the", OFF)
    second = SearchIndex.build(story_pack()).search("the", OFF)
    assert first == second


def test_limit_caps_hits_but_not_counts(index: SearchIndex) -> None:
    everything = index.search("the", OFF)
    capped = index.search("the", OFF, limit=2)
    assert capped.hits == everything.hits[:2]
    assert capped.total == everything.total == len(everything.hits)
    assert index.search("the", OFF, limit=0).hits == ()
    assert index.search("the", OFF, limit=-5).total == everything.total


@pytest.mark.parametrize("text", ["the", "tarot", "sun woo", "a", "e", '"tarot card"', "선우", "ta"])
def test_results_do_not_depend_on_limit_except_truncation(index: SearchIndex, text: str) -> None:
    everything = index.search(text, OFF, limit=10_000)
    for limit in (1, 2, 3, 5, 8, 13, len(everything.hits)):
        capped = index.search(text, OFF, limit=limit)
        assert capped.hits == everything.hits[:limit]
        assert [hit.snippet for hit in capped.hits] == [hit.snippet for hit in everything.hits[:limit]]
        assert (capped.locked, capped.total) == (everything.locked, everything.total)


def test_hit_details_are_the_same_whichever_is_read_first(index: SearchIndex) -> None:
    first = index.search("tarot", OFF).hits
    again = index.search("tarot", OFF).hits
    assert [hit.target for hit in again] == [hit.target for hit in first]
    assert [(hit.snippet, hit.spans) for hit in again] == [(hit.snippet, hit.spans) for hit in first]
    assert first == again and len(set(first) | set(again)) == len(first)


def test_hits_made_in_one_thread_read_the_same_in_others(index: SearchIndex) -> None:
    hits = index.search("sun woo", OFF).hits
    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(lambda _: [(h.snippet, h.spans, h.target) for h in hits], range(8)))
    assert all(found == seen[0] for found in seen)
    assert seen[0] == [(h.snippet, h.spans, h.target) for h in index.search("sun woo", OFF).hits]


def test_hits_are_immutable(index: SearchIndex) -> None:
    hit = index.search("tarot", OFF).hits[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.score = 0.0  # type: ignore[misc]
    assert "snippet=" in repr(hit) and "target=Target(" in repr(hit)


def test_an_index_survives_pickling(index: SearchIndex) -> None:
    """The benchmark times fresh copies of an index, made with pickle."""
    copy = pickle.loads(pickle.dumps(index))
    for text in ("tarot", "sun woo", "radio mood", "선우"):
        assert copy.search(text, OFF) == index.search(text, OFF)


# ---------------------------------------------------------------- snippets and targets


def test_target_spans_point_at_the_match_in_the_document(index: SearchIndex) -> None:
    pack = story_pack()
    for text in ("sun-woo", "tarot", "cafe", "radio", "선우", '"tarot card"', "jen"):
        for hit in index.search(text, OFF).hits:
            document = document_text(pack, hit)
            assert hit.target.spans, (text, hit)
            for start, end in hit.target.spans:
                assert squash(document[start:end]), (text, hit)


def test_review_spans_refer_to_review_text(index: SearchIndex) -> None:
    (hit,) = index.search("radio mood", OFF).hits
    assert (hit.field, hit.label, hit.episode, hit.target.review_index) == ("review", "Night Owl", 1, 0)
    review = story_pack().episodes[1].reviews[0]
    assert [review.text[s:e] for s, e in hit.target.spans] == ["radio mood"]  # together: one mark


def test_long_text_snippets_are_windows_cut_at_spaces() -> None:
    before = " ".join(f"lorem{i}" for i in range(60))
    after = " ".join(f"ipsum{i}" for i in range(60))
    pack = make_pack(1, overrides={1: make_episode(1, recap=f"{before} needle here\nand {after}")})
    (hit,) = SearchIndex.build(pack).search("needle", OFF).hits
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) <= 162
    assert highlighted(hit) == ["needle"]
    body = hit.snippet.strip("…")
    assert body in re.sub(r"\s+", " ", pack.episodes[1].paragraphs[0])
    assert not body.startswith(" ") and not body.endswith(" ")


def test_spans_are_right_in_a_text_longer_than_16_bit_offsets() -> None:
    long = " ".join(f"lorem{i}" for i in range(12_000))
    pack = make_pack(2, overrides={2: make_episode(2, recap=[f"{long} needle", "short needle"])})
    hits = SearchIndex.build(pack).search("needle", OFF).hits
    assert sorted(hit.target.paragraph or 0 for hit in hits) == [0, 1]
    for hit in hits:
        text = pack.episodes[2].paragraphs[hit.target.paragraph or 0]
        assert [text[s:e] for s, e in hit.target.spans] == ["needle"]
        assert highlighted(hit) == ["needle"]


@pytest.mark.parametrize("words", [100, 20_000], ids=["two-byte-codes", "three-byte-codes"])
def test_phrases_and_prefixes_work_whatever_the_vocabulary_size(words: int) -> None:
    """Token codes are two bytes for up to 16,384 distinct words, three
    beyond: phrases (byte searches) and prefixes behave the same."""
    filler = " ".join(f"lorem{i}" for i in range(words))
    pack = make_pack(
        2, overrides={2: make_episode(2, recap=[filler, "the midnight train leaves", "train at midnight"])}
    )
    index = SearchIndex.build(pack)
    vocabulary = len(index.__getstate__()["vocab"])  # type: ignore[arg-type]
    assert Codec(vocabulary).width == (2 if words < 16_000 else 3)
    assert [hit.snippet for hit in index.search('"midnight train"', OFF).hits] == [
        "the midnight train leaves"
    ]
    assert len(index.search("midnight tra", OFF).hits) == 2
    (last,) = index.search(f"lorem{words - 1}", OFF).hits
    assert last.snippet.endswith(f"lorem{words - 1}")


def test_snippet_collapses_line_breaks_and_keeps_spans_right() -> None:
    review = make_review(verdict="Short.", thoughts="It   has\n\nodd   spacing around the word target here.")
    pack = make_pack(1, overrides={1: make_episode(1, reviews=[review])})
    (hit,) = SearchIndex.build(pack).search("target", OFF).hits
    assert "\n" not in hit.snippet and "  " not in hit.snippet
    assert highlighted(hit) == ["target"]


def test_short_texts_are_shown_whole(index: SearchIndex) -> None:
    (hit,) = index.search("unrequited", OFF).hits
    assert (hit.snippet, hit.spans, hit.label) == ("Unrequited", ((0, 10),), "Episode 3")


# ---------------------------------------------------------------- spoilers


def spoiler_pack() -> Pack:
    """The word "zebra" planted once in every kind of text, each with a
    known gate."""
    return make_pack(
        3,
        overrides={
            2: make_episode(
                2,
                title="Zebra Crossing",
                logline="A zebra escapes.",
                recap=["The zebra runs.", "Nothing here."],
                reviews=[make_review("Outlet", verdict="Zebra fun.", thoughts="Good.")],
            )
        },
        characters=[
            make_character(
                "zebra-kim", "Zebra Kim", first_episode=2, aliases=["Zeb-ra"], intro="Zebra keeper."
            ),
            make_character("host", "Host", notes=[make_note(3, "Saw a zebra.")]),
        ],
        series_reviews=[
            make_review("Late", verdict="Zebra twist.", thoughts="Spoilers.", after_episode=2),
            make_review("Early", verdict="No zebra spoilers.", thoughts="Safe.", after_episode=0),
        ],
    )


ALL = {
    ("title", 2),
    ("logline", 2),
    ("recap", 2),
    ("review", 2),
    ("name", 2),  # the character, once, whichever of its names matched
    ("intro", 2),
    ("note", 3),
    ("series review", 2),
    ("series review", 0),
}


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        (Viewer(frozenset(), Level.STRICT), {("series review", 0)}),
        (Viewer(frozenset(), Level.STANDARD), {("title", 2), ("logline", 2), ("series review", 0)}),
        (Viewer(frozenset({1}), Level.STANDARD), {("title", 2), ("logline", 2), ("series review", 0)}),
        (Viewer(frozenset({1, 2}), Level.STRICT), ALL - {("note", 3)}),
        (Viewer(frozenset({1, 2}), Level.STANDARD), ALL - {("note", 3)}),
        # A series review after episode 2 also needs episode 1 seen.
        (Viewer(frozenset(), Level.STRICT, peek=2), ALL - {("note", 3), ("series review", 2)}),
        (Viewer(frozenset({1}), Level.STRICT, peek=3), {("note", 3), ("series review", 0)}),
        (
            Viewer(frozenset({3}), Level.STANDARD),
            {("title", 2), ("logline", 2), ("note", 3), ("series review", 0)},
        ),
        (Viewer(frozenset(), Level.OFF), ALL),
    ],
)
def test_spoiler_table(viewer: Viewer, visible: set[tuple[str, int]]) -> None:
    results = SearchIndex.build(spoiler_pack()).search("zebra", viewer)
    shown = {("name" if hit.field == "alias" else hit.field, hit.gate) for hit in results.hits}
    assert shown == visible
    hidden: dict[int, int] = {}
    for field, gate in ALL - visible:
        if field == "series review":  # counted under the first episode still to watch
            gate = next(n for n in range(1, gate + 1) if not viewer.unlocked(n))
        hidden[gate] = hidden.get(gate, 0) + 1
    assert dict(results.locked) == hidden
    assert results.total == len(results.hits)
    if viewer.level is not Level.OFF and 2 not in viewer.watched and viewer.peek != 2:
        assert all("Zebra Kim" not in hit.label + hit.snippet for hit in results.hits)


def test_a_locked_character_never_appears(index: SearchIndex) -> None:
    viewer = Viewer(frozenset({1, 2}), Level.STANDARD)
    for text in ("jennifer", "jen", "park", "mystery", "Jennifer Park"):
        results = index.search(text, viewer)
        for hit in results.hits:
            assert "Jennifer" not in hit.label + hit.snippet
            assert hit.target.character_id != "jennifer"
    assert dict(index.search("jennifer", viewer).locked) == {3: 2}  # her names, the recap


def test_a_note_needs_its_character_unlocked_too() -> None:
    """Watched episodes need not be consecutive: a note of a watched episode
    still hides while its character's first episode is locked."""
    person = make_character("kim", "Kim Dahye", first_episode=1, notes=[make_note(2, "She sings a lullaby.")])
    index = SearchIndex.build(make_pack(3, characters=[person]))
    results = index.search("lullaby", Viewer(frozenset({2}), Level.STRICT))
    assert results.hits == ()
    assert dict(results.locked) == {1: 1}
    (hit,) = index.search("lullaby", Viewer(frozenset({1, 2}), Level.STRICT)).hits
    assert (hit.field, hit.gate, hit.label, hit.target.note_index) == ("note", 2, "Kim Dahye", 0)


@pytest.mark.parametrize("text", ["the", "tarot", "sun woo", "a", '"tarot card"', "선우", "e"])
@pytest.mark.parametrize(
    "viewer",
    [
        Viewer(),
        Viewer(frozenset({1}), Level.STRICT),
        Viewer(frozenset({2, 4}), peek=3),
        Viewer(level=Level.STRICT),
    ],
)
def test_visible_and_locked_add_up_to_everything(index: SearchIndex, text: str, viewer: Viewer) -> None:
    everything = index.search(text, OFF, limit=10_000)
    results = index.search(text, viewer, limit=10_000)
    assert len(results.hits) == results.total
    assert results.total + sum(results.locked.values()) == everything.total
    assert not everything.locked
    assert 0 not in results.locked


@pytest.mark.parametrize(
    ("locked", "summary"),
    [
        ({}, None),
        ({3: 1}, "1 more match in locked episode 3"),
        ({3: 5}, "5 more matches in locked episode 3"),
        ({3: 2, 4: 2}, "4 more matches in locked episodes 3 and 4"),
        ({2: 1, 3: 1, 4: 1}, "3 more matches in locked episodes 2, 3 and 4"),
        ({2: 1, 5: 1, 6: 1, 7: 1, 8: 1}, "5 more matches in locked episodes 2 and 5–8"),
        (
            {n: 1 for n in (1, 3, 5, 7, 9, 11, 13, 15)},
            "8 more matches in locked episodes 1, 3, 5, 7, 9 and 3 others",
        ),
    ],
)
def test_summary_locked(locked: dict[int, int], summary: str | None) -> None:
    assert SearchResults(locked=locked).summary_locked() == summary


# ---------------------------------------------------------------- the bundled pack


def test_bundled_pack() -> None:
    pack = load_pack(bundled_pack())
    index = SearchIndex.build(pack)
    first = Viewer(frozenset({1}))
    for text in ("sunwoo", "Sun woo", "SUN-WOO", "Seon-woo", "선우", "한선우"):
        hit = index.search(text, first).hits[0]
        assert (hit.field in ("name", "alias"), hit.label) == (True, "Han Sun-woo"), text
    results = index.search("tarot", first)
    assert results.hits == () and results.summary_locked() is not None


def test_core_search_does_not_import_textual() -> None:
    code = "import sys, soundtrack_tui.core.search; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ---------------------------------------------------------------- properties

VOCABULARY = [
    "sun", "woo", "Sun-woo", "Sunwoo", "café", "cafe", "Éclair", "naïve", "tarot", "card",
    "한선우", "선우", "노래", "the", "a", "Eun-soo", "eun", "soo", "ß", "straße", "e\u0301",
]  # fmt: skip

texts = st.lists(st.sampled_from(VOCABULARY), min_size=0, max_size=6).map(" ".join)
paragraphs = st.lists(texts.filter(str.strip), min_size=1, max_size=3).map("\n\n".join)


@st.composite
def random_packs(draw: st.DrawFn) -> Pack:
    count = draw(st.integers(1, 4))
    numbers = st.integers(1, count)
    episodes = {
        n: Episode(
            n,
            draw(texts),
            draw(texts),
            draw(paragraphs),
            reviews=tuple(
                Review(draw(texts), "EX", draw(texts), draw(texts), n) for _ in range(draw(st.integers(0, 1)))
            ),
        )
        for n in range(1, count + 1)
        if draw(st.booleans()) or n == 1
    }
    characters = tuple(
        Character(
            f"c{index}",
            draw(texts.filter(str.strip)),
            draw(st.integers(0, count)),
            draw(texts),
            aliases=tuple(draw(st.lists(texts.filter(str.strip), max_size=2))),
            notes=tuple(Note(draw(numbers), draw(texts)) for _ in range(draw(st.integers(0, 2)))),
        )
        for index in range(draw(st.integers(0, 3)))
    )
    series = tuple(
        Review(draw(texts), "EX", draw(texts), draw(texts), draw(st.integers(0, count)))
        for _ in range(draw(st.integers(0, 2)))
    )
    show = Show("random", "Random", count, "A random show.", reviews=series)
    return Pack(show, episodes, characters)


@st.composite
def viewers(draw: st.DrawFn, count: int = 4) -> Viewer:
    watched = frozenset(draw(st.lists(st.integers(1, count), max_size=count)))
    return Viewer(watched, draw(st.sampled_from(list(Level))), draw(st.none() | st.integers(1, count)))


queries = st.one_of(
    texts,
    texts.map(lambda text: f'"{text}"'),
    st.tuples(texts, texts).map(lambda pair: f'{pair[0]} "{pair[1]}'),
    st.sampled_from(VOCABULARY).map(lambda word: word[: max(1, len(word) // 2)]),
)


def names_someone_unmet(pack: Pack, viewer: Viewer, text: str) -> bool:
    """Might `text` spell a character `viewer` has not met? Only the names
    of characters met mean the character (tests/test_search_people.py),
    so for such a query the viewer's results are not everyone's filtered."""
    typed = folded_key(squash(text))
    return any(
        folded_key(squash(name)) in typed
        for person in pack.characters
        if not viewer.unlocked(person.first_episode)
        for name in spellings_of(person)
    )


def visible_to(viewer: Viewer, hit: Hit) -> bool:
    if hit.field in ("title", "logline"):
        return shows_title(viewer, hit.gate)
    if hit.field == "series review":
        return viewer.has_seen_through(hit.gate)
    return viewer.unlocked(hit.gate)


def visible_texts(pack: Pack, viewer: Viewer) -> Iterable[str]:
    for number, episode in pack.episodes.items():
        if shows_title(viewer, number):
            yield from (episode.title, episode.logline)
        if viewer.unlocked(number):
            yield from episode.paragraphs
            yield from (review.text for review in episode.reviews)
    for person in pack.characters:
        if viewer.unlocked(person.first_episode):
            yield from (*person.names, person.intro)
            yield from (note.text for note in person.notes if viewer.unlocked(note.episode))
    yield from (r.text for r in pack.show.reviews if viewer.has_seen_through(r.after_episode))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack=random_packs(), viewer=viewers(), text=queries)
def test_no_hit_comes_from_a_locked_gate(pack: Pack, viewer: Viewer, text: str) -> None:
    assume(not names_someone_unmet(pack, viewer, text))
    index = SearchIndex.build(pack)
    results = index.search(text, viewer, limit=10_000)
    everything = index.search(text, OFF, limit=10_000)
    allowed = [re.sub(r"\s+", " ", t) for t in visible_texts(pack, viewer)]
    names = {person.name for person in pack.characters if viewer.unlocked(person.first_episode)}
    for hit in results.hits:
        assert visible_to(viewer, hit)
        assert any(hit.snippet.strip("…") in t for t in allowed)
        if hit.field in ("name", "alias", "intro", "note"):
            assert hit.label in names
        document = document_text(pack, hit)
        assert all(0 <= start < end <= len(document) for start, end in hit.target.spans)
        assert all(0 <= start < end <= len(hit.snippet) for start, end in hit.spans)
    assert len(results.hits) == results.total
    assert results.total + sum(results.locked.values()) == everything.total
    assert all(count > 0 and viewer.unlocked(gate) is False for gate, count in results.locked.items())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack=random_packs(), viewer=viewers(), text=queries)
def test_a_viewer_gets_the_unrestricted_ranking_filtered(pack: Pack, viewer: Viewer, text: str) -> None:
    """Hiding documents never reorders, rewords or re-highlights the rest."""
    assume(not names_someone_unmet(pack, viewer, text))
    index = SearchIndex.build(pack)
    mine = index.search(text, viewer, limit=10_000).hits
    everything = index.search(text, OFF, limit=10_000).hits
    kept = set(mine)
    assert mine == tuple(hit for hit in everything if hit in kept)


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_any_string_is_a_valid_query(index: SearchIndex, text: str) -> None:
    parse_query(text)
    for viewer in (OFF, Viewer(), Viewer(level=Level.STRICT)):
        results = index.search(text, viewer)
        assert len(results.hits) <= 200
        results.summary_locked()


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"“” -'), max_size=300))
def test_queries_with_odd_characters_do_not_raise(index: SearchIndex, text: str) -> None:
    index.search(text, OFF)
    index.search(text * 3, OFF)


def test_locked_summary_groups_thousands() -> None:
    results = SearchResults(locked={3: 9000, 4: 113})
    assert results.summary_locked() == "9,113 more matches in locked episodes 3 and 4"


def test_results_keep_only_their_hits_documents(index: SearchIndex) -> None:
    """A result lives as long as the screen shows it: what it keeps to
    locate its matches names its hits' documents and no others, whatever
    the query's words matched."""
    results = index.search("the sun", OFF, limit=2)
    assert len(results.hits) == 2 and results.total > 2
    hit_docs = {hit._doc for hit in results.hits}
    locator = results.hits[0]._locator
    assert isinstance(locator, Locator)
    kept = [docs for _, docs, _, _, _ in locator.roles if docs is not None]
    assert kept and all(docs <= hit_docs for docs in kept)
    assert [hit.snippet for hit in results.hits] == [
        hit.snippet for hit in index.search("the sun", OFF).hits[:2]
    ]


def test_the_term_caches_stay_within_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached terms and adjacency sets hold at most `TERM_CACHE_IDS`
    document ids between them (a term's tallies, filled in later, aside),
    beyond the newest entry."""

    def ids(term: Term) -> int:  # each set held once, however many refer to it
        held = {id(term.docs): term.docs, **{id(reading.docs): reading.docs for reading in term.readings}}
        return sum(map(len, held.values()))

    monkeypatch.setattr(terms_module, "TERM_CACHE_IDS", 6)
    terms = Terms(TokenTables.restored(SearchIndex.build(story_pack()).__getstate__()), threading.Lock())
    for text in ["the", "the tarot", "sun-woo studio", "eun soo", "card reader", "min-ji"]:
        run = Run(terms, parse_query(text))
        run.adjacent(run.matched(), text)
        cached, adjacent = terms.cache.values(), terms.adjacency.values()
        assert len(cached) == 1 or sum(map(ids, cached)) <= 6
        assert len(adjacent) == 1 or sum(map(len, adjacent)) <= 6
    assert len(terms.cache.values()) < 6  # something was evicted


def test_a_short_prefix_read_again_finds_the_same_documents() -> None:
    """A one-letter prefix's documents outlive its term in a compact copy;
    once the term is evicted, reading it again from that copy finds the
    same documents as reading the postings did."""
    pack = make_pack(4, vocabulary=["tea", "tin", "toy", "tub", "tap", "top", "an"])
    tables = TokenTables.restored(SearchIndex.build(pack).__getstate__())
    terms = Terms(tables, threading.Lock())
    low, high = tables.prefix_range("t") or (0, 0)
    first = terms.term("t", frozenset({1}), True).docs
    assert first == frozenset(tables.posting_docs(low, high))
    assert tables.posting_count(low, high) >= 3 * len(first)  # worth keeping
    terms.cache = Recent(threading.Lock(), 64, Term.weight)  # the term is evicted
    again = terms.term("t", frozenset({1}), True).docs
    assert again == first and again is not first
    assert [sorted(kept) for kept in terms.ranges.values()] == [sorted(first)]


def test_a_recent_cache_evicts_the_oldest_beyond_its_size_or_weight() -> None:
    recent: Recent[str, list[int]] = Recent(threading.Lock(), 3, len)
    recent.budget = 5
    for key, value in [("a", [1]), ("b", [1, 2]), ("c", [1]), ("d", [1])]:
        recent.put(key, value)
    assert recent.get("a") is None and recent.values() == [[1, 2], [1], [1]]  # size 3
    recent.put("e", [1, 2, 3])
    assert recent.values() == [[1], [1], [1, 2, 3]]
    recent.put("f", [1, 1])
    assert recent.values() == [[1, 2, 3], [1, 1]]  # weight 5
    recent.put("f", [1] * 9)
    assert recent.values() == [[1] * 9]  # the newest always stays


def test_a_recent_cache_keeps_what_each_keystroke_asks_for() -> None:
    """A name typed first is asked for again at every later keystroke: it
    outlives the words typed after it, which are asked for once."""
    recent: Recent[str, list[int]] = Recent(threading.Lock(), 3, len)
    recent.put("eun-soo", [1])
    for word in ("s", "st", "stu", "stud"):
        assert recent.get("eun-soo") == [1], word
        recent.put(word, [2])
    assert recent.values() == [[2], [1], [2]]  # "stu", the name, "stud"
