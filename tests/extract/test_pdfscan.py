"""The Flate-bomb scan: what it inflates, what it skips, and its caps."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, pdfscan
from tests.fixtures.hostile import PdfPage, pdf_bytes, pdf_pages, pdf_stream, text_operators

MIB = 1 << 20


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return path


def document_with(stream: bytes) -> bytes:
    """A PDF with one text page and one extra, unreferenced stream object."""
    page = pdf_pages([PdfPage(text_operators(["Synthetic page"]))])
    return page.replace(b"%%EOF", b"") + b"99 0 obj\n" + stream + b"\nendobj\n%%EOF\n"


def test_ordinary_pdf_passes(demo: Path) -> None:
    pdfscan.check_streams(demo / "lanhe-county-work-plan-2025.pdf")


def test_large_content_stream_is_a_bomb(tmp_path: Path) -> None:
    bomb = pdf_stream(b" " * (limits.PDF_MAX_STREAM_BYTES + MIB))
    with pytest.raises(ExtractError) as caught:
        pdfscan.check_streams(write(tmp_path, document_with(bomb)))
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB


def test_images_are_left_to_the_renderer(tmp_path: Path) -> None:
    image = pdf_stream(
        bytes(limits.PDF_MAX_STREAM_BYTES + MIB),
        b" /Type /XObject /Subtype /Image /Width 4096 /Height 4352 /BitsPerComponent 8",
    )
    pdfscan.check_streams(write(tmp_path, document_with(image)))


def test_fonts_have_a_larger_cap(tmp_path: Path) -> None:
    font = pdf_stream(bytes(limits.PDF_MAX_STREAM_BYTES + MIB), b" /Length1 17825792")
    pdfscan.check_streams(write(tmp_path, document_with(font)))


def test_total_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "PDF_MAX_INFLATED_TOTAL", 1000)
    streams = [pdf_stream(b"0 0 m 1 1 l S\n" * 50) for _ in range(3)]
    data = pdf_bytes([b"<< /Type /Catalog >>", *streams])
    with pytest.raises(ExtractError) as caught:
        pdfscan.check_streams(write(tmp_path, data))
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB


def test_data_that_is_not_flate_is_ignored(tmp_path: Path) -> None:
    fake = b"<< /Length 64 /Filter /FlateDecode >>\nstream\n" + bytes(range(64)) + b"\nendstream"
    pdfscan.check_streams(write(tmp_path, document_with(fake)))  # no error: PDFium decides
