"""One multi-pattern matcher for every term of every lexicon (``matcher.hyperscan.v1``).

All terms are compiled into a single Hyperscan (Vectorscan) database, scanned once per passage:
a Python alternation of 2,000 patterns runs at 0.05 MB/s here, Hyperscan at well over 20 MB/s
(``docs/performance.md``). Hyperscan reports every match of every pattern, overlapping ones
included, which is what rule evaluation needs. The compiled database is cached on disk under
``INDICIA_CACHE_DIR``, keyed by the digest of the patterns and the library version, because
compiling takes seconds.

Terms are matched in the search form (:func:`indicia.text.normalise.search_form`), which has the
same length as the text, so a match's offsets are offsets into the original passage.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Final

import hyperscan

from indicia.detect.datafile import DataFileError
from indicia.settings import get_settings
from indicia.text.normalise import search_form

MATCHER: Final = "matcher.hyperscan.v1"
_FLAGS: Final = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST
_HS_VERSION: Final = version("hyperscan")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a term: pattern number and character span in the passage."""

    pattern: int
    start: int
    end: int


def term_pattern(term: str) -> str:
    """The Hyperscan expression for a lexicon term (see :mod:`indicia.detect.lexicon`)."""
    if term.startswith("re:"):
        return term[3:]
    wildcard = term.endswith("*") and len(term) > 1
    body = search_form(term[:-1] if wildcard else term).strip()
    parts = [re.escape(piece) for piece in body.split()]
    pattern = r"\s+".join(parts)
    if _LATIN_EDGE.match(body[0]):
        pattern = r"\b" + pattern
    if wildcard:
        pattern += r"\w*"
    if _LATIN_EDGE.match(body[-1]):
        pattern += r"\b"
    return pattern


class Matcher:
    """Finds every occurrence of a fixed list of terms in a text."""

    def __init__(self, terms: Iterable[str], *, cache_dir: Path | None = None) -> None:
        self.terms: tuple[str, ...] = tuple(terms)
        self.patterns: tuple[str, ...] = tuple(term_pattern(t) for t in self.terms)
        self._db = self._database(cache_dir)
        self._scratch = hyperscan.Scratch(self._db)

    def _database(self, cache_dir: Path | None) -> hyperscan.Database:
        key = hashlib.sha256(
            "\x00".join((MATCHER, _HS_VERSION, *self.patterns)).encode("utf-8")
        ).hexdigest()[:32]
        folder = cache_dir if cache_dir is not None else Path(get_settings().cache_dir)
        cached = folder / f"lexicon-{key}.hsdb"
        if cached.is_file():
            try:
                return hyperscan.loadb(cached.read_bytes(), hyperscan.HS_MODE_BLOCK)
            except hyperscan.HyperscanError:
                pass  # stale or damaged cache entry: rebuild it below
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        expressions = [p.encode("utf-8") for p in self.patterns]
        flags = [_FLAGS | (hyperscan.HS_FLAG_UTF8 if not p.isascii() else 0) for p in self.patterns]
        try:
            db.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)
        except hyperscan.HyperscanError as exc:
            raise DataFileError(self._culprits(str(exc))) from exc
        _store(cached, hyperscan.dumpb(db))
        return db

    def _culprits(self, error: str) -> str:
        """Name the terms that fail to compile on their own, for the error message."""
        bad = []
        for term, pattern in zip(self.terms, self.patterns, strict=True):
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            flags = _FLAGS | (hyperscan.HS_FLAG_UTF8 if not pattern.isascii() else 0)
            try:
                db.compile(expressions=[pattern.encode("utf-8")], ids=[0], flags=[flags])
            except hyperscan.HyperscanError as exc:
                bad.append(f"{term!r} ({exc})")
        if bad:
            return "lexicon term(s) cannot be compiled: " + "; ".join(bad[:5])
        return f"the {len(self.terms)} lexicon terms cannot be compiled together: {error}"

    def scan(self, text: str) -> list[Hit]:
        """Every match in ``text`` (already in search form), ordered by start."""
        if not self.patterns:
            return []
        data = text.encode("utf-8")
        raw: list[tuple[int, int, int]] = []

        def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            raw.append((pattern, start, end))

        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        if not raw:
            return []
        if len(data) == len(text):
            hits = [Hit(p, s, e) for p, s, e in raw]
        else:
            index = _to_chars(data, {o for _, s, e in raw for o in (s, e)})
            hits = [Hit(p, index[s], index[e]) for p, s, e in raw]
        hits.sort(key=lambda hit: (hit.start, hit.end, hit.pattern))
        return hits


def _to_chars(data: bytes, offsets: set[int]) -> dict[int, int]:
    """Character offsets for byte offsets (each at a character boundary), decoding in C."""
    return {offset: len(data[:offset].decode("utf-8")) for offset in offsets}


def _store(path: Path, blob: bytes) -> None:
    """Write the cache entry atomically; a cache that cannot be written is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".hsdb-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        Path(tmp).replace(path)
    except OSError:
        return
