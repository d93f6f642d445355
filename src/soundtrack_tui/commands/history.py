"""`history import` and `history export`: watch history in from Trakt, TV
Time or our own export, and out again.

An import is read, validated and planned in full before the first write;
then each show's marks are added in one locked, atomic write. A bad input
is one line and exit 1 with nothing written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from soundtrack_tui.commands.session import CommandError, open_pack
from soundtrack_tui.core.history.from_packs import history_shows
from soundtrack_tui.core.history.plan import Plan, ShowPlan, add_marks, build_plan, plural
from soundtrack_tui.core.history.portable import export_csv, export_json
from soundtrack_tui.core.history.rows import HistoryError, HistoryShow
from soundtrack_tui.core.history.sources import HistorySource, open_history
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.progress import ProgressStore, state_dir
from soundtrack_tui.core.sanitize import sanitize
from soundtrack_tui.exit_codes import EXIT_OK
from soundtrack_tui.output import Output, error

MOST_REASONS = 8  # unmatched reasons listed per show; the rest are counted
MOST_OTHER_SHOWS = 10


def cmd_history(args: Any) -> int:
    try:
        shows = history_shows(_packs(args))
        stores = {show.id: ProgressStore(state_dir(args.state_dir), show.id) for show in shows}
        try:
            if args.history_action == "export":
                return _export(shows, stores, csv=args.csv)
            only = getattr(args, "show", None)
            return _import(Path(args.file), shows, stores, only=only, dry_run=args.dry_run)
        finally:
            for store in stores.values():
                for notice in store.take_notices():
                    error(notice)
    except CommandError as failure:
        error(str(failure))
        return failure.code


def _packs(args: Any) -> list[Pack]:
    """The pack `--content` names, or every show of the library."""
    if args.content:
        return [open_pack(args.content)]
    from soundtrack_tui.core.library import list_shows

    return [open_pack(str(show.path)) for show in list_shows(args.state_dir)]


def _export(shows: list[HistoryShow], stores: dict[str, ProgressStore], *, csv: bool) -> int:
    watched = {show.id: stores[show.id].current.watched for show in shows}
    text = export_csv(shows, watched) if csv else export_json(shows, watched)
    sys.stdout.write(sanitize(text))
    return EXIT_OK


def _import(
    path: Path, shows: list[HistoryShow], stores: dict[str, ProgressStore], *, only: str | None, dry_run: bool
) -> int:
    if only is not None:
        shows = [show for show in shows if show.id == only]
        if not shows:
            installed = ", ".join(stores)
            raise CommandError(f"no installed show has the id {only!r} (installed: {installed})")
    watched = {show.id: stores[show.id].current.watched for show in shows}
    try:
        with open_history(path) as source:
            plan = build_plan(source.rows, shows, watched)
    except HistoryError as failure:
        raise CommandError(f"{failure}; nothing was imported") from None
    out = Output()
    _print_plan(out, source, plan)
    if not plan.rows:
        raise CommandError(f"{source.described} holds no watched episodes; nothing was imported")
    if not plan.shows:
        raise CommandError(
            f"none of its {plural(plan.rows, 'row')} is for an installed show; nothing was imported"
        )
    if dry_run:
        out.line((f"Dry run: nothing was written. Without --dry-run, {_marks(plan.marks)}.", "bold"))
        return EXIT_OK
    if not plan.marks:
        out.line(("Nothing new to mark: every matched episode is already watched.", ""))
        return EXIT_OK
    for entry in plan.shows.values():
        if entry.new:
            _save(out, stores[entry.show.id], entry, source.tracker)
    return EXIT_OK


def _marks(count: int) -> str:
    return f"{plural(count, 'episode')} would be marked watched" if count else "nothing would be marked"


def _save(out: Output, store: ProgressStore, entry: ShowPlan, tracker: str) -> None:
    title = entry.show.title
    origin = "a soundtrack export" if tracker == "soundtrack export" else f"your {tracker} history"
    change, added = add_marks(
        entry.new, lambda count: f"{title}: {plural(count, 'episode')} marked from {origin}"
    )
    progress = store.update(change)
    if store.read_only:
        reasons = store.take_notices()
        why = reasons[-1].removeprefix("progress will not be kept: ") if reasons else "the write failed"
        raise CommandError(f"could not save the marks for {title}: {why}")
    total = len(entry.show.episodes)
    watched = len(progress.watched & {episode.number for episode in entry.show.episodes})
    out.line(
        (f"Marked {plural(added.count, 'episode')} of {title} as watched", ""),
        (f" ({watched}/{total} watched)", "dim"),
    )


def _print_plan(out: Output, source: HistorySource, plan: Plan) -> None:
    extra = [f"{plural(plan.duplicates, 'duplicate row')} counted once"] if plan.duplicates else []
    extra += [f"{plural(count, kind)} skipped" for kind, count in sorted(source.skipped.items())]
    out.line((f"Read {source.described}: ", ""), (", ".join([plural(plan.rows, "row"), *extra]), "dim"))
    for entry in plan.shows.values():
        out.blank()
        out.line((entry.show.title, "bold"), (f"  ({entry.show.id}, {plural(entry.rows, 'row')})", "dim"))
        rows = [
            [("to mark", "green"), (_ranges(entry.new, entry.show) or "none", "")],
            [("already watched", "dim"), (_ranges(entry.already, entry.show) or "none", "")],
        ]
        reasons = entry.unmatched.most_common()
        rows += [
            [("no match", "yellow"), (f"{reason} ({plural(count, 'row')})", "")]
            for reason, count in reasons[:MOST_REASONS]
        ]
        if len(reasons) > MOST_REASONS:
            rest = sum(count for _, count in reasons[MOST_REASONS:])
            rows.append([("no match", "yellow"), (f"and {plural(rest, 'more row')}", "dim")])
        out.table(["", "episodes"], rows)
    if plan.elsewhere:
        out.blank()
        count = sum(plan.elsewhere.values())
        out.line(
            (
                f"Not for an installed show: {plural(count, 'row')}, {plural(len(plan.elsewhere), 'show')}",
                "bold",
            )
        )
        listed = plan.elsewhere.most_common(MOST_OTHER_SHOWS)
        more = len(plan.elsewhere) - len(listed)
        out.table(["show", "rows"], [[(_named(*show), ""), (f"{rows:,}", "dim")] for show, rows in listed])
        if more:
            out.line((f"and {plural(more, 'more show')}", "dim"))
    out.blank()


def _named(title: str, year: int | None) -> str:
    return (title or "(no title)") + (f" ({year})" if year else "")


def _ranges(numbers: Iterable[int], show: HistoryShow) -> str:
    """1, 2, 3, 5 as "1-3, 5"; in a show of several seasons, as "S1 E1-E3,
    S2 E1", the way the rest of the program names its episodes."""
    places = {episode.number: (episode.season, episode.number_in_season) for episode in show.episodes}

    def place(number: int) -> tuple[int, int]:
        return places.get(number, (1, number))

    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1 and place(number)[0] == place(spans[-1][1])[0]:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    if not show.by_season:
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    labels = (f"S{place(a)[0]} E{place(a)[1]}" + (f"-E{place(b)[1]}" if b != a else "") for a, b in spans)
    return ", ".join(labels)
