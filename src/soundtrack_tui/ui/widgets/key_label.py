"""How panes ask for the key currently bound to an action.

Gate lines and hints name keys ("w mark watched"); after a remap in
keys.toml they must name the new key, so panes never hard-code them and
ask the app through this callable instead."""

from __future__ import annotations

from collections.abc import Callable

KeyLabel = Callable[[str], str]
"""Binding id -> the key to show for it, e.g. "toggle-watched" -> "w"."""


def default_key_label(binding_id: str) -> str:
    return binding_id
