"""Passages: the sentences or short paragraphs that findings cite.

:func:`passages` (``passages.v1``) returns character offsets, never copies, so a passage is always
``text[span.start:span.end]`` of the page it came from. The guarantees, tested with random
texts:

* spans are in order and do not overlap;
* no span starts or ends with whitespace, and none is empty;
* every non-whitespace character of the text is inside a span;
* no span is longer than :data:`MAX_PASSAGE` characters.

The steps:

1. cut the text where :func:`indicia.text.boundaries.cut_points` allows (paragraph breaks,
   sentence ends, list items, short lines) and strip the whitespace off each piece;
2. split a piece longer than :data:`MAX_SENTENCE` into near-equal parts, at a semicolon or
   colon if there is one near the middle of a part, else at a comma (，、 or ``,`` before a
   space), else at whitespace, else at the middle itself;
3. merge a piece shorter than :data:`MIN_PASSAGE` (a lone ``1.``, a heading such as 一、总体要求)
   into the passage after it, or into the one before it when it is last, unless the merged
   passage would be longer than :data:`MAX_PASSAGE`.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from typing import Final, NamedTuple

from indicia.text.boundaries import cut_points

SEGMENTER: Final = "passages.v1"
"""Registered name of these rules; a change of behaviour ships under a new name."""
MAX_SENTENCE: Final = 600
"""A piece longer than this is split."""
MAX_PASSAGE: Final = 800
"""No passage is longer than this."""
MIN_PASSAGE: Final = 8
"""A piece shorter than this is merged into a neighbour."""

_BREAKS: Final = (
    (re.compile(r"[；;：]|:(?=\s)"), True),
    (re.compile(r"[，、]|,(?=\s)"), True),
    (re.compile(r"\s+"), False),
)
"""Places to split a long piece, best first; ``True`` cuts after the match, ``False`` before."""
_NON_SPACE: Final = re.compile(r"\S")


class Span(NamedTuple):
    """A passage as character offsets into its page's text: ``text[start:end]``."""

    start: int
    end: int

    @property
    def length(self) -> int:
        """Number of characters in the passage."""
        return self.end - self.start


def _stripped_pieces(text: str, cuts: list[int]) -> list[Span]:
    spans = []
    for low, high in pairwise(cuts):
        piece = text[low:high]
        head = len(piece) - len(piece.lstrip())
        tail = len(piece.rstrip())
        if tail > head:
            spans.append(Span(low + head, low + tail))
    return spans


def _best_break(text: str, low: int, high: int, ideal: int) -> int:
    """The split point in ``(low, high]`` of the best kind, nearest to ``ideal``."""
    for pattern, after in _BREAKS:
        best: int | None = None
        for match in pattern.finditer(text, low, high):
            point = match.end() if after else match.start()
            if low < point <= high and (best is None or abs(point - ideal) < abs(best - ideal)):
                best = point
        if best is not None:
            return best
    point = ideal
    while point < high and unicodedata.category(text[point]) in ("Mn", "Me", "Cf"):
        point += 1  # never separate a base character from its combining marks or joiners
    return point


def _split_long(text: str, span: Span) -> list[Span]:
    parts = []
    start, end = span
    while end - start > MAX_SENTENCE:
        remaining = end - start
        size = remaining // -(-remaining // MAX_SENTENCE)  # near-equal parts of <= MAX_SENTENCE
        ideal = start + size
        low = max(start + 1, ideal - size // 2)
        high = min(start + MAX_PASSAGE, ideal + size // 2, end - 1)
        point = _best_break(text, low, high, ideal)
        parts.append(Span(start, start + len(text[start:point].rstrip())))
        following = _NON_SPACE.search(text, point, end)
        assert following is not None  # text[end - 1] is not whitespace and point < end
        start = following.start()
    parts.append(Span(start, end))
    return parts


def _merge_short(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    waiting: Span | None = None
    for span in spans:
        if waiting is not None:
            if span.end - waiting.start <= MAX_PASSAGE:
                span = Span(waiting.start, span.end)
            else:
                merged.append(waiting)
            waiting = None
        if span.length < MIN_PASSAGE:
            waiting = span
        else:
            merged.append(span)
    if waiting is not None:
        if merged and waiting.end - merged[-1].start <= MAX_PASSAGE:
            merged[-1] = Span(merged[-1].start, waiting.end)
        else:
            merged.append(waiting)
    return merged


def passages(text: str, language: str | None = None) -> list[Span]:
    """Split ``text`` into passages and return their spans, in order.

    ``language`` is the text's language if known (``zh-Hans``, ``zh-Hant``, ``en``, ``ug``).
    The rules are chosen by script, so mixed text works without it; a ``zh-*`` language only
    adds the rule that ASCII ``.`` and ``;`` between Han characters end a sentence.
    """
    spans: list[Span] = []
    for span in _stripped_pieces(text, cut_points(text, language)):
        if span.length > MAX_SENTENCE:
            spans.extend(_split_long(text, span))
        else:
            spans.append(span)
    return _merge_short(spans)
