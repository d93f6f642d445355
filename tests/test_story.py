"""The story so far (`core.story`): summaries of what was watched, where the
last one leaves off, and Markdown that reads exactly as written."""

from __future__ import annotations

from packs import make_episode, make_pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.story import story_json, story_markdown, story_so_far

SUMMARY_1 = "Summary one: the friends agree to share a flat."
SUMMARY_2 = "Summary two: a quarrel at the studio, then photographs."
RECAP_2 = [
    "Recap two opens on a cold morning.",
    "The middle of it wanders. Then the photographs turn up. He walks in and sees her face.",
]


def _pack():
    return make_pack(
        overrides={
            1: make_episode(1, summary=SUMMARY_1, recap=["Recap one, told at length."]),
            2: make_episode(2, summary=SUMMARY_2, recap=RECAP_2),
            3: make_episode(3, recap=["Recap three, which has no summary.", "Its last paragraph."]),
        }
    )


def test_tells_the_summaries_of_watched_episodes_in_order() -> None:
    story = story_so_far(_pack(), Viewer(frozenset({2, 1})))
    assert [part.number for part in story.parts] == [1, 2]
    assert [part.paragraphs for part in story.parts] == [(SUMMARY_1,), (SUMMARY_2,)]
    assert "Recap one" not in story_markdown(story)
    assert story.next_episode == 3
    assert story.covers == "Covers episodes 1, 2 of 4."


def test_ends_with_where_the_last_episode_leaves_off() -> None:
    story = story_so_far(_pack(), Viewer(frozenset({1, 2})))
    # The last sentence is short, so the one before it comes too.
    assert story.ending == "Then the photographs turn up. He walks in and sees her face."
    assert "**Where it leaves off:** Then the photographs" in story_markdown(story)


def test_an_episode_without_a_summary_is_told_by_its_recap() -> None:
    story = story_so_far(_pack(), Viewer(frozenset({3})))
    (part,) = story.parts
    assert part.paragraphs == ("Recap three, which has no summary.", "Its last paragraph.")
    assert not part.from_summary
    assert story.ending is None  # the recap already ends where the episode does
    assert story_json(story)["episodes"] == [
        {
            "number": 3,
            "season": 1,
            "number_in_season": 3,
            "title": "Title 3",
            "text": list(part.paragraphs),
            "from": "recap",
        }
    ]


def test_a_peek_is_not_retold_and_unwatched_episodes_stay_out() -> None:
    story = story_so_far(_pack(), Viewer(frozenset({1}), peek=2))
    assert [part.number for part in story.parts] == [1]
    assert SUMMARY_2 not in story_markdown(story)


def test_nothing_watched_tells_nothing() -> None:
    story = story_so_far(_pack(), Viewer())
    assert story.parts == ()
    assert story.ending is None
    assert "Nothing watched yet" in story_markdown(story)
    assert story.next_episode is None  # "start with episode 1" says it once
    assert "Next up" not in story_markdown(story)


def test_spoilers_off_tells_everything_without_a_next_episode() -> None:
    story = story_so_far(_pack(), Viewer(level=Level.OFF))
    assert [part.number for part in story.parts] == [1, 2, 3, 4]
    assert story.next_episode is None
    assert story.covers == "Covers episodes 1, 2, 3, 4 of 4."


def test_one_episode_is_singular() -> None:
    assert story_so_far(_pack(), Viewer(frozenset({1}))).covers == "Covers episode 1 of 4."


def test_markdown_keeps_pack_text_literal() -> None:
    pack = make_pack(overrides={1: make_episode(1, title="# Not [a](link)", summary="*bold* <b>x</b>")})
    text = story_markdown(story_so_far(pack, Viewer(frozenset({1}))))
    assert "## 1. # Not \\[a\\](link)" in text  # no link; "#" mid-line is no heading
    assert "\\*bold\\* \\<b\\>x\\</b\\>" in text
