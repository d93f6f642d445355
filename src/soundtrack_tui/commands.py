"""What each CLI command does. No Textual here: the UI is imported lazily.

Every command asks the spoiler policy what it may print, exactly as the
terminal UI does, so `soundtrack show 3` can never reveal more than the
recap pane would.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soundtrack_tui.core import policy
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import EpisodeView, Level, ReviewView, Viewer
from soundtrack_tui.core.progress import ProgressStore, state_dir
from soundtrack_tui.output import Output, error, print_json

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure the user should see as one line, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_CONTENT) -> None:
        super().__init__(message)
        self.code = code


def pack_path(content: str | None) -> Path:
    return Path(content) if content else bundled_pack()


@dataclass
class Session:
    """A loaded pack, its progress store and the viewer they imply."""

    pack: Pack
    store: ProgressStore
    spoilers: bool

    @classmethod
    def open(cls, content: str | None, state: str | None, spoilers: bool = False) -> Session:
        # The parsed-pack cache: a clean pack is read from its files once,
        # then loaded in milliseconds while they are unchanged (`check`
        # never uses it and always validates the files).
        from soundtrack_tui.core.cache import load_pack_cached

        result = load_pack_cached(pack_path(content))
        if result.errors or result.pack is None:
            first = result.errors[0] if result.errors else "the pack could not be loaded"
            count = len(result.errors)
            more = f" (run soundtrack check for all {count} problems)" if count > 1 else ""
            raise CommandError(f"{first}{more}")
        store = ProgressStore(state_dir(state), result.pack.show.id)
        store.load()
        return cls(result.pack, store, spoilers)

    @property
    def viewer(self) -> Viewer:
        progress = self.store.current
        level = Level.OFF if self.spoilers else progress.level
        return Viewer(progress.watched, level)

    def episode_number(self, number: int) -> int:
        if number not in self.pack.numbers:
            count = self.pack.show.episode_count
            raise CommandError(f"no episode {number}: {self.pack.show.title} has episodes 1-{count}")
        return number

    def report_notices(self) -> None:
        for notice in self.store.take_notices():
            error(notice)


def run(command: str, args: Any) -> int:
    """Run a data command; every expected failure becomes one stderr line."""
    try:
        session = Session.open(args.content, args.state_dir, getattr(args, "spoilers", False))
        try:
            return COMMANDS[command](session, args)
        finally:
            session.report_notices()
    except CommandError as failure:
        error(str(failure))
        return failure.code


# -- list ------------------------------------------------------------------


def cmd_list(session: Session, args: Any) -> int:
    views = policy.episode_views(session.pack, session.viewer)
    if args.json:
        print_json([_episode_summary(view) for view in views])
        return EXIT_OK
    out = Output()
    watched = len(session.viewer.watched & set(session.pack.numbers))
    out.line((session.pack.show.title, "bold"), (f"  watched {watched}/{len(views)}", "dim"))
    out.table(["#", "status", "title"], [_list_row(view) for view in views])
    return EXIT_OK


def _status(view: EpisodeView) -> tuple[str, str]:
    if view.watched:
        return "watched", "green"
    if view.locked:
        return "locked", "yellow"
    return "", ""


def _list_row(view: EpisodeView) -> list[tuple[str, str]]:
    if not view.has_file:
        title = ("(no recap yet)", "dim italic")
    elif view.title is None:
        title = ("(title hidden until watched)", "dim italic")
    else:
        title = (view.title, "")
    return [(str(view.number), "bold"), _status(view), title]


def _episode_summary(view: EpisodeView) -> dict[str, Any]:
    return {
        "number": view.number,
        "title": view.title,
        "watched": view.watched,
        "locked": view.locked,
        "has_recap": view.has_file,
        "runtime_minutes": view.runtime_minutes,
        "aired": view.aired.isoformat() if view.aired else None,
    }


# -- show ------------------------------------------------------------------


def cmd_show(session: Session, args: Any) -> int:
    number = session.episode_number(args.number)
    view = policy.episode_view(session.pack, session.viewer, number)
    if args.json:
        print_json(
            {
                **_episode_summary(view),
                "logline": view.logline,
                "source_note": view.source_note,
                "recap": list(view.paragraphs) if view.paragraphs is not None else None,
                "reviews": [_review_json(r) for r in view.reviews],
            }
        )
        return EXIT_OK
    out = Output()
    out.line((view.heading, "bold"), (f"  {_status(view)[0]}", _status(view)[1]))
    facts = _facts(view)
    if facts:
        out.line((facts, "dim"))
    if view.logline:
        out.blank()
        out.paragraph(view.logline, "italic")
    out.blank()
    if not view.has_file:
        out.paragraph("No recap yet for this episode.", "dim")
    elif view.paragraphs is None:
        out.paragraph(
            f"The recap is hidden until you have watched episode {number}. "
            f"Run `soundtrack watched {number}` once you have, or add --spoilers.",
            "yellow",
        )
    else:
        for index, paragraph in enumerate(view.paragraphs):
            if index:
                out.blank()
            out.paragraph(paragraph)
    for review in view.reviews:
        out.blank()
        _print_review(out, review)
    if view.source_note:
        out.blank()
        out.paragraph(f"Sources differ: {view.source_note}", "dim")
    return EXIT_OK


def _facts(view: EpisodeView) -> str:
    facts = []
    if view.aired:
        facts.append(f"aired {view.aired.isoformat()}")
    if view.runtime_minutes:
        facts.append(f"about {view.runtime_minutes} min")
    return " · ".join(facts)


def _print_review(out: Output, view: ReviewView) -> None:
    review = view.review
    rating = f"  {review.rating}" if review.rating else ""
    out.line((review.outlet, "bold"), (rating, "cyan"), (f"  ({view.label})", "dim"))
    out.paragraph(review.verdict, "italic")
    out.paragraph(review.thoughts)


def _review_json(view: ReviewView) -> dict[str, Any]:
    review = view.review
    return {
        "outlet": review.outlet,
        "source": review.source,
        "verdict": review.verdict,
        "rating": review.rating,
        "thoughts": review.thoughts,
        "after_episode": review.after_episode,
        "label": view.label,
        "series": view.series,
    }


# -- search ------------------------------------------------------------------


def cmd_search(session: Session, args: Any) -> int:
    from soundtrack_tui.core.cache import load_index_cached

    query = " ".join(args.query)
    results = load_index_cached(session.pack).search(query, session.viewer, limit=args.limit)
    if args.json:
        print_json(
            {
                "query": query,
                "hits": [
                    {
                        "episode": hit.episode,
                        "field": hit.field,
                        "label": hit.label,
                        "snippet": hit.snippet,
                        "spans": [list(span) for span in hit.spans],
                    }
                    for hit in results.hits
                ],
                "locked": {str(k): v for k, v in sorted(results.locked.items())},
                "locked_summary": results.summary_locked(),
            }
        )
        return EXIT_OK
    out = Output()
    for hit in results.hits:
        where = f"Episode {hit.episode}" if hit.episode is not None else hit.label
        label = f" · {hit.label}" if hit.episode is not None and hit.field in ("review", "note") else ""
        out.line((where, "bold"), (f" · {hit.field}{label}", "dim"))
        out.line(("  ", ""), *_marked(hit.snippet, hit.spans, out.styled))
    summary = results.summary_locked()
    if not results.hits:
        out.line((f"No visible matches for {query!r}.", "dim"))
    if summary:
        out.line((f"{summary} (add --spoilers to include them)", "yellow"))
    return EXIT_OK


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


# -- watched / unwatched -------------------------------------------------------


def cmd_watched(session: Session, args: Any) -> int:
    return _set_watched(session, args.numbers, True)


def cmd_unwatched(session: Session, args: Any) -> int:
    return _set_watched(session, args.numbers, False)


def _set_watched(session: Session, numbers: Sequence[int], watched: bool) -> int:
    chosen = sorted({session.episode_number(n) for n in numbers})
    progress = session.store.set_watched(chosen, watched)
    listed = ", ".join(str(n) for n in chosen)
    plural = "s" if len(chosen) > 1 else ""
    state = "watched" if watched else "not watched"
    count = len(progress.watched & set(session.pack.numbers))
    Output().line(
        (f"Marked episode{plural} {listed} as {state}", ""),
        (f"  ({count}/{session.pack.show.episode_count} watched)", "dim"),
    )
    return EXIT_OK


# -- story -------------------------------------------------------------------


def cmd_story(session: Session, args: Any) -> int:
    """The story so far as Markdown, safe to share at the user's progress:
    only watched episodes, whatever level the UI was left at."""
    watched = session.store.current.watched
    viewer = Viewer(watched, Level.OFF if session.spoilers else Level.STANDARD)
    views = policy.story_so_far(session.pack, viewer)
    if args.json:
        print_json(
            {
                "show": session.pack.show.title,
                "episodes": [
                    {**_episode_summary(v), "logline": v.logline, "recap": list(v.paragraphs or ())}
                    for v in views
                ],
                "next_episode": policy.next_episode(session.pack, viewer),
            }
        )
        return EXIT_OK
    sys.stdout.write(story_markdown(session.pack, viewer, views))
    return EXIT_OK


def story_markdown(pack: Pack, viewer: Viewer, views: Sequence[EpisodeView]) -> str:
    title = escape_markdown(pack.show.title, block=False)
    lines = [f"# {title}: the story so far", ""]
    if not views:
        lines += ["Nothing watched yet: no spoilers here. Start with episode 1.", ""]
    else:
        upto = ", ".join(str(v.number) for v in views)
        noun = "episode" if len(views) == 1 else "episodes"
        lines += [f"_Covers {noun} {upto} of {pack.show.episode_count}._", ""]
    for view in views:
        lines += [f"## {escape_markdown(view.heading, block=False)}", ""]
        if view.logline:
            lines += [f"_{escape_markdown(view.logline)}_", ""]
        for paragraph in view.paragraphs or ():
            lines += [escape_markdown(paragraph), ""]
    upcoming = policy.next_episode(pack, viewer)
    if upcoming is not None and viewer.level is not Level.OFF:
        lines += [f"Next up: episode {upcoming}.", ""]
    return "\n".join(lines)


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>"})
_BLOCK_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))")


def escape_markdown(text: str, *, block: bool = True) -> str:
    """Pack text is shared as Markdown: escape what would turn into links,
    HTML or emphasis, and (for a block of its own) a heading or list marker,
    so it reads exactly as written."""
    text = text.translate(_MARKDOWN_SPECIAL)
    if not block:
        return text
    return _BLOCK_START.sub(
        lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)),
        text,
    )


# -- check -------------------------------------------------------------------


def check(content: str | None) -> int:
    """Print every problem, one per line, then a summary; exit 1 on errors."""
    # Imported here: the other commands load through the cache, whose hits
    # need no parser, schema or lint.
    from soundtrack_tui.core.loader import read_pack

    root = pack_path(content)
    result = read_pack(root)
    out = sys.stdout
    for problem in result.problems:
        out.write(f"{problem}\n")
    errors, warnings = len(result.errors), len(result.warnings)
    name = result.pack.show.id if result.pack else str(root)
    summary = f"{name}: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
    if result.pack is not None:
        pack = result.pack
        summary += (
            f" ({len(pack.episodes)} of {pack.show.episode_count} episodes, "
            f"{_count(len(pack.characters), 'character')})"
        )
    from soundtrack_tui.core.sanitize import sanitize

    out.write(sanitize(summary) + "\n")
    return EXIT_CONTENT if errors else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


# -- the terminal UI -----------------------------------------------------------


def terminal_problem() -> str | None:
    """Why the UI cannot start here, or None. Textual does not notice a
    missing terminal: it would write escape codes into the pipe and hang."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        return "stdin and stdout must both be a terminal"
    term = os.environ.get("TERM", "")
    if term in ("", "dumb"):
        return f"TERM is {'empty' if not term else 'dumb'}"
    return None


def run_ui(content: str | None, state: str | None, *, spoilers: bool) -> int:
    problem = terminal_problem()
    if problem:
        error(
            f"the browser needs a terminal ({problem}); without one, use "
            "soundtrack list, show N, search QUERY, story, watched N or check"
        )
        return EXIT_USAGE
    from soundtrack_tui.ui.app import run as run_app

    code: int = run_app(pack_path(content), state, spoilers=spoilers)
    return code


COMMANDS = {
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "watched": cmd_watched,
    "unwatched": cmd_unwatched,
    "story": cmd_story,
}
