"""html.v2: what html.v1 keeps, faster; both stay registered."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import html, html2, limits, registry
from tests.extract.test_html import ARTICLE, page, write

DEMO_PAGES = (
    "lanhe-daily-first-batch-2025-05-16.html",
    "lanhe-office-supplies-tender-2025.html",
    "shayuan-online-return-to-work-2026-02-24.html",
    "tessaline-statement-hewan-supplier.html",
)


def test_v2_is_the_default_and_v1_stays_registered() -> None:
    assert registry.extractor_for("text/html") == ("html.v2", html2.extract)
    assert registry.get("html.v1") is html.extract


@pytest.mark.parametrize("name", DEMO_PAGES)
def test_same_text_and_metadata_as_v1_on_the_demo_pages(demo: Path, name: str) -> None:
    old = html.extract(demo / name, "text/html")
    new = html2.extract(demo / name, "text/html")
    assert new.extractor == "html.v2"
    assert new.pages == old.pages
    assert (new.title, new.published, new.canonical_url, new.charset, new.warnings) == (
        old.title,
        old.published,
        old.canonical_url,
        old.charset,
        old.warnings,
    )
    assert new.published is not None
    assert new.canonical_url is not None
    assert "htmldate=" in new.tool_version


def test_gbk_news_page_keeps_the_article_and_drops_the_boilerplate(demo: Path) -> None:
    extraction = html2.extract(demo / DEMO_PAGES[0], "text/html")
    assert extraction.charset == "gb18030"
    assert extraction.title == "岚河县首批1260名富余劳动力奔赴鹤湾市稳定就业"
    assert extraction.published == "2025-05-16"
    [only] = extraction.pages
    assert (only.number, only.method) == (1, "html-main")
    assert "第二批约800人将于本月26日出发" in only.text
    for boilerplate in ("手机版", "当前位置", "热点新闻", "版权所有", "新闻热线", "分享到"):
        assert boilerplate not in only.text


def test_canonical_link_wins_over_og_url(tmp_path: Path) -> None:
    head = (
        '<title>t</title><meta property="og:url" content="https://a.example/og">'
        '<link rel="canonical" href="https://a.example/canonical">'
    )
    extraction = html2.extract(write(tmp_path, page(head=head).encode()), "text/html")
    assert extraction.canonical_url == "https://a.example/canonical"


def test_og_url_when_there_is_no_canonical_link(tmp_path: Path) -> None:
    head = '<title>t</title><meta property="og:url" content="https://a.example/og">'
    extraction = html2.extract(write(tmp_path, page(head=head).encode()), "text/html")
    assert extraction.canonical_url == "https://a.example/og"


def test_date_from_markup_and_copyright_year_ignored(tmp_path: Path) -> None:
    footer = ARTICLE + "<div class='footer'>© 2023 示例日报社</div>"
    assert html2.extract(write(tmp_path, page(body=footer).encode()), "text/html").published is None
    head = '<title>t</title><meta property="article:published_time" content="2024-03-05T08:00">'
    dated = html2.extract(write(tmp_path, page(head=head).encode(), "dated.html"), "text/html")
    assert dated.published == "2024-03-05"


@pytest.mark.parametrize(
    ("data", "charset", "phrase"),
    [
        (codecs.BOM_UTF16_LE + page().encode("utf-16-le"), "utf-16", "严禁强迫劳动"),
        (page(head='<meta charset="gb2312"><title>示</title>').encode("gbk"), "gb18030", "严禁"),
        (page(head="<title>示例</title>").encode("gb18030"), "gb18030", "严禁强迫劳动"),
        (
            page(
                body="".join(
                    f"<p>第{n}段：雇主不得強迫勞動，不得扣押移工護照。</p>" for n in range(5)
                ),
                head='<meta charset="big5"><title>臺北公告</title>',
            ).encode("cp950"),
            "cp950",
            "雇主不得強迫勞動",
        ),
    ],
)
def test_chinese_encodings(tmp_path: Path, data: bytes, charset: str, phrase: str) -> None:
    extraction = html2.extract(write(tmp_path, data), "text/html")
    assert extraction.charset == charset
    assert phrase in extraction.pages[0].text


def test_html_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_HTML_BYTES", 100)
    with pytest.raises(ExtractError) as caught:
        html2.extract(write(tmp_path, page().encode()), "text/html")
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB
