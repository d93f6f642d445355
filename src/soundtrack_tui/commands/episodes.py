"""`list`, `show`, `watched` and `unwatched`: episodes as the policy lets
the viewer see them, and the progress that changes what it lets through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from soundtrack_tui.arguments import EpisodeSpec, Point
from soundtrack_tui.commands.session import CommandError, Session
from soundtrack_tui.core import policy
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import LEVEL_WORDS, EpisodeView, Level, ReviewView
from soundtrack_tui.exit_codes import EXIT_OK, EXIT_USAGE
from soundtrack_tui.output import Output, print_json


def cmd_list(session: Session, args: Any) -> int:
    pack = session.pack
    views = policy.episode_views(pack, session.viewer)
    if args.json:
        print_json([_episode_summary(pack, view) for view in views])
        return EXIT_OK
    out = Output()
    watched = len(session.viewer.watched & set(pack.numbers))
    out.line((pack.show.title, "bold"), (f"  watched {watched}/{len(views)}", "dim"))
    if not pack.has_seasons:
        out.table(["#", "status", "title"], [_list_row(view) for view in views])
        return EXIT_OK
    by_number = {view.number: view for view in views}
    for season in pack.season_numbers:
        out.blank()
        _season_header(out, pack, season)
        rows = [_list_row(by_number[n]) for n in pack.season_range(season) if n in by_number]
        if rows:
            out.table(["#", "status", "title"], rows)
    return EXIT_OK


def _season_header(out: Output, pack: Pack, number: int) -> None:
    """ "Season 2: Storm Season" and its logline, spoiler-free by the format."""
    season = pack.season(number)
    title = f"Season {number}: {season.title}" if season and season.title else f"Season {number}"
    logline = [(f"  {season.logline}", "dim")] if season and season.logline else []
    out.line((title, "bold"), *logline)


def _status(view: EpisodeView) -> tuple[str, str]:
    if view.watched:
        return "watched", "green"
    if view.locked:
        return "locked", "yellow"
    return "not watched", "dim"


def _list_row(view: EpisodeView) -> list[tuple[str, str]]:
    if not view.has_file:
        title = ("(no recap yet)", "dim italic")
    elif view.title is None:
        title = ("(title hidden until watched)", "dim italic")
    else:
        title = (view.title, "")
    return [(view.season_label or str(view.number), "bold"), _status(view), title]


def _episode_summary(pack: Pack, view: EpisodeView) -> dict[str, Any]:
    return {
        "number": view.number,
        "season": pack.season_of(view.number),
        "number_in_season": pack.number_in_season(view.number),
        "label": view.label,
        "title": view.title,
        "watched": view.watched,
        "locked": view.locked,
        "has_recap": view.has_file,
        "runtime_minutes": view.runtime_minutes,
        "aired": view.aired.isoformat() if view.aired else None,
    }


# -- show ------------------------------------------------------------------


def cmd_show(session: Session, args: Any) -> int:
    [number] = numbers_named(session.pack, args.number)
    number = session.episode_number(number)
    view = policy.episode_view(session.pack, session.viewer, number)
    if args.json:
        print_json(
            {
                **_episode_summary(session.pack, view),
                "logline": view.logline or None,
                "previously": (
                    {"number": view.previously.number, "summary": view.previously.summary}
                    if view.previously
                    else None
                ),
                "summary": view.summary,
                "recap": list(view.paragraphs) if view.paragraphs is not None else None,
                "source_note": view.source_note,
                "reviews": [_review_json(r) for r in view.reviews],
            }
        )
        return EXIT_OK
    out = Output()
    out.line((view.heading, "bold"), (f"  {_status(view)[0]}", _status(view)[1]))
    if view.facts:
        out.line((" · ".join(view.facts), "dim"))
    if view.logline:
        out.blank()
        out.paragraph(view.logline, "italic")
    out.blank()
    if not view.has_file:
        out.paragraph("No recap yet for this episode.", "dim")
    elif view.paragraphs is None:
        out.paragraph(
            f"The recap is hidden until you have watched {view.label_in_sentence}. "
            f"Run `{session.hint(f'watched {number}')}` once you have, or add --spoilers.",
            "yellow",
        )
    else:
        if view.previously:
            out.paragraph(
                f"Previously, in {view.previously.label}: {view.previously.summary}",
                "dim",
            )
            out.blank()
        for index, paragraph in enumerate(view.paragraphs):
            if index:
                out.blank()
            out.paragraph(paragraph)
        if view.source_note:
            out.blank()
            out.line(("About the sources", "bold dim"))
            out.paragraph(view.source_note, "dim")
    for review in view.reviews:
        out.blank()
        _print_review(out, review)
    return EXIT_OK


def _print_review(out: Output, view: ReviewView) -> None:
    review = view.review
    rating = f"  {review.rating}" if review.rating else ""
    out.line((review.outlet, "bold"), (rating, "cyan"), (f" ({view.label})", "dim"))
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


def cmd_watched(session: Session, args: Any) -> int:
    return _set_watched(session, _all_named(session.pack, args.ranges), True)


def cmd_unwatched(session: Session, args: Any) -> int:
    return _set_watched(session, _all_named(session.pack, args.ranges), False)


def _all_named(pack: Pack, specs: Sequence[EpisodeSpec]) -> list[int]:
    return [number for spec in specs for number in numbers_named(pack, spec)]


def numbers_named(pack: Pack, spec: EpisodeSpec) -> range:
    """The absolute episode numbers a RANGE names in `pack`."""
    first, last = _span(pack, spec.first), _span(pack, spec.last)
    if first.start > last[-1]:
        raise CommandError(f"a range runs from low to high: {spec.text!r}", EXIT_USAGE)
    return range(first.start, last[-1] + 1)


def _span(pack: Pack, point: Point) -> range:
    """The episodes one end of a RANGE names: one, or a whole season."""
    season, number = point
    if season is None:
        return range(number, number + 1)  # checked against the show by `_set_watched`
    episodes = pack.season_range(season)
    if not episodes:
        seasons = pack.season_numbers
        if season in seasons:
            raise CommandError(f"season {season} of {pack.show.title} has no episodes yet")
        raise CommandError(f"no season {season}: {pack.show.title} has seasons {seasons[0]}-{seasons[-1]}")
    if number == 0:
        return episodes
    found = pack.number_for(season, number)
    if found is None:
        raise CommandError(f"no episode {number} in season {season}: it has episodes 1-{len(episodes)}")
    return range(found, found + 1)


def cmd_level(session: Session, args: Any) -> int:
    """Show the saved spoiler level, or save a new one."""
    if args.level is None:
        level = session.store.current.level
        Output().line((f"Spoiler level: {level.value}", ""), (f" ({LEVEL_WORDS[level]})", "dim"))
        return EXIT_OK
    level = Level.parse(args.level)
    session.store.set_level(level)
    if session.store.read_only:
        raise CommandError(f"could not save the spoiler level: {_why_not_saved(session)}")
    Output().line((f"Spoiler level set to {level.value}", ""), (f" ({LEVEL_WORDS[level]})", "dim"))
    return EXIT_OK


def _why_not_saved(session: Session) -> str:
    reasons = session.store.take_notices()
    why = reasons[-1] if reasons else f"cannot write in {session.store.folder}"
    return why.removeprefix("progress will not be kept: ")


def _set_watched(session: Session, numbers: Sequence[int], watched: bool) -> int:
    chosen = sorted({session.episode_number(n) for n in numbers})
    progress = session.store.set_watched(chosen, watched)
    pack = session.pack
    if pack.has_seasons:
        what = ", ".join(pack.episode_label(n) for n in chosen)
    else:
        what = f"episode{'s' if len(chosen) > 1 else ''} {', '.join(str(n) for n in chosen)}"
    state = "watched" if watched else "not watched"
    if session.store.read_only:
        # The change lives only in this process, which is about to end.
        raise CommandError(f"could not mark {what} as {state}: {_why_not_saved(session)}")
    count = len(progress.watched & set(session.pack.numbers))
    Output().line(
        (f"Marked {what} as {state}", ""),
        (f" ({count}/{session.pack.show.episode_count} watched)", "dim"),
    )
    return EXIT_OK
