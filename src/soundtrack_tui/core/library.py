"""The library: the bundled show plus the packs a user has installed.

Installed packs live in the data folder under `shows/<id>`. Installing
copies (or unpacks) the pack into a temporary folder next to them,
validates that copy, the one that will be used, and only then renames it
into place, so a refused or interrupted install never touches the show
already installed under that id. Progress is kept by id in the state
folder, apart from the pack, so replacing a pack keeps it.

Listing reads only each pack's show.toml and the progress file once: a
library of big packs is listed as fast as a small one. The TOML parser and
the unzipper are imported only where they are used: every command asks this
module which show to open, and a cached pack needs neither.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.errors import Problem
from soundtrack_tui.core.files import UnreadableFile, describe_os_error, read_capped
from soundtrack_tui.core.progress import FILE_NAME, MAX_PROGRESS_BYTES, state_dir
from soundtrack_tui.core.progress_document import CorruptProgress, entry_progress, parse_document
from soundtrack_tui.core.sanitize import one_line, sanitize

APP_NAME = "soundtrack"
DATA_DIR_ENV = "SOUNDTRACK_DATA_DIR"
SHOWS_FOLDER = "shows"
LAST_SHOW_FILE = "last-show"
_STAGING_PREFIX = ".installing-"


class LibraryError(Exception):
    """A library operation refused; `lines` are what the user sees, one
    problem a line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True, slots=True)
class LibraryShow:
    """One show of the library, as much as listing it needs."""

    id: str
    title: str
    episode_count: int
    seasons: int  # declared seasons; 0 when the show declares none
    watched: int
    path: Path
    bundled: bool

    @property
    def progress(self) -> str:
        return f"{self.watched}/{self.episode_count} watched"


def data_dir() -> Path:
    """$SOUNDTRACK_DATA_DIR, else the platform's per-user data folder."""
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def shows_dir() -> Path:
    return data_dir() / SHOWS_FOLDER


# -- installing and removing ------------------------------------------------


def install(source: Path, state: str | None = None) -> LibraryShow:
    """Install the pack folder or `.zip` at `source`; a pack with the same
    id is replaced. Raises `LibraryError` with every problem."""
    if not source.exists():
        raise LibraryError([f"{one_line(str(source))}: no such file or folder"])
    folder = shows_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=folder))
    except OSError as failure:
        raise LibraryError([f"cannot write the library at {folder}: {describe_os_error(failure)}"]) from None
    try:
        root = _stage(source, staging)
        pack_id = _validate(root)
        _move_into_place(root, folder / pack_id)
    except OSError as failure:
        shown = one_line(str(source))
        raise LibraryError([f"cannot install {shown}: {describe_os_error(failure)}"]) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _describe(folder / pack_id, bundled=False, watched=_watched_counts(state))


def remove(pack_id: str) -> Path:
    """Remove the installed pack `pack_id`; its progress is kept."""
    target = _installed_path(pack_id)
    if target is None:
        if pack_id == bundled_id():
            raise LibraryError([f"{pack_id} is the bundled show; it is always in the library"])
        raise LibraryError([unknown_show(pack_id)])
    aside = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=target.parent))
    os.replace(target, aside / "old")  # gone from the library at once, whole
    shutil.rmtree(aside, ignore_errors=True)
    return target


def _stage(source: Path, staging: Path) -> Path:
    """Copy or unpack `source` under `staging`; the folder holding show.toml."""
    from soundtrack_tui.core.pack_archive import ArchiveError, extract_zip

    unpacked = staging / "pack"
    if source.is_dir():
        _refuse_links(source)
        shutil.copytree(source, unpacked, symlinks=True)
    elif source.suffix.lower() == ".zip":
        unpacked.mkdir()
        try:
            extract_zip(source, unpacked)
        except ArchiveError as failure:
            raise LibraryError([f"{one_line(str(source))}: {failure}"]) from None
    else:
        raise LibraryError([f"{one_line(str(source))}: not a pack folder or a .zip of one"])
    if (unpacked / "show.toml").is_file():
        return unpacked
    inner = [child for child in unpacked.iterdir() if child.is_dir() and (child / "show.toml").is_file()]
    if len(inner) == 1 and len(list(unpacked.iterdir())) == 1:
        return inner[0]  # a zip of the pack's folder, not of its contents
    raise LibraryError([f"{one_line(str(source))}: no show.toml (a pack is a folder with show.toml)"])


def _refuse_links(source: Path) -> None:
    """A pack folder holds plain files and folders only: a symlink could
    point anywhere, and the copy must not follow it out of the pack."""
    for current, folders, files in os.walk(source):
        for name in folders + files:
            path = Path(current, name)
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                shown = one_line(str(path.relative_to(source)))
                raise LibraryError([f"{shown}: a symlink or special file; a pack holds plain files only"])


def _validate(root: Path) -> str:
    """The pack's id, once the loader finds no error in the staged copy."""
    from soundtrack_tui.core.loader import read_pack

    result = read_pack(root, lint=False)
    if result.errors or result.pack is None:
        problems = result.errors or [Problem(str(root), "", "the pack could not be loaded")]
        raise LibraryError([str(_relative(problem, root)) for problem in problems])
    return result.pack.show.id


def _relative(problem: Problem, root: Path) -> Problem:
    """The problem with its file named inside the pack, not the staging folder."""
    with contextlib.suppress(ValueError):
        shown = Path(problem.path).relative_to(root)
        return Problem(
            str(shown) if str(shown) != "." else "the pack",
            problem.key,
            problem.message,
            problem.line,
            problem.column,
            problem.severity,
        )
    return problem


def _move_into_place(root: Path, target: Path) -> None:
    """Rename the validated copy to `target`. An older copy is first moved
    aside (a rename, so the id is never half one pack and half the other),
    and put back should the second rename fail."""
    aside = root.parent / "replaced"
    had_old = target.exists()
    if had_old:
        os.replace(target, aside)
    try:
        os.replace(root, target)
    except OSError:
        if had_old:
            os.replace(aside, target)
        raise


# -- finding and listing ----------------------------------------------------


def bundled_id() -> str:
    return bundled_pack().name


def _installed_path(pack_id: str) -> Path | None:
    if not pack_id or pack_id.startswith(".") or "/" in pack_id or os.sep in pack_id:
        return None
    path = shows_dir() / pack_id
    return path if (path / "show.toml").is_file() else None


def pack_for(pack_id: str) -> Path:
    """The folder of show `pack_id`; an installed pack shadows the bundled
    one of the same id. Raises `LibraryError` for an id not in the library."""
    installed = _installed_path(pack_id)
    if installed is not None:
        return installed
    if pack_id == bundled_id():
        return bundled_pack()
    raise LibraryError([unknown_show(pack_id)])


def unknown_show(pack_id: str) -> str:
    ids = [show.id for show in list_shows()]
    close = difflib.get_close_matches(pack_id, ids, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"no show {one_line(pack_id)} in the library{hint} (soundtrack shows lists them)"


def list_shows(state: str | None = None) -> list[LibraryShow]:
    """The bundled show and every installed one, by title. A damaged
    installed pack is left out here; opening it reports why."""
    watched = _watched_counts(state)
    shows: dict[str, LibraryShow] = {}
    with contextlib.suppress(OSError):
        for folder in sorted(shows_dir().iterdir()):
            if folder.name.startswith("."):
                continue
            with contextlib.suppress(LibraryError):
                show = _describe(folder, bundled=False, watched=watched)
                if show.id == folder.name:
                    shows[show.id] = show
    bundled = bundled_pack()
    if bundled.name not in shows:
        shows[bundled.name] = _describe(bundled, bundled=True, watched=watched)
    return sorted(shows.values(), key=lambda show: (show.title.casefold(), show.id))


def _describe(folder: Path, *, bundled: bool, watched: dict[str, frozenset[int]]) -> LibraryShow:
    """What show.toml says of the show: the only file listing reads."""
    if sys.version_info >= (3, 14):
        import tomllib
    else:
        import tomli as tomllib

    from soundtrack_tui.core.tomlfile import MAX_FILE_BYTES

    try:
        document = tomllib.loads(read_capped(folder / "show.toml", MAX_FILE_BYTES).decode("utf-8"))
    except (UnreadableFile, UnicodeDecodeError, tomllib.TOMLDecodeError) as failure:
        raise LibraryError([f"{one_line(str(folder))}: {failure}"]) from None
    pack_id, title, count = document.get("id"), document.get("title"), document.get("episode_count")
    seasons = document.get("seasons", [])
    if not isinstance(pack_id, str) or not isinstance(title, str) or type(count) is not int:
        raise LibraryError([f"{one_line(str(folder))}: show.toml lacks an id, title or episode_count"])
    return LibraryShow(
        id=pack_id,
        title=sanitize(title),
        episode_count=count,
        seasons=len(seasons) if isinstance(seasons, list) else 0,
        watched=sum(1 for number in watched.get(pack_id, ()) if number <= count),
        path=folder,
        bundled=bundled,
    )


def _watched_counts(state: str | None) -> dict[str, frozenset[int]]:
    """The watched episodes of each pack id, from one read of the progress file.
    A damaged file counts as none here: the store reports and moves it
    aside when a show is opened."""
    try:
        document = parse_document(read_capped(state_dir(state) / FILE_NAME, MAX_PROGRESS_BYTES))
    except (UnreadableFile, CorruptProgress):
        return {}
    return {pack_id: entry_progress(entry).watched for pack_id, entry in document["packs"].items()}


# -- the show used last -----------------------------------------------------


def last_show(state: str | None = None) -> str | None:
    """The id of the show used last, if it is still in the library."""
    try:
        text = read_capped(state_dir(state) / LAST_SHOW_FILE, 256).decode("utf-8").strip()
    except (UnreadableFile, UnicodeDecodeError):
        return None
    if _installed_path(text) is None and text != bundled_id():
        return None
    return text


def remember_show(pack_id: str, state: str | None = None) -> None:
    """Record `pack_id` as the show used last. Best effort, and atomic: a
    crash leaves the old name or the new one, and failing to write it only
    means the next start opens another show."""
    folder = state_dir(state)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{LAST_SHOW_FILE}.", dir=folder)
        try:
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write(pack_id + "\n")
            os.replace(temp, folder / LAST_SHOW_FILE)
        except OSError:
            os.unlink(temp)
            raise
