#!/usr/bin/env python3
"""Write Indicia's bundled demo corpus: twelve SYNTHETIC documents, a manifest and a README.

Every document is invented by the Indicia project and says so near the top of its own text.
The prose lives in plain-text sources under ``scripts/demo_corpus_src/`` (UTF-8, one file per
document, named after the output file); this script turns them into the formats the corpus needs
to exercise intake and extraction:

* ``.txt`` and ``.html`` sources are copied, re-encoded where a document is meant to be GBK
  (and, for one file, with CRLF line endings);
* ``<name>.pdf.txt`` and ``<name>.docx.txt`` sources use a tiny line-based layout language and
  are rendered to PDF (reportlab) and DOCX (python-docx).

Layout language, one block per line (blank lines are ignored)::

    ! text    the synthetic-sample notice (boxed in PDF, bold in DOCX)
    # text    document title
    ## text   section heading
    ~ text    right-aligned line (document number, signature, date)
    - text    bullet item
    | a | b   table row (consecutive rows form one table; the first row is the header)
    text      body paragraph

The output is deterministic: running the script twice with the same sources, font and library
versions gives byte-identical files. PDFs are written with reportlab's ``invariant`` mode; DOCX
packages get fixed core-property dates and are re-zipped with fixed member timestamps in a stable
order.

Needs (install them outside the project's own environment if you like):

* ``reportlab`` and ``python-docx`` (``pip install reportlab python-docx``);
* a TrueType CJK font for the Chinese PDF, e.g. Debian's ``fonts-wqy-microhei``
  (``apt-get install fonts-wqy-microhei``). reportlab embeds a subset of it, so the PDF's text
  layer extracts as real Unicode. Noto Sans CJK (``fonts-noto-cjk``) does NOT work: it has
  PostScript (CFF) outlines, which reportlab's TTFont rejects.

Run from the repository root::

    python scripts/make_demo_corpus.py                 # writes src/indicia/data/samples/demo/
    python scripts/make_demo_corpus.py OUT_DIR --cjk-font /path/to/font.ttc
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "demo_corpus_src"
DEFAULT_OUT = HERE.parent / "src" / "indicia" / "data" / "samples" / "demo"

CJK_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
CJK_FONT_NAME = "IndiciaCJK"

# Each document must say, near the top of its text, that it is synthetic.
SYNTHETIC_MARKERS = {"en": "SYNTHETIC SAMPLE", "zh": "【合成样本】"}
MARKER_WINDOW = 1500  # characters of source text in which the marker must appear

AUTHOR = "Indicia project (synthetic sample)"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Document:
    """One corpus document: its output name, how to encode it, and its manifest/README rows."""

    name: str
    lang: str  # "en" or "zh" (Simplified Chinese)
    role: str  # evidence, counter-evidence, mixed or neutral
    summary: str
    source_url: str
    collected_at: str
    method: str
    note: str
    dated: dt.date  # the document's own date; used for DOCX core properties
    encoding: str = "utf-8"  # text formats only
    newline: str = "\n"  # text formats only

    @property
    def fmt(self) -> str:
        return self.name.rsplit(".", 1)[1]

    @property
    def source(self) -> Path:
        if self.fmt in ("pdf", "docx"):
            return SOURCES / f"{self.name}.txt"
        return SOURCES / self.name


DOCUMENTS: tuple[Document, ...] = (
    Document(
        name="lanhe-county-work-plan-2025.pdf",
        lang="zh",
        role="evidence",
        summary=(
            "County government work plan: 1.2万人次 transfer quota, 3,500 registered poor "
            "labourers, more than 2,000 people out of county, door-to-door mobilisation, "
            "\u201cthought work\u201d, military-style training, centralised management, team "
            "leaders, no leaving posts, loss of household support; also 严禁强迫劳动. "
            "Quota table by township."
        ),
        source_url="https://www.lanhe.gov.example/zwgk/zfwj/202503/t20250306_2871.html",
        collected_at="2026-03-02T08:15:00Z",
        method="download",
        note="PDF attachment linked from the county government's policy-documents page",
        dated=dt.date(2025, 3, 6),
    ),
    Document(
        name="liquan-township-mobilisation-notice.txt",
        lang="zh",
        role="evidence",
        summary=(
            "Township notice for the second out-of-county batch (260 of about 800 people): "
            "household visits, people who refuse listed for police attention, ID cards handed "
            "to team leaders, forced return of absconders; also claims the transfer is voluntary."
        ),
        source_url="https://files.wayfield-monitor.example/inbox/2026-03-02/liquan-notice.txt",
        collected_at="2026-03-02T10:40:00Z",
        method="email",
        note="Forwarded by a source as a plain-text file; original encoding kept (GBK, CRLF)",
        dated=dt.date(2025, 5, 8),
        encoding="gbk",
        newline="\r\n",
    ),
    Document(
        name="lanhe-daily-first-batch-2025-05-16.html",
        lang="zh",
        role="evidence",
        summary=(
            "State-media style news report praising a batch of 1,260 workers sent to Hewan "
            "City, with progress figures (8,460 人次, 70.5%), military-style drill, team leaders "
            "and ideological education; quotes an official denying any coercion."
        ),
        source_url="https://news.lanhe-daily.example/local/2025-05/16/content_104512.html",
        collected_at="2026-03-03T14:05:00Z",
        method="web-capture",
        note="Saved page source as served, without re-encoding (page declares GBK)",
        dated=dt.date(2025, 5, 16),
        encoding="gbk",
    ),
    Document(
        name="mingsuo-dormitory-rules.docx",
        lang="zh",
        role="evidence",
        summary=(
            "Factory dormitory rules: closed management, roll call, exit permits, ID cards kept "
            "by the county work team, phones collected nightly, wages paid to team leaders' "
            "accounts, flag-raising and language night school, overtime, penalties for leaving; "
            "says no deposits or fees are charged."
        ),
        source_url="https://files.wayfield-monitor.example/leaks/mingsuo/dormitory-rules.docx",
        collected_at="2026-03-04T09:20:00Z",
        method="download",
        note="Obtained from a shared folder link passed on by a former worker's relative",
        dated=dt.date(2025, 5, 18),
    ),
    Document(
        name="lanhe-hrss-progress-bulletin-06.txt",
        lang="zh",
        role="evidence",
        summary=(
            "Human-resources bureau progress bulletin at 30 June 2025: 10,152 人次 (84.6%), "
            "completion rates by township, 47 workers who went home and 22 persuaded back, "
            "orders for renewed household visits."
        ),
        source_url="https://rsj.lanhe.gov.example/tzgg/202507/t20250703_0612.txt",
        collected_at="2026-03-04T11:02:00Z",
        method="download",
        note="Plain-text version offered beside the bulletin on the bureau's website",
        dated=dt.date(2025, 7, 3),
    ),
    Document(
        name="lanhe-office-supplies-tender-2025.html",
        lang="zh",
        role="neutral",
        summary=(
            "NEUTRAL CONTROL. Procurement notice for office paper, toner and stationery "
            "(budget 38.6万元); nothing about labour. Should produce no findings."
        ),
        source_url="https://www.lanhe.gov.example/zwgk/zfcg/202508/t20250812_3318.html",
        collected_at="2026-03-05T07:45:00Z",
        method="web-capture",
        note="Captured while browsing the county site's procurement section; kept as a control",
        dated=dt.date(2025, 8, 12),
    ),
    Document(
        name="wayfield-field-interview-summary-FI-2025-031.txt",
        lang="en",
        role="evidence",
        summary=(
            "NGO summary of interviews with three anonymised former workers: could not refuse, "
            "threats to family benefits, ID cards and phones taken, escorted outings, long "
            "shifts, wages held; includes one partly voluntary account, negations and hearsay."
        ),
        source_url="https://files.wayfield-monitor.example/fieldwork/FI-2025-031/summary.txt",
        collected_at="2026-03-06T16:30:00Z",
        method="interview-notes",
        note="Interviewer's typed summary of translated notes; audio not retained",
        dated=dt.date(2025, 10, 20),
    ),
    Document(
        name="wayfield-estimate-memo-2026-01.pdf",
        lang="en",
        role="evidence",
        summary=(
            "Researcher's memo estimating how many people may be at risk (about 2,000 to 6,200, "
            "central 4,455) from the plan and bulletin figures, with the arithmetic, "
            "assumptions and caveats, and a note on the counter-evidence."
        ),
        source_url="https://files.wayfield-monitor.example/research/2026-01-12-lanhe-estimate.pdf",
        collected_at="2026-03-09T09:00:00Z",
        method="download",
        note="Internal research memo exported to PDF from the shared drive",
        dated=dt.date(2026, 1, 12),
    ),
    Document(
        name="quillfield-audit-letter-2025-11.docx",
        lang="en",
        role="counter-evidence",
        summary=(
            "COUNTER-EVIDENCE. Social-audit letter to the buyer: finds no evidence of forced "
            "labour, says contracts are voluntary, workers keep their ID cards and the gate is "
            "open; notes limits (announced audit, management interpreters)."
        ),
        source_url="https://files.wayfield-monitor.example/inbox/2026-03-10/quillfield-letter.docx",
        collected_at="2026-03-10T13:12:00Z",
        method="email",
        note="Attachment received from the buyer's responsible-sourcing team",
        dated=dt.date(2025, 11, 3),
    ),
    Document(
        name="tessaline-statement-hewan-supplier.html",
        lang="en",
        role="counter-evidence",
        summary=(
            "COUNTER-EVIDENCE. Buyer's public statement: zero tolerance, supplier denies that "
            "workers were not allowed to leave or that it holds ID documents; hypothetical "
            "remediation if forced labour were found."
        ),
        source_url="https://www.tessaline.example/sustainability/statements/hewan-supplier",
        collected_at="2026-03-11T10:25:00Z",
        method="web-capture",
        note="Saved page source of the company's statement page",
        dated=dt.date(2025, 12, 2),
    ),
    Document(
        name="shayuan-online-return-to-work-2026-02-24.html",
        lang="en",
        role="mixed",
        summary=(
            "English state-media style report on about 800 workers returning after Spring "
            "Festival: household visits, one-on-one talks, team leaders tracking thinking, "
            "military-style drills, 12,480 person-times (104%); official says no one was forced."
        ),
        source_url="https://en.shayuan-online.example/region/2026-02/24/c_5521807.htm",
        collected_at="2026-03-12T08:50:00Z",
        method="web-capture",
        note="Saved page source of the English-language portal's article",
        dated=dt.date(2026, 2, 24),
    ),
    Document(
        name="wayfield-office-move-notice.txt",
        lang="en",
        role="neutral",
        summary=(
            "NEUTRAL CONTROL. NGO staff notice about an office move (crates, desks, network "
            "downtime, badges). Should produce no findings."
        ),
        source_url="https://files.wayfield-monitor.example/admin/2026-02-16-office-move.txt",
        collected_at="2026-03-14T09:30:00Z",
        method="download",
        note="Unrelated internal notice kept as a negative control",
        dated=dt.date(2026, 2, 16),
    ),
)

# --------------------------------------------------------------------------------------------
# Layout sources (for PDF and DOCX)

Block = tuple[str, Any]  # (kind, text) or ("table", list of rows)
_PREFIXES = (
    ("## ", "heading"),
    ("# ", "title"),
    ("! ", "notice"),
    ("~ ", "right"),
    ("- ", "bullet"),
)


def parse_layout(text: str) -> list[Block]:
    """Split a layout source into blocks; see the module docstring for the syntax."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line:
            continue
        if line.startswith("| "):
            cells = [cell.strip() for cell in line[2:].split("|")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
            continue
        for prefix, kind in _PREFIXES:
            if line.startswith(prefix):
                blocks.append((kind, line[len(prefix) :]))
                break
        else:
            blocks.append(("para", line))
    return blocks


def layout_title(blocks: list[Block]) -> str:
    return next(str(text) for kind, text in blocks if kind == "title")


# --------------------------------------------------------------------------------------------
# PDF

_CJK_RUN = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")


def find_cjk_font(explicit: Path | None) -> Path:
    if explicit is not None:
        if not explicit.is_file():
            sys.exit(f"CJK font not found: {explicit}")
        return explicit
    for candidate in CJK_FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    sys.exit(
        "No TrueType CJK font found. Install one (apt-get install fonts-wqy-microhei) or pass "
        "--cjk-font PATH. Noto Sans CJK will not do: reportlab cannot embed CFF outlines."
    )


def register_cjk_font(path: Path) -> str:
    """Register the CJK font with reportlab; return its family name for the README."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    font = TTFont(CJK_FONT_NAME, str(path), **kwargs)
    pdfmetrics.registerFont(font)
    name = font.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _markup(text: str, lang: str) -> str:
    """Escape text for a reportlab Paragraph; in English text, set CJK runs in the CJK font."""
    escaped = escape(text)
    if lang == "zh":
        return escaped
    return _CJK_RUN.sub(lambda m: f'<font name="{CJK_FONT_NAME}">{m.group(0)}</font>', escaped)


def render_pdf(doc: Document, blocks: list[Block], out: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    zh = doc.lang == "zh"
    regular = CJK_FONT_NAME if zh else "Helvetica"
    bold = CJK_FONT_NAME if zh else "Helvetica-Bold"  # the CJK font has no bold face
    wrap = "CJK" if zh else None
    body = ParagraphStyle(
        "body",
        fontName=regular,
        fontSize=10.5,
        leading=17 if zh else 14.5,
        spaceAfter=5,
        wordWrap=wrap,
        firstLineIndent=21 if zh else 0,
    )
    styles = {
        "para": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=bold,
            fontSize=15,
            leading=22,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=6,
            spaceAfter=12,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=bold,
            fontSize=12,
            leading=18,
            firstLineIndent=0,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "notice": ParagraphStyle(
            "notice",
            parent=body,
            fontName=bold,
            fontSize=9.5,
            leading=14,
            firstLineIndent=0,
            borderWidth=0.8,
            borderColor=colors.black,
            borderPadding=5,
            backColor=colors.whitesmoke,
            spaceAfter=14,
        ),
        "right": ParagraphStyle(
            "right", parent=body, alignment=TA_RIGHT, firstLineIndent=0, spaceAfter=2
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=body, firstLineIndent=0, leftIndent=14, bulletIndent=3, spaceAfter=3
        ),
        "cell": ParagraphStyle(
            "cell", parent=body, fontSize=9.5, leading=13, firstLineIndent=0, spaceAfter=0
        ),
    }

    flow: list[Any] = []
    for kind, content in blocks:
        if kind == "table":
            rows = [
                [Paragraph(_markup(c, doc.lang), styles["cell"]) for c in row] for row in content
            ]
            table = Table(rows, hAlign="CENTER", repeatRows=1, spaceBefore=4, spaceAfter=10)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ]
                )
            )
            flow.append(table)
        elif kind == "bullet":
            flow.append(Paragraph(_markup(content, doc.lang), styles["bullet"], bulletText="•"))
        else:
            flow.append(Paragraph(_markup(content, doc.lang), styles[kind]))

    footer = (
        "Indicia 合成样本，并非真实文件 · 第 {} 页"
        if zh
        else "Indicia synthetic sample, not a real document · page {}"
    )

    def on_page(canvas: Any, template: Any) -> None:
        canvas.saveState()
        canvas.setFont(CJK_FONT_NAME if zh else "Helvetica", 8)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, footer.format(template.page))
        canvas.restoreState()

    template = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        invariant=1,
        title=layout_title(blocks),
        author=AUTHOR,
        subject="Synthetic sample written for the Indicia demo corpus; not a real document",
        creator="scripts/make_demo_corpus.py",
        keywords="synthetic, Indicia, demo",
        lang="zh-CN" if zh else "en-GB",
    )
    template.build(flow, onFirstPage=on_page, onLaterPages=on_page)


# --------------------------------------------------------------------------------------------
# DOCX


def _set_style_fonts(style: Any, lang: str, size_pt: float | None = None) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if size_pt is not None:
        style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), "SimSun")
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "en-GB")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    if lang == "zh":
        lang_el.set(qn("w:val"), "zh-CN")
    rpr.append(lang_el)


def render_docx(doc: Document, blocks: list[Block], out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    _set_style_fonts(document.styles["Normal"], doc.lang, 10.5 if doc.lang == "zh" else 11)
    for name in ("Heading 1", "Heading 2"):
        _set_style_fonts(document.styles[name], doc.lang)

    for kind, content in blocks:
        if kind == "title":
            document.add_heading(content, level=1)
        elif kind == "heading":
            document.add_heading(content, level=2)
        elif kind == "notice":
            document.add_paragraph().add_run(content).bold = True
        elif kind == "right":
            document.add_paragraph(content).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind == "bullet":
            document.add_paragraph(content, style="List Bullet")
        elif kind == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            table.style = "Table Grid"
            for r, row in enumerate(content):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        else:
            document.add_paragraph(content)

    stamp = dt.datetime.combine(doc.dated, dt.time(9, 0), tzinfo=dt.UTC)
    props = document.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.title = layout_title(blocks)
    props.subject = "Synthetic sample written for the Indicia demo corpus; not a real document"
    props.comments = "SYNTHETIC SAMPLE: written by the Indicia project; not a real document."
    props.keywords = "synthetic; Indicia; demo"
    props.category = "Synthetic sample"
    props.language = "zh-CN" if doc.lang == "zh" else "en-GB"
    props.created = stamp
    props.modified = stamp
    props.revision = 1

    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(normalise_zip(buffer.getvalue()))


def normalise_zip(data: bytes) -> bytes:
    """Re-zip an OOXML package with fixed timestamps and attributes, in a stable member order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    # python-docx's template says it was written by Word; say what really wrote it.
    members = [
        (
            name,
            blob.replace(
                b"<Application>Microsoft Macintosh Word</Application>",
                b"<Application>python-docx (scripts/make_demo_corpus.py)</Application>",
            )
            if name == "docProps/app.xml"
            else blob,
        )
        for name, blob in members
    ]
    members.sort(key=lambda member: (member[0] != "[Content_Types].xml", member[0]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, blob in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, blob)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Text formats, manifest, README


def render_text(doc: Document, text: str, out: Path) -> None:
    out.write_bytes(text.replace("\n", doc.newline).encode(doc.encoding))  # strict: must fit


def check_source(doc: Document, text: str) -> None:
    marker = SYNTHETIC_MARKERS[doc.lang]
    if marker not in text[:MARKER_WINDOW]:
        sys.exit(f"{doc.source.name}: the synthetic-sample notice {marker!r} is not near the top")


def write_manifest(out_dir: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["path", "source_url", "collected_at", "method", "note"])
    for doc in DOCUMENTS:
        writer.writerow([doc.name, doc.source_url, doc.collected_at, doc.method, doc.note])
    (out_dir / "manifest.csv").write_bytes(buffer.getvalue().encode("utf-8"))


_FORMAT_LABELS = {
    "txt": "plain text",
    "html": "HTML page",
    "pdf": "PDF (text layer)",
    "docx": "DOCX",
}
_LANG_LABELS = {"en": "English", "zh": "Simplified Chinese"}


def _encoding_label(doc: Document) -> str:
    if doc.fmt == "pdf":
        return "binary; CJK font subset embedded" if doc.lang == "zh" else "binary"
    if doc.fmt == "docx":
        return "binary (XML inside is UTF-8)"
    label = "GBK" if doc.encoding == "gbk" else "UTF-8"
    if doc.fmt == "html":
        label += f' (declared `<meta charset="{"gbk" if doc.encoding == "gbk" else "utf-8"}">`)'
    if doc.newline == "\r\n":
        label += ", CRLF line endings"
    return label


def write_readme(out_dir: Path, build_info: list[str]) -> None:
    rows = [
        "| File | Language | Format | Encoding | Role | Contents |",
        "|---|---|---|---|---|---|",
    ]
    for doc in DOCUMENTS:
        rows.append(
            f"| `{doc.name}` | {_LANG_LABELS[doc.lang]} | {_FORMAT_LABELS[doc.fmt]} | "
            f"{_encoding_label(doc)} | {doc.role} | {doc.summary} |"
        )
    rows.append(
        "| `manifest.csv` | — | CSV | UTF-8 | provenance | One row per document "
        "(invented URLs and collection times). |"
    )
    rows.append("| `README.md` | — | Markdown | UTF-8 | — | This file. |")
    template = (SOURCES / "README.template.md").read_text(encoding="utf-8")
    text = template.replace("@@FILES@@", "\n".join(rows)).replace(
        "@@BUILD@@", "\n".join(f"- {line}" for line in build_info)
    )
    (out_dir / "README.md").write_bytes(text.encode("utf-8"))


def build(out_dir: Path, cjk_font: Path | None) -> list[Path]:
    from importlib.metadata import version

    font_path = find_cjk_font(cjk_font)
    font_family = register_cjk_font(font_path)
    out_dir.mkdir(parents=True, exist_ok=True)

    renderers: dict[str, Callable[[Document, list[Block], Path], None]] = {
        "pdf": render_pdf,
        "docx": render_docx,
    }
    written: list[Path] = []
    for doc in DOCUMENTS:
        if not doc.source.is_file():
            sys.exit(f"missing source for {doc.name}: {doc.source}")
        text = doc.source.read_text(encoding="utf-8")
        check_source(doc, text)
        target = out_dir / doc.name
        if doc.fmt in renderers:
            renderers[doc.fmt](doc, parse_layout(text), target)
        else:
            render_text(doc, text, target)
        written.append(target)

    write_manifest(out_dir)
    write_readme(
        out_dir,
        [
            f"reportlab {version('reportlab')}",
            f"python-docx {version('python-docx')}",
            f"zlib {zlib.ZLIB_RUNTIME_VERSION}",
            f"CJK font: {font_family} (`{font_path.name}`)",
        ],
    )
    return [*written, out_dir / "manifest.csv", out_dir / "README.md"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--cjk-font",
        type=Path,
        default=None,
        help="TrueType CJK font (.ttf/.ttc) to embed in the Chinese PDF",
    )
    args = parser.parse_args(argv)
    for path in build(args.out_dir, args.cjk_font):
        print(f"{path.stat().st_size:>8}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
