"""Word documents (``docx.v1``): paragraphs and table rows in reading order.

The package is read with :mod:`zipfile` and the main part parsed with lxml under
:mod:`indicia.extract.xmlsafe` (about 18x faster than python-docx, ``shared/measurements.md``
section 3, and it sees text boxes and content controls that python-docx skips). Before anything
is inflated, the zip's central directory is checked against :mod:`.limits` (members, total size,
compression ratio): a zip bomb gives ``E207``, a truncated or malformed file ``E206``.

What is text: runs (``w:t``), tabs, line breaks, text boxes (once, not their VML fallback copy),
content controls, inserted revisions. What is not: deleted revisions, field instructions (the
displayed field result is kept), symbol-font glyphs. A table row becomes one line with its
cells separated by tabs. DOCX has no fixed pages, so the result is one page unless the document
has explicit page breaks (a page-break run, "page break before", or a section break that starts
a new page); then it is split at them, which matches the printed pages those breaks force.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, versions, xmlsafe
from indicia.extract.base import Extraction, Page
from indicia.extract.encoding import clean_text

NAME = "docx.v1"

_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO 29500 "strict" documents
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFFICE_DOCUMENT = "/officeDocument"  # relationship type suffix, transitional and strict
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"

_SKIP = frozenset({"del", "moveFrom", "instrText", "delText", "delInstrText", "rPr", "pPr"})
_SKIP |= frozenset({"sectPr", "tblPr", "trPr", "tcPr", "tblGrid", "sdtPr", "sdtEndPr"})
_SKIP |= frozenset({"footnoteReference", "endnoteReference", "commentReference", "sym"})


class _Pages:
    """Collects lines into pages; a page break starts a new page."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.line: list[str] = []

    def text(self, value: str) -> None:
        self.line.append(value)

    def end_line(self) -> None:
        self.pages[-1].append("".join(self.line))
        self.line = []

    def page_break(self) -> None:
        if self.line:
            self.end_line()
        self.pages.append([])

    def result(self) -> list[str]:
        if self.line:
            self.end_line()
        texts = ["\n".join(lines).strip("\n") for lines in self.pages]
        while len(texts) > 1 and not texts[-1].strip():
            texts.pop()
        return texts


def extract(path: Path, media_type: str) -> Extraction:
    """Extract the Word (OOXML) document at ``path``."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive)
            main = _main_part(archive)
            root = xmlsafe.parse_part(_read(archive, main), main)
            title = _title(archive)
    except zipfile.BadZipFile as exc:
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"not a readable DOCX (zip): {exc}") from exc
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"the DOCX cannot be read: {exc}") from exc

    namespace = etree.QName(root).namespace
    if namespace not in _W:
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"{main} is not WordprocessingML")
    body = root.find(f"{{{namespace}}}body")
    pages = _Pages()
    if body is not None:
        _blocks(body, pages, in_table=False)
    texts = [clean_text(text) for text in pages.result()]
    if not any(text.strip() for text in texts):
        raise ExtractError(ErrorCode.NO_TEXT, "the document has no text")
    return Extraction(
        pages=[Page(number, text, "docx") for number, text in enumerate(texts, 1)],
        tool="lxml",
        tool_version=f"lxml={versions.of('lxml')}",
        extractor=NAME,
        title=title,
    )


def check_zip(archive: zipfile.ZipFile) -> None:
    """``E207`` when the central directory describes a zip bomb; nothing is inflated."""
    members = archive.infolist()
    if len(members) > limits.ZIP_MAX_MEMBERS:
        raise ExtractError(
            ErrorCode.DECOMPRESSION_BOMB,
            f"the zip has {len(members)} members (limit {limits.ZIP_MAX_MEMBERS})",
        )
    total = sum(member.file_size for member in members)
    if total > limits.ZIP_MAX_TOTAL_BYTES:
        raise ExtractError(
            ErrorCode.DECOMPRESSION_BOMB,
            f"the zip's members inflate to {total} bytes (limit {limits.ZIP_MAX_TOTAL_BYTES})",
        )
    for member in members:
        if member.file_size < limits.ZIP_RATIO_MIN_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.ZIP_MAX_RATIO:
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"zip member {member.filename} inflates {ratio:.0f}-fold "
                f"(limit {limits.ZIP_MAX_RATIO})",
            )


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes; zipfile stops at the declared size, which :func:`check_zip` bounded."""
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"the DOCX has no part {name}") from exc
    if info.file_size > limits.DOCX_MAX_PART_BYTES:
        raise ExtractError(
            ErrorCode.DECOMPRESSION_BOMB,
            f"{name} is {info.file_size} bytes (limit {limits.DOCX_MAX_PART_BYTES})",
        )
    with archive.open(info) as member:
        return member.read(limits.DOCX_MAX_PART_BYTES + 1)


def _main_part(archive: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (usually word/document.xml)."""
    if "_rels/.rels" in archive.namelist():
        rels = xmlsafe.parse_part(_read(archive, "_rels/.rels"), "_rels/.rels")
        for rel in rels:
            if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("Target"):
                target = posixpath.normpath(str(rel.get("Target")).lstrip("/"))
                if target in archive.namelist():
                    return target
    return "word/document.xml"


def _title(archive: zipfile.ZipFile) -> str | None:
    if "docProps/core.xml" not in archive.namelist():
        return None
    core = xmlsafe.parse_part(_read(archive, "docProps/core.xml"), "docProps/core.xml")
    title = " ".join((core.findtext(_DC_TITLE) or "").split())
    return title or None


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _blocks(container: etree._Element, pages: _Pages, *, in_table: bool) -> None:
    """Block-level content: paragraphs, tables, and the wrappers that hold them."""
    for child in container:
        name = _local(child)
        if name == "p":
            _paragraph(child, pages, in_table=in_table)
        elif name == "tbl":
            _table(child, pages)
        elif name == "AlternateContent":
            _blocks(_choice(child), pages, in_table=in_table)
        elif name not in _SKIP and name:
            _blocks(child, pages, in_table=in_table)  # sdt, sdtContent, customXml, ins, ...


def _choice(alternate: etree._Element) -> etree._Element:
    """The first ``mc:Choice`` of an ``mc:AlternateContent`` (its ``mc:Fallback`` repeats it)."""
    choice = alternate.find(f"{{{_MC}}}Choice")
    return choice if choice is not None else alternate


_WRAPPERS = frozenset({"sdt", "sdtContent", "customXml"})


def _children(element: etree._Element, wanted: str) -> list[etree._Element]:
    """Children named ``wanted``, also those wrapped in content controls or custom XML."""
    found: list[etree._Element] = []
    for child in element:
        name = _local(child)
        if name == wanted:
            found.append(child)
        elif name in _WRAPPERS:
            found.extend(_children(child, wanted))
    return found


def _table(table: etree._Element, pages: _Pages) -> None:
    """One line per row, cells separated by tabs, a cell's own lines joined by spaces."""
    for row in _children(table, "tr"):
        cells: list[str] = []
        for cell in _children(row, "tc"):
            inner = _Pages()
            _blocks(cell, inner, in_table=True)
            lines = "\n".join(inner.result()).split("\n")
            cells.append(" ".join(line.strip() for line in lines if line.strip()))
        pages.text("\t".join(cells))
        pages.end_line()


def _paragraph(paragraph: etree._Element, pages: _Pages, *, in_table: bool) -> None:
    properties = next((c for c in paragraph if _local(c) == "pPr"), None)
    if not in_table and properties is not None and _flag(properties, "pageBreakBefore"):
        pages.page_break()
    boxes: list[etree._Element] = []
    _inline(paragraph, pages, boxes, in_table=in_table)
    pages.end_line()
    for box in boxes:  # text boxes anchored here, after the paragraph's own text
        _blocks(box, pages, in_table=in_table)
    if not in_table and properties is not None and _section_starts_page(properties):
        pages.page_break()


def _inline(
    element: etree._Element, pages: _Pages, boxes: list[etree._Element], *, in_table: bool
) -> None:
    """Run-level content of a paragraph, in document order."""
    for child in element:
        name = _local(child)
        if name in _SKIP or not name:
            continue
        if name == "t":
            pages.text(child.text or "")
        elif name in ("tab", "ptab"):
            pages.text("\t")
        elif name == "br":
            kind = _attribute(child, "type")
            if kind == "page" and not in_table:
                pages.page_break()
            else:
                pages.text("\n")
        elif name == "cr":
            pages.text("\n")
        elif name == "noBreakHyphen":
            pages.text("-")
        elif name == "txbxContent":
            boxes.append(child)
        elif name == "AlternateContent":
            _inline(_choice(child), pages, boxes, in_table=in_table)
        elif name != "softHyphen":
            _inline(child, pages, boxes, in_table=in_table)  # r, ins, hyperlink, smartTag, ...


def _attribute(element: etree._Element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if etree.QName(key).localname == name:
            return str(value)
    return None


def _flag(properties: etree._Element, name: str) -> bool:
    """An on/off property such as ``<w:pageBreakBefore/>`` (on unless ``w:val`` says off)."""
    element = next((c for c in properties if _local(c) == name), None)
    if element is None:
        return False
    return _attribute(element, "val") not in ("0", "false", "off")


def _section_starts_page(properties: etree._Element) -> bool:
    """A section break that ends at this paragraph and starts the next section on a new page."""
    section = next((c for c in properties if _local(c) == "sectPr"), None)
    if section is None:
        return False
    kind = next((c for c in section if _local(c) == "type"), None)
    value = _attribute(kind, "val") if kind is not None else None
    return value not in ("continuous", "nextColumn")
