"""Which language is a passage in? Transparent rules, no statistical model.

The detector (``language.rules.v1``) decides in three steps, and its :attr:`LanguageGuess.reason`
says which step decided and on what counts.

1. **Dominant script.** Letters are counted by script (:func:`indicia.text.scripts.count_scripts`).
   Han characters count three times and Kana or Hangul twice, because one Han character carries
   about as much text as three Latin letters (an English word averages under five letters, a
   Chinese word under two characters). The script with the largest weighted count dominates.
   So an English sentence quoting 强迫劳动 stays English ("The report uses the term 强迫劳动
   twelve times.": 31 Latin letters against 4×3), and a Chinese sentence quoting "forced
   labour" stays Chinese ("该报告多次使用forced labour一词。": 12 Latin letters against 9×3).
   Digits and punctuation do not count. On a tie the script listed first in
   :data:`~indicia.text.scripts.SCRIPT_CLASSES` wins (Han, then Latin, then Arabic).
2. **Language within the script.**
   * Han → Chinese; ``zh-Hant`` when more characters are Traditional-only than Simplified-only
     (judged with OpenCC, see :mod:`indicia.text.variants`), otherwise ``zh-Hans`` (also the
     answer when no character tells them apart, as in 人民). If Kana make up at least a tenth
     of the Han and Kana letters (or Kana dominate), the text is Japanese, which Indicia does
     not support: ``und`` with script ``Jpan``.
   * Latin → ``en`` when at least 15% of the words are English function words (the, of, and...),
     else ``und`` (pinyin, Uyghur Latin script, French...).
   * Arabic script → ``ug`` when at least 3% of the letters are letters that only Uyghur uses
     (ې ۆ ۇ ۈ ە ڭ ۋ) and at most 5% are letters outside the Uyghur alphabet; else ``und``.
     Presentation forms (common in text from PDFs) are folded to base letters first.
   * Any other script (Cyrillic, Tibetan, Mongolian, Hangul...) → ``und`` with that script.
3. **Confidence** is the dominant script's share of the weighted letters, times
   ``min(1, weighted letters / 24)`` so that very short texts are never certain, times the
   strength of the step-2 evidence: ``0.5 + 0.5 × |T − S| / (T + S)`` for Chinese with T
   Traditional-only and S Simplified-only characters (0.5 when both are 0);
   ``min(1, function-word share / 0.30)`` for English; ``min(1, Uyghur-only share / 0.09)`` for
   Uyghur; 1 for ``und``. No letters at all gives ``und``/``Zyyy`` with confidence 0.

Limits: Kazakh and Kyrgyz in Arabic script share most Uyghur letters and may be read as Uyghur
when their own letters (ٴ ٵ ٶ ٷ) are rare in a passage; Sorani Kurdish is caught by its letters
outside the Uyghur alphabet only if they reach 5%. A Han text without variant evidence is called
``zh-Hans`` on the strength of Indicia's sources, not of the text. Latin-script English with
very few function words (headlines, tables, lists of names) comes out ``und``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from indicia.text.resources import load_language_rules
from indicia.text.scripts import ARABIC, COMMON, OTHER_LETTERS, SCRIPT_CLASSES, count_scripts
from indicia.text.variants import variant_evidence

DETECTOR: Final = "language.rules.v1"
"""Registered name of these rules; a change of behaviour ships under a new name."""

RULES: Final = load_language_rules()

SCRIPT_WEIGHTS: Final[Mapping[str, int]] = {"Hani": 3, "Hrkt": 2, "Hang": 2}
"""Weight of one letter of a script when scripts compete; scripts not named weigh 1."""
KANA_SHARE_FOR_JAPANESE: Final = 0.1
ENGLISH_FUNCTION_WORD_SHARE: Final = 0.15
UYGHUR_DISTINCTIVE_SHARE: Final = 0.03
UYGHUR_FOREIGN_LETTER_SHARE: Final = 0.05
FULL_CONFIDENCE_LETTERS: Final = 24

_TIE_ORDER: Final = {code: rank for rank, (code, _) in enumerate(SCRIPT_CLASSES)}
_LATIN_WORD: Final = re.compile(r"[A-Za-z\u00c0-\u024f']+")
_ARABIC_LETTER: Final = re.compile(f"[{ARABIC}]")


@dataclass(frozen=True)
class LanguageGuess:
    """The detector's answer for one text, with the counts it rests on."""

    language: str
    """``zh-Hans``, ``zh-Hant``, ``en``, ``ug`` or ``und`` (undetermined or unsupported)."""
    script: str
    """ISO 15924 code of the dominant script: ``Hans``, ``Hant``, ``Latn``, ``Arab``, ``Jpan``,
    ``Cyrl``... or ``Zyyy`` when the text has no letters."""
    confidence: float
    """0 to 1; see the module documentation for how it is computed."""
    counts: Mapping[str, int] = field(default_factory=dict)
    """Characters per script (:func:`~indicia.text.scripts.count_scripts`)."""
    reason: str = ""
    """One line saying which rule decided and on what evidence."""
    detector: str = DETECTOR


def _weighted(counts: Mapping[str, int]) -> dict[str, int]:
    return {
        code: n * SCRIPT_WEIGHTS.get(code, 1)
        for code, n in counts.items()
        if code != COMMON and n > 0
    }


def _chinese(text: str, counts: Mapping[str, int], share: float) -> tuple[str, str, float, str]:
    han, kana = counts.get("Hani", 0), counts.get("Hrkt", 0)
    if kana and kana / (han + kana) >= KANA_SHARE_FOR_JAPANESE:
        return "und", "Jpan", share, f"Han and Kana with {kana} Kana of {han + kana}: Japanese"
    traditional, simplified = variant_evidence(text)
    evidence = traditional + simplified
    strength = 0.5 + 0.5 * abs(traditional - simplified) / evidence if evidence else 0.5
    variant = "Hant" if traditional > simplified else "Hans"
    why = f"{traditional} Traditional-only vs {simplified} Simplified-only characters"
    return f"zh-{variant}", variant, share * strength, f"Han dominant; {why}"


def _latin(text: str, share: float) -> tuple[str, str, float, str]:
    words = [word.lower().strip("'") for word in _LATIN_WORD.findall(text)]
    hits = sum(1 for word in words if word in RULES.english_function_words)
    ratio = hits / len(words) if words else 0.0
    why = f"Latin dominant; {hits} of {len(words)} words are English function words"
    if ratio >= ENGLISH_FUNCTION_WORD_SHARE:
        return "en", "Latn", share * min(1.0, ratio / (2 * ENGLISH_FUNCTION_WORD_SHARE)), why
    return "und", "Latn", share, why


def _arabic(text: str, share: float) -> tuple[str, str, float, str]:
    letters = _ARABIC_LETTER.findall(unicodedata.normalize("NFKC", text))
    total = len(letters) or 1
    distinctive = sum(1 for ch in letters if ch in RULES.uyghur_distinctive_letters)
    foreign = sum(1 for ch in letters if ch not in RULES.uyghur_alphabet)
    why = (
        f"Arabic script dominant; {distinctive} Uyghur-only and {foreign} non-Uyghur letters"
        f" of {len(letters)}"
    )
    if (
        distinctive / total >= UYGHUR_DISTINCTIVE_SHARE
        and foreign / total <= UYGHUR_FOREIGN_LETTER_SHARE
    ):
        strength = min(1.0, distinctive / total / (3 * UYGHUR_DISTINCTIVE_SHARE))
        return "ug", "Arab", share * strength, why
    return "und", "Arab", share, why


def detect(text: str) -> LanguageGuess:
    """Guess the language of ``text`` by the rules described in this module."""
    counts = count_scripts(text)
    weighted = _weighted(counts)
    total = sum(weighted.values())
    if total == 0:
        return LanguageGuess("und", "Zyyy", 0.0, counts, "no letters")
    dominant = min(weighted, key=lambda code: (-weighted[code], _TIE_ORDER.get(code, 99)))
    share = weighted[dominant] / total * min(1.0, total / FULL_CONFIDENCE_LETTERS)
    if dominant in ("Hani", "Hrkt"):
        language, script, confidence, why = _chinese(text, counts, share)
    elif dominant == "Latn":
        language, script, confidence, why = _latin(text, share)
    elif dominant == "Arab":
        language, script, confidence, why = _arabic(text, share)
    else:
        script = "Zzzz" if dominant == OTHER_LETTERS else dominant
        language, confidence, why = "und", share, f"{script} dominant: no language rule"
    share_note = f"{weighted[dominant]} of {total} weighted letters"
    return LanguageGuess(language, script, round(confidence, 3), counts, f"{why} ({share_note})")


def detect_many(texts: Iterable[str]) -> list[LanguageGuess]:
    """:func:`detect` for each text, in order (the tables are shared and loaded once)."""
    return [detect(text) for text in texts]
