"""Plain text (``text.v1``): decode, normalise line ends, split at form feeds.

The encoding is found by :mod:`indicia.extract.encoding` (byte-order mark, then strict UTF-8,
then charset-normalizer; GB2312/GBK read as GB18030, Big5 as CP950 or Big5-HKSCS) and recorded
in :attr:`Extraction.charset`. The page text is the decoded text with CRLF and CR turned into LF,
so offsets index exactly what is stored. A form feed (``\\f``), which text exports of PDFs and
old word processors write between pages, starts a new page; a file without one is one page.
"""

from __future__ import annotations

import platform
from pathlib import Path

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, versions
from indicia.extract.base import Extraction, Page
from indicia.extract.encoding import clean_text, decode_file

NAME = "text.v1"


def extract(path: Path, media_type: str) -> Extraction:
    """Extract the plain-text file at ``path`` (any ``text/*`` type other than HTML)."""
    size = path.stat().st_size
    if size > limits.MAX_TEXT_BYTES:
        raise ExtractError(
            ErrorCode.DECOMPRESSION_BOMB,
            f"the file is {size} bytes (limit {limits.MAX_TEXT_BYTES} for plain text)",
        )
    decoded = decode_file(path)
    sheets = clean_text(decoded.text).split("\f")
    while len(sheets) > 1 and not sheets[-1].strip():
        sheets.pop()  # a trailing form feed does not start a real page
    if not any(sheet.strip() for sheet in sheets):
        raise ExtractError(ErrorCode.NO_TEXT, "the file holds only whitespace")
    pages = [Page(number, sheet, "plain-text") for number, sheet in enumerate(sheets, 1)]
    return Extraction(
        pages=pages,
        tool="python-codecs",
        tool_version=(
            f"python={platform.python_version()} "
            f"charset-normalizer={versions.of('charset-normalizer')}"
        ),
        extractor=NAME,
        charset=decoded.charset,
        warnings=decoded.warnings,
    )
