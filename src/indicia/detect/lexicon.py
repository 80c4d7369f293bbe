"""Lexicons: the bilingual rules for one indicator, marker or act, as validated data.

One YAML file per taxonomy id lives in ``indicia/data/lexicons/``, named ``<id>.yaml``. A file
holds rules, exclusions and worked examples; every rule has an id and a version, and a finding
names both. The term syntax (see ``docs/lexicons.md``):

* a plain term is a literal, matched case-insensitively in the passage's search form
  (Traditional → Simplified, full-width → ASCII), so a Simplified term also finds Traditional
  text; in a Latin term a space matches any run of white space, and a word boundary is required
  at each end that is a letter or digit;
* a trailing ``*`` on a Latin term allows any word ending (``forc*`` → forced, forcing);
* ``re:`` starts a Hyperscan regular expression, matched as written (case-insensitive).

A rule fires when one of its ``terms`` occurs and, for each set in ``with``, one term of that
set occurs within ``window`` characters of it; a term of ``unless`` within the window, or of the
lexicon's ``exclusions`` anywhere in the passage, stops it. A composite rule (``findings``)
fires when, for each listed set of ids, the passage holds a supporting finding of one of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from indicia.detect.datafile import DataFileError, Header, Strict, list_files, parse, read_file

Polarity = Literal["asserted", "reported", "denied", "prohibited", "definitional"]
POLARITIES: tuple[Polarity, ...] = ("asserted", "reported", "denied", "prohibited", "definitional")
SUPPORT: frozenset[str] = frozenset({"asserted", "reported"})
"""Polarities that count as support; the others are counter-evidence or neither."""

Lang = Literal["en", "zh", "any"]

_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


class Rule(Strict):
    """One way of recognising the lexicon's target in a passage."""

    id: str
    version: int = Field(ge=1)
    lang: Lang = "any"
    terms: tuple[str, ...] = ()
    with_: tuple[tuple[str, ...], ...] = Field(default=(), alias="with")
    window: int | None = Field(default=None, ge=1, le=400)
    unless: tuple[str, ...] = ()
    findings: tuple[tuple[str, ...], ...] = ()
    polarity: Polarity | None = None
    """A polarity the rule always gives (e.g. ``denied`` for "entirely voluntary")."""
    note: str = ""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _RULE_ID.match(value):
            raise ValueError("rule ids are lower-case letters, digits and underscores")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        if bool(self.terms) == bool(self.findings):
            raise ValueError("a rule has either terms (with optional 'with') or findings")
        if self.findings and (self.with_ or self.unless):
            raise ValueError("a composite rule (findings) takes no 'with' or 'unless'")
        for term in (*self.terms, *self.unless, *(t for group in self.with_ for t in group)):
            check_term(term)
        if any(not group for group in (*self.with_, *self.findings)):
            raise ValueError("empty cue set")
        return self

    def window_for(self, defaults: Mapping[str, int]) -> int:
        """The rule's window, or the default for its language (``lexicon_defaults.yaml``)."""
        return self.window or defaults[self.lang]


class Exclusion(Strict):
    """Terms that, anywhere in the passage, stop every rule of the lexicon."""

    id: str
    terms: tuple[str, ...] = Field(min_length=1)
    note: str = ""

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for term in value:
            check_term(term)
        return value


class Example(Strict):
    """A worked example we wrote: the tests run every one."""

    lang: Literal["en", "zh"]
    text: str = Field(min_length=1)
    expect: Polarity | Literal["none"]
    """The polarity the lexicon's target must be found with, or ``none``."""


class LexiconFile(Header):
    """The YAML layout of one lexicon file."""

    target: str
    description: str = ""
    rules: tuple[Rule, ...] = Field(min_length=1)
    exclusions: tuple[Exclusion, ...] = ()
    examples: tuple[Example, ...] = ()

    @model_validator(mode="after")
    def _unique_rules(self) -> LexiconFile:
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique within a lexicon")
        return self


class _Windows(Strict):
    en: int = Field(ge=1, le=400)
    zh: int = Field(ge=1, le=400)
    any: int = Field(ge=1, le=400)


class LexiconDefaults(Header):
    """What every lexicon shares (``lexicon_defaults.yaml``)."""

    generic_terms: tuple[str, ...]
    """Words too common to fire on their own."""
    default_window: _Windows


@dataclass(frozen=True)
class Lexicon:
    """A loaded lexicon and the file it came from."""

    spec: LexiconFile
    path: str
    sha256: str

    @property
    def target(self) -> str:
        return self.spec.target

    def rule_id(self, rule: Rule) -> str:
        """The public rule id: ``<target>/<rule id>``."""
        return f"{self.spec.target}/{rule.id}"


def check_term(term: str) -> None:
    """Reject terms the matcher cannot use; raises ValueError."""
    if not term.strip():
        raise ValueError("empty term")
    if term.startswith("re:"):
        try:
            re.compile(term[3:])
        except re.error as exc:
            raise ValueError(f"bad regular expression {term!r}: {exc}") from exc
    elif "*" in term[:-1]:
        raise ValueError(f"'*' is allowed only at the end of a term: {term!r}")


@dataclass(frozen=True)
class LexiconSet:
    """Every lexicon, keyed by target, with the generic-term list they were checked against."""

    lexicons: tuple[Lexicon, ...]
    generic: frozenset[str]
    default_window: dict[str, int]
    defaults_sha256: str
    digest: str
    """Changes whenever any lexicon or the defaults change."""

    def get(self, target: str) -> Lexicon:
        for lexicon in self.lexicons:
            if lexicon.target == target:
                return lexicon
        raise KeyError(target)


def _check_generic(lexicon: Lexicon, generic: frozenset[str]) -> None:
    for rule in lexicon.spec.rules:
        if rule.with_ or rule.findings:
            continue
        lone = [t for t in rule.terms if t.lower().rstrip("*") in generic]
        if lone:
            raise DataFileError(
                f"{lexicon.path}: rule {rule.id!r}: generic term(s) {lone} need context "
                "('with' cue sets): they must never fire alone"
            )


@cache
def _load(folder: Path | None) -> LexiconSet:
    import hashlib

    defaults_file = read_file("lexicon_defaults.yaml", folder)
    defaults = parse(defaults_file, LexiconDefaults)
    generic = frozenset(t.lower() for t in defaults.generic_terms)
    lexicons: list[Lexicon] = []
    for data in list_files("lexicons", folder):
        spec = parse(data, LexiconFile)
        expected = data.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if spec.target != expected:
            raise DataFileError(f"{data.path}: target {spec.target!r} must match the file name")
        lexicon = Lexicon(spec, data.path, data.sha256)
        _check_generic(lexicon, generic)
        lexicons.append(lexicon)
    digest = hashlib.sha256(defaults_file.sha256.encode())
    for lexicon in lexicons:
        digest.update(f"{lexicon.path}:{lexicon.sha256}".encode())
    return LexiconSet(
        tuple(lexicons),
        generic,
        defaults.default_window.model_dump(),
        defaults_file.sha256,
        digest.hexdigest()[:16],
    )


def load_lexicons(folder: Path | None = None) -> LexiconSet:
    """Load and validate every lexicon (packaged, or overridden by ``folder``/setting)."""
    return _load(folder)
