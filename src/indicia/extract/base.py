"""What every extractor returns. Extractors are pure: a file in, an :class:`Extraction` out.

They run inside a worker process with time and memory limits (the analyze stage sets those);
they must never write to the case. On failure they raise :class:`indicia.errors.ExtractError`
with an ``E2xx`` code and a readable reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

PageMethod = str
"""How a page's text was obtained: ``text-layer``, ``ocr``, ``html-main``, ``docx``,
``plain-text``, ``email-body``."""


@dataclass(frozen=True)
class Page:
    """One page of text, exactly as the extractor produced it (offsets index into ``text``)."""

    number: int
    """1-based."""
    text: str
    method: PageMethod
    ocr_confidence: float | None = None
    """Mean word confidence 0-100 when ``method == "ocr"``."""
    ocr_languages: str | None = None
    """Tesseract language string used, e.g. ``chi_sim+eng``."""


@dataclass(frozen=True)
class Child:
    """A document found inside another (e-mail attachment, archive member, WARC record)."""

    name: str
    path: Path
    """A temporary file holding the child's bytes; the analyze stage takes it in as a document."""
    source_url: str | None = None
    collected_at: str | None = None
    """ISO 8601 UTC (``...Z``), e.g. a WARC record's date."""
    note: str | None = None


@dataclass(frozen=True)
class Extraction:
    """The result of extracting one document."""

    pages: list[Page]
    tool: str
    """The library that did the work, e.g. ``pypdfium2``."""
    tool_version: str
    extractor: str
    """The registered, versioned extractor name, e.g. ``pdf.v1``."""
    title: str | None = None
    published: str | None = None
    """Publication date as given by the document (ISO 8601 date or datetime), if any."""
    canonical_url: str | None = None
    charset: str | None = None
    """The character encoding used to decode the source, when it was text."""
    children: list[Child] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Extractor(Protocol):
    """``extract(path, media_type) -> Extraction``; raises ``ExtractError``."""

    def __call__(self, path: Path, media_type: str) -> Extraction: ...
