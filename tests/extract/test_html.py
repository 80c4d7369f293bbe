"""html.v1: main text without boilerplate, metadata, charsets, fallback and limits."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import pytest

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import html, html2, limits

ARTICLE = "".join(
    f"<p>第{n}段：示例县组织务工人员统一乘车前往外省工厂，带队干部全程管理，严禁强迫劳动。</p>"
    for n in range(1, 6)
)


def page(
    body: str = ARTICLE, head: str = "<title>示例页面</title>", prolog: str = "<!DOCTYPE html>"
) -> str:
    return f"{prolog}<html><head>{head}</head><body><div class='article'>{body}</div></body></html>"


def write(tmp_path: Path, data: bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_gbk_news_page_from_the_demo(demo: Path) -> None:
    extraction = html.extract(demo / "lanhe-daily-first-batch-2025-05-16.html", "text/html")
    assert extraction.extractor == "html.v1"
    assert extraction.charset == "gb18030"
    assert extraction.title == "岚河县首批1260名富余劳动力奔赴鹤湾市稳定就业"
    assert extraction.canonical_url == (
        "https://news.lanhe-daily.example/local/2025-05/16/content_104512.html"
    )
    assert extraction.published == "2025-05-16"
    [only] = extraction.pages
    assert (only.number, only.method) == (1, "html-main")
    assert "“所有务工人员都是自愿报名，并与企业签订了劳动合同，不存在强迫的情况。”" in only.text
    assert "第二批约800人将于本月26日出发" in only.text
    for boilerplate in ("手机版", "当前位置", "热点新闻", "版权所有", "新闻热线", "分享到"):
        assert boilerplate not in only.text
    assert extraction.warnings == []


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("lanhe-office-supplies-tender-2025.html", "预算金额：38.6万元"),
        ("shayuan-online-return-to-work-2026-02-24.html", "about 800"),
        ("tessaline-statement-hewan-supplier.html", "tolerance policy on forced labour"),
    ],
)
def test_utf8_demo_pages(demo: Path, name: str, phrase: str) -> None:
    extraction = html.extract(demo / name, "text/html")
    assert extraction.charset == "utf-8"
    assert phrase in extraction.pages[0].text
    assert extraction.canonical_url is not None
    assert extraction.published is not None


def test_canonical_link_wins_over_og_url(tmp_path: Path) -> None:
    head = (
        '<title>t</title><meta property="og:url" content="https://a.example/og">'
        '<link rel="canonical" href="https://a.example/canonical">'
    )
    extraction = html.extract(write(tmp_path, page(head=head).encode()), "text/html")
    assert extraction.canonical_url == "https://a.example/canonical"


def test_copyright_year_is_not_a_publication_date(tmp_path: Path) -> None:
    body = ARTICLE + "<div class='footer'>© 2023 示例日报社</div>"
    extraction = html.extract(write(tmp_path, page(body=body).encode()), "text/html")
    assert extraction.published is None


@pytest.mark.parametrize("extractor", [html, html2], ids=["html.v1", "html.v2"])
def test_page_of_boilerplate_falls_back_to_visible_text(tmp_path: Path, extractor: Any) -> None:
    """trafilatura keeps nothing of a page that is all footer; the visible text is kept."""
    markup = (
        "<html><head><title>联系我们</title><style>p {color: red}</style>"
        "<script>var hidden = 1;</script></head><body>"
        "<div class='footer'>版权所有 示例日报社<br>联系<b>电话</b> 0000-5550123</div>"
        "</body></html>"
    )
    extraction = extractor.extract(write(tmp_path, markup.encode()), "text/html")
    assert extraction.pages[0].text == "版权所有 示例日报社\n联系电话 0000-5550123"
    assert extraction.title == "联系我们"
    assert any("visible text" in warning for warning in extraction.warnings)


@pytest.mark.parametrize("extractor", [html, html2], ids=["html.v1", "html.v2"])
def test_page_without_text_raises_e209(tmp_path: Path, extractor: Any) -> None:
    markup = "<html><body><script>var x = 1;</script><img src='a.png'></body></html>"
    with pytest.raises(ExtractError) as caught:
        extractor.extract(write(tmp_path, markup.encode()), "text/html")
    assert caught.value.code == ErrorCode.NO_TEXT


def test_byte_order_mark_beats_the_meta_tag(tmp_path: Path) -> None:
    markup = page(head='<meta charset="gbk"><title>示例页面</title>')
    data = codecs.BOM_UTF16_LE + markup.encode("utf-16-le")
    extraction = html.extract(write(tmp_path, data), "text/html")
    assert extraction.charset == "utf-16"
    assert "严禁强迫劳动" in extraction.pages[0].text


def test_xhtml_with_an_encoding_declaration(tmp_path: Path) -> None:
    markup = (
        '<?xml version="1.0" encoding="GBK"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>示例</title></head>'
        f"<body><div>{ARTICLE}</div></body></html>"
    )
    extraction = html.extract(write(tmp_path, markup.encode("gbk")), "application/xhtml+xml")
    assert extraction.charset == "gb18030"
    assert "严禁强迫劳动" in extraction.pages[0].text


def test_big5_page_declared_as_big5(tmp_path: Path) -> None:
    body = "".join(
        f"<p>第{n}段：雇主不得強迫勞動，不得扣押移工護照或居留證件。</p>" for n in range(5)
    )
    markup = page(body=body, head='<meta charset="big5"><title>臺北公告</title>')
    extraction = html.extract(write(tmp_path, markup.encode("cp950")), "text/html")
    assert extraction.charset == "cp950"
    assert "雇主不得強迫勞動" in extraction.pages[0].text


def test_unknown_declared_charset_is_detected_instead(tmp_path: Path) -> None:
    markup = page(head='<meta charset="no-such-charset"><title>示例页面</title>')
    extraction = html.extract(write(tmp_path, markup.encode("utf-8")), "text/html")
    assert extraction.charset == "utf-8"
    assert any("unknown" in warning for warning in extraction.warnings)


@pytest.mark.parametrize(
    ("head", "declared"),
    [
        (b'<meta charset="gb2312">', "gb2312"),
        (b"<meta charset=GBK>", "GBK"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=big5">', "big5"),
        (b"<title>none</title>", None),
    ],
)
def test_declared_charset(head: bytes, declared: str | None) -> None:
    assert html.declared_charset(b"<html><head>" + head + b"</head></html>") == declared


def test_html_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_HTML_BYTES", 100)
    with pytest.raises(ExtractError) as caught:
        html.extract(write(tmp_path, page().encode()), "text/html")
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB
