"""The index build may hand the encoding of a pack's last texts to a helper
process, on the other core. Whatever the helper does, the index is the one
a build alone makes; its encoded texts cross a pipe intact or not at all;
and the helper never outlives its parent."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packs import make_character, make_pack
from soundtrack_tui.core import cache, indexer
from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.index_helper import HelperProcess, helper_command
from soundtrack_tui.core.indexer import load_index_helped
from soundtrack_tui.core.loader import load_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.search import SearchIndex
from soundtrack_tui.core.search.documents import leading_sources, sources
from soundtrack_tui.core.search.index import HELPER_SHARE
from soundtrack_tui.core.search.tokens import Encoded
from test_cache import cache_home, pack, pack_of  # noqa: F401  (fixtures)


class Helper:
    """A helper in this process: encodes the texts it is told to, and
    sends them through the bytes a helper process would write. `lie`
    drops its last text; `fail` makes it unable to start, or (after
    starting) to answer."""

    def __init__(self, built: Pack, *, fail: str = "", lie: bool = False) -> None:
        self.pack = built
        self.fail = fail
        self.lie = lie
        self.told: list[int] = []

    def start(self, first: int) -> bool:
        self.told.append(first)
        return self.fail != "start"

    def result(self) -> Encoded | None:
        if self.fail == "result":
            return None
        texts = [text for _, _, text in islice(sources(self.pack), self.told[-1], None)]
        return Encoded.from_bytes(Encoded.of(texts[:-1] if self.lie else texts).to_bytes())


def _state(index: SearchIndex) -> dict[str, object]:
    return {
        name: list(value) if isinstance(value, memoryview) else value
        for name, value in index.__getstate__().items()
    }


def _kana_pack() -> Pack:
    """Recaps with a lone voicing mark (a token that folds to "") and
    Hangul, split one character per token, in the helper's share."""
    person = make_character("sun-woo", "Han Sun-woo", aliases=["한선우", "선우"], first_episode=1)
    return make_pack(5, characters=[person], vocabulary=["card", "tarot", "゙", "한선우는", "カード", "studio"])


def _bundled() -> Pack:
    return load_pack(bundled_pack())


@pytest.mark.parametrize("made", [_bundled, _kana_pack, lambda: make_pack(12, paragraphs=3)])
def test_a_helped_build_is_the_build(made: Callable[[], Pack]) -> None:
    built = made()
    helper = Helper(built)
    helped = SearchIndex.build(built, helper)
    episodes = len(built.episodes)
    assert helper.told == [leading_sources(built, episodes - round(HELPER_SHARE * episodes))]
    assert 0 < helper.told[0] < len(list(sources(built)))
    assert _state(helped) == _state(SearchIndex.build(built))


@pytest.mark.parametrize("fail, lie", [("start", False), ("result", False), ("", True)])
def test_a_helper_that_fails_leaves_its_share_to_the_build(fail: str, lie: bool) -> None:
    built = _kana_pack()
    helper = Helper(built, fail=fail, lie=lie)
    assert _state(SearchIndex.build(built, helper)) == _state(SearchIndex.build(built))
    assert len(helper.told) == 1


def test_a_one_episode_pack_asks_no_helper() -> None:
    helper = Helper(make_pack(1))
    SearchIndex.build(helper.pack, helper)
    assert helper.told == []


@given(st.lists(st.text(max_size=40), max_size=8))
def test_encoded_texts_cross_the_pipe_whole_or_not_at_all(texts: list[str]) -> None:
    encoded = Encoded.of(texts)
    data = encoded.to_bytes()
    assert Encoded.from_bytes(data) == encoded
    for cut in range(len(data)):
        with pytest.raises(ValueError):
            Encoded.from_bytes(data[:cut])


def test_an_id_with_no_word_is_refused() -> None:
    encoded = Encoded.of(["tarot card"])
    encoded.sequences[0][1] = 7
    with pytest.raises(ValueError, match="no word"):
        Encoded.from_bytes(encoded.to_bytes())


def test_the_helper_process_encodes_the_stored_pack_from_where_it_is_told(pack: Path) -> None:  # noqa: F811
    loaded = pack_of(pack)  # and stored
    first = leading_sources(loaded, 2)
    with HelperProcess(pack) as helper:
        helper.launch()
        assert helper.start(first)
        found = helper.result()
    assert found == Encoded.of(text for _, _, text in islice(sources(loaded), first, None))


def test_a_helper_with_no_stored_pack_answers_nothing(pack: Path) -> None:  # noqa: F811
    """The pack changed since the child stored it, or was never stored:
    the helper has nothing it may encode."""
    with HelperProcess(pack) as helper:
        helper.launch()
        assert helper.start(0)
        assert helper.result() is None
    assert not cache.is_cached(pack)


def test_the_helper_ends_when_its_parent_is_gone(pack: Path) -> None:  # noqa: F811
    """Waiting to be told its share, it sees its stdin close and exits."""
    pack_of(pack)
    helper = subprocess.Popen(helper_command(pack), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert helper.stdin is not None and helper.stdout is not None
    helper.stdin.close()
    try:
        assert helper.wait(timeout=60) == 1
    finally:
        helper.kill()
    assert helper.stdout.read() == b""
    helper.stdout.close()


def test_the_command_line_has_a_big_packs_first_build_helped(
    pack: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`soundtrack search` on a big pack stored without its index builds it
    with a helper process; once the index is stored, no helper starts."""
    monkeypatch.setattr(indexer, "CHILD_MIN_EPISODES", 4)
    told: list[int] = []
    start = HelperProcess.start

    def recorded(helper: HelperProcess, first: int) -> bool:
        told.append(first)
        return start(helper, first)

    monkeypatch.setattr(HelperProcess, "start", recorded)
    loaded = pack_of(pack)
    helped = load_index_helped(loaded)
    assert len(told) == 1 and cache.is_cached(pack, "index")
    assert _state(helped) == _state(SearchIndex.build(loaded))
    load_index_helped(loaded)
    assert len(told) == 1
