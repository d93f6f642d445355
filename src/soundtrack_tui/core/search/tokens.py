"""How search cuts text into indexed tokens.

The tokens are `textnorm`'s folded words, except that scripts written
without spaces between words (Hangul, kana, CJK ideographs) are split one
character per token, so "선우" finds "한선우는" the way a reader expects.
Folding itself lives in `textnorm` only.
"""

from __future__ import annotations

import dataclasses
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, chain, pairwise

from soundtrack_tui.core import textnorm

__all__ = ["CHAR_LEVEL", "Encoded", "TokenIds", "tokenize"]

_CHAR_LEVEL_RANGES = (
    "\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
CHAR_LEVEL = re.compile(f"[{_CHAR_LEVEL_RANGES}]")


def tokenize(text: str) -> tuple[list[str], list[int]]:
    """Indexed tokens of `text` and their flat [start, end, start, end, ...]
    offsets: words, with Hangul, kana and CJK characters split off one per
    token. Only the words holding such characters are looked at again."""
    tokens, offsets = textnorm.split_words(text)
    if text.isascii():
        return tokens, offsets
    starts = offsets[::2]
    touched = sorted({bisect_right(starts, match.start()) - 1 for match in CHAR_LEVEL.finditer(text)} - {-1})
    if not touched:
        return tokens, offsets
    split: list[str] = []
    spans: list[int] = []
    done = 0
    for index in touched:
        split += tokens[done:index]
        spans += offsets[2 * done : 2 * index]
        for piece, start, end in _split_char_level(text, offsets[2 * index], offsets[2 * index + 1]):
            split.append(piece)
            spans += (start, end)
        done = index + 1
    return split + tokens[done:], spans + offsets[2 * done :]


# Every ASCII byte that is not a letter or digit made a space; the bytes of
# other characters (0x80 and up in UTF-8) left as they are.
_ASCII_SEPARATORS = bytes(c if chr(c).isalnum() else 0x20 for c in range(128)) + bytes(range(128, 256))


def _pieces(lowered: str) -> list[str]:
    """`lowered` cut at whitespace and ASCII separators, which no token
    holds: each token lies within one piece. The cut is one C-level
    translate and split; an ASCII piece is a token already."""
    spaced = lowered.encode("utf-8", "surrogatepass").translate(_ASCII_SEPARATORS)
    return spaced.decode("utf-8", "surrogatepass").split()


class TokenIds(dict[str, int]):
    """Raw token to the id of the word it folds to, ids given in order of
    first sight; `words[id]` is the word.

    A raw token is what one regex pass over lowercased text finds: a
    Hangul, kana or CJK character alone; else a run of other letters and
    digits with the marks `textnorm` allows in words. ASCII tokens come out
    folded already; `textnorm.fold_word` folds the rest, and a lone kana
    voicing mark folds away to "".

    The index build runs over every text of a pack (a thousand episodes are
    about two million tokens), so the regex runs only on the pieces (see
    `_pieces`) that hold other characters than ASCII, once per distinct
    piece (`_PieceIds`); looking a token or a piece up is one C-level dict
    lookup, and each distinct raw token is folded once, on its first sight
    (`__missing__`)."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._by_word: dict[str, int] = {}
        self._pieces = _PieceIds(self)

    def __missing__(self, raw: str) -> int:
        word = textnorm.fold_word(raw)
        found = self._by_word.get(word)
        if found is None:
            found = self._by_word[word] = len(self.words)
            self.words.append(word)
        self[raw] = found
        return found

    def encode(self, text: str) -> array[int]:
        """The ids of `text`'s tokens, in order (a token that folds away
        included: `empty` names its id, if one has)."""
        lowered = text.lower()
        pieces = _pieces(lowered)
        if lowered.isascii():
            return array("I", map(self.__getitem__, pieces))
        return array("I", chain.from_iterable(map(self._pieces.__getitem__, pieces)))

    @property
    def empty(self) -> int | None:
        """The id of the word "", which a lone voicing mark folds to."""
        return self._by_word.get("")


class _PieceIds(dict[str, tuple[int, ...]]):
    """A piece of text (see `_pieces`) to the ids of its raw tokens. A
    combining mark counts as part of a word only in a text that holds it,
    and it lies in the piece it is in, so the piece alone decides."""

    def __init__(self, ids: TokenIds) -> None:
        super().__init__()
        self._ids = ids

    def __missing__(self, piece: str) -> tuple[int, ...]:
        raw = _token_pattern(textnorm.marks_in(piece)).findall(piece)
        found = self[piece] = tuple(map(self._ids.__getitem__, raw))
        return found


@dataclasses.dataclass(frozen=True, slots=True)
class Encoded:
    """Texts as token ids (`sequences`, one array per text) and the words
    the ids stand for (`words[id]`; `empty` is the id of "", if any): what
    `TokenIds` makes of them. It is what a helper process that encodes
    part of a pack sends back (`to_bytes`)."""

    words: list[str]
    empty: int | None
    sequences: list[array[int]]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Encoded:
        ids = TokenIds()
        sequences = list(map(ids.encode, texts))
        return cls(ids.words, ids.empty, sequences)

    def to_bytes(self) -> bytes:
        """Counts, then the words one per line (a token holds no line
        break), each text's length and every id."""
        words = "\n".join(self.words).encode("utf-8")
        counts = (len(self.words), -1 if self.empty is None else self.empty, len(self.sequences), len(words))
        lengths = array("I", map(len, self.sequences))
        ids = map(array.tobytes, self.sequences)  # "I" arrays, as `TokenIds.encode` makes them
        return b"".join((array("q", counts).tobytes(), words, lengths.tobytes(), *ids))

    @classmethod
    def from_bytes(cls, data: bytes) -> Encoded:
        """What `to_bytes` wrote; ValueError if `data` is not that."""
        head = array("q")
        head.frombytes(data[: 4 * head.itemsize])
        if len(head) != 4 or min(head[0], head[2], head[3]) < 0 or head[1] < -1:
            raise ValueError("no counts")
        size, empty, texts, length = head
        at = len(head) * head.itemsize
        words = data[at : at + length].decode("utf-8").split("\n") if size else []
        lengths, ids = array("I"), array("I")
        lengths.frombytes(data[at + length : at + length + texts * lengths.itemsize])
        ids.frombytes(data[at + length + texts * lengths.itemsize :])  # ValueError if cut short
        if len(words) != size or len(lengths) != texts or sum(lengths) != len(ids) or empty >= size:
            raise ValueError("counts that do not add up")
        if ids and max(ids) >= size:
            raise ValueError("an id with no word")
        sequences = [ids[start:end] for start, end in pairwise(accumulate(lengths, initial=0))]
        return cls(words, None if empty < 0 else empty, sequences)


@lru_cache(maxsize=256)
def _token_pattern(marks: str) -> re.Pattern[str]:
    """A lone character-level letter, or a word of the other letters and
    digits that may hold these marks after its first character."""
    other = f"[^\\W_{_CHAR_LEVEL_RANGES}]"
    # Runs of letters between the marks, rather than one letter or mark
    # at a time: the same words, found in well under the time.
    inside = f"(?:[{re.escape(marks)}]+{other}*)*" if marks else ""
    return re.compile(f"[{_CHAR_LEVEL_RANGES}]|{other}+{inside}")


def _split_char_level(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The tokens of the word text[start:end]: each Hangul/kana/CJK character
    alone, other runs together. Marks stay with the token before them."""
    run: list[str] = []
    run_start = last_end = -1
    for index in range(start, end):
        folded = textnorm.fold_char(text[index]) or ""
        if folded and CHAR_LEVEL.match(folded):
            if run:
                yield "".join(run), run_start, last_end
                run = []
            yield folded, index, index + 1
            last_end = -1
        elif folded:
            if not run:
                run_start = index
            run.append(folded)
            last_end = index + 1
        elif run:
            last_end = index + 1
    if run:
        yield "".join(run), run_start, last_end
