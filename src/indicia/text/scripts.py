"""Counting letters by writing system (ISO 15924 script codes).

Language detection starts from one question: which scripts are the letters of this text written
in? This module answers it with one regular-expression pass over the text. Only letters are
counted by script; digits, punctuation and symbols are pooled as ``Zyyy`` (Common) and
whitespace is not counted at all.

The character classes below are hand-drawn from the Unicode block charts. They cover the letters
that matter to Indicia's sources (Chinese, English, Uyghur) and the scripts a Chinese
government source may also contain (Tibetan, Mongolian, Cyrillic for Kazakh and Kyrgyz, Japanese
and Korean quotations). Any other letter is counted as ``Zzzz`` (uncoded script).
"""

from __future__ import annotations

import re
from typing import Final

HAN: Final = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002f800-\U0002fa1f\U00030000-\U000323af"
)
"""Han ideographs (CJK Unified Ideographs, extensions A-H, compatibility ideographs, and 〇),
as the inside of a regular-expression character class."""

LATIN: Final = (
    "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
    "\uff21-\uff3a\uff41-\uff5a"
)
"""Latin letters: ASCII, Latin-1, Latin Extended-A/B and Additional, and full-width forms."""

ARABIC: Final = (
    "\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufdc7\ufdf0-\ufdfb\ufe70-\ufefc"
)
"""Arabic-script letters (base letters and presentation forms), without marks or digits."""

CYRILLIC: Final = "\u0400-\u0481\u048a-\u052f"
GREEK: Final = "\u0370-\u0373\u0376\u0377\u037b-\u037d\u0386\u0388-\u03ff\u1f00-\u1fbc"
KANA: Final = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d"
"""Hiragana and Katakana letters (not the middle dot ・ or the long-vowel mark ー, which Chinese
text also uses)."""
HANGUL: Final = "\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3"
TIBETAN: Final = "\u0f40-\u0fbc"
MONGOLIAN: Final = "\u1820-\u18aa"

SCRIPT_CLASSES: Final[tuple[tuple[str, str], ...]] = (
    ("Hani", HAN),
    ("Latn", LATIN),
    ("Arab", ARABIC),
    ("Cyrl", CYRILLIC),
    ("Grek", GREEK),
    ("Hrkt", KANA),
    ("Hang", HANGUL),
    ("Tibt", TIBETAN),
    ("Mong", MONGOLIAN),
)
"""(ISO 15924 code, character class) for every script counted by name, in reporting order."""

OTHER_LETTERS: Final = "Zzzz"
"""Key for letters of any script not listed in :data:`SCRIPT_CLASSES`."""
COMMON: Final = "Zyyy"
"""Key for non-letter, non-space characters: digits, punctuation, symbols and marks."""


def _lead_bytes(*ranges: tuple[int, int]) -> bytes:
    """UTF-8 lead bytes of the given ranges of lead-byte values, for the presence tests."""
    return bytes(b for low, high in ranges for b in range(low, high + 1))


_COUNTED: Final[tuple[tuple[str, re.Pattern[str], bytes], ...]] = (
    ("Hani", re.compile(f"[{HAN}]+"), _lead_bytes((0xE3, 0xE9), (0xEF, 0xF0))),
    # ASCII letters are counted on bytes; this pattern finds the other Latin letters
    (
        "Latn",
        re.compile(f"[{LATIN.removeprefix('A-Za-z')}]+"),
        _lead_bytes((0xC2, 0xC9), (0xE1, 0xE1), (0xEF, 0xEF)),
    ),
    (
        "Arab",
        re.compile(f"[{ARABIC}]+"),
        _lead_bytes((0xD8, 0xDB), (0xDD, 0xDD), (0xE0, 0xE0), (0xEF, 0xEF)),
    ),
)
"""(code, pattern of runs, UTF-8 lead bytes its letters can start with) for the three scripts
Indicia reads. A pattern is run only when one of its lead bytes occurs in the text, which is
much cheaper to test than running the pattern."""
_RARE: Final = re.compile("[" + "".join(chars for _, chars in SCRIPT_CLASSES[3:]) + "]")
_RARE_RUNS: Final = tuple((code, re.compile(f"[{chars}]+")) for code, chars in SCRIPT_CLASSES[3:])
_OTHER_RUNS: Final = re.compile(r"[^\W\d_" + "".join(chars for _, chars in SCRIPT_CLASSES) + "]+")
_ASCII_LETTERS: Final = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_ASCII_SPACE: Final = b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
_OTHER_SPACE: Final = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
"""Together with :data:`_ASCII_SPACE`: exactly the characters :meth:`str.isspace` accepts."""
_OTHER_SPACE_LEADS: Final = _lead_bytes((0xC2, 0xC2), (0xE1, 0xE3))


def _total(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def _deleted(data: bytes, delete: bytes) -> int:
    """How many bytes of ``data`` are in ``delete``."""
    return len(data) - len(data.translate(None, delete))


def count_scripts(text: str) -> dict[str, int]:
    """Count the characters of ``text`` by script; only scripts that occur are keys.

    Letters go under their script's code (``Hani``, ``Latn``, ``Arab``...), or ``Zzzz`` when the
    script is not one we name. Every other non-whitespace character goes under ``Zyyy``. The
    values add up to the number of non-whitespace characters in ``text``.
    """
    # ASCII letters and spaces are counted by deleting them from the UTF-8 bytes, in C: the
    # bytes of a non-ASCII character are all >= 0x80, so they are never deleted or miscounted.
    data = text.encode("utf-8", "surrogatepass")
    counts = {"Latn": _deleted(data, _ASCII_LETTERS)}
    spaces = _deleted(data, _ASCII_SPACE)
    if not text.isascii():
        for code, pattern, leads in _COUNTED:
            if _deleted(data, leads):
                counts[code] = counts.get(code, 0) + _total(pattern, text)
        if _RARE.search(text) is not None:
            for code, pattern in _RARE_RUNS:
                counts[code] = _total(pattern, text)
        counts[OTHER_LETTERS] = _total(_OTHER_RUNS, text)
        if _deleted(data, _OTHER_SPACE_LEADS):
            spaces += _total(_OTHER_SPACE, text)
    counts = {code: n for code, n in counts.items() if n}
    common = len(text) - spaces - sum(counts.values())
    if common:
        counts[COMMON] = common
    return counts
