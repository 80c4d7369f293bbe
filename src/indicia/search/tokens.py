"""Tokens for the full-text index, computed in Python so both databases index the same words.

A token is a run of letters and digits from the passage's search form (Traditional → Simplified,
full-width → ASCII, lower case), except that every CJK character is a token of its own. So a
Chinese query of any length is a phrase of single characters, which finds every passage that
contains it (a word-segmented index misses about 11% of two-character hits), and an English
query matches whole words, never substrings.
"""

from __future__ import annotations

import re

# Han ideographs (URO, extension A, compatibility), kana, and Hangul syllables: one token each.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")


def tokens(search_form: str) -> list[str]:
    """The index tokens of a text already in search form."""
    return _TOKEN.findall(search_form)


def index_text(search_form: str) -> str:
    """What the database indexes: the tokens joined by single spaces."""
    return " ".join(_TOKEN.findall(search_form))


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a CJK character."""
    return _CJK_CHAR.search(text) is not None
