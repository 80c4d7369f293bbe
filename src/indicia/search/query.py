"""Parse what a user types into search terms.

``"forced labour" 强迫劳动 dormitory`` is three terms, all required: a quoted phrase, a Chinese
term, and a word. Traditional-script input is normalised like the index, so it finds Simplified
text and the reverse.

Each term becomes one or more phrases of index tokens (see :mod:`indicia.search.tokens`):

* a Chinese term of two or more characters: the phrase of its pairs (强迫劳动 → 强迫 迫劳 劳动);
* any other term: the phrase of its words (a Chinese character is one word), plus the phrase
  of pairs of each run of two or more Chinese characters in it (iphone手机 → ``iphone 手 机``
  and ``手机``), which the words phrase implies but the database finds faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from indicia.search.tokens import cjk_runs, has_cjk, tokens
from indicia.text.normalise import search_form

_PART = re.compile(r'"([^"]*)"|(\S+)')

WORDS, PAIRS = "words", "pairs"
"""The two token streams of the index."""


@dataclass(frozen=True)
class Term:
    """One required term: a phrase of word tokens, and its normalised surface form."""

    tokens: tuple[str, ...]
    form: str
    """The normalised text as typed (without quotes), used to confirm and highlight matches."""
    cjk: bool

    @property
    def phrases(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``(stream, tokens)`` phrases that every passage containing the term matches."""
        runs = cjk_runs(self.tokens)
        pair_phrases = tuple(
            (PAIRS, tuple(a + b for a, b in pairwise(run))) for run in runs if len(run) >= 2
        )
        if len(runs) == 1 and len(runs[0]) == len(self.tokens) >= 2:
            return pair_phrases  # a Chinese term: its pairs say everything its characters do
        return ((WORDS, self.tokens), *pair_phrases)


def parse(query: str) -> list[Term]:
    """Split a query into required terms; an empty list means nothing searchable was given."""
    terms: list[Term] = []
    for quoted, bare in _PART.findall(query):
        raw = quoted if quoted else bare
        form = search_form(raw).strip()
        toks = tuple(tokens(form))
        if toks:
            terms.append(Term(toks, form, has_cjk(form)))
    return terms
