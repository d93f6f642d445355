"""The characters pane: who the viewer has met, and only what they have seen.

The policy decides which characters and notes are visible; this pane only
lays them out, marks the notes of the latest watched episode "new", and
counts (never shows) the notes still locked.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive

from soundtrack_tui.core.policy import CharacterView
from soundtrack_tui.ui.panes import PANE_TITLES
from soundtrack_tui.ui.text import MATCH_STYLE, marked
from soundtrack_tui.ui.widgets.marks import Spans, TextMark
from soundtrack_tui.ui.widgets.text_pane import Block, TextPane

NEW = " new "
"""A badge: its own spaces set it off, so no other space goes around it."""


def _spans(mark: TextMark | None, part: str, item: int | None = None) -> Spans:
    if mark is None or mark.part != part or mark.item != item:
        return ()
    return mark.spans


def character_block(view: CharacterView, mark: TextMark | None = None) -> Content:
    """One character as lines of Content; `mark` highlights a search match."""
    return Content("\n").join(character_lines(view, mark)[0])


def character_lines(view: CharacterView, mark: TextMark | None = None) -> tuple[list[Content], int | None]:
    """One character's lines (name, aliases, intro, notes, ...), and which
    of them holds `mark`'s match."""
    character = view.character
    if mark is not None and mark.block != character.id:
        mark = None
    name_line: list[Content | tuple[str, str] | str] = [
        marked(character.name, _spans(mark, "name"), MATCH_STYLE).stylize_before("bold")
    ]
    if character.actor:
        name_line += [(" · ", "dim"), (f"played by {character.actor}", "dim")]
    if view.has_new:
        name_line.append((NEW, "reverse $accent"))
    lines: list[Content] = [Content.assemble(*name_line)]
    part = mark.part if mark is not None else None
    marked_line = 0 if part == "name" else None
    marked_alias = mark.item if mark is not None and mark.part == "alias" else None
    shown = set(view.shown_aliases)
    aliases = [
        (index, alias)
        for index, alias in enumerate(character.aliases)
        if alias in shown or index == marked_alias  # a matched alias shows, whichever it is
    ]
    if aliases:
        if part == "alias":
            marked_line = len(lines)
        alias_parts: list[Content | tuple[str, str] | str] = [("also ", "dim")]
        for shown_at, (index, alias) in enumerate(aliases):
            if shown_at:
                alias_parts.append((", ", "dim"))
            alias_parts.append(marked(alias, _spans(mark, "alias", index)))
        lines.append(Content.assemble(*alias_parts))
    if part == "intro":
        marked_line = len(lines)
    lines.append(marked(character.intro, _spans(mark, "intro")))
    all_notes = character.notes
    for note_view in view.notes:
        note = note_view.note
        position = next((i for i, candidate in enumerate(all_notes) if candidate is note), None)
        parts: list[Content | tuple[str, str] | str] = [
            ("• ", "dim"),
            (note_view.season_label or f"ep {note.episode}", "dim"),
        ]
        parts.append((NEW, "reverse $accent") if note_view.new else " ")
        if part == "note" and mark is not None and mark.item == position:
            marked_line = len(lines)
        parts.append(marked(note.text, _spans(mark, "note", position)))
        lines.append(Content.assemble(*parts))
    if view.more_later:
        lines.append(Content.styled(view.more_later, "dim italic"))
    if character.source_note:
        lines.append(Content.assemble(("About the sources: ", "dim bold"), Content(character.source_note)))
    return lines, marked_line


class CharactersPane(TextPane):
    """Visible characters in pack order, each as one block."""

    STATE = ("views", "mark")
    views: reactive[tuple[CharacterView, ...]] = reactive(())
    mark: reactive[TextMark | None] = reactive(None)
    watch_views = watch_mark = TextPane.changed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(PANE_TITLES["characters"], id=id)

    def build(self) -> tuple[list[Block], int | None]:
        if not self.views:
            return [Block(Content.styled("No characters yet: they appear as you watch.", "dim italic"))], None
        blocks: list[Block] = []
        target: int | None = None
        for view in self.views:
            if self.mark is not None and self.mark.block == view.character.id:
                # A line per block, so the pane can scroll the matched line
                # into view: a card with many notes is taller than the pane.
                lines, marked_line = character_lines(view, self.mark)
                target = len(blocks) + (marked_line or 0)
                blocks.extend(Block(line, 0, frame="bar") for line in lines[:-1])
                blocks.append(Block(lines[-1], frame="bar"))
            else:
                blocks.append(Block(character_block(view)))
        return blocks, target
