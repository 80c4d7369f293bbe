"""Parse what a user types into search terms.

``"forced labour" 强迫劳动 dormitory`` is three terms, all required: a quoted phrase, a Chinese
term (a phrase of its characters), and a word. Traditional-script input is normalised like the
index, so it finds Simplified text and the reverse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indicia.search.tokens import has_cjk, tokens
from indicia.text.normalise import search_form

_PART = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    """One required term: a phrase of index tokens, and its normalised surface form."""

    tokens: tuple[str, ...]
    form: str
    """The normalised text as typed (without quotes), used to confirm and highlight matches."""
    cjk: bool


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
