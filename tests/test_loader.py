"""The loader: the bundled pack, immutability, hostile text, and fuzzing.

Whatever bytes a pack holds, `read_pack` must return (never raise) and
`load_pack` may raise only `ContentError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soundtrack_tui.core.bundled import bundled_pack
from soundtrack_tui.core.errors import ContentError, Problem
from soundtrack_tui.core.loader import MAX_FILE_BYTES, load_pack, read_pack
from soundtrack_tui.core.model import Episode, Pack, Review
from soundtrack_tui.core.sanitize import sanitize

if sys.version_info >= (3, 14):
    import tomllib
else:
    import tomli as tomllib

VALID = Path(__file__).parent / "fixtures" / "packs" / "valid"

REQUIRED_NAMES = [
    "Han Sun-woo",
    "Lee Eun-soo",
    "Kang Woo-il",
    "Eun-soo's mother",
    "Dong-hyeon",
    "Ma-ri",
    "Gyeol-han",
    "Seo-yeon",
    "Tae-yoon",
    "Jay Jun",
    "Benzema Lauren",
]
# The three articles the project started from (shared/seeds): Leisurebyte's
# episode 4 and 2 recaps and The Review Geek's episode 2 review.
SEED_SOURCES = {"LB4": 4, "LB2": 2, "TRG2": 2}

# Anything a terminal would act on: C0 but newline/tab, DEL, C1, surrogates,
# bidi embeddings/overrides/isolates, and line separators other than "\n".
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def is_clean(text: str) -> bool:
    """Nothing in `text` that the sanitizer would change."""
    return sanitize(text) == text


@pytest.fixture(scope="module")
def bundled() -> Pack:
    result = read_pack(bundled_pack())
    assert result.problems == []
    assert result.pack is not None
    return result.pack


def _strings(value: Any) -> Iterator[str]:
    """Every string reachable from a model object."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):  # Episode.recap_utf8
        yield value.decode("utf-8")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _strings(getattr(value, item.name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


# -- the bundled pack ------------------------------------------------------------


def test_bundled_pack_loads_clean(bundled: Pack) -> None:
    assert load_pack(bundled_pack()) == bundled
    assert bundled.show.id == "soundtrack-1"
    assert bundled.show.episode_count == 4
    assert sorted(bundled.episodes) == [1, 2, 3, 4]


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_bundled_recaps_are_substantial(bundled: Pack, number: int) -> None:
    episode = bundled.episodes[number]
    assert episode.number == number
    assert len(episode.recap.split()) >= 350
    assert len(episode.paragraphs) >= 3
    assert episode.summary is not None and 60 <= len(episode.summary.split()) <= 90


# What a padded review says instead of an opinion.
_NO_OPINION = re.compile(
    r"not in our (sources|notes)|cannot say|only the headline|without passing judgement|"
    r"no further opinion|verdict (is )?missing|is not in the (stored|excerpt)",
    re.IGNORECASE,
)


def test_bundled_reviews_are_real_opinions(bundled: Pack) -> None:
    reviewed = [number for number, episode in bundled.episodes.items() if episode.reviews]
    assert len(reviewed) >= 3
    every = [r for e in bundled.episodes.values() for r in e.reviews] + list(bundled.show.reviews)
    for review in every:
        assert len(review.thoughts.split()) >= 40, review.outlet
        assert not _NO_OPINION.search(review.text), review.outlet


def test_bundled_soundtrack(bundled: Pack) -> None:
    tracks = bundled.show.tracks
    artists = " ".join(track.artist for track in tracks)
    for singer in ("Kyuhyun", "Park Bo-ram", "Davichi", "Kim Jong-kook", "Doyoung"):
        assert singer in artists
    assert any(track.episode == 2 for track in tracks)  # the in-story song is gated
    keys = {s.key for s in bundled.show.sources}
    assert all(set(track.sources) <= keys for track in tracks)


def test_bundled_characters(bundled: Pack) -> None:
    assert len(bundled.characters) >= 10
    names = {c.name for c in bundled.characters}
    for name in REQUIRED_NAMES:
        assert name in names
    assert len({c.id for c in bundled.characters}) == len(bundled.characters)
    for character in bundled.characters:
        assert 0 <= character.first_episode <= 4
        assert all(1 <= note.episode <= 4 for note in character.notes)
    leads = {c.name for c in bundled.characters if c.first_episode == 0}
    assert {"Han Sun-woo", "Lee Eun-soo"} <= leads


def test_bundled_reviews_and_sources(bundled: Pack) -> None:
    episode_outlets = {r.outlet for e in bundled.episodes.values() for r in e.reviews}
    assert len(episode_outlets) >= 3
    for key, number in SEED_SOURCES.items():
        assert key in {r.source for r in bundled.episodes[number].reviews}
    assert bundled.show.reviews
    assert sum(1 for r in bundled.show.reviews if r.rating) >= 2
    assert all(0 <= r.after_episode <= 4 for r in bundled.show.reviews)
    assert bundled.show.sources
    keys = {s.key for s in bundled.show.sources}
    assert len(keys) == len(bundled.show.sources)
    for source in bundled.show.sources:
        assert source.url.startswith(("https://", "http://"))
    for episode in bundled.episodes.values():
        assert set(episode.sources) <= keys
        assert {r.source for r in episode.reviews} <= keys
        for review in episode.reviews:
            assert review.after_episode == episode.number
    for character in bundled.characters:
        assert set(character.sources) <= keys


def test_bundled_text_is_clean(bundled: Pack) -> None:
    for text in _strings(bundled):
        assert is_clean(text), text


# -- the model is immutable ------------------------------------------------------


def test_model_is_immutable(bundled: Pack) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        bundled.show.title = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        bundled.episodes[1].recap = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        bundled.characters[0].name = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        bundled.characters[0].notes[0].text = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        bundled.show.sources[0].url = "http://example.org"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        bundled.show = bundled.show  # type: ignore[misc]


def test_review_thoughts_are_kept_as_utf8_and_read_as_text(bundled: Pack) -> None:
    """Like a recap: stored as UTF-8 (a quarter of the memory of a `str`
    holding one emoji), mapped when read from the cache, pickled as bytes."""
    review = bundled.episodes[1].reviews[0]
    assert review.thoughts_utf8 == review.thoughts.encode("utf-8")
    assert _with_thoughts(review, "Hangul 한 🎧").thoughts == "Hangul 한 🎧"
    with pytest.raises(dataclasses.FrozenInstanceError):
        review.thoughts = "Changed"  # type: ignore[misc]
    mapped = _with_thoughts(review, review.thoughts)
    object.__setattr__(mapped, "thoughts_utf8", memoryview(review.thoughts_utf8))
    copy = pickle.loads(pickle.dumps(mapped))
    assert type(copy.thoughts_utf8) is bytes
    assert copy == mapped == review and hash(copy) == hash(review)


def _with_thoughts(review: Review, thoughts: str) -> Review:
    return Review(review.outlet, review.source, review.verdict, thoughts, review.after_episode, review.rating)
    with pytest.raises(TypeError):
        bundled.episodes[9] = bundled.episodes[1]  # type: ignore[index]
    with pytest.raises(TypeError):
        bundled.characters[0] = bundled.characters[1]  # type: ignore[index]
    assert isinstance(bundled.show.sources, tuple)
    assert isinstance(bundled.episodes[1].sources, tuple)
    assert isinstance(bundled.characters[0].aliases, tuple)


def test_recaps_are_kept_as_utf8_and_read_as_str() -> None:
    """Any str round-trips (even a lone surrogate, which the loader never
    lets through); equality and pickling see the same recap."""
    text = "한선우 🎤 crème\n\nsecond \ud800 paragraph"
    episode = Episode(1, "Title", "Logline", text)
    assert isinstance(episode.recap_utf8, bytes) and isinstance(episode.recap, str)
    assert episode.recap == text
    assert episode.paragraphs == ("한선우 🎤 crème", "second \ud800 paragraph")
    assert episode == Episode(1, "Title", "Logline", text) != Episode(1, "Title", "Logline", "other")
    assert pickle.loads(pickle.dumps(episode)) == episode


def test_valid_fixture_loads() -> None:
    pack = load_pack(VALID)
    assert pack.show.id == "night-shift"
    assert sorted(pack.episodes) == [1, 2, 3]
    assert isinstance(pack.episodes[1], Episode)
    assert pack.episodes[1].aired == dt.date(2024, 5, 1)
    assert pack.episodes[1].paragraphs == (
        "Jae-ho hands Min-ji the keys to an empty studio.",
        "By dawn a caller has asked her for a song she has never heard of.",
    )
    assert [c.first_episode for c in pack.characters] == [0, 1, 2]
    assert pack.show.reviews[0].after_episode == 3
    assert pack.episodes[1].reviews[0].after_episode == 1


def test_load_pack_raises_content_error_with_every_problem() -> None:
    broken = VALID.parent / "unknown-key-typo"
    with pytest.raises(ContentError) as caught:
        load_pack(broken)
    assert len(caught.value.problems) == 2
    assert "recapp" in str(caught.value)
    assert "(and 1 more)" in str(caught.value)


def test_file_exactly_at_the_cap_is_read(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(VALID, pack)
    episode = pack / "episodes" / "03.toml"
    data = episode.read_bytes()
    episode.write_bytes(data + b"#" + b"x" * (MAX_FILE_BYTES - len(data) - 2) + b"\n")
    assert episode.stat().st_size == MAX_FILE_BYTES
    result = read_pack(pack)
    assert result.problems == []
    episode.write_bytes(episode.read_bytes() + b"\n")
    result = read_pack(pack)
    assert [p.path for p in result.errors] == [str(episode)]
    assert "over the 2,097,152-byte limit" in result.errors[0].message


# -- hostile text ------------------------------------------------------------

_HOSTILE = (
    "A\\u001b]0;pwned\\u0007B\\u001b[31mred\\u009b2J\\u009d8;;https://evil\\u009c"
    "\\u0000\\u007f\\u202eevil\\u202c\\u2066iso\\u2069\\r\\nline\\u2028sep\\u2029para\\u0085"
)


def _hostile_pack(root: Path) -> None:
    (root / "episodes").mkdir(parents=True)
    h = _HOSTILE
    (root / "show.toml").write_text(
        f"""format = 1
id = "hostile"
title = "T {h}"
original_title = "{h}"
platform = "{h}"
director = "{h}"
writer = "{h}"
episode_count = 2
synopsis = "S {h}"

[[sources]]
key = "k{h}"
outlet = "O {h}"
title = "T {h}"
url = "https://example.org/{h}"

[[reviews]]
outlet = "R {h}"
source = "k{h}"
verdict = "V {h}"
rating = "{h}"
thoughts = \"\"\"P {h}

Q {h}\"\"\"
after_episode = 0
""",
        encoding="utf-8",
    )
    (root / "episodes" / "01.toml").write_text(
        f"""number = 1
title = "E {h}"
logline = "L {h}"
recap = "R {h}"
sources = ["k{h}"]
source_note = "N {h}"

[[reviews]]
outlet = "O {h}"
source = "k{h}"
verdict = "V {h}"
thoughts = "T {h}"
""",
        encoding="utf-8",
    )
    (root / "characters.toml").write_text(
        f"""[[characters]]
id = "c"
name = "N {h}"
aliases = ["A {h}", "{h}"]
actor = "{h}"
source_note = "{h}"
first_episode = 0
intro = "I {h}"
sources = ["k{h}"]

[[characters.notes]]
episode = 1
text = "X {h}"
sources = ["k{h}"]
""",
        encoding="utf-8",
    )


def test_hostile_pack_strings_are_sanitized(tmp_path: Path) -> None:
    _hostile_pack(tmp_path)
    pack = load_pack(tmp_path)  # control characters are neutralised, not errors
    strings = list(_strings(pack))
    assert len(strings) > 30
    for text in strings:
        assert not _CONTROL.search(text), repr(text)
        assert "\r" not in text and "\x1b" not in text and "\x9b" not in text
        assert is_clean(text)
    assert "\ufffd]0;pwned\ufffdB\ufffd[31mred\ufffd2J" in pack.show.title
    assert "evil" in pack.show.title and "\u202e" not in pack.show.title
    assert pack.characters[0].notes[0].text.startswith("X A\ufffd]0;pwned")


def test_hostile_text_in_problems_is_sanitized(tmp_path: Path) -> None:
    _hostile_pack(tmp_path)
    shows = tmp_path / "show.toml"
    text = shows.read_text(encoding="utf-8").replace('id = "hostile"', f'id = "{_HOSTILE}"')
    shows.write_text(text, encoding="utf-8")
    result = read_pack(tmp_path)
    assert result.errors
    for problem in result.problems:
        assert is_clean(str(problem)) and "\n" not in str(problem)


# -- fuzzing: arbitrary bytes ------------------------------------------------

_FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _assert_robust(root: Path) -> None:
    result = read_pack(root)  # must not raise
    for problem in result.problems:
        assert isinstance(problem, Problem)
        text = str(problem)
        assert is_clean(text) and "\n" not in text
        # The catch-all in read_pack is a last resort: reaching it is a bug.
        assert not problem.message.startswith(("could not load pack", "pack too complex")), text
    if result.pack is not None:
        for text in _strings(result.pack):
            assert is_clean(text)
    try:
        pack = load_pack(root)
    except ContentError as error:
        assert error.problems
    else:
        assert not result.errors
        assert pack == result.pack


@contextmanager
def _with_file(relative: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        shutil.copytree(VALID, root)
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        yield root


_TARGETS = st.sampled_from(["show.toml", "characters.toml", "episodes/01.toml", "episodes/02.toml"])


@_FUZZ
@given(target=_TARGETS, data=st.binary(max_size=512))
def test_arbitrary_bytes_never_crash(target: str, data: bytes) -> None:
    with _with_file(target, data) as root:
        _assert_robust(root)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for kind, where, chunk in edits:
        where %= len(data) + 1
        if kind == 0:
            data = data[:where] + chunk + data[where:]
        elif kind == 1:
            data = data[:where] + data[where + len(chunk) + 1 :]
        else:
            data = data[:where] + chunk + data[where + len(chunk) :]
    return data


_INTERESTING = st.sampled_from(
    [
        b"[",
        b"]",
        b"[[",
        b"]]",
        b"=",
        b'"',
        b"'",
        b'"""',
        b"\n",
        b"\r\n",
        b"#",
        b".",
        b"{",
        b"}",
        b",",
        b"\\",
        b"\\u001b",
        b"\xff",
        b"\xef\xbb\xbf",
        b"0",
        b"-1",
        b"99999",
        b"true",
        b"2024-05-01T00:00:00",
        b"[[characters]]\n",
        b"[[characters.notes]]\n",
        b"[[reviews]]\n",
        b"[[sources]]\n",
        b'key = "example-1"\n',
        b"episode = 7\n",
        b"number = 1\n",
        b"after_episode = -1\n",
    ]
)
_EDITS = st.lists(
    st.tuples(
        st.integers(0, 2), st.integers(0, 5000), st.one_of(_INTERESTING, st.binary(min_size=1, max_size=8))
    ),
    min_size=1,
    max_size=6,
)


@_FUZZ
@given(target=_TARGETS, edits=_EDITS)
def test_mutated_valid_files_never_crash(target: str, edits: list[tuple[int, int, bytes]]) -> None:
    original = (VALID / target).read_bytes()
    with _with_file(target, _mutate(original, edits)) as root:
        _assert_robust(root)


# -- fuzzing: arbitrary TOML documents ------------------------------------------

_SCHEMA_KEYS = [
    "format", "id", "title", "original_title", "platform", "year", "episode_count", "synopsis",
    "director", "writer", "sources", "reviews", "key", "outlet", "url", "source", "verdict", "rating",
    "thoughts", "after_episode", "number", "runtime_minutes", "aired", "logline", "recap", "source_note",
    "characters", "name", "aliases", "actor", "first_episode", "intro", "notes", "episode", "text",
]  # fmt: skip

_keys = st.one_of(
    st.sampled_from(_SCHEMA_KEYS),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8),
)
_scalars = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    st.sampled_from(
        ["example-1", "example-2", "Seo Do-yun", "Min-ji", "Do yun", "https://x.org", "night-shift"]
    ),
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-2, 5),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(_keys, inner, max_size=4),
        st.lists(st.dictionaries(_keys, inner, max_size=5), min_size=1, max_size=3),
    ),
    max_leaves=20,
)
_documents = st.dictionaries(_keys, _values, max_size=10)


def _toml_key(key: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return _toml_string(key)


def _toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_toml(document: dict[str, Any]) -> str:
    """A tiny serializer: scalars and inline values first, then arrays of
    tables as [[headers]] (one level of nesting as [[a.b]]) and tables as [a]."""
    lines: list[str] = []
    later: list[str] = []
    for key, value in document.items():
        name = _toml_key(key)
        if _is_table_array(value):
            for entry in value:
                later.append(f"\n[[{name}]]")
                nested: list[str] = []
                for k, v in entry.items():
                    if _is_table_array(v):
                        for sub in v:
                            nested.append(f"\n[[{name}.{_toml_key(k)}]]")
                            nested += [f"{_toml_key(a)} = {_toml_value(b)}" for a, b in sub.items()]
                    else:
                        later.append(f"{_toml_key(k)} = {_toml_value(v)}")
                later += nested
        elif isinstance(value, dict):
            later.append(f"\n[{name}]")
            later += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()]
        else:
            lines.append(f"{name} = {_toml_value(value)}")
    return "\n".join([*lines, *later]) + "\n"


@_FUZZ
@given(target=_TARGETS, document=_documents)
def test_arbitrary_toml_documents_never_crash(target: str, document: dict[str, Any]) -> None:
    text = to_toml(document)
    assert tomllib.loads(text) == document  # the serializer is faithful
    with _with_file(target, text.encode("utf-8")) as root:
        _assert_robust(root)


@_FUZZ
@given(extra=_documents)
def test_valid_show_with_extra_keys_reports_each(extra: dict[str, Any]) -> None:
    """Keys the schema does not know are each reported, located, and nothing crashes."""
    base = tomllib.loads((VALID / "show.toml").read_text(encoding="utf-8"))
    unknown = {k: v for k, v in extra.items() if k not in base and k not in _SCHEMA_KEYS}
    text = (VALID / "show.toml").read_text(encoding="utf-8")
    head, sep, tail = text.partition("\n[[sources]]")
    inline = {k: v for k, v in unknown.items() if not _is_table_array(v) and not isinstance(v, dict)}
    added = "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in inline.items())
    with _with_file("show.toml", (head + "\n" + added + sep + tail).encode("utf-8")) as root:
        result = read_pack(root)
        reported = [p for p in result.errors if p.message.startswith("unknown key")]
        assert len(reported) == len(inline)
        assert all(p.line is not None for p in reported)
        assert len(result.errors) == len(inline)
        _assert_robust(root)


# -- speed-ups that must not change a result ----------------------------------------

_EPISODE = (VALID / "episodes" / "01.toml").read_text(encoding="utf-8")
_TRICKY_RECAPS = [
    _EPISODE,
    _EPISODE.replace("\n", "\r\n"),
    _EPISODE.replace("empty studio.", "empty \\u00e9 studio."),  # an escape
    _EPISODE.replace('\n"""\nsources', '\n""""\nsources'),  # ends with a quote
    _EPISODE.replace('\n"""\nsources', '\n"""""\nsources'),
    _EPISODE.replace('\n"""\nsources', '\n""""""\nsources'),  # invalid
    _EPISODE.replace("Jae-ho", "\ue000recap\ue001"),  # the stand-in itself
    _EPISODE.replace("Jae-ho", "a\x01b"),  # a control: invalid
    _EPISODE.replace('recap = """', 'recap = """x""" junk\nrest = """'),
    _EPISODE.replace('recap = """', 'recap="""'),
    _EPISODE.replace('recap = """', 'recap = """"'),
    _EPISODE.replace('\n"""\nsources', "\n"),  # unterminated
    # The recap's line inside another string, with or without a real recap.
    _EPISODE.replace('logline = "', 'logline = """\n').replace('recap = """', 'x"""\nrecap = """'),
    _EPISODE.replace('logline = "', "logline = '''\n").replace('recap = """', "'''\nrecap = \"\"\""),
    "a = '''\nrecap = \"\"\"\ntext\n\"\"\"\n'''\n",
    'a = """\nrecap = """\ntext\n"""\n',
    'recap = "\ue000recap\ue001"\nb = """\nrecap = """\ntext\n"""\n',
    'b = """\nrecap = """text"""\n"""\nrecap = "\\uE000recap\\uE001"\n',
    # ... in a literal string, with the stand-in spelt with escapes as the real recap
    'b = \'\'\'\nrecap = """\ntext\n"""\n\'\'\'\nrecap = "\\uE000recap\\uE001"\n',
    # A recap in a table, a duplicate, an array around it.
    '[t]\nrecap = """\ntext\n"""\n',
    'recap = """\none\n"""\nrecap = """\ntwo\n"""\n',
    'x = [\nrecap = """\ntext\n"""\n]\n',
    'recap = """\ntext\n"""',
    'recap = """\n"""\n',
    'recap = """"""\n',
]


def _outcome(parse: Any, text: str) -> object:
    try:
        return parse(text)
    except tomllib.TOMLDecodeError as error:
        return ("error", str(error))


@pytest.mark.parametrize("text", _TRICKY_RECAPS)
def test_recap_fast_path_parses_as_the_parser_does(text: str) -> None:
    from soundtrack_tui.core.tomlfile import _loads

    assert _outcome(_loads, text) == _outcome(tomllib.loads, text)


_RECAP_CHUNKS = ['"', '"""', "'''", "'", "\\", "\n", "\r\n", "recap = ", "[t]\n", "[", "\x01", "é🎤"]
_RECAP_EDITS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 400), st.sampled_from(_RECAP_CHUNKS)),
    min_size=1,
    max_size=5,
)


@_FUZZ
@given(edits=_RECAP_EDITS)
def test_recap_fast_path_matches_the_parser_on_mutated_files(edits: list[tuple[int, int, str]]) -> None:
    from soundtrack_tui.core.tomlfile import _loads

    text = _EPISODE
    for kind, where, chunk in edits:
        where %= len(text) + 1
        if kind == 0:
            text = text[:where] + chunk + text[where:]
        elif kind == 1:
            text = text[:where] + text[where + len(chunk) :]
        else:
            text = text[:where] + chunk + text[where + len(chunk) :]
    assert _outcome(_loads, text) == _outcome(tomllib.loads, text)


def test_a_plain_recap_is_not_read_by_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    from soundtrack_tui.core import tomlfile

    parsed: list[str] = []
    real = tomllib.loads

    def loads(text: str) -> dict[str, Any]:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(tomlfile.tomllib, "loads", loads)
    document = tomlfile._loads(_EPISODE)
    assert document == real(_EPISODE)
    assert len(parsed) == 1 and "empty studio" not in parsed[0]


def test_key_positions_are_scanned_only_to_locate_a_problem(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A clean pack never scans for positions; a problem scans its own file
    once, and is located exactly as before."""
    from soundtrack_tui.core import tomlfile, tomlpos

    scanned: list[int] = []

    def key_positions(text: str) -> dict[tomlpos.Path, tomlpos.Position]:
        scanned.append(len(text))
        return tomlpos.key_positions(text)

    monkeypatch.setattr(tomlfile, "key_positions", key_positions)
    assert read_pack(VALID, lint=False).problems == []
    assert scanned == []

    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    episode = root / "episodes" / "02.toml"
    episode.write_text(episode.read_text(encoding="utf-8") + "recapp = 1\nrecappp = 2\n", encoding="utf-8")
    lines = episode.read_text(encoding="utf-8").count("\n")
    problems = read_pack(root, lint=False).problems
    assert [str(p) for p in problems] == [
        f"{episode}:{lines - 1}:1: recapp: unknown key (did you mean 'recap'?)",
        f"{episode}:{lines}:1: recappp: unknown key (did you mean 'recap'?)",
    ]
    assert len(scanned) == 1
