"""The spoiler lint's visible-from rules.

Text visible before episode k must not name a character whose first episode
is k: loglines, titles and the synopsis are visible from 0, a recap and an
episode review from their episode, an intro from its character's first
episode, a note from its episode, a series review from `after_episode`.
"""

from __future__ import annotations

from types import MappingProxyType

import pytest

from soundtrack_tui.core.lint import NameFinder, find_leaks
from soundtrack_tui.core.model import Character, Episode, Note, Pack, Review, Show

LEAD = Character("lead", "Park Min-ji", 0, "The host.", aliases=("Min-ji", "Minji"))
PRODUCER = Character("producer", "Kang Jae-ho", 1, "The producer.", aliases=("Jae-ho",))
CALLER = Character("caller", "Seo Do-yun", 2, "A caller.", aliases=("Do-yun", "Doyun"))
MARI = Character("mari", "Ma-ri", 3, "A singer.", aliases=("Mari",))


def _pack(
    *,
    synopsis: str = "A host on the night shift.",
    episodes: dict[int, Episode] | None = None,
    characters: tuple[Character, ...] = (LEAD, PRODUCER, CALLER, MARI),
    reviews: tuple[Review, ...] = (),
) -> Pack:
    show = Show(id="demo", title="Demo", episode_count=3, synopsis=synopsis, reviews=reviews)
    return Pack(show, MappingProxyType(episodes or {}), characters)


def _episode(number: int, **texts: str) -> Episode:
    fields = {"title": f"Title {number}", "logline": f"Logline {number}.", "recap": f"Recap {number}."}
    fields.update(texts)
    return Episode(number=number, **fields)  # type: ignore[arg-type]


def _review(text: str, after: int) -> Review:
    return Review("Outlet", "src", "A verdict.", text, after)


def _leaks(pack: Pack) -> list[tuple[str, tuple[str | int, ...], str, str, int]]:
    return [
        (leak.file, leak.path, leak.name, leak.character.id, leak.visible_from) for leak in find_leaks(pack)
    ]


def test_clean_pack_has_no_leaks() -> None:
    pack = _pack(
        synopsis="Park Min-ji hosts the night shift.",  # first_episode 0: always visible
        episodes={
            1: _episode(1, recap="Jae-ho hires Min-ji."),
            2: _episode(2, recap="Do-yun calls; Jae-ho listens."),
            3: _episode(3, recap="Ma-ri sings for Do-yun."),
        },
    )
    assert find_leaks(pack) == []


@pytest.mark.parametrize(
    ("field", "text", "name"),
    [("title", "Enter Doyun", "Doyun"), ("logline", "Min-ji meets Seo Do-yun.", "Seo Do-yun")],
)
def test_titles_and_loglines_are_visible_from_zero(field: str, text: str, name: str) -> None:
    pack = _pack(episodes={3: _episode(3, **{field: text})})
    assert _leaks(pack) == [("episodes/03.toml", (field,), name, "caller", 0)]


def test_synopsis_is_visible_from_zero() -> None:
    pack = _pack(synopsis="Min-ji and her producer Kang Jae-ho run the night shift.")
    assert _leaks(pack) == [("show.toml", ("synopsis",), "Kang Jae-ho", "producer", 0)]


def test_recap_is_visible_from_its_episode() -> None:
    ok = _pack(episodes={2: _episode(2, recap="Do-yun calls again.")})
    assert find_leaks(ok) == []
    early = _pack(episodes={1: _episode(1, recap="Do-yun calls for the first time.")})
    assert _leaks(early) == [("episodes/01.toml", ("recap",), "Do-yun", "caller", 1)]


def test_episode_review_is_visible_from_its_episode() -> None:
    ok = _pack(episodes={3: _episode(3, reviews=(_review("Ma-ri steals the show.", 3),))})
    assert find_leaks(ok) == []
    early = _pack(episodes={2: _episode(2, reviews=(_review("Ma-ri steals the show.", 2),))})
    assert _leaks(early) == [("episodes/02.toml", ("reviews", 0, "thoughts"), "Ma-ri", "mari", 2)]


def test_intro_is_visible_from_its_characters_first_episode() -> None:
    producer = Character("producer", "Kang Jae-ho", 1, "He screens Doyun's calls.", aliases=("Jae-ho",))
    caller = Character("caller", "Seo Do-yun", 2, "He knows Ma-ri.", aliases=("Do-yun",))
    lead = Character("lead", "Park Min-ji", 0, "Her producer is Jae-ho.")
    pack = _pack(characters=(lead, producer, caller, MARI))
    assert _leaks(pack) == [
        ("characters.toml", ("characters", 0, "intro"), "Jae-ho", "producer", 0),
        ("characters.toml", ("characters", 1, "intro"), "Doyun", "caller", 1),
        ("characters.toml", ("characters", 2, "intro"), "Ma-ri", "mari", 2),
    ]
    # Jae-ho is first seen in 1, so the producer's own episode-1 intro may name Min-ji (0).
    assert all(leak.character.id != "lead" for leak in find_leaks(pack))


def test_note_is_visible_from_its_episode() -> None:
    lead = Character(
        "lead",
        "Park Min-ji",
        0,
        "The host.",
        notes=(Note(1, "The caller Do yun is her brother."), Note(2, "The caller Do yun is her brother.")),
    )
    pack = _pack(characters=(lead, PRODUCER, CALLER, MARI))
    assert _leaks(pack) == [
        ("characters.toml", ("characters", 0, "notes", 0, "text"), "Do yun", "caller", 1),
    ]


@pytest.mark.parametrize(("after", "leaks"), [(0, 2), (1, 1), (2, 0), (3, 0)])
def test_series_review_is_visible_from_after_episode(after: int, leaks: int) -> None:
    # Jae-ho is first seen in episode 1, Do-yun in episode 2.
    pack = _pack(reviews=(_review("Jae-ho and Do-yun are the heart of it.", after),))
    found = find_leaks(pack)
    assert len(found) == leaks
    assert all(leak.path == ("reviews", 0, "thoughts") and leak.visible_from == after for leak in found)
    assert all(leak.character.first_episode > after for leak in found)


def test_series_review_verdict_is_linted_too() -> None:
    review = Review("Outlet", "src", "Ma-ri is the best thing in it.", "Fine.", 0)
    pack = _pack(reviews=(review,))
    assert _leaks(pack) == [("show.toml", ("reviews", 0, "verdict"), "Ma-ri", "mari", 0)]


def test_leads_never_leak() -> None:
    pack = _pack(
        synopsis="Min-ji, Minji, Park Min-ji.",
        episodes={1: _episode(1, logline="Park Min-ji starts work.")},
    )
    assert find_leaks(pack) == []


def test_one_leak_per_character_per_text() -> None:
    pack = _pack(episodes={1: _episode(1, logline="Do-yun, Doyun and Seo Do-yun, and Mari.")})
    leaks = find_leaks(pack)
    assert [(leak.name, leak.character.id, leak.offset) for leak in leaks] == [
        ("Do-yun", "caller", 0),
        ("Mari", "mari", 34),
    ]


def test_word_boundaries_and_spacing() -> None:
    married = _pack(episodes={1: _episode(1, logline="The married couple bar is busy; Sunwoo-ish talk.")})
    assert find_leaks(married) == []
    spaced = _pack(episodes={1: _episode(1, logline="A call from DO YUN.")})
    assert _leaks(spaced) == [("episodes/01.toml", ("logline",), "DO YUN", "caller", 0)]
    accented = _pack(episodes={1: _episode(1, logline="Má-rí sings.")})
    assert _leaks(accented) == [("episodes/01.toml", ("logline",), "Má-rí", "mari", 0)]


def test_files_mapping_names_the_episode_file() -> None:
    pack = _pack(episodes={1: _episode(1, logline="Doyun calls.")})
    leaks = find_leaks(pack, {1: "episodes/001.toml"})
    assert [leak.file for leak in leaks] == ["episodes/001.toml"]


def test_name_finder_spans() -> None:
    finder = NameFinder((CALLER, MARI))
    text = "Seo Do-yun met Ma-ri; the married pair."
    found = [(text[s:e], c.id) for s, e, c in finder.find(text)]
    assert ("Seo Do-yun", "caller") in found
    assert ("Do-yun", "caller") in found
    assert ("Ma-ri", "mari") in found
    assert all(name != "married" for name, _ in found)


def test_episode_source_note_is_visible_from_its_episode() -> None:
    ok = _pack(episodes={2: _episode(2, source_note="One recap spells it Doyun.")})
    assert find_leaks(ok) == []
    early = _pack(episodes={1: _episode(1, source_note="One recap spells it Doyun.")})
    assert _leaks(early) == [("episodes/01.toml", ("source_note",), "Doyun", "caller", 1)]


def test_character_source_note_is_visible_from_first_episode() -> None:
    producer = Character("producer", "Kang Jae-ho", 1, "The producer.", source_note="Credited beside Ma-ri.")
    pack = _pack(characters=(LEAD, producer, CALLER, MARI))
    assert _leaks(pack) == [("characters.toml", ("characters", 1, "source_note"), "Ma-ri", "mari", 1)]
