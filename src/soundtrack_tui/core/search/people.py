"""Characters as search terms: any of a character's names means the character.

Readers type a character the way the recap they last read spelled it:
"Seon-woo", "선우", "ソヌ". A pack lists those spellings as aliases, so a
query that spells one of them looks for all of them. Which strings name
whom is worked out once, when the index is built, and stored with it.

Keys are names squashed as search squashes query words ("Sun-woo" and
"sun woo" are "sunwoo"). Romanization varies beyond what authors list
(Dong-hyeon, Dong-hyun, Donghyun), so names also have a folded key in
which the common variant spellings of Korean vowels coincide. Folding
only ever applies to these keys: the text's own words are never folded,
so "son" does not find "sun". A query run is looked up by its exact key
first, and by its folded key only when its letters occur nowhere as
written, so a word that is in the text means that word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from soundtrack_tui.core import textnorm
from soundtrack_tui.core.model import Character
from soundtrack_tui.core.policy import Viewer

__all__ = ["MAX_NAME_WORDS", "People", "folded_key", "name_runs", "spellings_of"]

MAX_NAME_WORDS = 6  # "Eun Soo's mother" is four query words
_MIN_FOLDED = 4  # shorter keys fold onto too many English words
# Each pair maps variant romanizations of one Korean vowel onto one
# spelling, applied in this order: eo/u/o, eu/u, oo/u, ae/e (hyeon/hyun
# and joo/ju follow from them).
_ROMANIZATION = (("eo", "u"), ("eu", "u"), ("oo", "u"), ("ae", "e"), ("o", "u"))
_DOUBLED = re.compile(r"(.)\1+")  # "Woo Ill" is "Woo Il"
_HYPHENATED = re.compile(r"[^\W\d_]-[^\W\d_]")  # "Sun-woo": a romanized Korean given name

CharacterSet = tuple[int, ...]  # indexes into `Pack.characters`, ascending


def folded_key(squashed: str) -> str:
    """`squashed` with variant romanizations made one: "donghyeon" and
    "donghyun" both give "dunghyun"."""
    for old, new in _ROMANIZATION:
        squashed = squashed.replace(old, new)
    return _DOUBLED.sub(r"\1", squashed)


def spellings_of(person: Character) -> list[str]:
    """The name, the aliases and, for a Korean name written family name
    first ("Han Sun-woo"), the given name alone: texts use it most."""
    names = list(person.names)
    for name in person.names:
        parts = name.split()
        if len(parts) > 1 and _HYPHENATED.search(parts[-1]):
            names.append(" ".join(parts[1:]))
    return names


class People:
    """Which squashed names mean which characters, and how each character
    may be spelled. Immutable; `stored` and `restored` are what the
    index's cache entry keeps."""

    __slots__ = ("exact", "firsts", "folded", "spellings")

    exact: dict[str, CharacterSet]
    folded: dict[str, CharacterSet]
    spellings: tuple[tuple[str, ...], ...]  # squashed, per character
    firsts: tuple[int, ...]  # each character's first episode

    def __init__(self, characters: Sequence[Character]) -> None:
        owners: dict[str, set[int]] = {}
        derived: dict[str, set[int]] = {}
        listed = [[textnorm.squash(name) for name in person.names] for person in characters]
        for index, person in enumerate(characters):
            for key in listed[index]:
                owners.setdefault(key, set()).add(index)
            for name in spellings_of(person)[len(listed[index]) :]:
                derived.setdefault(textnorm.squash(name), set()).add(index)
        # A given name shared by two characters, or that another one lists,
        # names nobody in particular: it is left out.
        for key, found in derived.items():
            if len(found) == 1 and owners.get(key, found) == found:
                owners.setdefault(key, set()).update(found)
        owners.pop("", None)
        self.exact = {key: tuple(sorted(found)) for key, found in owners.items()}
        spellings: list[list[str]] = [[] for _ in characters]
        for key, owned in self.exact.items():
            for index in owned:
                spellings[index].append(key)
        self.spellings = tuple(tuple(sorted(keys)) for keys in spellings)
        self.folded = _fold_keys(self.exact)
        self.firsts = tuple(person.first_episode for person in characters)

    def stored(self) -> dict[str, object]:
        return {"people": (self.exact, self.spellings, self.firsts)}

    @classmethod
    def restored(cls, state: Mapping[str, object]) -> People:
        people = cls.__new__(cls)
        people.exact, people.spellings, people.firsts = state["people"]  # type: ignore[misc]
        people.folded = _fold_keys(people.exact)
        return people

    def met(self, viewer: Viewer) -> frozenset[int]:
        """The characters `viewer` has met. Only they are looked for under
        their other names: linking "Lauren" to a character the viewer has
        not met would tell who Lauren turns out to be."""
        return frozenset(index for index, first in enumerate(self.firsts) if viewer.unlocked(first))

    def find(self, squashed: str, met: frozenset[int], occurs: Callable[[], bool]) -> CharacterSet:
        """The met characters the squashed query run names: by its exact
        key, else by its folded key when the run itself `occurs` nowhere."""
        found = self.exact.get(squashed)
        if found is None and len(squashed) >= _MIN_FOLDED:
            candidates = self.folded.get(folded_key(squashed))
            found = candidates if candidates and not occurs() else None
        return tuple(index for index in found or () if index in met)


def _fold_keys(exact: Mapping[str, CharacterSet]) -> dict[str, CharacterSet]:
    folded: dict[str, set[int]] = {}
    for key, found in exact.items():
        folded.setdefault(folded_key(key), set()).update(found)
    return {key: tuple(sorted(found)) for key, found in folded.items()}


def name_runs(
    words: Sequence[str], find: Callable[[Sequence[str]], CharacterSet]
) -> dict[tuple[int, int], CharacterSet]:
    """Runs words[i:j] of the query that name characters (`find` says
    whom), longest first from the left, not overlapping."""
    runs: dict[tuple[int, int], CharacterSet] = {}
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_NAME_WORDS), i, -1):
            found = find(words[i:j])
            if found:
                runs[i, j] = found
                i = j
                break
        else:
            i += 1
    return runs
