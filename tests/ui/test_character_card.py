"""A character card: a few aliases, and the one a search matched even when
it is not among them; never a count of locked notes."""

from __future__ import annotations

from packs import make_character, make_note, make_pack
from soundtrack_tui.core import policy
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.ui.widgets.characters_pane import character_block
from soundtrack_tui.ui.widgets.marks import TextMark

PERSON = make_character(
    "han",
    "Han Sun-woo",
    aliases=["Seon-woo", "선우", "ソヌ", "宣宇"],
    notes=[make_note(1, "Seen in one."), make_note(3, "Seen in three.")],
)
PACK = make_pack(characters=[PERSON])


def _card(viewer: Viewer, mark: TextMark | None = None) -> str:
    return character_block(policy.character_views(PACK, viewer)[0], mark).plain


def test_only_three_aliases_unless_a_search_matched_another() -> None:
    assert "also Seon-woo, 선우, ソヌ\n" in _card(Viewer(frozenset({1})))
    assert "宣宇" not in _card(Viewer(frozenset({1})))
    matched = _card(Viewer(frozenset({1})), TextMark("han", "alias", ((0, 2),), 3))
    assert "also Seon-woo, 선우, ソヌ, 宣宇" in matched


def test_locked_notes_are_mentioned_without_a_count_and_not_at_strict() -> None:
    standard = _card(Viewer(frozenset({1})))
    assert "More in later episodes." in standard and "Seen in three" not in standard
    assert "More in later" not in _card(Viewer(frozenset({1}), Level.STRICT))
    assert "More in later" not in _card(Viewer(frozenset({1, 3})))
