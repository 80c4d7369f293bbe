"""pdf.v1: text layer with Chinese intact, OCR only where the layer is unusable, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, pdf
from indicia.extract.ocr import OcrOptions
from tests.fixtures.hostile import (
    PdfPage,
    image_page,
    pdf_pages,
    text_image,
    text_operators,
    text_pdf,
)

PDF = "application/pdf"


def write(tmp_path: Path, data: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_chinese_work_plan_keeps_every_character(demo: Path) -> None:
    extraction = pdf.extract(demo / "lanhe-county-work-plan-2025.pdf", PDF)
    assert extraction.extractor == "pdf.v1"
    assert extraction.tool == "pypdfium2"
    assert extraction.tool_version.startswith("pypdfium2=")
    assert [page.number for page in extraction.pages] == [1, 2]
    assert {page.method for page in extraction.pages} == {"text-layer"}
    first, second = (page.text for page in extraction.pages)
    assert "岚政办发〔2025〕17号" in first
    assert "全年完成农村富余劳动力转移就业1.2万人次" in first
    assert "合计 12000 3500" in second
    assert extraction.title is not None and extraction.title.startswith("岚河县人民政府办公室")
    assert not any("\r" in page.text for page in extraction.pages)
    assert extraction.warnings == []


def test_english_memo(demo: Path) -> None:
    extraction = pdf.extract(demo / "wayfield-estimate-memo-2026-01.pdf", PDF)
    text = "\n".join(page.text for page in extraction.pages)
    assert "Memo: how many Lanhe County workers may be at risk?" in text
    assert extraction.title == "Memo: how many Lanhe County workers may be at risk?"


def test_pages_are_numbered_in_order(tmp_path: Path) -> None:
    data = pdf_pages([PdfPage(text_operators([f"Synthetic page {n}"])) for n in range(1, 6)])
    extraction = pdf.extract(write(tmp_path, data), PDF)
    assert [page.text for page in extraction.pages] == [f"Synthetic page {n}" for n in range(1, 6)]


def test_blank_document_has_no_text_and_is_not_ocred(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as caught:
        pdf.extract(write(tmp_path, pdf_pages([PdfPage(b"")])), PDF)
    assert caught.value.code == ErrorCode.NO_TEXT


def test_blank_page_among_text_pages_stays_empty(tmp_path: Path) -> None:
    data = pdf_pages([PdfPage(text_operators(["Cover letter"])), PdfPage(b"")])
    extraction = pdf.extract(write(tmp_path, data), PDF)
    assert [(page.text, page.method) for page in extraction.pages] == [
        ("Cover letter", "text-layer"),
        ("", "text-layer"),
    ]


def test_born_digital_page_with_a_logo_is_not_ocred(tmp_path: Path) -> None:
    logo = text_image(["徽标"], size=24)
    text = text_operators(["This notice has a text layer and a small logo image on it."])
    page = image_page(logo, text=text, media_box=(595, 842))
    extraction = pdf.extract(write(tmp_path, pdf_pages([page])), PDF)
    assert extraction.pages[0].method == "text-layer"
    assert extraction.tool == "pypdfium2"


def test_stamped_page_number_over_a_scan_is_ocred(tmp_path: Path) -> None:
    scan = text_image(["强迫劳动调查样本", "合成文件 2025"])
    stamp = b"BT /F1 8 Tf 10 10 Td (- 3 -) Tj ET"
    extraction = pdf.extract(write(tmp_path, pdf_pages([image_page(scan, text=stamp)])), PDF)
    page = extraction.pages[0]
    assert page.method == "ocr"
    assert "强迫劳动" in page.text
    assert extraction.tool == "pypdfium2+tesseract"
    assert "tesseract=" in extraction.tool_version


def test_without_ocr_a_scan_raises_e210(tmp_path: Path) -> None:
    scan = pdf_pages([image_page(text_image(["强迫劳动调查样本"]))])
    empty = tmp_path / "no-tessdata"
    empty.mkdir()
    with pytest.raises(ExtractError) as caught:
        pdf.extract(write(tmp_path, scan), PDF, ocr_options=OcrOptions(tessdata=empty))
    assert caught.value.code == ErrorCode.OCR_FAILED


def test_without_ocr_text_pages_still_come_out(tmp_path: Path) -> None:
    data = pdf_pages(
        [PdfPage(text_operators(["Typed page"])), image_page(text_image(["强迫劳动"]))]
    )
    empty = tmp_path / "no-tessdata"
    empty.mkdir()
    extraction = pdf.extract(write(tmp_path, data), PDF, ocr_options=OcrOptions(tessdata=empty))
    assert extraction.pages[0].text == "Typed page"
    assert extraction.pages[1].text == ""
    assert any("page 2" in w and "OCR failed" in w for w in extraction.warnings)


def test_missing_language_model_is_reported(tmp_path: Path) -> None:
    scan = pdf_pages([image_page(text_image(["强迫劳动调查样本"]))])
    with pytest.raises(ExtractError) as caught:
        pdf.extract(write(tmp_path, scan), PDF, ocr_options=OcrOptions(languages="xyz"))
    assert caught.value.code == ErrorCode.OCR_FAILED
    assert "tesseract-ocr-xyz" in caught.value.message


def test_oversized_page_is_rendered_at_a_lower_resolution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_RENDER_PIXELS", 30_000)  # the page has 52,000 at 300 dpi
    monkeypatch.setattr(limits, "OCR_MIN_DPI", 100)
    scan = pdf_pages([image_page(text_image(["强迫劳动调查样本", "合成文件 2025"]))])
    extraction = pdf.extract(write(tmp_path, scan), PDF)
    assert any("rendered for OCR at" in w for w in extraction.warnings)
    assert "强迫劳动" in extraction.pages[0].text


def test_page_limit(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PAGES", 1)
    with pytest.raises(ExtractError) as caught:
        pdf.extract(demo / "lanhe-county-work-plan-2025.pdf", PDF)
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB


def test_not_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as caught:
        pdf.extract(write(tmp_path, b"%PDF-1.7\nthis is not really a PDF\n"), PDF)
    assert caught.value.code == ErrorCode.CORRUPT_FILE


def test_text_with_pdf_special_characters(tmp_path: Path) -> None:
    extraction = pdf.extract(write(tmp_path, text_pdf("Wages (withheld) \\ 3,500 yuan")), PDF)
    assert extraction.pages[0].text == "Wages (withheld) \\ 3,500 yuan"


def test_line_end_hyphens_are_kept_as_printed(tmp_path: Path) -> None:
    data = text_pdf("Workers were subject to forced lab-", "our and withheld wa-", "ges in 2025.")
    extraction = pdf.extract(write(tmp_path, data), PDF)
    assert extraction.pages[0].text == (
        "Workers were subject to forced lab-\nour and withheld wa-\nges in 2025."
    )
