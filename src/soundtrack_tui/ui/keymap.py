"""User key remapping: `keys.toml` maps binding ids to keys.

Every binding in the app has an `id`; Textual's keymap (`App.set_keymap`)
swaps the key of a binding by id wherever that binding is defined, so one
small file can remap the whole app without the app knowing where each
binding lives. The file is validated in full before anything is applied:
a typo should not leave the user with half their keys moved, so any problem
keeps every default and is reported once.

```toml
# ~/.config/soundtrack/keys.toml
toggle-watched = "m"
search = "/,ctrl+f"
```
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import platformdirs
from textual.binding import Binding
from textual.keys import Keys, key_to_character

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
            raise ValueError(f"unknown binding id {binding_id!r} (the help screen, ?, lists them)")
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f'{binding_id}: expected a key string such as "m" or "ctrl+m"')
        keys = [key.strip() for key in value.split(",")]
        for key in keys:
            if not valid_key(key):
                raise ValueError(f"{binding_id}: {key!r} is not a key Textual knows")
        keymap[binding_id] = ",".join(normalized(key) for key in keys)
    return keymap


def normalized(key: str) -> str:
    """`key` as Textual names it in bindings (`?` is `question_mark`), so a
    remapped key compares equal to the same key bound by default."""
    (binding,) = Binding.make_bindings([Binding(key, "")])
    return binding.key


def load_keymap(path: Path, known_ids: Callable[[], Collection[str]]) -> KeymapConfig:
    """Read `path`; a missing file is the normal case and says nothing.
    `known_ids` is called only when there is a file to check: listing them
    imports every screen."""
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
        return KeymapConfig(problem=f"{path}: {error}; default keys kept")
    return KeymapConfig(keymap)
