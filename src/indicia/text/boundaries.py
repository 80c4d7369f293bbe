"""Where may a passage end? The boundary rules of ``passages.v1``.

:func:`cut_points` returns positions in a text where a passage may end; the caller
(:mod:`indicia.text.segment`) cuts there and strips the whitespace around each piece. The rules:

* **Paragraph break**: a blank line (two line breaks with only spaces between), a form feed or
  U+2029. A single line break is *not* a boundary: PDF text layers break lines inside sentences.
* **Chinese sentence end**: after 。！？；｡, after an ellipsis of two or more …/⋯, and after
  ``!``/``?`` that follow a Han character; closing quotes and brackets (”」』）》...) stay with
  the sentence, and nothing is cut when a comma or colon follows them (“我不去！”，她说).
* **Latin- or Arabic-script sentence end**: after a run of ``. ! ? ؟ ۔`` (plus closing quotes
  and brackets) followed by whitespace and then a capital letter, a digit, an opening quote or
  bracket, a Han character or an Arabic-script letter. A lone full stop does not end a sentence
  when it closes an abbreviation listed in ``data/abbreviations.yaml`` (some, such as ``No.``,
  only before a number), a single capital initial (``B.``), or a dotted abbreviation (``e.g.``,
  ``U.S.``). Decimals (3.5), URLs and file names never have whitespace after their dots, so
  they are never cut.
* **Chinese with ASCII punctuation** (only when the caller says the language is ``zh-*``): after
  ``.`` or ``;`` between Han characters (工作.下一步), as OCR and hasty typing produce.
* **List item**: a line break followed by a list marker (一、 （二） (3) 4. 5、 第六条 • -) starts a
  new passage, because lists in notices are rarely ended with punctuation.
* **Short line**: in a block of lines between blank lines, a line break ends a passage when the
  line before it is less than half as wide as the block's typical line (the upper quartile of
  its line widths, in which CJK characters count two columns; the rule is off when that is
  under 16 columns), that line does not end with a hyphen, comma or opening bracket, and the
  next line does not start with a lower-case letter. This separates headings, signatures and
  table rows from hard-wrapped prose, whose lines all reach about the same width except the
  last line of each paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from indicia.text.resources import Abbreviations, load_abbreviations
from indicia.text.scripts import ARABIC, HAN, HANGUL, KANA

ABBREVIATIONS: Final[Abbreviations] = load_abbreviations()

LINE_BREAKS: Final = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""The characters :meth:`str.splitlines` breaks at."""
CLOSERS: Final = "”’」』）》〉】〕］｝)]}\"'»›"
OPENERS: Final = "“‘「『（《〈【〔［｛([{\"'«‹"
SHORT_LINE_RATIO: Final = 0.5
MIN_TYPICAL_WIDTH: Final = 16

_NL: Final = r"(?:\r\n|\r(?!\n)|[\n\x0b\x1c\x1d\x1e\x85\u2028])"
_HS: Final = f"[^\\S{LINE_BREAKS}]"
_CLOSE: Final = f"[{re.escape(CLOSERS)}]"
_OPEN: Final = f"[{re.escape(OPENERS)}]"
_UPPER: Final = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0400-\u042f\uff21-\uff3a"
_CJK_NUMERAL: Final = "一二三四五六七八九十百零〇"
_LIST_MARKER: Final = (
    f"[{_CJK_NUMERAL}]{{1,4}}、"
    f"|[（(](?:[{_CJK_NUMERAL}0-9]{{1,4}}|[A-Za-z]|[ivxIVX]{{2,4}})[）)]"
    r"|[0-9]{1,2}(?:[、．）)]|\.(?![0-9]))"
    f"|第[{_CJK_NUMERAL}0-9]{{1,5}}(?:条|章|节|款|部分)"
    r"|[•●○◦▪■□◆◇➢►]"
    f"|[-–—*](?={_HS})"
)

_RULES: Final = re.compile(
    # a blank line, form feed or paragraph separator: cut at its start
    f"(?P<para>{_NL}{_HS}*(?:{_NL}|[\x0c\u2029])|[\x0c\u2029])"
    # a list marker at the start of a line: cut before the line break
    f"|(?P<item>{_NL}(?={_HS}*(?:{_LIST_MARKER})))"
    # Chinese sentence end: cut after the punctuation and any closing quotes
    f"|(?P<cjk>(?:[。！？；｡]|[…⋯]{{2,}}|(?<=[{HAN}])[!?]+)+{_CLOSE}*"
    f"(?![，、,：:{re.escape(CLOSERS)}]))"
    # Latin or Arabic sentence end: cut after the punctuation and any closing quotes
    f"|(?P<latin>[.!?؟۔]+{_CLOSE}*)(?=\\s+{_OPEN}*[{_UPPER}0-9{HAN}{ARABIC}])"
)
_CANDIDATES: Final = re.compile(f"[{LINE_BREAKS}。！？；｡…⋯!?.؟۔]")
"""Every character that a rule of :data:`_RULES` can start with."""
_ZH_ASCII: Final = re.compile(f"[.;](?<=[{HAN}][.;]){_CLOSE}*(?=\\s*{_OPEN}*[{HAN}])")
"""``.`` or ``;`` after a Han character and before one (the look-behind comes second so that
the search can skip ahead to the next ``.`` or ``;``)."""
_INITIAL_OR_DOTTED: Final = re.compile(r"[A-Z]\.|(?:[A-Za-z]\.){2,}")
_DIGIT_NEXT: Final = re.compile(r"\s+[0-9]")
_WIDE: Final = re.compile(f"[{HAN}{KANA}{HANGUL}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6]+")
_CONTINUES: Final = tuple("-‐‑‒–—,，、" + OPENERS)
_TOKEN_LOOKBACK: Final = 24


def _closes_abbreviation(text: str, dot: int) -> bool:
    """Is the full stop at ``dot`` the end of an abbreviation rather than of a sentence?"""
    low = max(0, dot - _TOKEN_LOOKBACK)
    start = dot
    while start > low and not text[start - 1].isspace():
        start -= 1
    if start == low and low > 0 and not text[low - 1].isspace():
        return False  # a token this long is no abbreviation
    token = text[start : dot + 1].lstrip(OPENERS)
    if token in ABBREVIATIONS.words or _INITIAL_OR_DOTTED.fullmatch(token) is not None:
        return True
    return token in ABBREVIATIONS.before_numbers and _DIGIT_NEXT.match(text, dot + 1) is not None


def _width(line: str) -> int:
    """Display width in columns: CJK and full-width characters count two."""
    return len(line) + sum(map(len, _WIDE.findall(line)))


def _short_line_cuts(text: str) -> list[int]:
    """Line ends after short lines in blocks of wrapped lines (see the module documentation)."""
    cuts: list[int] = []
    block: list[tuple[int, str]] = []  # (offset of the line's end, stripped line)
    position = 0
    for line in [*text.splitlines(keepends=True), ""]:
        content = line.rstrip(LINE_BREAKS)
        stripped = content.strip()
        if stripped:
            block.append((position + len(content), stripped))
        elif block:
            if len(block) > 1:
                cuts.extend(_block_cuts(block))
            block = []
        position += len(line)
    return cuts


def _block_cuts(block: list[tuple[int, str]]) -> list[int]:
    widths = [_width(line) for _, line in block]
    typical = sorted(widths)[(3 * len(widths)) // 4]  # the upper quartile
    if typical < MIN_TYPICAL_WIDTH:
        return []
    cuts = []
    for i in range(len(block) - 1):
        end, line = block[i]
        following = block[i + 1][1]
        if (
            widths[i] < SHORT_LINE_RATIO * typical
            and not line.endswith(_CONTINUES)
            and not following[0].islower()
        ):
            cuts.append(end)
    return cuts


def _rule_matches(text: str) -> Iterator[re.Match[str]]:
    """The same matches as ``_RULES.finditer(text)``, several times faster: the rules are tried
    only where one of them can start, found by scanning for one character class (in C)."""
    resume = 0
    for candidate in _CANDIDATES.finditer(text):
        if candidate.start() >= resume:
            match = _RULES.match(text, candidate.start())
            if match is not None:
                resume = match.end()
                yield match


def cut_points(text: str, language: str | None = None) -> list[int]:
    """Sorted, distinct positions where passages of ``text`` may end (0 and ``len(text)``
    included). ``language`` (``zh-Hans``...) turns on the rules for that language only."""
    cuts = {0, len(text)}
    for match in _rule_matches(text):
        kind = match.lastgroup
        if kind in ("para", "item"):
            cuts.add(match.start())
        elif kind == "latin":
            run = match.group("latin")
            if run == "." and _closes_abbreviation(text, match.start()):
                continue
            cuts.add(match.end())
        else:
            cuts.add(match.end())
    if language is not None and language.startswith("zh"):
        cuts.update(match.end() for match in _ZH_ASCII.finditer(text))
    cuts.update(_short_line_cuts(text))
    return sorted(cuts)
