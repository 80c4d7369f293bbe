"""The registry: media type to versioned extractor name, unknown types refused."""

from __future__ import annotations

import importlib
import inspect

import pytest

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import archive, docx, html2, image, mail, pdf, registry, text, warc
from tests.fixtures.hostile import DOCX


@pytest.mark.parametrize(
    ("media_type", "name", "function"),
    [
        ("application/pdf", "pdf.v1", pdf.extract),
        ("text/html", "html.v2", html2.extract),
        ("text/html; charset=gbk", "html.v2", html2.extract),
        ("application/xhtml+xml", "html.v2", html2.extract),
        (DOCX, "docx.v1", docx.extract),
        ("text/plain", "text.v1", text.extract),
        ("TEXT/PLAIN; charset=utf-8", "text.v1", text.extract),
        ("text/csv", "text.v1", text.extract),
        ("text/xml", "text.v1", text.extract),
        ("image/png", "image.v1", image.extract),
        ("image/jpeg", "image.v1", image.extract),
        ("image/tiff", "image.v1", image.extract),
        ("application/zip", "zip.v1", archive.extract),
        ("message/rfc822", "email.v1", mail.extract),
        ("application/warc", "warc.v1", warc.extract),
    ],
)
def test_extractor_for(media_type: str, name: str, function: object) -> None:
    assert registry.extractor_for(media_type) == (name, function)


@pytest.mark.parametrize(
    "media_type", ["application/octet-stream", "", "video/mp4", "application/x-msdownload"]
)
def test_unknown_types_are_refused(media_type: str) -> None:
    with pytest.raises(ExtractError) as caught:
        registry.extractor_for(media_type)
    assert caught.value.code == ErrorCode.UNSUPPORTED_TYPE


def test_unknown_name_is_refused() -> None:
    with pytest.raises(ExtractError) as caught:
        registry.get("pdf.v0")
    assert caught.value.code == ErrorCode.UNSUPPORTED_TYPE


def test_every_registered_name_loads_and_every_type_has_a_name() -> None:
    for name in registry.EXTRACTORS:
        assert callable(registry.get(name))
    assert set(registry.MEDIA_TYPES.values()) <= set(registry.EXTRACTORS)
    for name, module in registry.EXTRACTORS.items():
        assert name == importlib.import_module(module).NAME


def test_ocr_extractors_take_ocr_options() -> None:
    for name in registry.USES_OCR:
        assert "ocr_options" in inspect.signature(registry.get(name)).parameters
