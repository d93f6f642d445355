"""Spoiler-aware full-text search over a pack.

The search box runs a query on every keystroke, over packs of up to a few
thousand episodes, so no query scans raw text. `SearchIndex.build` folds
every document once (case, accents and punctuation removed, as `textnorm`
does) into token ids and stores them in tables searched at C speed.

A query becomes terms, each read in every way it cuts into indexed tokens.
Candidate documents come from set operations on postings; a term of
several tokens is then verified with byte searches of each candidate's
token codes; occurrences are counted only where ranking needs them. (No
table of adjacent token pairs: building one took longer than every other
part of the index, and byte searches of the postings' documents answer as
fast.) Matches are counted exactly, but a hit works out its spans,
snippet and target only when first read: a screen shows a few of the
`limit` hits. Recap paragraphs and reviews are not kept as text: a hit
makes its text again from the pack's episodes.

Spoilers: every document has a gate episode and is visible exactly when the
policy says so (`viewer.unlocked`, or `shows_title` for titles and loglines;
a note also needs its character). A hidden document never yields a hit, a
snippet or a label: it only adds one to `SearchResults.locked[gate]`.

The modules, bottom up: `query` (parsing what was typed), `tokens` (text
into indexed tokens), `storage` (the token tables), `documents` (the
pack's searchable texts and their gates), `terms` (query terms read as
tokens, and where they occur), `spans` (matches inside one document, and
snippets), `ranking` (matching and ordering), `results` (what a search
answers), `index` (build, load, search) and `session` (one search box's
state, for a UI to drive). Only the names below are the package's API.
"""

from soundtrack_tui.core.search.documents import Field
from soundtrack_tui.core.search.index import DEFAULT_LIMIT, SearchIndex
from soundtrack_tui.core.search.query import Query, parse_query
from soundtrack_tui.core.search.results import EpisodeMatches, Hit, RecapMatch, SearchResults, Target
from soundtrack_tui.core.search.session import SearchAnswer, SearchRequest, SearchSession

__all__ = [
    "DEFAULT_LIMIT",
    "EpisodeMatches",
    "Field",
    "Hit",
    "Query",
    "RecapMatch",
    "SearchAnswer",
    "SearchIndex",
    "SearchRequest",
    "SearchResults",
    "SearchSession",
    "Target",
    "parse_query",
]
