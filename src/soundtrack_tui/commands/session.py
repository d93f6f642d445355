"""What every data command starts from: the pack, its progress and the
viewer they imply, and the one-line failure a command may end with."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.model import Pack
from soundtrack_tui.core.policy import Level, Viewer
from soundtrack_tui.core.progress import ProgressStore, state_dir
from soundtrack_tui.exit_codes import EXIT_CONTENT
from soundtrack_tui.output import error


class CommandError(Exception):
    """A failure the user should see as one line, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_CONTENT) -> None:
        super().__init__(message)
        self.code = code


def pack_path(content: str | None) -> Path:
    return Path(content) if content else bundled_pack()


def command_line(command: str, content: str | None, show: str | None = None) -> str:
    """ "soundtrack watched 3 --content night-shift", quoted for a shell."""
    words = ["soundtrack", command]
    if show:
        words.append(f"--show {shlex.quote(show)}")
    elif content:
        words.append(f"--content {shlex.quote(content)}")
    return " ".join(words)


def open_pack(content: str | None) -> Pack:
    """The pack `--content` names (or the bundled one), or a `CommandError`
    with its first problem."""
    # The parsed-pack cache: a clean pack is read from its files once,
    # then loaded in milliseconds while they are unchanged (`check`
    # never uses it and always validates the files).
    from soundtrack_tui.core.cache import load_pack_cached

    result = load_pack_cached(pack_path(content))
    if result.errors or result.pack is None:
        first = result.errors[0] if result.errors else "the pack could not be loaded"
        count = len(result.errors)
        more = f" (run {command_line('check', content)} for all {count} problems)" if count > 1 else ""
        raise CommandError(f"{first}{more}")
    return result.pack


@dataclass
class Session:
    """A loaded pack, its progress store and the viewer they imply."""

    pack: Pack
    store: ProgressStore
    spoilers: bool
    content: str | None = None  # as typed, for hints that name the pack
    show: str | None = None  # the library id, which hints prefer to a path

    def hint(self, command: str) -> str:
        """`soundtrack COMMAND`, with the pack named when it is not the
        bundled one, ready to copy."""
        return command_line(command, self.content, self.show)

    @classmethod
    def open(cls, content: str | None, state: str | None, spoilers: bool = False) -> Session:
        pack = open_pack(content)
        store = ProgressStore(state_dir(state), pack.show.id)
        store.load()
        return cls(pack, store, spoilers, content)

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
