"""Search finds people, not strings, and forgives typos.

Every spelling of a character the viewer has met finds every mention of
the character; a long word that matches nothing is read as the nearest
word of the pack. Neither ever shows or names what is locked.
"""

from __future__ import annotations

import pickle
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from packs import make_character, make_episode, make_note, make_pack
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.core.model import Character, Note, Pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import Hit, SearchIndex, SearchResults
from soundtrack_tui.core.search.people import folded_key
from soundtrack_tui.core.search.tokens import TokenIds, tokenize
from soundtrack_tui.core.textnorm import squash
from test_search import document_text, visible_texts, visible_to

OFF = Viewer(level=Level.OFF)
EARLY = Viewer(frozenset({1, 2}))  # the new user: episodes 1-2 watched


def found(results: SearchResults) -> set[tuple[object, ...]]:
    """What a search found, one entry per text, whichever name line stood
    for a character."""
    return {
        (hit.target.character_id, "card") if hit.field in ("name", "alias") else (hit.field, hit.target)
        for hit in results.hits
    }


# ---------------------------------------------------------------- the table


@pytest.fixture(scope="module")
def bundled() -> SearchIndex:
    return SearchIndex.build(load_pack(bundled_pack()))


@pytest.mark.parametrize(
    ("canonical", "spellings"),
    [
        ("sun-woo", ["sunwoo", "seon woo", "seonwoo", "선우", "한선우"]),
        ("eun-soo", ["eunsoo", "eunsu"]),
        ("dong-hyeon", ["dong hyun", "donghyun"]),
        ("woo-il", ["woo il", "wooil"]),
    ],
)
def test_every_spelling_finds_what_the_canonical_one_finds(
    bundled: SearchIndex, canonical: str, spellings: list[str]
) -> None:
    expected = bundled.search(canonical, EARLY, limit=10_000)
    assert expected.total > 1 and expected.locked
    for text in spellings:
        results = bundled.search(text, EARLY, limit=10_000)
        assert len(found(results) & found(expected)) >= 0.9 * len(found(expected)), text
        assert sum(results.locked.values()) >= 0.9 * sum(expected.locked.values()), text


def test_a_hit_says_which_spelling_it_found(bundled: SearchIndex) -> None:
    hits = bundled.search("seon woo", EARLY, limit=10_000).hits
    card = next(hit for hit in hits if hit.field in ("name", "alias"))
    assert card.alias == "Seon-woo"  # the card line spelled as typed stands for him
    spelled = {hit.alias for hit in hits if hit.field == "recap"}
    assert "Sun-woo" in spelled
    for hit in hits:
        assert hit.alias is not None and hit.alias in hit.snippet


@pytest.mark.parametrize(("typo", "word"), [("tarrot", "tarot"), ("photografer", "photographer")])
def test_a_typo_finds_its_word(bundled: SearchIndex, typo: str, word: str) -> None:
    results, expected = bundled.search(typo, EARLY), bundled.search(word, EARLY)
    assert results.corrections == ((typo, word),)
    assert results.summary_corrections() == f"Showing results for {word}"
    assert found(results) == found(expected) and results.locked == expected.locked


def test_a_typo_of_a_word_found_only_in_locked_episodes_is_counted_not_named(
    bundled: SearchIndex,
) -> None:
    """ "confession" occurs in episodes 3-4 only: after 1-2 the viewer is not
    told the word, and its matches are counted like those of the word typed
    right; once 3 is watched the correction is named."""
    early = bundled.search("confesion", EARLY)
    assert early.corrections == () and early.hits == ()
    assert early.locked == bundled.search("confession", EARLY).locked
    later = bundled.search("confesion", Viewer(frozenset({1, 2, 3, 4})))
    assert later.corrections == (("confesion", "confession"),) and later.hits


def test_short_words_and_words_that_match_are_left_alone(bundled: SearchIndex) -> None:
    assert bundled.search("tarit", EARLY).corrections == (("tarit", "tarot"),)
    assert bundled.search("tart", EARLY).corrections == ()  # under five letters
    assert bundled.search("cards", EARLY).corrections == ()  # a word of the pack
    assert bundled.search("xqzvwk", EARLY).corrections == ()  # nothing near


# ---------------------------------------------------------------- folding


def folding_pack() -> Pack:
    """Names without the aliases a fan would type, and English words that
    fold like names."""
    people = [
        make_character("dong-hyeon", "Yoon Dong-hyeon", intro="A friend."),
        make_character("woo-il", "Kang Woo-il", intro="A composer."),
        make_character("sun", "Sun", intro="A singer.", first_episode=1),
    ]
    episode = make_episode(
        1,
        recap=[
            "Dong-hyeon buys coffee. Woo-il plays the piano.",
            "Her son is done with school. Sun sings.",
        ],
    )
    later = make_episode(2, logline="The sun rises on a new day.")
    return make_pack(2, overrides={1: episode, 2: later}, characters=people)


@pytest.mark.parametrize(
    ("text", "person"),
    [("Dong Hyun", "dong-hyeon"), ("Donghyun", "dong-hyeon"), ("Woo Il", "woo-il"), ("wooil", "woo-il")],
)
def test_romanization_variants_find_a_name_the_pack_never_lists(text: str, person: str) -> None:
    results = SearchIndex.build(folding_pack()).search(text, OFF)
    assert (person, "card") in found(results)
    assert any(hit.field == "recap" and hit.target.paragraph == 0 for hit in results.hits)


def test_folding_never_merges_ordinary_words() -> None:
    index = SearchIndex.build(folding_pack())
    son = index.search("son", OFF)
    assert ("sun", "card") not in found(son) and [hit.alias for hit in son.hits] == [None]
    assert folded_key("son") == folded_key("sun")  # folded alike, yet "son" is a word of the text
    assert not any(hit.alias for hit in index.search("done", OFF).hits)


def test_a_character_not_met_is_only_its_letters() -> None:
    """Before episode 1 "Sun" is nobody: linking a name to a character the
    viewer has not met would say who they turn out to be."""
    index = SearchIndex.build(folding_pack())
    before, after = index.search("sun", Viewer()), index.search("sun", Viewer(frozenset({1})))
    assert [(hit.field, hit.alias) for hit in before.hits] == [("logline", None)]
    assert ("sun", "card") in found(after) and {hit.alias for hit in after.hits} == {"Sun", "sun"}


# ---------------------------------------------------------------- properties

SYLLABLES = {
    "sun": "선", "woo": "우", "eun": "은", "soo": "수", "dong": "동", "hyeon": "현",
    "min": "민", "ji": "지", "tae": "태", "yeon": "연", "jae": "재", "hee": "희",
}  # fmt: skip
FAMILIES = {"Han": "한", "Lee": "이", "Kang": "강", "Choi": "최"}
FILLER = ["the", "piano", "rain", "letter", "studio", "coffee", "night", "radio", "confession", "tarot"]


@st.composite
def people_packs(draw: st.DrawFn) -> Pack:
    """Up to four characters on distinct syllables, some spellings listed as
    aliases, mentioned in recaps and notes under any of them."""
    count = draw(st.integers(1, 4))
    syllables = draw(st.permutations(sorted(SYLLABLES)))
    rng = random.Random(draw(st.integers(0, 2**16)))
    episodes = 4
    characters: list[Character] = []
    spellings: list[list[str]] = []
    for index, family in enumerate(list(FAMILIES)[:count]):
        a, b = syllables[2 * index], syllables[2 * index + 1]
        given = f"{a.capitalize()}-{b}"
        every = [given, f"{a.capitalize()}{b}", f"{a.capitalize()} {b.capitalize()}"]
        every += [FAMILIES[family] + SYLLABLES[a] + SYLLABLES[b], SYLLABLES[a] + SYLLABLES[b]]
        aliases = [name for name in every if draw(st.booleans())]
        spellings.append([f"{family} {given}", *every])
        first = draw(st.integers(0, episodes))
        notes = [Note(n, sentence(rng, spellings[-1])) for n in range(max(first, 1), episodes + 1)]
        characters.append(
            Character(
                f"c{index}", f"{family} {given}", first, sentence(rng, []), tuple(aliases), notes=tuple(notes)
            )
        )

    def mentions(number: int) -> list[str]:
        named = [s for s, person in zip(spellings, characters, strict=True) if person.first_episode <= number]
        return [sentence(rng, rng.choice(named) if named else []) for _ in range(3)]

    overrides = {n: make_episode(n, recap=mentions(n)) for n in range(1, episodes + 1)}
    return make_pack(episodes, overrides=overrides, characters=characters)


def sentence(rng: random.Random, names: list[str]) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(3, 8))]
    for _ in range(rng.randint(0, 2) if names else 0):
        words.insert(rng.randint(0, len(words)), rng.choice(names))
    return " ".join(words).capitalize() + "."


@st.composite
def viewers(draw: st.DrawFn) -> Viewer:
    watched = frozenset(draw(st.lists(st.integers(1, 4), max_size=4)))
    return Viewer(watched, draw(st.sampled_from(list(Level))), draw(st.none() | st.integers(1, 4)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack=people_packs(), viewer=viewers())
def test_every_alias_finds_exactly_what_the_name_finds(pack: Pack, viewer: Viewer) -> None:
    index = SearchIndex.build(pack)
    for person in pack.characters:
        if not viewer.unlocked(person.first_episode):
            continue
        canonical = index.search(person.name, viewer, limit=10_000)
        for alias in person.aliases:
            results = index.search(alias, viewer, limit=10_000)
            assert found(results) == found(canonical), alias
            assert (results.total, results.locked) == (canonical.total, canonical.locked), alias


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pack=people_packs(), viewer=viewers(), typo=st.sampled_from(["confesion", "pianno", "studdio", "tarrrot"])
)
def test_names_and_typos_reveal_nothing_locked(pack: Pack, viewer: Viewer, typo: str) -> None:
    index = SearchIndex.build(pack)
    visible = " ".join(visible_texts(pack, viewer))
    words = set(built_tokens(TokenIds(), visible))
    queries = [name for person in pack.characters for name in person.names] + [typo, f"{typo} the"]
    for text in queries:
        results = index.search(text, viewer, limit=10_000)
        for hit in results.hits:
            assert visible_to(viewer, hit), text
            assert hit.alias is None or hit.alias in document_text(pack, hit)
            assert hit.alias is None or alias_owner_met(pack, viewer, hit)
        assert all(used in words for _, used in results.corrections), text
        assert all(not viewer.unlocked(gate) for gate in results.locked)


def alias_owner_met(pack: Pack, viewer: Viewer, hit: Hit) -> bool:
    """The spelling a hit reports names a character the viewer has met."""
    spelled = folded_key(squash(hit.alias or ""))
    return any(
        viewer.unlocked(person.first_episode)
        for person in pack.characters
        for name in (*person.names, person.name.split(" ", 1)[-1])
        if folded_key(squash(name)) == spelled
    )


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(codec="utf-8") | st.sampled_from("선우ハンソヌ\u3099\u0301İß -"), max_size=60
    )
)
# A mark inside a word, mid-text; punctuation and spaces outside ASCII; a
# final sigma, which lowercasing reads from its neighbours; characters that
# lowercase to ASCII or to a letter and a mark; "_" and control characters,
# which split words; a lone surrogate, which UTF-8 cannot encode.
@example(text="Nai\u0308ve cafe\u0301s e\u0301x, 선우는—ハ\u3099ン’s")
@example(text="ΟΔΟΣ ΣΑΣ. Σ")
@example(text="\u212aelvin İstanbul ǅemal")
@example(text="a_b\x1cc\x00d\u3000e\xa0f")
@example(text="x\ud800y z")
def test_the_index_build_tokenizes_as_search_does(text: str) -> None:
    ids = TokenIds()
    ids.encode("Seon-woo ハ\u3099ン İß")  # ids already in use, as in a build's later texts
    assert built_tokens(ids, text) == tokenize(text)[0]
    assert built_tokens(ids, text) == tokenize(text)[0]  # again, every raw token now known


def built_tokens(ids: TokenIds, text: str) -> list[str]:
    """The words the index build stores for `text`: what `SearchIndex.build`
    keeps of `TokenIds.encode` (a lone voicing mark folds to nothing)."""
    return [ids.words[token] for token in ids.encode(text) if token != ids.empty]


def test_a_note_found_by_an_alias_stays_locked_with_its_episode() -> None:
    person = make_character(
        "han-sun-woo", "Han Sun-woo", aliases=["Seon-woo"], notes=[make_note(3, "Sun-woo keeps the card.")]
    )
    index = SearchIndex.build(make_pack(4, characters=[person]))
    results = index.search("seon woo", EARLY)
    assert all(hit.field != "note" for hit in results.hits)
    assert results.locked == {3: 1}


def test_a_stored_index_keeps_who_is_who(bundled: SearchIndex) -> None:
    """The equivalence is built once, with the index, and stored with it."""
    restored = pickle.loads(pickle.dumps(bundled, protocol=5))
    for text in ("seon woo", "dong hyun", "tarrot"):
        assert found(restored.search(text, EARLY)) == found(bundled.search(text, EARLY)), text


def test_a_name_of_two_people_counts_each_spelling_once() -> None:
    """A name two characters share ("Twin") means both; each is read on
    its own (and cached so), but a spelling both have is counted once, and
    one that holds the other's ("Han Sun-woo" holds "Sun-woo") only where
    the shorter one already counts. Occurrences order the paragraphs."""
    people = [
        make_character("sun-woo", "Sun-woo", aliases=["Twin"]),
        make_character("han-sun-woo", "Han Sun-woo", aliases=["Twin"]),
    ]
    recap = [
        "Sun-woo waits. Sun-woo waves. Sun-woo leaves.",  # three mentions
        "The Twin, and the Twin again.",  # two, not four
        "Han Sun-woo waits.",  # one, not two
        "Sun-woo and the Twin.",  # two
    ]
    index = SearchIndex.build(make_pack(1, characters=people, overrides={1: make_episode(1, recap=recap)}))
    results = index.search("twin", Viewer(frozenset({1})))
    order = [hit.target.paragraph for hit in results.hits if hit.field == "recap"]
    assert order == [0, 1, 3, 2]
