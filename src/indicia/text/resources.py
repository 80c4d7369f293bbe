"""The text layer's data files: loaded from ``indicia/text/data/`` and checked before use.

Every file states its name, version, source and licence; a file that lacks them, or whose lists
are malformed, raises :class:`TextDataError` when it is loaded, which happens when the module
that needs it is imported. A caller may pass another folder (for example one named by a
setting) to load replacements with the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

import yaml

from indicia.errors import ErrorCode, IndiciaError

ABBREVIATIONS_FILE: Final = "abbreviations.yaml"
LANGUAGE_RULES_FILE: Final = "language_rules.yaml"
_HEADER_KEYS: Final = ("name", "version", "source", "licence")


class TextDataError(IndiciaError, ValueError):
    """A data file of the text layer is missing, unreadable or malformed (``E009``)."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.DATA_INVALID, message)


@dataclass(frozen=True)
class DataInfo:
    """Where a data file came from: the header every data file must carry."""

    name: str
    version: int
    source: str
    licence: str


@dataclass(frozen=True)
class Abbreviations:
    """Words ending in a full stop that do not end a sentence (see ``abbreviations.yaml``)."""

    info: DataInfo
    words: frozenset[str]
    """Never end a sentence (``Mr.``, ``Co.``)."""
    before_numbers: frozenset[str]
    """Do not end a sentence when the next word starts with a digit (``No. 5``, ``Jan. 3``)."""


@dataclass(frozen=True)
class LanguageRules:
    """Word and letter lists for the language detector (see ``language_rules.yaml``)."""

    info: DataInfo
    english_function_words: frozenset[str]
    uyghur_alphabet: frozenset[str]
    uyghur_distinctive_letters: frozenset[str]


def _read(filename: str, folder: Path | None) -> dict[str, Any]:
    """Parse one YAML data file (from ``folder`` or the packaged ``data`` folder)."""
    try:
        if folder is None:
            raw = files("indicia.text").joinpath("data", filename).read_text(encoding="utf-8")
        else:
            raw = (folder / filename).read_text(encoding="utf-8")
        document = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise TextDataError(f"{filename}: cannot be read: {exc}") from exc
    if not isinstance(document, dict):
        raise TextDataError(f"{filename}: expected a mapping at the top level")
    return document


def _info(filename: str, document: dict[str, Any], expected_name: str) -> DataInfo:
    missing = [key for key in _HEADER_KEYS if key not in document]
    if missing:
        raise TextDataError(f"{filename}: header keys missing: {', '.join(missing)}")
    name, version = document["name"], document["version"]
    source, licence = document["source"], document["licence"]
    if name != expected_name:
        raise TextDataError(f"{filename}: name is {name!r}, expected {expected_name!r}")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TextDataError(f"{filename}: version must be a positive integer")
    for key, value in (("source", source), ("licence", licence)):
        if not isinstance(value, str) or not value.strip():
            raise TextDataError(f"{filename}: {key} must be a non-empty string")
    return DataInfo(name=name, version=version, source=source, licence=licence)


def _strings(filename: str, document: dict[str, Any], key: str) -> list[str]:
    """A required, non-empty list of non-empty strings without whitespace."""
    value = document.get(key)
    if not isinstance(value, list) or not value:
        raise TextDataError(f"{filename}: {key} must be a non-empty list of strings")
    for item in value:
        if not isinstance(item, str) or not item or any(ch.isspace() for ch in item):
            raise TextDataError(f"{filename}: {key}: {item!r} is not a word")
    return value


def _letters(filename: str, document: dict[str, Any], key: str) -> frozenset[str]:
    value = document.get(key)
    if not isinstance(value, str) or not value or not all(ch.isalpha() for ch in value):
        raise TextDataError(f"{filename}: {key} must be a non-empty string of letters")
    return frozenset(value)


def load_abbreviations(folder: Path | None = None) -> Abbreviations:
    """Load and check ``abbreviations.yaml``: every entry is one word ending in ``.``."""
    document = _read(ABBREVIATIONS_FILE, folder)
    info = _info(ABBREVIATIONS_FILE, document, "abbreviations")
    lists = {
        key: _strings(ABBREVIATIONS_FILE, document, key)
        for key in ("abbreviations", "before_numbers")
    }
    for words in lists.values():
        for word in words:
            if not word.endswith(".") or len(word) < 2:
                raise TextDataError(f"{ABBREVIATIONS_FILE}: {word!r} must end with a full stop")
    both = set(lists["abbreviations"]) & set(lists["before_numbers"])
    if both:
        raise TextDataError(f"{ABBREVIATIONS_FILE}: listed twice: {', '.join(sorted(both))}")
    return Abbreviations(
        info=info,
        words=frozenset(lists["abbreviations"]),
        before_numbers=frozenset(lists["before_numbers"]),
    )


def load_language_rules(folder: Path | None = None) -> LanguageRules:
    """Load and check ``language_rules.yaml``."""
    document = _read(LANGUAGE_RULES_FILE, folder)
    info = _info(LANGUAGE_RULES_FILE, document, "language_rules")
    words = _strings(LANGUAGE_RULES_FILE, document, "english_function_words")
    if any(word != word.lower() for word in words):
        raise TextDataError(f"{LANGUAGE_RULES_FILE}: english_function_words must be lower-case")
    alphabet = _letters(LANGUAGE_RULES_FILE, document, "uyghur_alphabet")
    distinctive = _letters(LANGUAGE_RULES_FILE, document, "uyghur_distinctive_letters")
    if not distinctive <= alphabet:
        raise TextDataError(
            f"{LANGUAGE_RULES_FILE}: uyghur_distinctive_letters must be part of uyghur_alphabet"
        )
    return LanguageRules(
        info=info,
        english_function_words=frozenset(words),
        uyghur_alphabet=alphabet,
        uyghur_distinctive_letters=distinctive,
    )
