"""The shared decoding rules: codec families, declared charsets, byte-order marks."""

from __future__ import annotations

import codecs

import pytest

from indicia.extract.encoding import bom_codec, candidates, clean_text, decode_bytes


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("GB2312", ("gb18030",)),
        ("gbk", ("gb18030",)),
        ("x-gbk", ("gb18030",)),
        ("cp936", ("gb18030",)),
        ("GB18030", ("gb18030",)),
        ("Big5", ("cp950", "big5hkscs")),
        ("big5-hkscs", ("cp950", "big5hkscs")),
        ("ISO-8859-1", ("cp1252", "iso8859-1")),
        ("utf-8", ("utf-8",)),
        ("UTF-16", ("utf-8",)),  # a label inside ASCII-compatible bytes cannot be right
        ("shift_jis", ("shift_jis",)),
        ("no-such-charset", ()),
    ],
)
def test_candidates(label: str, expected: tuple[str, ...]) -> None:
    assert candidates(label) == expected


def test_detected_utf16_is_kept() -> None:
    assert candidates("utf_16_le", byte_oriented=False) == ("utf-16-le",)


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (codecs.BOM_UTF8 + b"a", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + b"a\x00", "utf-16"),
        (codecs.BOM_UTF32_LE + b"a\x00\x00\x00", "utf-32"),
        (b"plain", None),
    ],
)
def test_bom_codec(head: bytes, codec: str | None) -> None:
    assert bom_codec(head) == codec


def test_gb2312_label_reads_gbk_extension_characters() -> None:
    data = "马喆堃（虚构人物）强调严禁强迫劳动。".encode("gbk")
    decoded = decode_bytes(data, "gb2312")
    assert (decoded.text, decoded.charset, decoded.warnings) == (
        "马喆堃（虚构人物）强调严禁强迫劳动。",
        "gb18030",
        [],
    )


def test_wrong_label_is_overruled_with_a_warning() -> None:
    data = ("严禁强迫劳动，不得扣押身份证件。" * 10).encode("gbk")
    decoded = decode_bytes(data, "utf-8")
    assert decoded.charset == "gb18030"
    assert decoded.warnings and "does not decode" in decoded.warnings[0]


def test_clean_text() -> None:
    assert clean_text("a\r\nb\rc\nd\x00e") == "a\nb\nc\nde"
