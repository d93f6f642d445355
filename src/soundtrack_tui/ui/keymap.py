"""User key remapping: `keys.toml` maps binding ids to keys.

Every binding in the app has an `id`; Textual's keymap (`App.set_keymap`)
swaps the key of a binding by id wherever that binding is defined, so one
small file can remap the whole app without the app knowing where each
binding lives. The file is validated in full before anything is applied:
a typo should not leave the user with half their keys moved, so a problem
with the file keeps every default and is reported once, with a
did-you-mean for a misspelt id. A key given to a binding that another
binding live at the same time already has is a clash, not a typo: the
binding that had the key keeps it, the remap that took it is dropped and
named, and the rest of the file applies.

```toml
# ~/.config/soundtrack/keys.toml
toggle-watched = "m"
search = "/,ctrl+f"
```
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import platformdirs
from textual.binding import Binding
from textual.keys import Keys, key_to_character

from soundtrack_tui.ui.bindings import Contexts, declared_bindings

CONFIG_DIR_ENV = "SOUNDTRACK_CONFIG_DIR"
KEYS_FILE = "keys.toml"
MAX_CONFIG_BYTES = 64 * 1024

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<"))


def config_dir() -> Path:
    """$SOUNDTRACK_CONFIG_DIR, else the platform's per-user config folder."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("soundtrack"))


def keys_file() -> Path:
    return config_dir() / KEYS_FILE


class KeymapConfig(NamedTuple):
    """What `keys.toml` asked for (`keymap`, empty when nothing applies) and
    the one-line notice to show when the file had to be ignored."""

    keymap: Mapping[str, str] = MappingProxyType({})
    problem: str | None = None


def valid_key(key: str) -> bool:
    """Is `key` something Textual can bind: `x`, `?`, `ctrl+x`, `f5`,
    `question_mark`, `shift+tab`?"""
    *modifiers, name = key.split("+")
    if not name or any(modifier not in _MODIFIERS for modifier in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return name in _NAMED_KEYS or key_to_character(name) is not None


def parse_keymap(text: str, known_ids: Collection[str]) -> dict[str, str]:
    """Parse `keys.toml` text; raises ValueError with a message for the user."""
    # Imported here: most users have no keys.toml, and start-up skips it.
    if sys.version_info >= (3, 14):
        import tomllib
    else:
        import tomli as tomllib
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML ({error})") from None
    keymap: dict[str, str] = {}
    for binding_id, value in document.items():
        if binding_id not in known_ids:
            raise ValueError(f"unknown binding id {binding_id!r}{_did_you_mean(binding_id, known_ids)}")
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f'{binding_id}: expected a key string such as "m" or "ctrl+m"')
        keys = [key.strip() for key in value.split(",")]
        for key in keys:
            if not valid_key(key):
                raise ValueError(f"{binding_id}: {key!r} is not a key Textual knows")
        keymap[binding_id] = ",".join(normalized(key) for key in keys)
    return keymap


RENAMED_IDS = {"overlay-down": "scroll-down", "overlay-up": "scroll-up"}
"""Ids a keys.toml may still use from before the overlays and the panes
shared their scrolling keys; the closest match would not always be these."""


def _did_you_mean(binding_id: str, known_ids: Collection[str]) -> str:
    renamed = RENAMED_IDS.get(binding_id)
    close = (
        [renamed] if renamed in known_ids else difflib.get_close_matches(binding_id, sorted(known_ids), n=1)
    )
    return f" (did you mean {close[0]!r}?)" if close else " (the help screen, ?, lists them)"


def clashes(keymap: Mapping[str, str], contexts: Contexts) -> tuple[dict[str, str], list[str]]:
    """`keymap` without the remaps that take a key from another binding live
    at the same time, and one line naming each clash.

    Only a remapped key can clash: the defaults share keys on purpose (Esc
    closes the search inside the screen whose Esc goes back). Dropping a
    remap gives that binding its default keys back, which may clash in turn,
    so the check runs until nothing changes."""
    kept = dict(keymap)
    lines: list[str] = []
    while True:
        clash = _first_clash(kept, contexts)
        if clash is None:
            return kept, lines
        key, keeper, loser = clash
        del kept[loser]
        lines.append(f'{KEYS_FILE}: "{key}" is bound to both {keeper} and {loser}; {keeper} keeps it')


def _first_clash(keymap: Mapping[str, str], contexts: Contexts) -> tuple[str, str, str] | None:
    """(key, binding that keeps it, remapped binding id that loses it)."""
    order = list(keymap)
    for context in contexts():
        holders: dict[str, list[tuple[str, bool]]] = {}
        for name, default_keys in _context_bindings(context).items():
            remapped = keymap.get(name)
            keys = remapped.split(",") if remapped is not None else default_keys
            for key in keys:
                holders.setdefault(key, []).append((name, key not in default_keys))
        for key, names in holders.items():
            if len(names) < 2 or not any(taken for _, taken in names):
                continue
            owners = [name for name, taken in names if not taken]
            takers = sorted((name for name, taken in names if taken), key=order.index)
            keeper = owners[0] if owners else takers.pop(0)
            return key, keeper, takers[0]
    return None


def _context_bindings(context: Iterable[type]) -> dict[str, list[str]]:
    """Each binding live in `context` by its id (a built-in one without an
    id by its action), with its default keys."""
    found: dict[str, list[str]] = {}
    for owner in context:
        for key, binding in declared_bindings(owner):
            name = binding.id or binding.action
            keys = found.setdefault(name, [])
            if key not in keys:
                keys.append(key)
    return found


def normalized(key: str) -> str:
    """`key` as Textual names it in bindings (`?` is `question_mark`), so a
    remapped key compares equal to the same key bound by default."""
    (binding,) = Binding.make_bindings([Binding(key, "")])
    return binding.key


def load_keymap(path: Path, known_ids: Callable[[], Collection[str]], contexts: Contexts) -> KeymapConfig:
    """Read `path`; a missing file is the normal case and says nothing.
    `known_ids` and `contexts` are called only when there is a file to
    check: listing them imports every screen."""
    try:
        if not path.is_file():
            if path.exists():
                return KeymapConfig(problem=f"{path} is not a file; default keys kept")
            return KeymapConfig()
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return KeymapConfig(problem=f"{path} is too large; default keys kept")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return KeymapConfig(problem=f"cannot read {path} ({error}); default keys kept")
    try:
        keymap = parse_keymap(text, known_ids())
    except ValueError as error:
        return KeymapConfig(problem=f"{KEYS_FILE}: {error}; default keys kept")
    kept, lines = clashes(keymap, contexts)
    return KeymapConfig(MappingProxyType(kept), "\n".join(lines) or None)
