"""`new`: a skeleton pack that `check` accepts, so an author starts from
something that works and replaces the text marked for writing.

The skeleton cites one source, which the author points at a real article;
every text says what belongs in it, so nothing in it can pass for content.
"""

from __future__ import annotations

import json
from pathlib import Path

from soundtrack_tui.core.files import describe_os_error
from soundtrack_tui.core.importers.writer import pack_id, write_new_folder
from soundtrack_tui.exit_codes import EXIT_CONTENT, EXIT_OK
from soundtrack_tui.output import Output, error


def _toml(text: str) -> str:
    """A TOML basic string: JSON's escaping is valid TOML."""
    return json.dumps(text, ensure_ascii=False)


def skeleton(title: str, episodes: int, folder: Path) -> dict[str, str]:
    """The files of a new pack, by path relative to its folder."""
    width = max(2, len(str(episodes)))
    files = {
        "show.toml": "\n".join(
            [
                "format = 1",
                f"id = {_toml(pack_id(title, folder))}",
                f"title = {_toml(title)}",
                f"episode_count = {episodes}",
                'synopsis = "Write the premise here, as the promotion tells it: nothing an episode reveals."',
                "",
                "# Every fact should be traceable to an article: one [[sources]] entry each.",
                "[[sources]]",
                'key = "source-1"',
                'outlet = "Name of the publication"',
                'title = "Title of the article"',
                'url = "https://example.org/replace-with-the-article"',
                "",
            ]
        ),
        "characters.toml": "\n".join(
            [
                "# One [[characters]] table per character; see docs/content-format.md.",
                "characters = []",
                "",
            ]
        ),
    }
    for number in range(1, episodes + 1):
        files[f"episodes/{number:0{width}d}.toml"] = "\n".join(
            [
                f"number = {number}",
                f'title = "Episode {number}"',
                'logline = "What the episode\'s blurb says: the situation at its start, no more."',
                'recap = """',
                f"Write the story of episode {number} here, in paragraphs separated by blank lines.",
                '"""',
                'sources = ["source-1"]',
                "",
            ]
        )
    return files


def new_pack(path: str, title: str, episodes: int) -> int:
    """Write the skeleton into a new folder at `path`, all or nothing."""
    folder = Path(path)
    try:
        write_new_folder(folder, skeleton(title, episodes, folder))
    except FileExistsError:
        error(f"{folder} already exists; choose a new folder for the pack")
        return EXIT_CONTENT
    except OSError as failure:
        error(f"could not create {folder}: {describe_os_error(failure)}")
        return EXIT_CONTENT
    out = Output()
    out.line((f"Created {folder}", "bold"), (f" ({episodes} episodes)", "dim"))
    out.line((f"Fill in the texts, then run: soundtrack check {folder}", ""))
    return EXIT_OK
