"""Which extractor handles which media type, by versioned name.

A registered name (``pdf.v1``) never changes behaviour: a change ships as ``pdf.v2`` beside it,
and each extraction records the name that made it. Media types are the sniffed ones
(:mod:`indicia.collect.sniff`, from the bytes, never the file name), so PDF bytes named
``.docx`` go to ``pdf.v1``.

Extractor modules are imported only when first used: a worker that reads only PDFs never loads
trafilatura or Tesseract.
"""

from __future__ import annotations

import importlib
from typing import cast

from indicia.errors import ErrorCode, ExtractError
from indicia.extract.base import Extractor

EXTRACTORS: dict[str, str] = {
    "pdf.v1": "indicia.extract.pdf",
    "html.v1": "indicia.extract.html",
    "html.v2": "indicia.extract.html2",
    "docx.v1": "indicia.extract.docx",
    "text.v1": "indicia.extract.text",
    "image.v1": "indicia.extract.image",
    "email.v1": "indicia.extract.mail",
    "warc.v1": "indicia.extract.warc",
    "zip.v1": "indicia.extract.archive",
}
"""Versioned extractor name -> module whose ``extract`` function implements it."""

MEDIA_TYPES: dict[str, str] = {
    "application/pdf": "pdf.v1",
    "text/html": "html.v2",
    "application/xhtml+xml": "html.v2",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx.v1",
    "text/plain": "text.v1",
    "image/png": "image.v1",
    "image/jpeg": "image.v1",
    "image/tiff": "image.v1",
    "image/webp": "image.v1",
    "image/gif": "image.v1",
    "image/bmp": "image.v1",
    "message/rfc822": "email.v1",
    "application/warc": "warc.v1",
    "application/zip": "zip.v1",
}
"""Media type -> extractor name for new extractions (an older version stays registered, so the
records it made keep their meaning). Any other ``text/*`` type is read as plain text."""

USES_OCR = frozenset({"pdf.v1", "image.v1"})
"""Extractors that take ``ocr_options=OcrOptions(...)`` (a keyword argument): the caller passes
it to choose the Tesseract languages, e.g. from a setting or the case's language."""


def name_for(media_type: str) -> str:
    """The versioned extractor name for a media type (parameters ignored); ``E201``."""
    base = media_type.split(";", 1)[0].strip().lower()
    name = MEDIA_TYPES.get(base)
    if name is None and base.startswith("text/"):
        name = "text.v1"
    if name is None:
        raise ExtractError(ErrorCode.UNSUPPORTED_TYPE, f"no extractor handles {base or '(none)'}")
    return name


def get(name: str) -> Extractor:
    """The extract function registered as ``name``; ``E201`` for an unknown name."""
    module_name = EXTRACTORS.get(name)
    if module_name is None:
        raise ExtractError(ErrorCode.UNSUPPORTED_TYPE, f"no extractor is registered as {name}")
    module = importlib.import_module(module_name)
    return cast(Extractor, module.extract)


def extractor_for(media_type: str) -> tuple[str, Extractor]:
    """``(versioned name, extract function)`` for a sniffed media type; ``E201`` if none."""
    name = name_for(media_type)
    return name, get(name)
