"""PDF (``pdf.v1``): the text layer page by page, and OCR for pages whose text layer is unusable.

PDFium (through pypdfium2, Apache-2.0/BSD-3) reads the text layer with Chinese intact, hundreds
of pages per second on one core (``shared/measurements.md`` section 2). A page goes to OCR when its
text layer is missing (a scan), garbled (fonts without a ToUnicode map give control characters,
private-use code points or glyphs PDFium itself reports as unmapped), or a stamped page number
over a full-page image. Such a page is rendered in grey at 300 dpi and read by Tesseract
(:mod:`indicia.extract.ocr`); its :class:`Page` says ``method="ocr"`` with the mean confidence.

Hostile files: Flate bombs are found before PDFium sees the file (:mod:`.pdfscan`); a page tree
claiming more than :data:`limits.MAX_PAGES` pages, or a page too large to render within
:data:`limits.MAX_RENDER_PIXELS` even at :data:`limits.OCR_MIN_DPI`, gives ``E207``. An encrypted
PDF is opened with the empty user password (many government PDFs are "encrypted" only to forbid
copying) and extracted with a warning; one that needs a real password gives ``E205``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, ocr, pdfscan
from indicia.extract.base import Extraction, Page
from indicia.extract.encoding import clean_text

NAME = "pdf.v1"

_PYPDFIUM = pdfium.version.PYPDFIUM_INFO
_PDFIUM = pdfium.version.PDFIUM_INFO

_WS = re.compile(r"\s")
# U+FFFD, private use (BMP and planes 15-16), C0/C1 controls other than tab and line ends.
_BAD = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class _Run:
    """What one extraction accumulates besides its pages."""

    ocr_options: ocr.OcrOptions
    warnings: list[str] = field(default_factory=list)
    engines: set[str] = field(default_factory=set)
    """OCR engines that ran (for the recorded tool version)."""
    ocr_failure: ExtractError | None = None
    """The first ``E210`` met, raised if no page ends up with text."""


def extract(
    path: Path, media_type: str, *, ocr_options: ocr.OcrOptions | None = None
) -> Extraction:
    """Extract every page of the PDF at ``path``; ``media_type`` is ``application/pdf``."""
    pdfscan.check_streams(path)
    run = _Run(ocr_options or ocr.OcrOptions())
    document = _open(path, run.warnings)
    try:
        count = len(document)
        if count > limits.MAX_PAGES:
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"the page tree claims {count} pages (limit {limits.MAX_PAGES})",
            )
        pages = [_page(document, index, run) for index in range(count)]
        title = _metadata(document, "Title")
    finally:
        document.close()

    if not any(page.text.strip() for page in pages):
        if run.ocr_failure is not None:  # nothing to show because OCR could not run: say so
            raise run.ocr_failure
        raise ExtractError(
            ErrorCode.NO_TEXT, f"none of the {count} page(s) has text, in its text layer or by OCR"
        )
    version = f"pypdfium2={_PYPDFIUM.version} pdfium={_PDFIUM.build}"
    for engine in sorted(run.engines):
        version += " " + ocr.engine_version(engine)
    return Extraction(
        pages=pages,
        tool="pypdfium2+tesseract" if run.engines else "pypdfium2",
        tool_version=version,
        extractor=NAME,
        title=title,
        warnings=run.warnings,
    )


def _open(path: Path, warnings: list[str]) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(path, password="")
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ExtractError(
                ErrorCode.ENCRYPTED,
                "the PDF is encrypted and does not open with an empty user password",
            ) from exc
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"not a readable PDF ({exc})") from exc
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1:
        warnings.append(
            "the PDF is encrypted but opened with the empty user password; text extracted normally"
        )
    return document


def _metadata(document: pdfium.PdfDocument, key: str) -> str | None:
    try:
        value = str(document.get_metadata_value(key)).strip()
    except pdfium.PdfiumError:
        return None
    return clean_text(value) or None


def _page(document: pdfium.PdfDocument, index: int, run: _Run) -> Page:
    """One page: its text layer, or OCR when the layer is unusable."""
    number = index + 1
    try:
        page = document[index]
    except pdfium.PdfiumError:
        run.warnings.append(f"page {number}: PDFium could not load the page; it is left empty")
        return Page(number, "", "text-layer")
    try:
        textpage = page.get_textpage()
        try:
            text = _layer_text(textpage)
            reason = _ocr_reason(text, textpage, page)
        finally:
            textpage.close()
        if reason is None:
            return Page(number, text, "text-layer")
        return _ocr_page(page, number, text, reason, run)
    finally:
        page.close()


def _layer_text(textpage: Any) -> str:
    """The page's text layer with LF line ends.

    PDFium joins a line that ends in a word-break hyphen to the next and marks the join with
    U+0002; the printed page shows a hyphen and a line break, so that is what is restored.
    """
    return clean_text(textpage.get_text_bounded()).replace("\x02", "-\n")


def _ocr_reason(text: str, textpage: Any, page: Any) -> str | None:
    """Why this page's text layer should be replaced by OCR, or ``None`` if it is usable."""
    visible = len(text) - len(_WS.findall(text))
    if visible == 0:
        return "no text layer" if pdfium_c.FPDFPage_CountObjects(page) > 0 else None
    bad = len(_BAD.findall(text)) / visible
    chars = textpage.count_chars()
    if chars > 0:
        step = max(1, chars // limits.PDF_MAPERR_SAMPLE)
        sample = range(0, chars, step)
        unmapped = sum(1 for i in sample if pdfium_c.FPDFText_HasUnicodeMapError(textpage, i) == 1)
        bad = max(bad, unmapped / len(sample))
    if bad > limits.PDF_GARBAGE_SHARE:
        return f"garbled text layer ({bad:.0%} unmapped, private-use or control characters)"
    if visible < limits.PDF_MIN_TEXT_CHARS and _has_image(page):
        return f"only {visible} character(s) of text over an image"
    return None


def _has_image(page: Any) -> bool:
    images = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3)
    return next(iter(images), None) is not None


def _ocr_page(page: Any, number: int, layer_text: str, reason: str, run: _Run) -> Page:
    """OCR a rendered page; keep the text layer (with a warning) when OCR fails or finds nothing."""
    try:
        ocr.engine(run.ocr_options.engine)  # E210 before spending time on rendering
        bitmap = _render(page, number, run.warnings)
        try:
            result = ocr.recognise(bitmap.to_pil(), run.ocr_options)
        finally:
            bitmap.close()
    except ExtractError as exc:
        if exc.code != ErrorCode.OCR_FAILED:
            raise
        run.ocr_failure = run.ocr_failure or exc
        run.warnings.append(
            f"page {number}: {reason}, but OCR failed ({exc.message}); kept the text layer"
        )
        return Page(number, layer_text, "text-layer")
    run.engines.add(result.engine)
    if not result.text.strip() and layer_text.strip():
        run.warnings.append(f"page {number}: {reason}, but OCR found no text; kept the text layer")
        return Page(number, layer_text, "text-layer")
    return Page(number, result.text, "ocr", result.confidence, result.languages)


def _render(page: Any, number: int, warnings: list[str]) -> Any:
    """Render in 8-bit grey at :data:`limits.OCR_DPI`, lower for oversized pages; ``E207``."""
    width, height = page.get_size()
    area = max(width, 1.0) * max(height, 1.0)  # points squared
    dpi = float(limits.OCR_DPI)
    if area * (dpi / 72) ** 2 > limits.MAX_RENDER_PIXELS:
        dpi = math.floor(72 * math.sqrt(limits.MAX_RENDER_PIXELS / area))
        if dpi < limits.OCR_MIN_DPI:
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"page {number} measures {width:.0f} x {height:.0f} pt; even at "
                f"{limits.OCR_MIN_DPI} dpi it would exceed {limits.MAX_RENDER_PIXELS} pixels",
            )
        warnings.append(f"page {number} is oversized; rendered for OCR at {dpi:.0f} dpi")
    return page.render(scale=dpi / 72, grayscale=True, draw_annots=True)
