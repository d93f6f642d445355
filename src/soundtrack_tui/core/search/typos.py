"""Forgiving typos: a long query word that matches nothing is read as the
nearest word of the index's vocabulary ("tarrot" as "tarot").

Only words that find nothing are retried, so a correct query never pays
for it; and the distance is rapidfuzz's, computed in C over the words of
about the same length. The replacement is chosen from the whole
vocabulary, so a viewer's results stay everyone's results filtered; but
it is named to the viewer only if it occurs in a text they may see:
"showing results for" a word found only in locked episodes would tell
what they hold. Its locked matches are counted like any others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from soundtrack_tui.core.search.tokens import CHAR_LEVEL

__all__ = ["MIN_LETTERS", "Speller", "by_length", "edits_allowed"]

MIN_LETTERS = 5  # shorter words are too close to too many others
LONG_WORD = 8  # from here on, two edits are forgiven


def edits_allowed(word: str) -> int:
    """How many edits a retried `word` may be from its replacement: none
    for a short word or one that is not a run of letters (numbers, Hangul)."""
    if len(word) < MIN_LETTERS or not word.isalpha() or CHAR_LEVEL.search(word):
        return 0
    return 2 if len(word) >= LONG_WORD else 1


class Speller:
    """The nearest vocabulary words of one index, for one viewer.

    `by_length` groups the vocabulary's ids by word length (made once per
    index); `frequency(id)` says in how many documents a word occurs, the
    tie-breaker between equally near words; `visible(id)` whether the
    viewer may read a text holding it.
    """

    __slots__ = ("by_length", "frequency", "visible", "vocab")

    def __init__(
        self,
        vocab: Sequence[str],
        by_length: dict[int, list[int]],
        frequency: Callable[[int], int],
        visible: Callable[[int], bool],
    ) -> None:
        self.vocab = vocab
        self.by_length = by_length
        self.frequency = frequency
        self.visible = visible

    def nearest(self, word: str) -> tuple[str, bool] | None:
        """The vocabulary word fewest edits from `word`, within
        `edits_allowed` (among equals the most common, then the first in
        sorted order), and whether the viewer may be told it. None when
        there is none."""
        edits = edits_allowed(word)
        if not edits:
            return None
        # Imported here: the CLI's other commands never need it.
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        ids = [
            token
            for length in range(len(word) - edits, len(word) + edits + 1)
            for token in self.by_length.get(length, ())
        ]
        found = process.extract(
            word, [self.vocab[token] for token in ids], scorer=OSA.distance, score_cutoff=edits, limit=None
        )
        if not found:
            return None
        _, _, token = min((distance, -self.frequency(ids[at]), ids[at]) for _, distance, at in found)
        return self.vocab[token], self.visible(token)


def by_length(vocab: Sequence[str]) -> dict[int, list[int]]:
    """Vocabulary ids grouped by word length, for `Speller`."""
    groups: dict[int, list[int]] = {}
    for token, word in enumerate(vocab):
        groups.setdefault(len(word), []).append(token)
    return groups
