"""text.v1: decoding, line ends, form-feed pages, undecodable files and limits."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, text
from indicia.extract.encoding import clean_text

NOTICE = (
    "关于做好转移就业人员管理的通知\r\n"
    "各村：务工人员身份证由带队干部统一保管。\r\n"
    "严禁强迫劳动。\r\n"
)


def write(tmp_path: Path, data: bytes, name: str = "file.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_gbk_notice_with_crlf_from_the_demo(demo: Path) -> None:
    extraction = text.extract(demo / "liquan-township-mobilisation-notice.txt", "text/plain")
    assert extraction.extractor == "text.v1"
    assert extraction.charset == "gb18030"
    [page] = extraction.pages
    assert (page.number, page.method) == (1, "plain-text")
    assert "\r" not in page.text
    assert "砾泉乡人民政府" in page.text
    assert extraction.warnings == []


def test_utf8_bulletin_from_the_demo(demo: Path) -> None:
    extraction = text.extract(demo / "lanhe-hrss-progress-bulletin-06.txt", "text/plain")
    assert extraction.charset == "utf-8"
    assert "转移就业工作进度通报" in extraction.pages[0].text


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        (NOTICE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + NOTICE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + NOTICE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + NOTICE.encode("utf-32-le"), "utf-32"),
        ((NOTICE * 3).encode("gbk"), "gb18030"),
        ((NOTICE * 3).encode("gb18030"), "gb18030"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, charset: str) -> None:
    extraction = text.extract(write(tmp_path, data), "text/plain")
    assert extraction.charset == charset
    assert extraction.pages[0].text.startswith("关于做好转移就业人员管理的通知\n各村")
    assert "\ufeff" not in extraction.pages[0].text


def test_hong_kong_characters_fall_back_to_big5_hkscs(tmp_path: Path) -> None:
    notice = "【合成樣本】香港勞工處通告：僱主不得扣押外傭護照。㗎\n" * 4
    data = notice.encode("big5hkscs")
    with pytest.raises(UnicodeEncodeError):
        notice.encode("cp950")  # 㗎 is a Hong Kong (HKSCS) character, not in CP950
    extraction = text.extract(write(tmp_path, data), "text/plain")
    assert extraction.charset == "big5hkscs"
    assert "僱主不得扣押外傭護照" in extraction.pages[0].text


def test_form_feeds_split_pages(tmp_path: Path) -> None:
    data = b"page one\r\n\fpage two\n\f\n"
    extraction = text.extract(write(tmp_path, data), "text/plain")
    assert [(p.number, p.text) for p in extraction.pages] == [(1, "page one\n"), (2, "page two\n")]


def test_nul_characters_are_dropped(tmp_path: Path) -> None:
    extraction = text.extract(write(tmp_path, b"wages\x00 withheld"), "text/plain")
    assert extraction.pages[0].text == "wages withheld"


def test_damaged_gbk_is_decoded_with_a_warning(tmp_path: Path) -> None:
    data = (NOTICE * 20).encode("gbk") + b"\x81 end"
    extraction = text.extract(write(tmp_path, data), "text/plain")
    assert extraction.charset == "gb18030"
    assert "严禁强迫劳动" in extraction.pages[0].text
    assert any("replaced" in warning for warning in extraction.warnings)


def test_binary_bytes_are_undecodable(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as caught:
        text.extract(write(tmp_path, bytes(range(256)) * 16), "text/plain")
    assert caught.value.code == ErrorCode.ENCODING_UNKNOWN


def test_whitespace_only(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as caught:
        text.extract(write(tmp_path, b" \r\n\t\n"), "text/plain")
    assert caught.value.code == ErrorCode.NO_TEXT


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 10)
    with pytest.raises(ExtractError) as caught:
        text.extract(write(tmp_path, NOTICE.encode()), "text/plain")
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB


def test_streams_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Multi-byte characters split across read chunks decode whole."""
    monkeypatch.setattr(limits, "READ_CHUNK", 7)
    extraction = text.extract(write(tmp_path, (NOTICE * 5).encode("gbk")), "text/plain")
    assert extraction.pages[0].text == clean_text(NOTICE * 5)


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\f\x00\ufeff"),
    min_size=1,
).filter(lambda value: value.strip() != "")


@settings(max_examples=60, deadline=None)
@given(value=_TEXT, encoding=st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_round_trip(tmp_path_factory: pytest.TempPathFactory, value: str, encoding: str) -> None:
    """Any text written as UTF-8, or as UTF-16/32 with a BOM, comes back exactly (LF ends)."""
    path = tmp_path_factory.mktemp("round-trip") / "file.txt"
    path.write_bytes(value.encode(encoding))  # Python's utf-16/32 codecs write a BOM
    extraction = text.extract(path, "text/plain")
    assert extraction.pages[0].text == clean_text(value)
