"""Every limit and tuning constant the extractors use, in one place.

A hostile file (a PDF that declares a million pages, a 30 KB DOCX that inflates to gigabytes, an
image that claims 100,000 x 100,000 pixels) must fail fast with ``E207`` instead of exhausting the
worker. The worker also runs under the caller's time and memory limits; these caps make the
common attacks fail early and with a clear reason rather than as a killed process (``E203``).

Each value is chosen so that real evidence passes with a wide margin; the comment beside it says
what real material it was measured against. Changing a value changes what an extractor accepts,
so it ships as a new extractor version (``pdf.v2``...), never as a silent edit.
"""

from __future__ import annotations

from pathlib import Path

MIB = 1024 * 1024

# --- Documents of many pages -------------------------------------------------------------------

MAX_PAGES = 5_000
"""Most pages (PDF) or frames (TIFF) one document may have. Government gazettes and annual
yearbooks reach 1,000-2,000 pages; a PDF whose page tree claims more is treated as a bomb."""

# --- PDF ---------------------------------------------------------------------------------------

PDF_MAX_STREAM_BYTES = 16 * MIB
"""Largest inflated size of one Flate-compressed content, form, object or metadata stream.
PDFium parses a page's content into objects at roughly 10-90x the stream's size in memory
(a 21 MB stream of text operators took 1.8 GB), so a 30 KB file can otherwise exhaust RAM.
Real pages of text or scanned images have content streams of kilobytes; vector maps reach a few
MiB."""

PDF_MAX_FONT_BYTES = 128 * MIB
"""Largest inflated size of one embedded font program. A complete (unsubsetted) CJK font is
10-25 MiB."""

PDF_MAX_INFLATED_TOTAL = 1024 * MIB
"""Largest inflated size of all non-image Flate streams of one PDF together."""

PDF_GARBAGE_SHARE = 0.10
"""A page whose visible text has more than this share of U+FFFD, private-use or control
characters, or of characters PDFium reports as unmapped (no ToUnicode), is OCRed instead."""

PDF_MIN_TEXT_CHARS = 20
"""A page with fewer visible characters than this *and* an image on it is OCRed: scanned notices
often carry only a stamped page number or file number in their text layer."""

PDF_MAPERR_SAMPLE = 256
"""How many characters per page are checked with PDFium's unmapped-glyph test (evenly spaced);
checking every character would cost about 1 ms per page."""

# --- Rendering and OCR -------------------------------------------------------------------------

OCR_DPI = 300
"""Resolution at which PDF pages are rendered for OCR (Tesseract's models are trained at
about 300 dpi)."""

OCR_MIN_DPI = 150
"""Lowest resolution an oversized page may be rendered at to stay within
:data:`MAX_RENDER_PIXELS`. A page that does not fit even at this resolution is a bomb."""

MAX_RENDER_PIXELS = 50_000_000
"""Most pixels of one rendered page (8-bit grey, so also bytes). A0 at 180 dpi or A2 at 300 dpi
fits; a page declaring a 200-inch MediaBox does not (900 Mpx at 150 dpi)."""

MAX_IMAGE_PIXELS = 100_000_000
"""Most pixels of one image or TIFF frame (set as Pillow's ``Image.MAX_IMAGE_PIXELS``). An A3
scan at 600 dpi is 70 Mpx."""

OCR_LANGUAGES = "chi_sim+eng"
"""Default Tesseract language string. Pass ``OcrOptions(languages=...)`` for others:
``chi_tra+eng`` for Taiwan, Hong Kong or Macau material and Big5 sources, ``uig+chi_sim`` for
Uyghur (Arabic script) documents, ``eng`` for English-only scans."""

TESSDATA_DIRS: tuple[Path, ...] = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),  # Debian 12 / Ubuntu 22.04+ (tesseract 5)
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),  # Debian 11 / Ubuntu 20.04 (tesseract 4)
    Path("/usr/share/tessdata"),  # Fedora, Arch, Alpine
    Path("/usr/local/share/tessdata"),  # builds from source, Homebrew
)
"""Where Tesseract's ``*.traineddata`` files are looked for, in order, unless
``OcrOptions(tessdata=...)`` names a folder."""

OCR_CLI_TIMEOUT = 600
"""Seconds one page may take in the ``tesseract`` command-line fallback before it is stopped."""

# --- DOCX and other zip containers -------------------------------------------------------------

ZIP_MAX_MEMBERS = 10_000
"""Most members in one DOCX. Word files have 10-40; one with a thousand images has ~1,050."""

ZIP_MAX_TOTAL_BYTES = 1024 * MIB
"""Most uncompressed bytes of all members together, as declared in the central directory
(Python's zipfile never reads past a member's declared size)."""

ZIP_MAX_RATIO = 200
"""Highest compression ratio of one member larger than :data:`ZIP_RATIO_MIN_BYTES`. WordprocessingML
compresses 5-30x; a zip bomb member reaches about 1,000x."""

ZIP_RATIO_MIN_BYTES = 1 * MIB
"""Members smaller than this are not ratio-checked (a small, very repetitive part is harmless)."""

DOCX_MAX_PART_BYTES = 256 * MIB
"""Largest XML part (``word/document.xml``) that is parsed."""

# --- Text and HTML -----------------------------------------------------------------------------

MAX_TEXT_BYTES = 256 * MIB
"""Largest plain-text file. Larger ones (database dumps, logs) should be split before intake."""

MAX_HTML_BYTES = 64 * MIB
"""Largest HTML file. Saved single-file pages with inlined images reach 20-30 MiB."""

DETECT_SAMPLE_BYTES = 256 * 1024
"""How many leading bytes charset detection looks at."""

HTML_PRESCAN_BYTES = 4096
"""How many leading bytes are searched for a ``<meta charset>`` or XML encoding declaration."""

MAX_REPLACED_SHARE = 0.01
"""When no encoding decodes a file cleanly, it is decoded with replacement characters only if
fewer than this share of its characters are replaced; otherwise ``E212``."""

READ_CHUNK = 1 * MIB
"""Bytes read at a time when streaming a file."""

# -- containers (e-mail, WARC, ZIP): their members become child documents ---------------------

MAX_CHILDREN = 10_000
"""Members, attachments or records one container may yield; past it, ``E211``."""

MAX_CHILDREN_BYTES = 2048 * MIB
"""Bytes all children of one container may add up to; past it, ``E207``."""

MAX_CHILD_BYTES = 1024 * MIB
"""Bytes one child may have once decompressed; past it, ``E207``."""
