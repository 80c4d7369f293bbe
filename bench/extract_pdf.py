"""Benchmark: ``case.analyze()`` on born-digital PDFs, extract + segment + store (target
>= 100 pages/s per core with every core busy, i.e. >= 200 pages/s on 2 cores).

Run (from the repository root):

    .venv/bin/python bench/extract_pdf.py                       # 40 PDFs x 25 pages, 3 runs
    .venv/bin/python bench/extract_pdf.py --docs 4 --pages 5 --repeat 1 --repeat-single 1
    .venv/bin/python bench/extract_pdf.py --profile             # also a cProfile of one pass

The PDFs are generated here with reportlab (seeded) and kept under ``bench/out/data/`` for
reuse: alternately English (Helvetica 9 pt, 2,500-4,500 characters a page) and Simplified
Chinese (WenQuanYi Micro Hei 10 pt, TTC subfont 0, embedded subset, 1,800-2,400 characters a
page), about 10% of paragraphs in the other language, a running header and a page-number
footer, Flate-compressed. Each run takes the PDFs into a fresh case (not timed) and times
``case.analyze()`` alone, first with the default workers (one per core), then with one worker.
After the first run every page's text is compared with what was drawn (whitespace removed).
A per-stage split (extraction, text layer, database write) comes from one pass through
``analyze_document`` and the stage's writer in this process. Results:
``bench/out/extract_pdf.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

import analyzelib as al
import benchlib as bl
from indicia import Case
from indicia.analyze.stage import AnalyzeReport
from indicia.store.schema import pages

TARGET_PER_CORE = 100.0
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
MARGIN = 60.0
EN_FONT, EN_SIZE, EN_LEADING = "Helvetica", 9.0, 11.0
ZH_FONT, ZH_SIZE, ZH_LEADING = "WQY", 10.0, 13.0


class Layout:
    """Line wrapping by glyph widths (cached per word or character)."""

    def __init__(self, width: float) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if ZH_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(ZH_FONT, str(CJK_FONT), subfontIndex=0))
        self.width = width
        self.measure = pdfmetrics.stringWidth
        self.cache: dict[tuple[str, str], float] = {}

    def size(self, text: str, font: str, size: float) -> float:
        key = (text, font)
        if key not in self.cache:
            self.cache[key] = self.measure(text, font, 1.0)
        return self.cache[key] * size

    def wrap_words(self, text: str, font: str, size: float) -> list[str]:
        lines: list[str] = []
        line: list[str] = []
        used = 0.0
        space = self.size(" ", font, size)
        for word in text.split(" "):
            w = self.size(word, font, size)
            if line and used + space + w > self.width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += (space if line else 0.0) + w
            line.append(word)
        if line:
            lines.append(" ".join(line))
        return lines

    def wrap_chars(self, text: str, font: str, size: float) -> list[str]:
        lines: list[str] = []
        start, used = 0, 0.0
        for i, ch in enumerate(text):
            w = self.size(ch, font, size)
            if used + w > self.width and i > start:
                lines.append(text[start:i].strip())
                start, used = i, 0.0
            used += w
        lines.append(text[start:].strip())
        return [line for line in lines if line]


def make_pdf(
    path: Path, maker: al.TextMaker, layout: Layout, index: int, page_count: int
) -> list[str]:
    """Write one PDF; return the text drawn on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = maker.rng
    language = "zh" if index % 2 else "en"
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1, invariant=1)
    title = f"Synthetic benchmark report {index:03d}"
    pdf.setTitle(title)
    width, height = A4
    drawn: list[str] = []
    for number in range(1, page_count + 1):
        lines: list[str] = []
        header = f"{title} - page {number} of {page_count}"
        pdf.setFont(EN_FONT, 8)
        pdf.drawString(MARGIN, height - 40, header)
        lines.append(header)
        y = height - MARGIN - 10
        target = rng.randint(2500, 4500) if language == "en" else rng.randint(1800, 2400)
        full = False
        for para in maker.paragraphs(language, target, other_share=0.1):
            cjk = not para.isascii()
            font, size, leading = (
                (ZH_FONT, ZH_SIZE, ZH_LEADING) if cjk else (EN_FONT, EN_SIZE, EN_LEADING)
            )
            wrapped = (
                layout.wrap_chars(para, font, size) if cjk else layout.wrap_words(para, font, size)
            )
            pdf.setFont(font, size)
            for line in wrapped:
                if y < MARGIN + 20:
                    full = True
                    break
                pdf.drawString(MARGIN, y, line)
                lines.append(line)
                y -= leading
            if full:
                break
            y -= leading * 0.8  # paragraph gap
        footer = f"- {number} -"
        pdf.setFont(EN_FONT, 8)
        pdf.drawCentredString(width / 2, 30, footer)
        lines.append(footer)
        pdf.showPage()
        drawn.append("\n".join(lines))
    pdf.save()
    return drawn


def corpus(docs: int, page_count: int, seed: int) -> tuple[Path, list[Path], dict[str, Any]]:
    """The generated PDFs (made once and reused), and the text drawn on each page."""
    folder = bl.DATA / f"pdf-{docs}x{page_count}-s{seed}"
    truth_file = folder.with_name(folder.name + ".truth.json")
    files = [folder / f"report-{i:03d}.pdf" for i in range(docs)]
    if truth_file.exists() and all(f.exists() for f in files):
        return folder, files, json.loads(truth_file.read_text(encoding="utf-8"))
    bl.remove(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    maker = al.TextMaker(seed)
    layout = Layout(595.2756 - 2 * MARGIN)
    truth = {f.name: make_pdf(f, maker, layout, i, page_count) for i, f in enumerate(files)}
    os.sync()
    truth_file.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    print(f"generated {docs} PDFs in {time.perf_counter() - started:.1f} s")
    return folder, files, truth


def checker(
    files: list[Path], truth: dict[str, Any]
) -> Any:  # returns the check callback for timed_analyze
    import hashlib

    by_sha = {hashlib.sha256(f.read_bytes()).hexdigest(): f.name for f in files}

    def check(case: Case, report: AnalyzeReport) -> dict[str, Any]:
        from difflib import SequenceMatcher

        exact = total = 0
        ratios = []
        methods: dict[str, int] = {}
        chars = 0
        with case.db.read() as conn:
            for row in conn.execute(select(pages)):
                methods[row.method] = methods.get(row.method, 0) + 1
                want = al.strip_space(truth[by_sha[row.document_sha256]][row.number - 1])
                got = al.strip_space(row.text)
                chars += len(row.text)
                total += 1
                if got == want:
                    exact += 1
                elif len(ratios) < 50:
                    ratios.append(SequenceMatcher(None, got, want, autojunk=False).ratio())
        return {
            "pages_checked": total,
            "pages_exact": exact,
            "mismatch_similarity_sample": [round(r, 4) for r in ratios[:10]],
            "methods": methods,
            "chars_per_page": round(chars / max(1, total)),
        }

    return check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40, help="PDFs (40)")
    parser.add_argument("--pages", type=int, default=25, help="pages per PDF (25)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="runs with default workers (3)")
    parser.add_argument("--repeat-single", type=int, default=2, help="runs with 1 worker (2)")
    parser.add_argument("--no-split", action="store_true", help="skip the per-stage split")
    parser.add_argument("--profile", action="store_true", help="cProfile one in-process pass")
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="also time experimental changes (pool refill order, 3 workers) in this process",
    )
    parser.add_argument(
        "--delete-data", action="store_true", help="remove the generated PDFs afterwards"
    )
    args = parser.parse_args()

    env = bl.environment()
    folder, files, truth = corpus(args.docs, args.pages, args.seed)
    total_pages = args.docs * args.pages
    size = sum(f.stat().st_size for f in files)
    print(f"corpus: {args.docs} PDFs x {args.pages} pages, {size / bl.MB:.1f} MB in {folder}")
    check = checker(files, truth)

    cores = os.cpu_count() or 1
    default_runs = []
    for i in range(args.repeat):
        run = al.timed_analyze(files, f"extract-pdf-{i}", check=check if i == 0 else None)
        default_runs.append(run)
    checked = default_runs[0].checked
    print(
        f"check: {checked['pages_exact']} of {checked['pages_checked']} pages exactly as drawn "
        f"(whitespace removed); methods {checked['methods']}; "
        f"{checked['chars_per_page']} chars/page"
    )
    default = al.summarise_runs(default_runs, total_pages)
    al.print_runs("analyze, default workers", default)
    single_runs = [
        al.timed_analyze(files, f"extract-pdf-w1-{i}", workers=1) for i in range(args.repeat_single)
    ]
    single = al.summarise_runs(single_runs, total_pages) if single_runs else None
    if single:
        al.print_runs("analyze, INDICIA_WORKERS=1", single)

    result: dict[str, Any] = {
        "benchmark": "extract_pdf",
        "environment": env,
        "params": vars(args),
        "corpus": {
            "folder": str(folder),
            "documents": args.docs,
            "pages": total_pages,
            "bytes": size,
            "check": checked,
        },
        "target_pages_per_s": TARGET_PER_CORE * cores,
        "default_workers": default,
        "one_worker": single,
        "startup": al.startup_cost(files[0], "extract-pdf-startup"),
    }
    fixed = result["startup"]["wall"]["median_s"]
    net = total_pages / max(1e-9, default["wall"]["median_s"] - fixed)
    result["default_workers_pages_per_s_without_fixed_cost_median"] = round(net, 1)
    print(
        f"fixed cost of one analyze call on a 1-document case: {fixed:.2f} s (median); "
        f"default workers without it: {net:.1f} pages/s"
    )
    if not args.no_split:
        from indicia.extract import pdf as pdfmod

        wraps: list[al.Wrap] = [
            (pdfmod.pdfscan, "check_streams", "Flate-bomb scan (pdfscan)"),
            (pdfmod, "_open", "open (PDFium)"),
            (pdfmod, "_layer_text", "page text (get_text_bounded, clean_text)"),
            (pdfmod, "_ocr_reason", "OCR-needed check (_ocr_reason)"),
        ]
        prof = bl.OUT / "extract_pdf.prof" if args.profile else None
        split = al.stage_split(files, "extract-pdf-split", wraps, prof)
        result["split"] = split
        al.print_split(split)
        if prof:
            print(f"profile: {prof} (top functions in {prof}.txt)")
    if args.what_if:
        result["what_if"] = al.what_if_runs(
            files, "extract-pdf-whatif", total_pages, max(1, args.repeat_single)
        )
    target = result["target_pages_per_s"]
    result["target_met"] = {
        "best": default["pages_per_s"]["best"] >= target,
        "median": default["pages_per_s"]["median"] >= target,
    }
    print(
        f"target >= {target:.0f} pages/s on {cores} cores: "
        + ", ".join(f"{k} {'MET' if v else 'NOT met'}" for k, v in result["target_met"].items())
    )
    if args.delete_data:
        bl.remove(folder)
        bl.remove(folder.with_name(folder.name + ".truth.json"))
    print(f"result: {bl.write_result('extract_pdf', result)}")


if __name__ == "__main__":
    main()
