"""Tokens for the full-text index, computed in Python so both databases index the same words.

The index holds two token streams per passage, both made from its search form (Traditional →
Simplified, full-width → ASCII, lower case):

* **words**: runs of letters and digits, except that every CJK character is a token of its
  own. English queries match whole words here, never substrings; a one-character Chinese query
  is one token.
* **pairs**: every two adjacent CJK characters (强迫劳动 → 强迫 迫劳 劳动), run by run. A Chinese
  query of n >= 2 characters is the phrase of its n - 1 pairs: it finds every passage that
  contains it (a word-segmented index misses about 11% of two-character hits), and a pair is
  far rarer than a character, so the database checks positions in few passages.

The two streams travel as one string (:func:`index_text`, made in the extraction workers), the
words, a line feed, then the pairs; :func:`split_index_text` takes it apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

TOKENS: Final = "tokens.v2"
"""Registered name of these rules (v1 had no pairs); the index records it and is rebuilt when
it changes."""

# Han ideographs (URO, extension A, compatibility), kana, and Hangul syllables: one token each.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_CJK_RUN = re.compile(rf"[{_CJK}]{{2,}}")
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def tokens(search_form: str) -> list[str]:
    """The word tokens of a text already in search form."""
    return _TOKEN.findall(search_form)


def count_tokens(search_form: str) -> int:
    """``len(tokens(search_form))``, counted by runs (faster than making every token)."""
    if search_form.isascii():
        return len(_ASCII_WORD.findall(search_form))
    count = 0
    for run in _RUN.findall(search_form):
        count += len(run) if _CJK_CHAR.match(run) else 1
    return count


def pairs(search_form: str) -> list[str]:
    """The pairs of adjacent CJK characters of a text already in search form, in order."""
    out: list[str] = []
    for run in _CJK_RUN.findall(search_form):
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


def index_text(search_form: str) -> str:
    """What the database indexes: the words, a line feed, the pairs (each space-separated)."""
    return " ".join(_TOKEN.findall(search_form)) + "\n" + " ".join(pairs(search_form))


def split_index_text(text: str) -> tuple[str, str]:
    """``(words, pairs)`` of an :func:`index_text`."""
    words, _, pair_text = text.partition("\n")
    return words, pair_text


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a CJK character."""
    return _CJK_CHAR.search(text) is not None


def is_cjk(token: str) -> bool:
    """Whether a word token is a single CJK character."""
    return len(token) == 1 and _CJK_CHAR.match(token) is not None


def cjk_runs(term_tokens: Sequence[str]) -> list[list[str]]:
    """The runs of consecutive CJK tokens in a query term (which must be adjacent in the text)."""
    runs: list[list[str]] = []
    current: list[str] = []
    for token in term_tokens:
        if is_cjk(token):
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs
