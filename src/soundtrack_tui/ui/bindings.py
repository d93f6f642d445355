"""The bindings of the app's classes, read from their `BINDINGS`.

Help lists every context's keys, including screens not open yet, so it
reads the classes rather than live widgets; hints ("w mark watched") name
the key a binding id has now; keys.toml is checked against the ids found
here. The app says which classes count (`Owners`), so this module never
imports the screens it describes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

Owners = Callable[[], Iterable[tuple[str, type[DOMNode]]]]
"""Every class with BINDINGS and the title help shows it under, in order:
a lookup stops at the first class that has the id, so classes imported on
demand come last."""
Contexts = Callable[[], Iterable[Sequence[type[DOMNode]]]]
"""Each set of classes whose keys are live at once, the focused widget's
first: the widget, its screen, and the app unless the screen is modal."""
KeyDisplay = Callable[[Binding], str]
"""`App.get_key_display`: how a key is written for the user."""

HIDDEN_ACTIONS = frozenset(
    {
        "help_quit",
        "scroll_left",
        "scroll_right",
        "page_left",
        "page_right",
        "app.focus_next",
        "app.focus_previous",
    }
)
"""Textual's own keys that help does not list: text never scrolls sideways,
and an overlay has one thing to focus (the main screen's Tab moves between
panes, under its own id)."""


class KeyRow(NamedTuple):
    keys: str
    description: str
    binding_id: str | None


class KeySection(NamedTuple):
    title: str
    rows: Sequence[KeyRow]


def declared_bindings(owner: type[DOMNode], *, inherited: bool = True) -> BindingsMap:
    """The bindings `owner` declares and, if `inherited`, those it inherits:
    each class's `BINDINGS` from the oldest base on, a later class taking a
    key over, as Textual merges them when it builds a widget. None of our
    classes descends from one that turns inheritance off (`Static` does);
    tests/ui/test_keymap.py checks the result against Textual's own merge."""
    classes: Iterable[type] = reversed(owner.__mro__) if inherited else (owner,)
    keys: dict[str, list[Binding]] = {}
    for cls in classes:
        keys.update(BindingsMap(cls.__dict__.get("BINDINGS", [])).key_to_bindings)
    return BindingsMap.from_keys(keys)


def find_binding(owners: Owners, binding_id: str) -> Binding | None:
    for _, owner in owners():
        for _, binding in declared_bindings(owner):
            if binding.id == binding_id:
                return binding
    return None


def owners_on(owners: Owners, contexts: Contexts, screen: DOMNode) -> Owners:
    """`owners` cut to the classes whose keys act on `screen`: help lists
    what works where it was opened, not the keys of other screens."""

    def live() -> Iterator[tuple[str, type[DOMNode]]]:
        classes = {
            cls
            for context in contexts()
            if any(isinstance(screen, cls) for cls in context)
            for cls in context
        }
        return ((title, owner) for title, owner in owners() if owner in classes)

    return live


def binding_ids(owners: Owners) -> set[str]:
    """Every binding id a keys.toml may name."""
    return {binding.id for _, owner in owners() for _, binding in declared_bindings(owner) if binding.id}


def key_label(owners: Owners, keymap: Mapping[str, str], display: KeyDisplay, binding_id: str) -> str:
    """The key the user presses for `binding_id` now, remaps included (the
    first key when there are several)."""
    binding = find_binding(owners, binding_id)
    if binding is None:
        return binding_id
    key = keymap.get(binding_id, binding.key)
    return display(binding.with_key(key.split(",")[0].strip()))


def help_sections(
    owners: Owners, keymap: Mapping[str, str], display: KeyDisplay, own_only: Iterable[type[DOMNode]] = ()
) -> list[KeySection]:
    """Every key by context, as help lists them: one row per action (its
    keys together), the nine episode jumps as one row. Classes in
    `own_only` list only the keys they declare: the search box inherits
    Input's editing keys, standard and too many to be useful here."""
    skip_inherited = frozenset(own_only)
    sections: list[KeySection] = []
    for title, owner in owners():
        bindings = declared_bindings(owner, inherited=owner not in skip_inherited)
        if keymap:
            bindings.apply_keymap(dict(keymap))
        rows = _rows(bindings, display)
        if rows:
            sections.append(KeySection(title, rows))
    return sections


def _rows(bindings: BindingsMap, display: KeyDisplay) -> list[KeyRow]:
    seen: dict[tuple[str, str | None, str], list[str]] = {}
    jumps: list[tuple[str, str]] = []
    for key, binding in bindings:
        if binding.system or binding.action in HIDDEN_ACTIONS:
            continue
        shown = display(binding.with_key(key))
        if binding.action.startswith("jump("):
            jumps.append((shown, binding.id or ""))
            continue
        label = binding.description or binding.tooltip or binding.action
        seen.setdefault((label, binding.id, binding.tooltip), []).append(shown)
    rows = [
        KeyRow(" ".join(dict.fromkeys(keys)), tooltip or label, binding_id)
        for (label, binding_id, tooltip), keys in seen.items()
    ]
    if jumps:
        ids = f"{jumps[0][1]} … {jumps[-1][1]}" if len(jumps) > 1 else jumps[0][1]
        rows.append(KeyRow(" ".join(shown for shown, _ in jumps), "Jump to that episode", ids))
    return rows
