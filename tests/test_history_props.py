"""Properties of history import and export: an import never removes a
mark, and exporting then importing gives back exactly the marks exported."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from soundtrack_tui.core.history import jsonarray
from soundtrack_tui.core.history.plan import add_marks, build_plan
from soundtrack_tui.core.history.portable import export_csv, export_json
from soundtrack_tui.core.history.rows import HistoryEpisode, HistoryShow, WatchedRow
from soundtrack_tui.core.history.sources import open_history
from soundtrack_tui.core.progress import ProgressStore
from soundtrack_tui.core.sanitize import sanitize

# Pack titles are sanitized at load, so the exporter only ever sees these;
# often they start as a spreadsheet formula (or a quote) would.
titles = st.tuples(
    st.sampled_from(["", "=", "+", "-", "@", "'", "''", "\t", "'="]), st.text(max_size=30)
).map(lambda parts: sanitize("".join(parts)) or "untitled")


@st.composite
def shows(draw: st.DrawFn) -> list[HistoryShow]:
    ids = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), min_size=1, max_size=3, unique=True)
    )
    made = []
    for index, show_id in enumerate(ids):
        per_season = draw(st.integers(1, 8))
        count = draw(st.integers(1, 24))
        with_ids = draw(st.booleans())
        episodes = tuple(
            HistoryEpisode(
                number,
                (number - 1) // per_season + 1,
                (number - 1) % per_season + 1,
                {"tvdb": 10_000 * (index + 1) + number, "imdb": f"tt{number:07d}"} if with_ids else {},
            )
            for number in range(1, count + 1)
        )
        show_ids = draw(
            st.sampled_from([{}, {"tvdb": 500 + index}, {"imdb": f"tt9{index}", "tmdb": 7 + index}])
        )
        year = draw(st.none() | st.integers(1900, 2100))
        made.append(HistoryShow(show_id, draw(titles), year, show_ids, episodes))
    return made


@st.composite
def marks(draw: st.DrawFn, installed: list[HistoryShow]) -> dict[str, frozenset[int]]:
    return {
        show.id: frozenset(draw(st.sets(st.sampled_from([e.number for e in show.episodes]))))
        for show in installed
    }


def _read_back(text: str, suffix: str, installed: list[HistoryShow]) -> dict[str, frozenset[int]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_text(text, encoding="utf-8")
        with open_history(path) as source:
            plan = build_plan(source.rows, installed, {})
    return {show_id: frozenset(entry.new) for show_id, entry in plan.shows.items()}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_export_then_import_is_the_identity(data: st.DataObject) -> None:
    installed = data.draw(shows())
    watched = data.draw(marks(installed))
    expected = {show_id: numbers for show_id, numbers in watched.items() if numbers}
    assert _read_back(export_json(installed, watched), ".json", installed) == expected
    assert _read_back(export_csv(installed, watched), ".csv", installed) == expected


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_json_and_csv_exports_read_as_the_same_rows(data: st.DataObject) -> None:
    installed = data.draw(shows())
    watched = data.draw(marks(installed))
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        for suffix, text in (
            (".json", export_json(installed, watched)),
            (".csv", export_csv(installed, watched)),
        ):
            path = Path(folder) / f"export{suffix}"
            path.write_text(text, encoding="utf-8")
            with open_history(path) as source:
                rows[suffix] = list(source.rows)
    assert rows[".json"] == rows[".csv"]
    assert len(rows[".csv"]) == sum(len(numbers) for numbers in watched.values())


rows = st.builds(
    WatchedRow,
    show_title=st.sampled_from(["Night Shift", "night-shift", "Other", ""]),
    show_year=st.none() | st.just(2020),
    season=st.integers(0, 4),
    number_in_season=st.integers(0, 10),
)


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(1, 40)), st.lists(rows, max_size=40))
def test_import_never_removes_a_mark(before: set[int], history: list[WatchedRow]) -> None:
    show = HistoryShow(
        "night-shift",
        "Night Shift",
        2020,
        {},
        tuple(HistoryEpisode(n, (n - 1) // 8 + 1, (n - 1) % 8 + 1) for n in range(1, 25)),
    )
    plan = build_plan(history, [show], {show.id: frozenset(before)})
    new = plan.shows[show.id].new if show.id in plan.shows else set()
    with tempfile.TemporaryDirectory() as folder:
        store = ProgressStore(Path(folder), show.id)
        store.set_watched(before, True)
        change, added = add_marks(new, lambda count: f"{count} marked")
        after = store.update(change).watched
        assert after >= before
        assert after - before == new
        assert added.count == len(new)
        assert ProgressStore(Path(folder), show.id).load().watched == after


def test_exported_csv_cells_never_start_a_formula() -> None:
    show = HistoryShow("bad", "=cmd|' /C calc'!A0", None, {}, (HistoryEpisode(1, 1, 1),))
    text = export_csv([show], {"bad": frozenset({1})})
    cells = text.splitlines()[1].split(",")
    assert cells[1].startswith("'=cmd")
    assert all(
        not cell.startswith(("=", "+", "-", "@")) for line in text.splitlines() for cell in line.split(",")
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='{},[]" \n\\ab', max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text("ab},{", max_size=3), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.dictionaries(st.text("ab", max_size=2), json_values, max_size=4), max_size=25),
    st.sampled_from([None, 0, 2]),
)
def test_the_streamed_array_is_the_array(items: list[object], indent: int | None) -> None:
    """Small windows and runs, so items straddle both, and strings and
    nested arrays that look like item boundaries."""
    text = json.dumps(items, indent=indent)
    with mock.patch.object(jsonarray, "CHUNK", 7), mock.patch.object(jsonarray, "BATCH_CHARS", 60):
        assert list(jsonarray.json_array_items(io.BytesIO(text.encode()), "x")) == items
