"""The text layer: language, search form and passages of extracted text.

Everything here works on plain ``str`` and returns offsets into it, so a finding can always cite
the stored text exactly:

* :func:`detect` (:mod:`indicia.text.language`) guesses a text's language and script by
  transparent rules (Unicode scripts, OpenCC variant counts, word and letter lists);
* :func:`search_form` (:mod:`indicia.text.normalise`) maps a text, character for character, to
  the form the search index uses (Simplified Chinese, ASCII for full-width forms, lower case);
* :func:`passages` (:mod:`indicia.text.segment`) splits a page into sentence-sized passages.
"""

from __future__ import annotations

from indicia.text.language import DETECTOR, LanguageGuess, detect, detect_many
from indicia.text.normalise import SEARCH_FORM, search_form
from indicia.text.segment import SEGMENTER, Span, passages

__all__ = [
    "DETECTOR",
    "SEARCH_FORM",
    "SEGMENTER",
    "LanguageGuess",
    "Span",
    "detect",
    "detect_many",
    "passages",
    "search_form",
]
