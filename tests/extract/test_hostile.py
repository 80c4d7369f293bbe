"""Every file of the hostile corpus gives its expected error code or text, and fails fast."""

from __future__ import annotations

import time

import pytest

from indicia.collect.sniff import sniff
from indicia.errors import ErrorCode, ExtractError
from indicia.extract.registry import extractor_for
from tests.extract.conftest import Corpus
from tests.fixtures.hostile import DOCX, outcomes

CASES = outcomes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_outcome(name: str, hostile_corpus: Corpus) -> None:
    folder, expected = hostile_corpus
    outcome = expected[name]
    _, extract = extractor_for(outcome.media_type)
    started = time.monotonic()
    if outcome.code is not None:
        with pytest.raises(ExtractError) as caught:
            extract(folder / name, outcome.media_type)
        assert caught.value.code == outcome.code, caught.value.message
        assert time.monotonic() - started < 5, "a hostile file must fail fast"
        return

    extraction = extract(folder / name, outcome.media_type)
    text = "\n".join(page.text for page in extraction.pages)
    for wanted in outcome.contains:
        assert wanted in text
    for unwanted in outcome.absent:
        assert unwanted not in text
    if outcome.charset is not None:
        assert extraction.charset == outcome.charset
    if outcome.method is not None:
        assert {page.method for page in extraction.pages} == {outcome.method}
    if outcome.method == "ocr":
        for page in extraction.pages:
            assert page.ocr_languages == "chi_sim+eng"
            assert page.ocr_confidence is not None and 0 <= page.ocr_confidence <= 100
    if outcome.warning is not None:
        assert any(outcome.warning in warning for warning in extraction.warnings)
    if outcome.pages is not None:
        assert len(extraction.pages) == outcome.pages
    for key, value in outcome.extra.items():
        assert getattr(extraction, key) == value


def test_hostile_files_are_small(hostile_corpus: Corpus) -> None:
    folder, expected = hostile_corpus
    for name in expected:
        assert (folder / name).stat().st_size < 256 * 1024, name


def test_wrong_extension_is_read_by_what_the_bytes_are(
    hostile_corpus: Corpus,
) -> None:
    """PDF bytes named .docx: sniffing says PDF, so the PDF extractor runs and reads the text."""
    folder, _ = hostile_corpus
    path = folder / "pdf-named-docx.docx"
    media_type, _ = sniff(path)
    assert media_type == "application/pdf"
    name, extract = extractor_for(media_type)
    assert name == "pdf.v1"
    assert "wrong extension" in extract(path, media_type).pages[0].text
    _, docx_extract = extractor_for(DOCX)  # what would run had the file name been trusted
    with pytest.raises(ExtractError) as caught:
        docx_extract(path, DOCX)
    assert caught.value.code == ErrorCode.CORRUPT_FILE


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("pdf-flate-bomb.pdf", "application/pdf"),
        ("docx-zip-bomb.docx", DOCX),
        ("chinese-text.png", "image/png"),
        ("two-pages.tif", "image/tiff"),
        ("gbk-page.html", "text/html"),
        ("big5-notice.txt", "text/plain"),
    ],
)
def test_sniffing_agrees_with_the_corpus(
    name: str, media_type: str, hostile_corpus: Corpus
) -> None:
    folder, _ = hostile_corpus
    assert sniff(folder / name)[0] == media_type
