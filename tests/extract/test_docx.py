"""docx.v1: reading order, tables, revisions, text boxes, page breaks, zip and XML defences."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import docx, limits
from tests.fixtures.hostile import DOCX, docx_bytes, paragraph

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def extract(tmp_path: Path, body: str, **kwargs: object) -> list[str]:
    path = tmp_path / "doc.docx"
    path.write_bytes(docx_bytes(body, **kwargs))  # type: ignore[arg-type]
    return [page.text for page in docx.extract(path, DOCX).pages]


def test_chinese_dormitory_rules_from_the_demo(demo: Path) -> None:
    extraction = docx.extract(demo / "mingsuo-dormitory-rules.docx", DOCX)
    assert extraction.extractor == "docx.v1"
    assert extraction.title == "鹤湾明梭服饰有限公司外来务工人员宿舍管理规定（试行）"
    [page] = extraction.pages
    assert (page.number, page.method) == (1, "docx")
    assert "第四条\u3000务工人员身份证由驻厂工作组统一代为保管。" in page.text
    lines = page.text.split("\n")
    assert lines[1] == "鹤湾明梭服饰有限公司外来务工人员宿舍管理规定（试行）"
    assert lines[2] == "明梭行〔2025〕9号"


def test_english_audit_letter_from_the_demo(demo: Path) -> None:
    extraction = docx.extract(demo / "quillfield-audit-letter-2025-11.docx", DOCX)
    assert "Quillfield Social Compliance Ltd" in extraction.pages[0].text


def test_runs_tabs_and_breaks(tmp_path: Path) -> None:
    body = (
        f"<w:p>{run('Wages')}<w:r><w:tab/></w:r>{run('withheld')}"
        f"<w:r><w:br/></w:r>{run('for six')}<w:r><w:noBreakHyphen/></w:r>{run('months')}</w:p>"
    )
    assert extract(tmp_path, body) == ["Wages\twithheld\nfor six-months"]


def test_table_rows_become_tab_separated_lines(tmp_path: Path) -> None:
    cell = "<w:tc><w:tcPr/>{}</w:tc>"
    rows = [("乡（镇）", "人次"), ("砾泉乡", "2400"), ("石垣镇", "2100")]
    table = "<w:tbl><w:tblPr/>" + "".join(
        "<w:tr>" + "".join(cell.format(paragraph(value)) for value in row) + "</w:tr>"
        for row in rows
    )
    table += "</w:tbl>"
    body = paragraph("任务分解表") + table + paragraph("合计 4500")
    assert extract(tmp_path, body) == [
        "任务分解表\n乡（镇）\t人次\n砾泉乡\t2400\n石垣镇\t2100\n合计 4500"
    ]


def test_revisions_and_fields(tmp_path: Path) -> None:
    body = (
        "<w:p>"
        + run("Workers ")
        + "<w:del><w:r><w:delText>may not</w:delText></w:r></w:del>"
        + f"<w:ins>{run('may')}</w:ins>"
        + run(" leave. See page ")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + "<w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>"
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("3")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + "</w:p>"
    )
    assert extract(tmp_path, body) == ["Workers may leave. See page 3"]


def test_text_box_is_read_once_not_twice(tmp_path: Path) -> None:
    box = f"<w:txbxContent>{paragraph('通知：禁止离厂')}</w:txbxContent>"
    body = (
        f'<w:p xmlns:mc="{MC}">{run("正文")}<w:r><mc:AlternateContent>'
        f"<mc:Choice><w:drawing><w:anchor>{box}</w:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:shape>{box}</w:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    assert extract(tmp_path, body) == ["正文\n通知：禁止离厂"]


def test_content_controls(tmp_path: Path) -> None:
    body = f"<w:sdt><w:sdtPr/><w:sdtContent>{paragraph('填写：张三')}</w:sdtContent></w:sdt>"
    assert extract(tmp_path, body) == ["填写：张三"]


def test_explicit_page_breaks_split_pages(tmp_path: Path) -> None:
    body = (
        paragraph("page one")
        + f'<w:p>{run("still one")}<w:r><w:br w:type="page"/></w:r>{run("page two")}</w:p>'
        + f"<w:p><w:pPr><w:pageBreakBefore/></w:pPr>{run('page three')}</w:p>"
        + f"<w:p><w:pPr><w:sectPr/></w:pPr>{run('end of section')}</w:p>"
        + paragraph("page four")
        + '<w:p><w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr></w:p>'
        + paragraph("still four")
        + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    )
    assert extract(tmp_path, body) == [
        "page one\nstill one",
        "page two",
        "page three\nend of section",
        "page four\n\nstill four",
    ]


def test_empty_document(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as caught:
        extract(tmp_path, "<w:p/>")
    assert caught.value.code == ErrorCode.NO_TEXT


def test_external_entity_is_refused(tmp_path: Path) -> None:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(ExtractError) as caught:
        extract(tmp_path, paragraph("&xxe;"), prolog=prolog)
    assert caught.value.code == ErrorCode.XML_ENTITY_ATTACK


def test_malformed_xml(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as caught:
        extract(tmp_path, "<w:p><w:r>unclosed")
    assert caught.value.code == ErrorCode.CORRUPT_FILE


def test_zip_without_a_document_part(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")
    path = tmp_path / "doc.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ExtractError) as caught:
        docx.extract(path, DOCX)
    assert caught.value.code == ErrorCode.CORRUPT_FILE


@pytest.mark.parametrize(("limit", "value"), [("ZIP_MAX_MEMBERS", 2), ("ZIP_MAX_TOTAL_BYTES", 500)])
def test_zip_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int
) -> None:
    monkeypatch.setattr(limits, limit, value)
    with pytest.raises(ExtractError) as caught:
        extract(tmp_path, paragraph("x" * 1000))
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB
