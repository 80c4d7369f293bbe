"""Traditional and Simplified Chinese characters, one character at a time, from OpenCC.

Indicia uses OpenCC's dictionaries (the official ``opencc`` package, a binding of the C++
library, Apache-2.0) at the level of single characters only:

* :func:`tables` asks OpenCC once for the Traditional→Simplified (``t2s``) and
  Simplified→Traditional (``s2t``) conversion of every Han code point, each on its own line so
  that no phrase rule can join two of them. Where OpenCC offers several candidates it applies its
  first (most common) one; where the answer is not exactly one character the character is left
  out of the map, so that a mapped text keeps its length. This takes about 0.1 s and happens
  once per process, on first use.
* A character is *Traditional evidence* when ``t2s`` changes it and ``s2t`` leaves it alone
  (戰, 於, 灣), and *Simplified evidence* in the opposite case (战, 湾, 台). Characters that both
  directions change (compatibility ideographs, which both normalise) are evidence of neither.

Phrase-level conversion (e.g. 乾隆 stays 乾隆 while 乾燥 becomes 干燥) is deliberately not
used: the search form must keep every character at its offset, and a detector only needs
counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

import opencc

from indicia.text.scripts import HAN

_HAN_RANGES: Final = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF),
    (0x2F800, 0x2FA1F),
    (0x30000, 0x3134F),
    (0x31350, 0x323AF),
)


_ASTRAL_LEADS: Final = b"\xf0\xf1\xf2\xf3\xf4"
"""UTF-8 lead bytes of characters above U+FFFF."""


@dataclass(frozen=True)
class _EvidenceSet:
    """A set of characters, counted fast: a regular expression of runs for the Basic
    Multilingual Plane (a bitmap lookup) and a plain set for the rare characters above it,
    which a regular expression would test one by one."""

    bmp: re.Pattern[str]
    astral: frozenset[str]

    @classmethod
    def of(cls, chars: set[str]) -> _EvidenceSet:
        bmp = sorted(ch for ch in chars if ord(ch) <= 0xFFFF)
        pattern = "[" + "".join(re.escape(ch) for ch in bmp) + "]+" if bmp else r"(?!)"
        return cls(re.compile(pattern), frozenset(ch for ch in chars if ord(ch) > 0xFFFF))

    def count(self, text: str, astral: bool) -> int:
        """How many characters of ``text`` are in the set (``astral``: may it hold any above
        U+FFFF?)."""
        found = sum(map(len, self.bmp.findall(text)))
        if astral and self.astral:
            found += sum(1 for ch in text if ch in self.astral)
        return found


@dataclass(frozen=True)
class VariantTables:
    """Per-character OpenCC maps and the evidence sets derived from them."""

    t2s: dict[str, str]
    """Traditional→Simplified, only characters that change and map to exactly one character."""
    s2t: dict[str, str]
    """Simplified→Traditional, likewise."""
    traditional_only: _EvidenceSet
    simplified_only: _EvidenceSet
    opencc_version: str


def _han_code_points() -> list[str]:
    return [chr(cp) for low, high in _HAN_RANGES for cp in range(low, high + 1)]


def _character_map(config: str, chars: list[str]) -> dict[str, str]:
    """Convert every character on its own line and keep the one-to-one changes."""
    converter = opencc.OpenCC(config)
    converted = str(converter.convert("\n".join(chars))).split("\n")
    if len(converted) != len(chars):  # never seen; fall back to one call per character
        converted = [str(converter.convert(ch)) for ch in chars]
    return {
        source: target
        for source, target in zip(chars, converted, strict=True)
        if source != target and len(target) == 1
    }


@cache
def tables() -> VariantTables:
    """The OpenCC character tables, built on first use and kept for the life of the process."""
    chars = _han_code_points()
    t2s = _character_map("t2s.json", chars)
    s2t = _character_map("s2t.json", chars)
    return VariantTables(
        t2s=t2s,
        s2t=s2t,
        traditional_only=_EvidenceSet.of(set(t2s) - set(s2t)),
        simplified_only=_EvidenceSet.of(set(s2t) - set(t2s)),
        opencc_version=str(opencc.__version__),
    )


_HAN_RUN: Final = re.compile(f"[{HAN}]")


def variant_evidence(text: str) -> tuple[int, int]:
    """Count ``(traditional, simplified)`` evidence characters in ``text``.

    Shared characters (人, 中, 劳) count for neither; a text with no evidence either way, such as
    中国人民, is as much Traditional as Simplified.
    """
    if _HAN_RUN.search(text) is None:
        return 0, 0
    data = text.encode("utf-8", "surrogatepass")
    astral = len(data.translate(None, _ASTRAL_LEADS)) < len(data)
    t = tables()
    return t.traditional_only.count(text, astral), t.simplified_only.count(text, astral)
