"""Search covers the soundtrack: a song is found by title, original title,
artist or note, and a song gated by an episode is counted, never shown,
until that episode is unlocked."""

from __future__ import annotations

from packs import make_pack, make_track
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.search import SearchIndex

PACK = make_pack(
    tracks=[
        make_track("Moonlit Harbour", artist="The Lanterns", note="Released a month before the premiere."),
        make_track("Quiet Reprise", artist="Nobody Named", episode=3, note="Hummed over the final scene."),
    ]
)
INDEX = SearchIndex.build(PACK)


def test_a_song_is_found_by_title_artist_and_note() -> None:
    for query in ("moonlit", "lanterns", "premiere"):
        results = INDEX.search(query, Viewer())
        assert [(hit.field, hit.label) for hit in results.hits] == [("track", "Moonlit Harbour")]
        assert results.hits[0].episode is None


def test_a_gated_song_is_counted_not_shown_until_its_episode() -> None:
    locked = INDEX.search("reprise", Viewer(frozenset({1, 2})))
    assert locked.hits == ()
    assert dict(locked.locked) == {3: 1}
    shown = INDEX.search("reprise", Viewer(frozenset({3})))
    assert [hit.label for hit in shown.hits] == ["Quiet Reprise"]
    snippet = shown.hits[0].snippet
    assert "Reprise" in snippet
    assert INDEX.search("final scene", Viewer(level=Level.OFF)).hits
