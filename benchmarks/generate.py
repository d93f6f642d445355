"""Generate a synthetic content pack of any size, for benchmarks.

    python benchmarks/generate.py --episodes 1000 --out /tmp/pack-1000 [--seed 0] [--recap-words 1500]

The pack is deterministic (same arguments, byte-identical files), passes
`soundtrack check` with no error and no warning, and looks like a real one
to the loader, the spoiler lint and search: recaps of ~1,500 words in
paragraphs, characters with aliases (hyphenated, squashed, spaced, Hangul,
some accented) and notes, episode and series reviews, with Hangul, accented
words and emoji (some with a variation selector or a ZWJ sequence) mixed in.

Spoiler-clean by construction: a text visible from episode k only names
characters whose first episode is at most k, and the filler vocabulary is
filtered so that no run of filler words can spell a character's name.

Importable: `generate_pack(out, episodes, seed=0, recap_words=1500)`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_RECAP_WORDS = 1500
DEFAULT_SEED = 0

# Romanized syllables of given names, each with its own Hangul syllable so
# that names stay unique in both scripts. Family names are a separate set.
_GIVEN = {
    "ji": "지", "min": "민", "seo": "서", "yeon": "연", "jun": "준", "hyun": "현",
    "soo": "수", "eun": "은", "ha": "하", "na": "나", "ra": "라", "da": "다",
    "hee": "희", "jae": "재", "dong": "동", "sung": "성", "tae": "태", "kyung": "경",
    "bin": "빈", "chan": "찬", "hoon": "훈", "jin": "진", "mi": "미", "ri": "리",
    "won": "원", "ye": "예", "woo": "우", "hwan": "환", "gyu": "규", "seok": "석",
    "ah": "아", "bom": "봄", "chae": "채", "dam": "담", "gun": "건", "hye": "혜",
    "in": "인", "joo": "주", "sol": "솔", "yul": "율",
}  # fmt: skip
_FAMILY = {
    "Kim": "김", "Lee": "이", "Park": "박", "Choi": "최", "Jung": "정", "Kang": "강",
    "Cho": "조", "Yoon": "윤", "Jang": "장", "Lim": "임", "Oh": "오", "Shin": "신",
    "Kwon": "권", "Hwang": "황", "Ahn": "안", "Song": "송", "Hong": "홍", "Moon": "문",
    "Yang": "양", "Baek": "백",
}  # fmt: skip
# The two leads, fixed so that benchmark queries ("sun-woo", "한선우") hit.
_LEADS = (
    ("Han", "한", ("sun", "선"), ("woo", "우")),
    ("Lee", "이", ("eun", "은"), ("soo", "수")),
)
_ACCENTS = str.maketrans({"e": "é", "o": "ö", "a": "á", "u": "ü", "i": "ï"})

_WORD_TEXT = """
about across after again against almost alone already always anger apartment answer
apology arrives asks autumn balcony band bargain bench birthday bitter blanket bottle
bridge brother brush bus cabinet calendar camera candle card careful carries chapter
chorus city clock coat composer concert corner cousin crowd dawn deadline decides
deliver dinner doorway dream drink during early echo edge elevator empty evening
exhibition explains failure family farewell father festival final finds flight flowers
follows forgets friend garden gift glass guitar harbor heavy hidden highway holiday
honest hospital hotel hours instead island jacket journey kitchen ladder laughs late
letter library lights listens lyrics market melody memory message midnight mirror
morning mother music neighbor nervous night notebook ocean office package painting
paper party photograph piano platform plans pocket promise question quiet radio rain
recording record remembers restaurant returns rooftop rumor schedule secret shadow
shelter shop silence singer sister sketch snow song stage station stays stranger
street studio subway summer sunset suitcase table tarot teacher telephone ticket
tired together tonight train travel truth umbrella uncle village violin visit voice
waits walks wedding weekend window winter wish wonders worried writes yesterday
"""
_WORD_TEXT += " the a and but with to of in at for from while when as over under near"
_WORDS = tuple(_WORD_TEXT.split())
_ACCENTED = ["café", "naïve", "fiancée", "déjà", "résumé", "crème", "brûlée", "piñata", "Zoë", "São"]
_HANGUL = ["사랑", "노래", "바다", "하늘", "기억", "여름", "겨울", "음악", "편지", "사진", "친구", "가사"]
_EMOJI = ["🎵", "📸", "☕", "🎹", "❤️", "🌧️", "👩‍🎤", "🎤"]
_OUTLETS = ["Example Review", "Drama Notes", "Série Hebdo", "K-Screen Weekly", "드라마 리뷰", "Night Owl TV"]
_RATINGS = ["3/5", "4/5", "5/5", "B+", "A-", "7/10", None]


@dataclass
class _Person:
    id: str
    name: str
    given: str  # "Sun-woo"
    hangul: str  # "한선우"
    hangul_given: str  # "선우"
    aliases: list[str]
    first: int
    keys: list[tuple[str, ...]] = field(default_factory=list)  # each name as folded syllables


def _toml_string(text: str, multiline: bool = False) -> str:
    """A TOML basic string (or multi-line basic string) holding `text`."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n" and multiline:
            out.append("\n")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    body = "".join(out)
    return f'"""\n{body}\n"""' if multiline else f'"{body}"'


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(_toml_string(item) for item in items) + "]"


class _Writer:
    """Builds the text of one pack; all randomness flows from one seeded RNG."""

    def __init__(self, episodes: int, seed: int, recap_words: int) -> None:
        if episodes < 1:
            raise ValueError("a pack needs at least one episode")
        self.n = episodes
        self.rng = random.Random(f"soundtrack-bench:{seed}:{episodes}:{recap_words}")
        self.recap_words = max(recap_words, 20)
        self.sources = [f"SRC{i}" for i in range(1, 9)]
        self.people = self._cast()
        self.by_first = sorted(self.people, key=lambda p: (p.first, p.id))
        self.leads = [p for p in self.people if p.first == 0]
        self.words = self._safe_words()
        self.tarot = "tarot" in self.words and "card" in self.words
        self.introduced: dict[int, list[_Person]] = {}
        for person in self.people:
            self.introduced.setdefault(person.first, []).append(person)

    # -- the cast --------------------------------------------------------------

    def _cast(self) -> list[_Person]:
        """The two leads, two more characters met in the premise, then
        newcomers spread evenly over the run. A candidate whose name, or a
        run of words inside it, spells another character's name is skipped
        ("Yoon Jun-ho" contains "Yoon-jun")."""
        rng = self.rng
        count = 2 + max(6, self.n // 8)
        people: list[_Person] = []
        keys: set[str] = set()  # every squashed name of the cast
        windows: set[str] = set()  # every run of words inside those names

        def admit(person: _Person) -> bool:
            own = {"".join(key) for key in person.keys}
            inside = {
                "".join(key[i:j])
                for key in person.keys
                for i in range(len(key))
                for j in range(i + 1, len(key) + 1)
            }
            if own & (keys | windows) or (inside - own) & keys:
                return False
            people.append(person)
            keys.update(own)
            windows.update(inside)
            return True

        for family, family_h, (a, a_h), (b, b_h) in _LEADS:
            admit(self._person(family, family_h, (a, b), (a_h, b_h), 0, len(people)))
        syllables = sorted(_GIVEN)
        families = sorted(_FAMILY)
        attempts = 0
        while len(people) < count:
            attempts += 1
            if attempts > count * 200:
                raise ValueError(f"cannot name {count} distinct characters")
            a, b = rng.sample(syllables, 2)
            family = rng.choice(families)
            index = len(people)
            first = 0 if index < 4 else 1 + (index - 4) * self.n // (count - 4)
            admit(self._person(family, _FAMILY[family], (a, b), (_GIVEN[a], _GIVEN[b]), first, index))
        return people

    def _person(
        self,
        family: str,
        family_h: str,
        given: tuple[str, str],
        given_h: tuple[str, str],
        first: int,
        index: int,
    ) -> _Person:
        a, b = given
        hyphen = f"{a.capitalize()}-{b}"
        name = f"{family} {hyphen}"
        hangul_given = given_h[0] + given_h[1]
        hangul = family_h + hangul_given
        aliases = [hyphen, f"{a.capitalize()}{b}", f"{a.capitalize()} {b.capitalize()}", hangul, hangul_given]
        if index % 4 == 1:
            aliases.append(hyphen.translate(_ACCENTS))
        person = _Person(f"{family.lower()}-{a}-{b}", name, hyphen, hangul, hangul_given, aliases, first)
        person.keys = [(family.lower(), a, b), (a, b), (family_h, *given_h), tuple(given_h)]
        return person

    def _safe_words(self) -> list[str]:
        """Filler words that cannot start a character's name, nor continue
        one from any syllable: no run of text can then spell a name by accident."""
        tails = {"".join(key[i:]) for person in self.people for key in person.keys for i in range(len(key))}
        syllables = set(_GIVEN) | set(_GIVEN.values()) | {f.lower() for f in _FAMILY} | set(_FAMILY.values())

        def safe(word: str) -> bool:
            folded = _fold(word)
            return folded not in syllables and not any(tail.startswith(folded) for tail in tails)

        return [word for word in (*_WORDS, *_ACCENTED, *_HANGUL) if safe(word)]

    # -- text --------------------------------------------------------------------

    def allowed(self, visible_from: int) -> list[_Person]:
        """Characters a text visible from `visible_from` may name."""
        low, high = 0, len(self.by_first)
        while low < high:
            middle = (low + high) // 2
            if self.by_first[middle].first <= visible_from:
                low = middle + 1
            else:
                high = middle
        return self.by_first[:low]

    def mention(self, person: _Person) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return person.given
        if roll < 0.75:
            return person.name
        if roll < 0.85:
            return person.hangul
        if roll < 0.92:
            return person.aliases[1]  # squashed: "Sunwoo"
        return person.hangul_given

    def sentence(self, people: Sequence[_Person], words: int, *, names: float = 0.5) -> str:
        """About `words` words: filler, names separated by filler, and now and
        then an accented word, Hangul or an emoji."""
        rng = self.rng
        parts: list[str] = []
        previous_name = True  # never start with a name glued to the last sentence's end
        while len(parts) < words:
            roll = rng.random()
            if people and not previous_name and roll < names / 6:
                parts.append(self.mention(rng.choice(people)))
                previous_name = True
                continue
            if roll > 0.985:  # not a word: it does not separate two names
                parts.append(rng.choice(_EMOJI))
                continue
            previous_name = False
            if roll > 0.98 and self.tarot:
                parts.append("tarot card")
            else:
                parts.append(rng.choice(self.words))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + rng.choice(".....!?")

    def prose(self, people: Sequence[_Person], words: int) -> str:
        out: list[str] = []
        total = 0
        while total < words:
            length = min(words - total, self.rng.randint(10, 24))
            out.append(self.sentence(people, max(length, 3)))
            total += max(length, 3)
        return " ".join(out)

    def recap(self, number: int) -> str:
        """Paragraphs of 80-160 words; the episode's newcomers are named in it."""
        allowed = self.allowed(number)
        recent = allowed[-12:]
        fresh = self.introduced.get(number, [])
        pool = [*self.leads, *recent, *fresh, *fresh]
        paragraphs: list[str] = []
        total = 0
        while total < self.recap_words:
            length = min(self.recap_words - total, self.rng.randint(80, 160))
            paragraphs.append(self.prose(pool, length))
            total += length
        for person in fresh:  # the newcomer is met in the episode
            paragraphs[0] = f"{person.name} appears for the first time. " + paragraphs[0]
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        count = self.rng.randint(2, 4)
        return " ".join(word.capitalize() for word in self.rng.sample(self.words, count))

    def cite(self) -> list[str]:
        return sorted(self.rng.sample(self.sources, self.rng.randint(1, 3)))

    # -- files -------------------------------------------------------------------

    def show(self) -> str:
        rng, n = self.rng, self.n
        lines = [
            "format = 1",
            f'id = "synthetic-{n}"',
            f'title = "Synthetic Serial ({n} episodes)"',
            'original_title = "합성 연속극"',
            'platform = "Benchmark TV"',
            "year = 2024",
            f"episode_count = {n}",
            f"synopsis = {_toml_string(self.prose(self.leads, 60), multiline=True)}",
            'director = "Jane Doe"',
            'writer = "Zoë Roe"',
        ]
        for index, key in enumerate(self.sources):
            lines += [
                "",
                "[[sources]]",
                f'key = "{key}"',
                f"outlet = {_toml_string(_OUTLETS[index % len(_OUTLETS)])}",
                f'title = "Synthetic source {index + 1}"',
                f'url = "https://example.org/synthetic/{index + 1}"',
            ]
        for after in (0, n // 2, n):
            people = self.allowed(after)
            lines += [
                "",
                "[[reviews]]",
                *self._review(people, rng.choice(self.sources)),
                f"after_episode = {after}",
            ]
        return "\n".join(lines) + "\n"

    def _review(self, people: Sequence[_Person], source: str) -> list[str]:
        rng = self.rng
        lines = [
            f"outlet = {_toml_string(rng.choice(_OUTLETS))}",
            f'source = "{source}"',
            f"verdict = {_toml_string(self.sentence(people, rng.randint(6, 12), names=0.2))}",
        ]
        rating = rng.choice(_RATINGS)
        if rating:
            lines.append(f'rating = "{rating}"')
        thoughts = "\n\n".join(self.prose(people, rng.randint(40, 90)) for _ in range(rng.randint(1, 2)))
        lines.append(f"thoughts = {_toml_string(thoughts, multiline=True)}")
        return lines

    def episode(self, number: int, start: dt.date) -> str:
        rng = self.rng
        lines = [
            f"number = {number}",
            f"title = {_toml_string(self.title())}",
            f"runtime_minutes = {rng.randint(40, 70)}",
            f"aired = {(start + dt.timedelta(days=7 * (number - 1))).isoformat()}",
            f"logline = {_toml_string(self.sentence(self.leads, rng.randint(12, 25), names=0.3))}",
            f"recap = {_toml_string(self.recap(number), multiline=True)}",
            f"sources = {_toml_list(self.cite())}",
        ]
        if rng.random() < 0.1:
            lines.append(f"source_note = {_toml_string(self.sentence(self.allowed(number), 14))}")
        people = self.allowed(number)
        for _ in range(rng.choice((0, 1, 1, 2))):
            lines += ["", "[[reviews]]", *self._review(people, rng.choice(self.sources))]
        return "\n".join(lines) + "\n"

    def characters(self) -> str:
        rng, n = self.rng, self.n
        blocks: list[str] = []
        for person in self.people:
            visible = self.allowed(person.first)
            lines = [
                "[[characters]]",
                f'id = "{person.id}"',
                f"name = {_toml_string(person.name)}",
                f"aliases = {_toml_list(person.aliases)}",
                f"actor = {_toml_string(self._actor())}",
                f"first_episode = {person.first}",
                f"intro = {_toml_string(self.prose(visible, rng.randint(20, 45)))}",
                f"sources = {_toml_list(self.cite())}",
            ]
            if rng.random() < 0.15:
                lines.append(f"source_note = {_toml_string(self.sentence(visible, 12))}")
            low = max(1, person.first)
            high = min(n, low + max(3, n // 5))
            for episode in sorted(rng.randint(low, high) for _ in range(rng.randint(2, 5))):
                lines += [
                    "",
                    "[[characters.notes]]",
                    f"episode = {episode}",
                    f"text = {_toml_string(self.prose(self.allowed(episode)[-20:], rng.randint(12, 30)))}",
                    f"sources = {_toml_list(self.cite())}",
                ]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"

    def _actor(self) -> str:
        """Actors are not linted; their names still avoid the cast's syllables."""
        return f"Actor {self.rng.choice(['Ann', 'Bea', 'Cal', 'Dex', 'Eve'])} {self.rng.randint(1, 999)}"


def _fold(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word.casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" and c.isalnum())
    return unicodedata.normalize("NFC", kept)


def generate_pack(
    out: str | Path,
    episodes: int,
    *,
    seed: int = DEFAULT_SEED,
    recap_words: int = DEFAULT_RECAP_WORDS,
) -> Path:
    """Write a pack of `episodes` episodes into `out` (created; existing
    pack files are overwritten, other files left alone). Returns `out`."""
    root = Path(out)
    writer = _Writer(episodes, seed, recap_words)
    (root / "episodes").mkdir(parents=True, exist_ok=True)
    _write(root / "show.toml", writer.show())
    width = max(2, len(str(episodes)))
    start = dt.date(2024, 1, 3)
    for number in range(1, episodes + 1):
        _write(root / "episodes" / f"{number:0{width}d}.toml", writer.episode(number, start))
    _write(root / "characters.toml", writer.characters())
    return root


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def list_marker(root: str | Path) -> str:
    """What benchmarks look for on screen to know a pack's list is drawn:
    the start of episode 1's title, short enough that a narrow list column
    shows it whole. Read without loading soundtrack into the runner (which
    must stay small: see run.py's Sample.peak_kb)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    for path in sorted((Path(root) / "episodes").glob("*.toml")):
        if path.stem.isdigit() and int(path.stem) == 1:
            title = tomllib.loads(path.read_text(encoding="utf-8"))["title"]
            return str(title).strip()[:12].rstrip()
    raise ValueError(f"{root} has no episode 1")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic soundtrack content pack.")
    parser.add_argument("--episodes", type=int, required=True, help="number of episodes")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the pack into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 0)")
    parser.add_argument(
        "--recap-words", type=int, default=DEFAULT_RECAP_WORDS, help="words per recap (default 1500)"
    )
    args = parser.parse_args(argv)
    if args.episodes < 1:
        parser.error("--episodes must be at least 1")
    root = generate_pack(args.out, args.episodes, seed=args.seed, recap_words=args.recap_words)
    size = sum(p.stat().st_size for p in root.rglob("*.toml"))
    print(f"wrote {root} ({args.episodes} episodes, {size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
