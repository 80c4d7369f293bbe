"""One document, from original to pages and passages. Runs inside an isolated worker process.

Pure: a path and a media type in, a :class:`DocumentText` out, or an ``ExtractError``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from indicia.extract.base import Extraction
from indicia.extract.registry import USES_OCR, extractor_for
from indicia.search.tokens import index_text
from indicia.text.language import detect
from indicia.text.normalise import search_form
from indicia.text.segment import passages


class PassageText(NamedTuple):
    """A passage: offsets into its page's text, its language, and what the index stores.

    (A named tuple rather than a dataclass: about 60 of them a page are made in the worker and
    pickled back to the writer, and a tuple is made and pickled in a fraction of the time.)"""

    start: int
    end: int
    language: str
    script: str
    index_text: str


@dataclass(frozen=True)
class PageText:
    """A page as stored: the text exactly as extracted, with its hash and language."""

    number: int
    text: str
    sha256: str
    method: str
    language: str
    script: str
    ocr_confidence: int | None
    passages: tuple[PassageText, ...]


@dataclass(frozen=True)
class DocumentText:
    """Everything the extract stage stores for one document."""

    extractor: str
    extraction: Extraction
    pages: tuple[PageText, ...]

    @property
    def passage_count(self) -> int:
        """Passages over all pages."""
        return sum(len(p.passages) for p in self.pages)


def text_sha256(text: str) -> str:
    """The hash a page's text is stored under (SHA-256 of its UTF-8 bytes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


PASSAGE_CONFIDENCE = 0.5
"""Below this a passage's own language guess yields to its page's (short headings, numbers)."""


def analyze_document(
    path: Path, media_type: str, ocr_languages: str | None = None, tessdata: str | None = None
) -> DocumentText:
    """Extract, then detect languages, segment into passages and build the index text."""
    name, extractor = extractor_for(media_type)
    if name in USES_OCR and (ocr_languages or tessdata):
        from indicia.extract.ocr import OcrOptions  # Pillow and Tesseract: OCR extractors only

        options = OcrOptions(
            languages=ocr_languages or OcrOptions.languages,
            tessdata=Path(tessdata) if tessdata else None,
        )
        extraction = extractor(path, media_type, ocr_options=options)  # type: ignore[call-arg]
    else:
        extraction = extractor(path, media_type)
    pages = []
    for page in extraction.pages:
        guess = detect(page.text)
        spans = []
        for span in passages(page.text, guess.language):
            chunk = page.text[span.start : span.end]
            own = detect(chunk)
            sure = own.language != "und" and own.confidence >= PASSAGE_CONFIDENCE
            spans.append(
                PassageText(
                    span.start,
                    span.end,
                    own.language if sure else guess.language,
                    own.script if sure else guess.script,
                    index_text(search_form(chunk)),
                )
            )
        confidence = None if page.ocr_confidence is None else round(page.ocr_confidence)
        pages.append(
            PageText(
                page.number,
                page.text,
                text_sha256(page.text),
                page.method,
                guess.language,
                guess.script,
                confidence,
                tuple(spans),
            )
        )
    return DocumentText(name, extraction, tuple(pages))
