"""The OCR engine: language data, both engines, the OpenMP limit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, ocr
from tests.fixtures.hostile import ZH_LINES, text_image


def test_debian_language_data_is_found() -> None:
    folder = ocr.tessdata_dir(ocr.OcrOptions())
    assert folder in limits.TESSDATA_DIRS
    for language in ("chi_sim", "chi_tra", "uig", "eng"):
        assert (folder / f"{language}.traineddata").is_file()


def test_missing_language_names_the_debian_package() -> None:
    with pytest.raises(ExtractError) as caught:
        ocr.tessdata_dir(ocr.OcrOptions(languages="chi_sim+kor"))
    assert caught.value.code == ErrorCode.OCR_FAILED
    assert "tesseract-ocr-kor" in caught.value.message


@pytest.mark.parametrize("languages", ["", "+"])
def test_empty_language_string(languages: str) -> None:
    with pytest.raises(ExtractError) as caught:
        ocr.tessdata_dir(ocr.OcrOptions(languages=languages))
    assert caught.value.code == ErrorCode.OCR_FAILED


def test_unknown_engine() -> None:
    with pytest.raises(ExtractError) as caught:
        ocr.engine("abbyy")
    assert caught.value.code == ErrorCode.OCR_FAILED


def test_openmp_is_limited_to_one_thread() -> None:
    assert ocr.engine() == "tesserocr"
    assert os.environ["OMP_THREAD_LIMIT"] == "1"


def test_tesserocr_reads_chinese() -> None:
    result = ocr.recognise(text_image(ZH_LINES))
    assert result.text == "强迫劳动调查样本\n合成文件 2025"  # no spaces between CJK characters
    assert result.engine == "tesserocr"
    assert result.languages == "chi_sim+eng"
    assert result.confidence is not None and result.confidence > 50


def test_traditional_chinese_model() -> None:
    picture = text_image(["強迫勞動調查樣本", "合成文件 2025"])
    result = ocr.recognise(picture, ocr.OcrOptions(languages="chi_tra"))
    assert "強迫勞動" in result.text


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Debian tesseract-ocr not installed")
def test_command_line_fallback_reads_the_same() -> None:
    result = ocr.recognise(text_image(ZH_LINES), ocr.OcrOptions(engine="tesseract-cli"))
    assert "强迫劳动" in result.text
    assert result.engine == "tesseract-cli"
    assert result.confidence is not None and result.confidence > 50
    assert ocr.engine_version("tesseract-cli").startswith("tesseract-cli=")


def test_explicit_tessdata_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tessdata"
    folder.mkdir()
    source = ocr.tessdata_dir(ocr.OcrOptions())
    (folder / "eng.traineddata").symlink_to(source / "eng.traineddata")
    options = ocr.OcrOptions(languages="eng", tessdata=folder)
    assert ocr.tessdata_dir(options) == folder
    assert "Forced" in ocr.recognise(text_image(["Forced labour"]), options).text
