"""The episode list at scale: rows cached per viewer, one line per row,
and what a row says for every state of an episode."""

from __future__ import annotations

from packs import make_pack
from soundtrack_tui.core.policy import EpisodeRow, Level, Viewer, episode_row
from soundtrack_tui.ui.widgets.episode_list import EpisodeList, episode_prompt

from .conftest import AppFactory
from .helpers import main_screen

BIG = 300


def row(**changes: object) -> EpisodeRow:
    fields: dict[str, object] = dict(
        number=7, locked=False, watched=False, peeked=False, has_file=True, title="Seven"
    )
    fields.update(changes)
    return EpisodeRow(**fields)  # type: ignore[arg-type]


def test_row_text_and_styles() -> None:
    prompt = episode_prompt(row(watched=True), 3)
    assert prompt.plain == "  7 ✓ Seven"
    styles = {prompt.plain[span.start : span.end]: str(span.style) for span in prompt.spans}
    assert styles == {"  7": "bold", "✓": "$success"}


def test_rows_say_why_a_title_is_missing() -> None:
    hidden = episode_prompt(row(locked=True, title=None), 1)
    assert hidden.plain == "7 ⊘ title hidden"
    styled = {hidden.plain[span.start : span.end]: span.style for span in hidden.spans}
    assert styled["title hidden"] == "dim italic"
    assert episode_prompt(row(has_file=False, title=None), 1).plain == "7 · no recap yet"
    assert episode_prompt(row(peeked=True, locked=True), 1).plain == "7 ◐ Seven"


async def test_one_line_per_row_and_the_last_is_reachable(make_app: AppFactory) -> None:
    app = make_app(make_pack(BIG, paragraphs=1, words=5))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        episodes = main_screen(app).query_one(EpisodeList)
        assert episodes.virtual_size.height == BIG
        await pilot.press("end")
        await pilot.pause()
        assert main_screen(app).selected == BIG
        assert episodes.scroll_offset.y == BIG - episodes.scrollable_content_region.height


async def test_rows_follow_the_viewer_and_the_search_filter(make_app: AppFactory) -> None:
    pack = make_pack(BIG, paragraphs=1, words=5)
    app = make_app(pack, watched=[1, 2])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        episodes = screen.query_one(EpisodeList)

        def shown() -> list[str]:
            return episodes.rows_text()

        viewer = screen.viewer
        expected = [episode_prompt(episode_row(pack, viewer, n), 3).plain for n in pack.numbers]
        assert shown() == expected
        screen.only = frozenset({3, 5})
        await pilot.pause()
        assert [episodes.number_at(row) for row in range(episodes.row_count)] == [3, 5]
        screen.only = None
        screen.viewer = Viewer(frozenset({1, 2, 3}), Level.STRICT)
        await pilot.pause()
        strict = Viewer(frozenset({1, 2, 3}), Level.STRICT)
        assert shown() == [episode_prompt(episode_row(pack, strict, n), 3).plain for n in pack.numbers]
        assert "title hidden" in shown()[3] and "Title 3" in shown()[2]
