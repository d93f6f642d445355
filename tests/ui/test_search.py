"""Search as you type, the locked-matches line, jumping to a match, n/N."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from packs import make_episode, make_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level
from soundtrack_tui.core.search import Hit, SearchIndex
from soundtrack_tui.core.search.index import EncodingHelper
from soundtrack_tui.core.search.session import SearchSession
from soundtrack_tui.ui.widgets.episode_list import EpisodeList
from soundtrack_tui.ui.widgets.results_list import ResultsList
from soundtrack_tui.ui.widgets.search_panel import PAGE, SCREENS
from soundtrack_tui.ui.widgets.text_pane import TextPane

from .conftest import AppFactory
from .helpers import choose, chosen_hit, main_screen, notifications, options_text, text_of


async def settle(app: App[object]) -> None:
    await app.workers.wait_for_complete()
    await app.screen.workers.wait_for_complete() if hasattr(app.screen, "workers") else None


def results_text(app: App[object]) -> list[str]:
    return options_text(main_screen(app).query_one(ResultsList))


def summary_text(app: App[object]) -> str:
    return text_of(main_screen(app).query_one("#search-summary"))


async def type_query(pilot, app: App[object], text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char)
    await settle(app)
    await pilot.pause()


async def search(pilot, app: App[object], query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the search, type `query` and wait for its results' rows."""
    await pilot.press("slash")
    await type_query(pilot, app, query)
    return results_text(app)


async def jump(pilot, app: App[object], query: str, field: str) -> Hit:  # type: ignore[no-untyped-def]
    """Search for `query`, choose its first result in `field`, and wait for
    the jump and its marks; the hit chosen."""
    await search(pilot, app, query)
    choose(app, field)
    hit = chosen_hit(app)
    await pilot.press("enter")
    await settle(app)
    await pilot.pause()
    return hit


async def test_slash_opens_search_and_results_follow_each_keystroke(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("slash")
        assert screen.panes.searching
        assert isinstance(screen.focused, Input)
        await type_query(pilot, app, "jen")
        first = results_text(app)
        assert any("Jennifer" in row for row in first)
        await type_query(pilot, app, "x")  # "jenx": nothing visible matches
        assert not any("Jennifer" in row for row in results_text(app))
        assert "No visible matches" in summary_text(app)
        await pilot.press("backspace")
        await settle(app)
        await pilot.pause()
        assert results_text(app) == first


async def test_locked_matches_are_counted_never_shown(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_query(pilot, app, "mandarin")
        assert "No visible matches" in summary_text(app)
        assert "more matches in locked episodes" in summary_text(app)
        assert summary_text(app).endswith("; ^s shows them")
        assert not any("mandarin" in row.lower() for row in results_text(app))


async def test_results_are_grouped_and_highlighted(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        rows = await search(pilot, app, "jennifer")
        assert rows[0].startswith("1. Echoes of Love") or "Characters" in rows[0]
        listing = main_screen(app).query_one(ResultsList)
        styled = [listing.item_content(i) for i in range(listing.item_count) if listing.item_enabled(i)]
        assert any(
            any("reverse" in str(span.style) for span in prompt.spans)  # type: ignore[union-attr]
            for prompt in styled
        )


async def test_the_list_is_filtered_while_searching(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        episodes = screen.query_one(EpisodeList)
        await pilot.press("slash")
        await type_query(pilot, app, "jennifer")
        assert screen.only is not None
        numbers = sorted(int(row.split()[0]) for row in options_text(episodes))
        assert numbers == sorted(screen.only)
        assert 4 not in numbers  # no Jennifer in episode 4
        await pilot.press("escape")
        assert not screen.panes.searching
        assert len(options_text(episodes)) == 4


async def test_enter_on_a_result_jumps_and_n_walks_the_matches(make_app: AppFactory) -> None:
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("4")  # start somewhere else
        await pilot.press("slash")
        await type_query(pilot, app, "woo-il")
        await pilot.press("down")
        assert screen.focused is screen.query_one(ResultsList)
        choose(app, "recap")
        hit = chosen_hit(app)
        await pilot.press("enter")
        await settle(app)  # the recap's marks and the walk are found in a worker
        await pilot.pause()
        assert not screen.panes.searching
        assert screen.selected == hit.episode
        recap = screen.query_one("#recap", TextPane)
        assert screen.focused is recap
        marks = screen.recap_marks
        assert marks is not None and len(marks.marks) >= 2 and marks.current is not None
        assert marks.marks[marks.current].paragraph == hit.target.paragraph
        session = screen.search
        assert session is not None and session.position is not None
        first = session.position
        assert str(recap.border_subtitle).startswith(first)
        number = int(first.split()[1])
        await pilot.press("n")
        await settle(app)
        await pilot.pause()
        assert session.position is not None and session.position.startswith(f"match {number + 1} of")
        await pilot.press("N")
        await settle(app)
        await pilot.pause()
        assert session.position == first and screen.selected == hit.episode
        assert screen.recap_marks is not None and screen.recap_marks.current == marks.current
        # The highlighted words are in the recap text, styled.
        styles = [str(span.style) for block in recap.blocks for span in block.content.spans]
        assert any("reverse" in style for style in styles)


async def test_n_crosses_episodes_and_panes_with_a_counter(make_app: AppFactory) -> None:
    """n steps through every match of the result set in reading order: from
    the last recap match it goes on to other episodes and to the
    characters' notes, and the pane holding the current match says where it
    is ("match 3 of 12")."""
    app = make_app(level=Level.OFF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await jump(pilot, app, "tarot", "recap")
        session = screen.search
        assert session is not None and session.position is not None
        total = int(session.position.split()[-1])
        seen_panes, seen_episodes = set(), set()
        for _ in range(total):
            await pilot.press("n")
            await settle(app)
            await pilot.pause()
            seen_panes.add(screen.panes.pane)
            seen_episodes.add(screen.selected)
            pane = screen.query_one(f"#{screen.panes.pane}")
            assert str(pane.border_subtitle).startswith(session.position or "?")
        assert {"recap", "characters"} <= seen_panes and len(seen_episodes) >= 2
    assert total >= 5


async def test_searches_and_marks_are_worked_out_off_the_ui_thread(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    answer = SearchSession.answer

    def spy(self, request):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return answer(self, request)

    monkeypatch.setattr(SearchSession, "answer", spy)
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("slash")
        await type_query(pilot, app, "sun-woo")
        await pilot.press("enter")  # the best result: its matches stay marked
        await pilot.press("2")
        await settle(app)
        await pilot.pause()
        assert screen.recap_marks is not None and screen.recap_marks.episode == 2
        assert screen.recap_marks.marks
    assert len(threads) >= 3 and threading.main_thread() not in threads


async def test_n_is_offered_only_when_there_are_matches(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("1")
        keys = {binding.binding.id for binding in screen.active_bindings.values()}
        assert "next-match" not in keys
        await pilot.press("n")  # does nothing, quietly
        assert screen.recap_marks is None and not notifications(app)
        await pilot.press("slash")
        await type_query(pilot, app, "jennifer")
        await pilot.press("enter")
        await settle(app)
        keys = {binding.binding.id for binding in screen.active_bindings.values()}
        assert {"next-match", "previous-match"} <= keys


async def test_character_result_opens_the_characters_pane(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("slash")
        await type_query(pilot, app, "eun-soo")
        listing = screen.query_one(ResultsList)
        entries = listing.entries
        index = next(i for i, hit in enumerate(entries) if isinstance(hit, Hit) and hit.field == "name")
        listing.focus()
        listing.place_cursor(index)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is not None and screen.focused.id == "characters"
        assert screen.character_mark is not None
        assert screen.character_mark.block == "lee-eun-soo"
        characters = screen.query_one("#characters", TextPane)
        assert characters.target is not None
        assert characters.blocks[characters.target].frame == "bar"
        assert "Lee Eun-soo" in characters.blocks[characters.target].content.plain


async def test_an_alias_result_says_whose_name_it_is(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        rows = await search(pilot, app, "seon woo")
        assert "Han Sun-woo, also known as  Seon-woo" in rows
        assert not any(row.startswith("also known as") for row in rows)


async def test_enter_in_the_box_takes_the_best_result(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("slash")
        await type_query(pilot, app, "jennifer")
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.panes.searching
        assert screen.panes.pane in ("recap", "characters")


async def test_s_from_the_results_reveals_locked_matches(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_query(pilot, app, "mandarin")
        await pilot.press("tab")  # to the episode list: s is a command there
        await pilot.press("s")
        await settle(app)
        await pilot.pause()
        assert any("mandarin" in row.lower() for row in results_text(app))
        assert "locked" not in summary_text(app)


async def test_keys_typed_right_after_slash_reach_the_search_box(make_app: AppFactory) -> None:
    """A fast typist's keys are all queued before "/" is handled; none may be
    lost to the episode list (where "j" would even move the selection)."""
    from textual import events

    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        before = main_screen(app).selected
        for char in "/jay/x":
            key = "slash" if char == "/" else char
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await settle(app)
        await pilot.pause()
        screen = main_screen(app)
        assert screen.panes.searching
        assert screen.query_one("#search-input", Input).value == "jay/x"
        assert screen.selected == before  # "j" did not move the selection


async def burst(pilot, app: App[object], keys: list[tuple[str, str | None]]) -> None:  # type: ignore[no-untyped-def]
    """Post `keys` (key, character) to the app at once, as a fast typist's
    keys arrive in one read, then wait until the screen settles."""
    from textual import events

    for key, char in keys:
        app.post_message(events.Key(key, char))
    await pilot.pause()
    await settle(app)
    await pilot.pause()


async def test_keys_typed_right_after_down_reach_the_results(make_app: AppFactory) -> None:
    """Down from the box and "j" in one burst: the "j" moves the results'
    cursor and is not typed into the query."""

    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_query(pilot, app, "tarot")
        await burst(pilot, app, [("down", None), ("j", "j"), ("j", "j")])
        screen = main_screen(app)
        assert screen.query_one("#search-input", Input).value == "tarot"
        listing = screen.query_one(ResultsList)
        assert screen.focused is listing
        assert listing.entries[listing.cursor or 0] is listing.hits[2]


def word_in_every_episode(episodes: int) -> Pack:
    recap = ["lorem ipsum mandolin dolor", "sit amet"]
    return make_pack(episodes, overrides={n: make_episode(n, recap=recap) for n in range(1, episodes + 1)})


async def search_the_word(pilot: Pilot[object], app: App[object]) -> ResultsList:
    """Search for the word of `word_in_every_episode`; the results list."""
    await pilot.press("slash")
    await type_query(pilot, app, "mandolin")
    return main_screen(app).query_one(ResultsList)


async def test_many_results_are_drawn_a_screen_ahead(make_app: AppFactory) -> None:
    """A word in every episode: a keystroke draws the results that fill
    the list and the screen after it, not all of them; more are drawn as
    the cursor or the scroll nears the end, or as the list grows taller;
    the summary counts every match, not just those drawn."""
    episodes = 3 * PAGE
    app = make_app(word_in_every_episode(episodes), level=Level.OFF)
    async with app.run_test(size=(100, 30)) as pilot:
        listing = await search_the_word(pilot, app)
        view = listing.scrollable_content_region.height
        drawn = len(listing.hits)
        assert 0 < drawn < episodes
        assert SCREENS * view <= listing.virtual_size.height < SCREENS * view + 5  # 3 rows a hit
        assert summary_text(app).startswith(f"{episodes} matches")
        await pilot.press("down")  # from the box into the results
        for _ in range(drawn):
            await pilot.press("down")
        await pilot.pause()
        assert len(listing.hits) > drawn
        for _ in range(episodes):  # each scroll to the end draws a screen more
            if len(listing.hits) == episodes:
                break
            listing.scroll_end(animate=False, immediate=True)
            await pilot.pause()
        assert len(listing.hits) == episodes
        # Every episode's heading once, in story order (equal ranks).
        rows = options_text(listing)
        headings = [rows[i] for i in range(listing.item_count) if not listing.item_enabled(i)]
        assert headings == [f"{n}. Title {n}" for n in range(1, episodes + 1)]


async def test_a_taller_list_draws_the_results_that_now_fit(make_app: AppFactory) -> None:
    app = make_app(word_in_every_episode(3 * PAGE), level=Level.OFF)
    async with app.run_test(size=(100, 24)) as pilot:
        listing = await search_the_word(pilot, app)
        before = listing.virtual_size.height
        await pilot.resize_terminal(100, 60)
        await pilot.pause()
        await pilot.pause()
        view = listing.scrollable_content_region.height
        assert listing.virtual_size.height >= SCREENS * view > before


class SlowBuild:
    """Index builds wait until `release` is set (at most 10 s); `finished`
    says whether one came to an end."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.finished = threading.Event()


@pytest.fixture
def slow_build(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowBuild]:
    slow = SlowBuild()
    real_build = SearchIndex.build

    def build(pack: Pack, helper: EncodingHelper | None = None) -> SearchIndex:
        slow.release.wait(10)
        try:
            return real_build(pack, helper)
        finally:
            slow.finished.set()

    monkeypatch.setattr(SearchIndex, "build", staticmethod(build))
    yield slow
    slow.release.set()


async def test_quitting_while_indexing_exits_cleanly(make_app: AppFactory, slow_build: SlowBuild) -> None:
    """A big pack can take seconds to index: quitting meanwhile ends the app
    at once, and the index that arrives after is dropped without a word."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        assert not slow_build.finished.is_set()
        slow_build.release.set()
    assert app.return_code == 0
    assert not app.is_running


async def test_a_failed_index_is_reported_and_searches_do_not_hang(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(pack: Pack, helper: EncodingHelper | None = None) -> SearchIndex:
        raise MemoryError

    monkeypatch.setattr(SearchIndex, "build", staticmethod(broken))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_query(pilot, app, "jen")
        assert main_screen(app).results is None
        assert "Search is unavailable: indexing failed (MemoryError)" in notifications(app)


async def test_a_query_typed_while_indexing_says_so_then_gets_its_results(
    make_app: AppFactory, slow_build: SlowBuild
) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", "j", "e", "n")
        await pilot.pause()
        assert "Indexing the pack" in summary_text(app)
        assert results_text(app) == []
        slow_build.release.set()
        await settle(app)
        await pilot.pause()
        assert any("Jennifer" in row for row in results_text(app))
        assert "Indexing" not in summary_text(app)
        for _ in range(3):
            await pilot.press("backspace")
        await settle(app)
        await pilot.pause()
        assert "Type to search" in summary_text(app)


def in_view(pane: TextPane) -> bool:
    """Is the first line of the block `pane` points at on screen?"""
    assert pane.target is not None
    start, _ = pane.block_lines(pane.target)
    top = pane.scroll_offset.y
    return top <= start < top + pane.scrollable_content_region.height


@pytest.mark.parametrize(
    ("size", "query", "field"),
    [
        ((120, 40), "tarot", "note"),
        ((80, 24), "tarot", "note"),
        ((80, 24), "pigeonweek", "series review"),
        ((120, 40), "pigeonweek", "series review"),
    ],
)
async def test_enter_lands_on_the_matched_note_or_review_in_view(
    make_app: AppFactory, size: tuple[int, int], query: str, field: str
) -> None:
    app = make_app(level=Level.OFF)
    async with app.run_test(size=size) as pilot:
        screen = main_screen(app)
        hit = await jump(pilot, app, query, field)
        pane = screen.query_one("#characters" if field == "note" else "#reviews", TextPane)
        assert screen.focused is pane and pane.target is not None
        assert pane.blocks[pane.target].frame == "bar"
        words = hit.snippet.strip("…").split()[:3]
        assert " ".join(words) in " ".join(pane.blocks[pane.target].content.plain.split())
        assert in_view(pane)
        assert pane.scroll_offset.y > 0  # the match is not at the top of the pane


async def test_ctrl_s_in_the_box_reveals_and_the_results_refresh_at_once(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("slash")
        await type_query(pilot, app, "mandarin")
        assert "locked" in summary_text(app)
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert screen.query_one("#search-input", Input).value == "mandarin"  # not typed into the query
        assert screen.focused is screen.query_one("#search-input")
        assert any("mandarin" in row.lower() for row in results_text(app))
        assert "locked" not in summary_text(app)
        await pilot.press("ctrl+s")  # back to the saved level: the locked count returns
        await settle(app)
        await pilot.pause()
        assert not any("mandarin" in row.lower() for row in results_text(app))
        assert "locked" in summary_text(app)


async def test_down_leaves_the_box_when_nothing_is_visible_and_s_reveals(make_app: AppFactory) -> None:
    app = make_app(watched=[1])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        assert await search(pilot, app, "mandarin") == []
        await pilot.press("down")
        await pilot.press("s")
        await settle(app)
        await pilot.pause()
        assert screen.query_one("#search-input", Input).value == "mandarin"
        assert screen.focused is screen.query_one(ResultsList)
        assert any("mandarin" in row.lower() for row in results_text(app))
        await pilot.press("up")
        assert screen.focused is screen.query_one("#search-input")


async def test_a_new_search_clears_the_marks_of_the_last(make_app: AppFactory) -> None:
    app = make_app(level=Level.OFF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await jump(pilot, app, "tarot", "note")
        assert screen.character_mark is not None
        await pilot.press("slash")
        await type_query(pilot, app, "x")
        assert screen.character_mark is None and screen.recap_marks is None
        characters = screen.query_one("#characters", TextPane)
        await pilot.pause()
        assert not any(block.frame == "bar" for block in characters.blocks)
        await pilot.press("escape")  # a cancelled search leaves no marks either
        assert screen.search is not None and not screen.search.marking


async def test_a_typo_is_answered_with_the_word_meant_and_says_so(make_app: AppFactory) -> None:
    app = make_app(level=Level.OFF)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_query(pilot, app, "tarrot")
        assert summary_text(app).startswith("Showing results for tarot")
        assert any("tarot" in row.lower() for row in results_text(app))


async def test_keys_typed_right_after_up_from_the_results_reach_the_box(make_app: AppFactory) -> None:
    """Up from the first result and "x" in one burst: the "x" is typed into
    the query, not read by the results as a key."""
    app = make_app(watched=[1, 2])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_query(pilot, app, "tarot")
        await pilot.press("down")
        await burst(pilot, app, [("up", None), ("k", "k"), ("s", "s")])
        screen = main_screen(app)
        assert screen.query_one("#search-input", Input).value == "tarotks"
        assert screen.focused is screen.query_one("#search-input", Input)


async def test_an_answer_that_draws_the_same_rows_keeps_them_and_draws_what_follows(
    make_app: AppFactory,
) -> None:
    """A keystroke that finds what is already drawn (and more): the rows
    drawn stay, the cursor with them, and the hits after them are drawn
    from the new answer."""
    recap = ["lorem ipsum mandolin dolor"]
    pack = make_pack(5, overrides={n: make_episode(n, recap=recap) for n in range(1, 6)})
    app = make_app(pack, level=Level.OFF)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("slash")
        await type_query(pilot, app, "mandolin")
        screen = main_screen(app)
        listing = screen.query_one(ResultsList)
        index = SearchIndex.build(pack)
        screen.results = index.search("mandolin", screen.viewer, limit=2)
        await pilot.pause()
        assert [hit.episode for hit in listing.hits] == [1, 2]
        second = listing.entries.index(listing.hits[1])
        listing.place_cursor(second)
        screen.results = index.search("mandolin", screen.viewer, limit=5)
        await pilot.pause()
        assert [hit.episode for hit in listing.hits] == [1, 2, 3, 4, 5]
        assert listing.cursor == second
        assert summary_text(app).startswith("5 matches")


async def test_a_query_longer_than_the_box_keeps_the_cursor_in_view(make_app: AppFactory) -> None:
    """The box scrolls with the cursor though typing lays nothing out."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_query(pilot, app, " ".join(["tarot"] * 20))
        box = main_screen(app).query_one("#search-input", Input)
        region = box.region  # the cursor after the last character sits in the padding
        assert box.scroll_offset.x > 0
        assert region.contains_point(box.cursor_screen_offset)
        await pilot.press("home")
        await pilot.pause()
        assert box.scroll_offset.x == 0
        assert region.contains_point(box.cursor_screen_offset)
        await pilot.press("end", "ctrl+w", "ctrl+w")
        await pilot.pause()
        assert box.value == " ".join(["tarot"] * 18) + " "
        assert region.contains_point(box.cursor_screen_offset)
