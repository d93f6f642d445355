"""`search`, `story` and `tracks`: reading across the pack, never past the
viewer's progress."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from soundtrack_tui.commands.session import CommandError, Session
from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.story import story_json, story_markdown, story_so_far
from soundtrack_tui.exit_codes import EXIT_OK, EXIT_USAGE
from soundtrack_tui.output import Output, print_json

if TYPE_CHECKING:
    from soundtrack_tui.core.search import Hit

# --all: more than any pack has texts, so every visible hit.
ALL_RESULTS = 10**9


def cmd_search(session: Session, args: Any) -> int:
    from soundtrack_tui.core.indexer import load_index_helped

    query = " ".join(args.query)
    if not query.strip():
        raise CommandError("search: an empty query finds nothing; give a word to look for", EXIT_USAGE)
    limit = ALL_RESULTS if args.all else args.limit
    results = load_index_helped(session.pack).search(query, session.viewer, limit=limit)
    if args.json:
        print_json(
            {
                "query": query,
                "corrections": [{"typed": typed, "used": used} for typed, used in results.corrections],
                "hits": [_hit_json(session.pack, hit) for hit in results.hits],
                "total": results.total,
                "locked": {str(k): v for k, v in sorted(results.locked.items())},
                "locked_summary": results.summary_locked(),
            }
        )
        return EXIT_OK
    out = Output()
    corrected = results.summary_corrections()
    if corrected:
        out.line((f"{corrected}.", "dim"))
    for hit in results.hits:
        where = session.pack.episode_label(hit.episode) if hit.episode is not None else hit.label
        label = f" · {hit.label}" if hit.episode is not None and hit.field in ("review", "note") else ""
        out.line((where, "bold"), (f" · {hit.field}{label}", "dim"))
        out.line(("  ", ""), *_marked(hit.snippet, hit.spans, out.styled))
    summary = results.summary_locked()
    if not results.hits:
        out.line((f"No visible matches for {query!r}.", "dim"))
    if summary:
        out.line((f"{summary} (add --spoilers to include them)", "yellow"))
    return EXIT_OK


def _hit_json(pack: Pack, hit: Hit) -> dict[str, Any]:
    """One hit for scripts: where it is, what unlocks it (`gate`), whom or
    which review it belongs to, and the spelling of a name it matched."""
    target = hit.target
    episode = hit.episode
    return {
        "gate": hit.gate,
        "episode": episode,
        "season": None if episode is None else pack.season_of(episode),
        "number_in_season": None if episode is None else pack.number_in_season(episode),
        "field": hit.field,
        "label": hit.label,
        "character": target.character_id,
        "review": target.review_index,
        "paragraph": target.paragraph,
        "note": target.note_index,
        "alias": hit.alias,
        "snippet": hit.snippet,
        "spans": [list(span) for span in hit.spans],
    }


def _marked(text: str, spans: Sequence[tuple[int, int]], styled: bool) -> list[tuple[str, str]]:
    """The snippet with its matches marked: styled on a terminal, between
    asterisks in plain text."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        pieces.append((text[position:start], ""))
        match = text[start:end]
        pieces.append((match, "bold reverse") if styled else (f"*{match}*", ""))
        position = end
    pieces.append((text[position:], ""))
    return pieces


def cmd_story(session: Session, args: Any) -> int:
    """The story so far, safe to share at the user's progress: only watched
    episodes, whatever level the browser was left at."""
    watched = session.store.current.watched
    viewer = Viewer(watched, Level.OFF if session.spoilers else Level.STANDARD)
    story = story_so_far(session.pack, viewer)
    if args.json:
        print_json(story_json(story))
    else:
        sys.stdout.write(story_markdown(story))
    return EXIT_OK


def cmd_tracks(session: Session, args: Any) -> int:
    """The show's soundtrack, each song once the episode that reveals it
    is watched."""
    shown, hidden = policy.track_views(session.pack, session.viewer)
    if args.json:
        print_json(
            {
                "tracks": [
                    {
                        "title": view.track.title,
                        "original_title": view.track.original_title,
                        "artist": view.track.artist,
                        "released": view.track.released.isoformat() if view.track.released else None,
                        "episode": view.track.episode or None,
                        "note": view.track.note,
                        "sources": list(view.track.sources),
                    }
                    for view in shown
                ],
                "locked": hidden,
            }
        )
        return EXIT_OK
    out = Output()
    out.line((f"{session.pack.show.title}: the soundtrack", "bold"))
    if not session.pack.show.tracks:
        out.line(("This pack lists no songs.", "dim"))
    for view in shown:
        track = view.track
        out.blank()
        out.line(
            (track.title, "bold"),
            (f"  {track.artist}", ""),
            (f"  ({', '.join(view.facts)})" if view.facts else "", "dim"),
        )
        if track.original_title:
            out.line((f"  {track.original_title}", ""))
        if track.note:
            out.paragraph(track.note, "dim")
    if hidden:
        out.blank()
        noun = "song unlocks" if hidden == 1 else "songs unlock"
        out.line((f"{hidden} more {noun} as you watch (add --spoilers to see them)", "yellow"))
    return EXIT_OK
