"""The search form of a text: what the full-text index stores and what queries are matched in.

:func:`search_form` maps a text character by character, so the result always has the same
length as the input and an offset into one is an offset into the other: a hit found in the
search form is cited from the stored text at the same offsets. The search form is derived,
never stored in place of the text. Apply it to queries as well as to passages.

The mapping (``search_form.v1``), applied to each character on its own:

* Traditional → Simplified Chinese with OpenCC's character table (戰 → 战, 於 → 于), using
  OpenCC's first candidate where it offers several; a character whose conversion is not exactly
  one character is kept as it is (see :mod:`indicia.text.variants`);
* full-width ASCII forms U+FF01-U+FF5E → ASCII (Ａ → a after lower-casing, ２ → 2, ％ → %);
* the ideographic space U+3000 → an ordinary space;
* Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF), which PDF text layers often
  contain, → the base letter, where compatibility normalisation gives exactly one character
  (ﯦ → ې); ligatures of several letters are kept;
* lower-casing, where the lower-case form is one character (``İ``, whose lower case is two
  characters, is kept).

Where one replacement would be replaced again (薴 → 苧 → 苎), the last one is used, so
``search_form(search_form(x)) == search_form(x)``.

The tables depend on the OpenCC data, so an index records :data:`SEARCH_FORM` and
:func:`search_form_tables_version` and is rebuilt when either changes.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache
from typing import Final

from indicia.text.variants import tables

SEARCH_FORM: Final = "search_form.v1"
"""Registered name of this mapping; a change of behaviour ships under a new name."""

_LAST_CASED_CODE_POINT: Final = 0x1E943
"""No code point above this one has a lower-case mapping (checked by the tests)."""


def _one_char(value: str) -> str | None:
    return value if len(value) == 1 else None


@cache
def _table() -> dict[int, str]:
    """The translation table, built on first use: code point → replacement character."""
    table: dict[int, str] = {}
    for cp in range(min(_LAST_CASED_CODE_POINT, sys.maxunicode) + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        lower = chr(cp).lower()
        if lower != chr(cp) and len(lower) == 1:
            table[cp] = lower
    for cp in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
        base = _one_char(unicodedata.normalize("NFKC", chr(cp)))
        if base is not None and base != chr(cp) and unicodedata.category(base).startswith("L"):
            table[cp] = base
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = chr(cp - 0xFEE0).lower()
    table[0x3000] = " "
    for traditional, simplified in tables().t2s.items():
        table[ord(traditional)] = simplified
    for cp, target in table.items():  # follow chains (薴 → 苧 → 苎) so the form is idempotent
        seen = {cp}
        while ord(target) in table and ord(target) not in seen:
            seen.add(ord(target))
            target = table[ord(target)]
        table[cp] = target
    return table


def search_form(text: str) -> str:
    """Return the search form of ``text``: same length, mapped character by character."""
    if text.isascii():
        return text.lower()
    return text.translate(_table())


def search_form_tables_version() -> str:
    """The OpenCC version whose data the Traditional→Simplified mapping comes from."""
    return tables().opencc_version
