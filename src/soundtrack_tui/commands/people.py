"""`characters`: the people the viewer has met, as the cards in the browser
show them."""

from __future__ import annotations

from typing import Any

from soundtrack_tui.commands.session import Session
from soundtrack_tui.core import policy
from soundtrack_tui.core.policy import CharacterView
from soundtrack_tui.exit_codes import EXIT_OK
from soundtrack_tui.output import Output, print_json


def cmd_characters(session: Session, args: Any) -> int:
    viewer = session.viewer
    views = policy.character_views(session.pack, viewer)
    if args.json:
        print_json([_character_json(view) for view in views])
        return EXIT_OK
    out = Output()
    out.line((f"{session.pack.show.title}: the characters", "bold"))
    if not views:
        out.line(("No characters yet: they appear as you watch.", "dim"))
    for view in views:
        character = view.character
        out.blank()
        played = f"  played by {character.actor}" if character.actor else ""
        out.line((character.name, "bold"), (played, "dim"))
        if view.shown_aliases:
            out.line(("  also " + ", ".join(view.shown_aliases), "dim"))
        out.paragraph(character.intro)
        for note in view.notes:
            new = " (new)" if note.new else ""
            out.paragraph(f"• {note.label}{new}: {note.note.text}")
        more = view.more_later
        if more:
            out.line((more, "dim"))
    return EXIT_OK


def _character_json(view: CharacterView) -> dict[str, Any]:
    character = view.character
    return {
        "id": character.id,
        "name": character.name,
        "actor": character.actor,
        "aliases": list(character.aliases),
        "intro": character.intro,
        "notes": [{"episode": n.note.episode, "text": n.note.text, "new": n.new} for n in view.notes],
        "more_later": view.more_later is not None,
    }
