"""Polarity: is a finding asserted, reported, denied, prohibited or definitional?

Decided from cue words around the finding (``indicia/data/polarity.yaml``), never from the words
of the finding itself, in a fixed order: prohibited, denied, definitional, reported, asserted.
Denied and prohibited findings are kept as counter-evidence and never count as support.
Registered as ``polarity.v1``; a change of behaviour ships as a new version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from pydantic import Field

from indicia.detect.datafile import Header, Strict, parse, read_file
from indicia.detect.lexicon import Polarity, check_term
from indicia.detect.matcher import term_pattern

POLARITY: Final = "polarity.v1"
# Patterns run on the search form, where full-width ，；：？！ have become ASCII (with no space
# after them in Chinese text); a comma between digits (1,000) is not a boundary.
_SENTENCE_END = re.compile(r"[.](?=\s|$)|[!?。\n]")
_CLAUSE_END = re.compile(r"[.](?=\s|$)|[!?;:。、\n]|,(?!\d)")
_LIST_CLAUSE_END = re.compile(r"[.](?=\s|$)|[!?;:。\n]|,(?!\d)")
"""Clause ends for prohibitions: a list joined by 、 stays one scope (严禁体罚、威胁恐吓)."""


class _Cues(Strict):
    before: tuple[str, ...] = ()
    sentence: tuple[str, ...] = ()
    preceding: tuple[str, ...] = ()
    passage: tuple[str, ...] = ()


class _Definitional(_Cues):
    question: bool = True


class _Windows(Strict):
    en: int = Field(ge=1)
    zh: int = Field(ge=1)


class PolarityFile(Header):
    window: _Windows
    prohibition_reach: int = Field(ge=1)
    denied: _Cues
    prohibited: _Cues
    definitional: _Definitional
    reported: _Cues


def _compile(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    for term in terms:
        check_term(term)
    return re.compile("|".join(f"(?:{term_pattern(t)})" for t in terms), re.IGNORECASE)


@dataclass(frozen=True)
class _Compiled:
    before: re.Pattern[str] | None
    sentence: re.Pattern[str] | None
    preceding: re.Pattern[str] | None
    passage: re.Pattern[str] | None

    @classmethod
    def of(cls, cues: _Cues) -> _Compiled:
        return cls(
            _compile(cues.before),
            _compile(cues.sentence),
            _compile(cues.preceding),
            _compile(cues.passage),
        )


class PolarityJudge:
    """Judges the polarity of findings in a passage's search form."""

    def __init__(self, spec: PolarityFile) -> None:
        self.spec = spec
        self.version = spec.version
        self._denied = _Compiled.of(spec.denied)
        self._prohibited = _Compiled.of(spec.prohibited)
        self._definitional = _Compiled.of(spec.definitional)
        self._reported = _Compiled.of(spec.reported)
        self._last_form: str | None = None
        self._absent: set[int] = set()

    def judge(self, form: str, start: int, end: int, lang: str) -> Polarity:
        """The polarity of the finding at ``form[start:end]``."""
        if form is not self._last_form:
            # Which cue patterns occur anywhere in this passage: the others are skipped for
            # every finding in it (a passage usually holds several findings).
            self._last_form = form
            self._absent = {
                id(pattern)
                for compiled in (self._denied, self._prohibited, self._definitional, self._reported)
                for pattern in (
                    compiled.before,
                    compiled.sentence,
                    compiled.preceding,
                    compiled.passage,
                )
                if pattern is not None and pattern.search(form) is None
            }
        window = self.spec.window.zh if lang == "zh" else self.spec.window.en
        at = _Context.around(form, start, end, window, self.spec.prohibition_reach)
        prohibited = self._prohibited
        if self._found(prohibited.before, at.list_before) or (
            self._found(prohibited.before, at.preceding)
            and self._found(prohibited.passage, at.passage)
        ):
            return "prohibited"
        if self._any_scope(self._denied, at):
            return "denied"
        reported = self._any_scope(self._reported, at)
        definitional = self._definitional
        if (
            self._found(definitional.before, at.before)
            or (not reported and self._found(definitional.preceding, at.preceding))
            or self._found(definitional.sentence, at.sentence)
            or self._found(definitional.passage, at.passage)
            or (self.spec.definitional.question and at.is_question)
        ):
            return "definitional"
        if reported:
            return "reported"
        return "asserted"

    def _found(self, pattern: re.Pattern[str] | None, text: str) -> bool:
        return (
            pattern is not None
            and id(pattern) not in self._absent
            and pattern.search(text) is not None
        )

    def _any_scope(self, cues: _Compiled, at: _Context) -> bool:
        return (
            self._found(cues.before, at.before)
            or self._found(cues.preceding, at.preceding)
            or self._found(cues.sentence, at.sentence)
            or self._found(cues.passage, at.passage)
        )


@dataclass(frozen=True)
class _Context:
    """The stretches of text around a finding that the cues are looked for in."""

    before: str
    list_before: str
    preceding: str
    sentence: str
    passage: str
    is_question: bool

    @classmethod
    def around(cls, form: str, start: int, end: int, window: int, reach: int) -> _Context:
        sentence_start = _last_boundary(_SENTENCE_END, form, start)
        sentence_end = _next_boundary(_SENTENCE_END, form, end)
        clause_start = max(sentence_start, _last_boundary(_CLAUSE_END, form, start))
        list_start = max(sentence_start, _last_boundary(_LIST_CLAUSE_END, form, start))
        return cls(
            before=form[max(clause_start, start - window) : start],
            list_before=form[max(list_start, start - reach) : start],
            preceding=form[sentence_start:start],
            sentence=form[sentence_start:start] + " \x00 " + form[end:sentence_end],
            passage=form[:start] + " \x00 " + form[end:],
            is_question=form[sentence_end : sentence_end + 1] in ("?", "？"),
        )


def _last_boundary(pattern: re.Pattern[str], text: str, before: int) -> int:
    last = 0
    for match in pattern.finditer(text, 0, before):
        last = match.end()
    return last


def _next_boundary(pattern: re.Pattern[str], text: str, after: int) -> int:
    match = pattern.search(text, after)
    return match.start() if match else len(text)


@cache
def load_polarity(folder: Path | None = None) -> PolarityJudge:
    """The polarity judge built from ``polarity.yaml`` (packaged or overridden)."""
    return PolarityJudge(parse(read_file("polarity.yaml", folder), PolarityFile))
