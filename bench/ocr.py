"""Benchmark: ``case.analyze()`` on scanned pages, mixed Chinese and English (target >= 800
pages/hour on the 2-core machine).

Run (from the repository root):

    .venv/bin/python bench/ocr.py                    # 12 pages, 2 runs, then a per-stage split
    .venv/bin/python bench/ocr.py --pages 4 --repeat 1 --no-split     # quick smoke run

The pages are generated here (seeded) and kept under ``bench/out/data/`` for reuse: A4 at
300 dpi, 8-bit grey, drawn with Pillow; even pages Simplified Chinese (WenQuanYi Micro Hei,
44 px = 10.5 pt, 1,100-1,600 characters), odd pages English (DejaVu Serif, 42 px = 10 pt,
1,400-2,000 characters). Every other pair of pages is "scanned": rotated by up to 1 degree,
blurred (Gaussian, radius 0.6), given noise (sigma 18) and saved as JPEG quality 60; the
others are clean. Pairs go alternately into a two-page image-only PDF (reportlab
``drawImage``: JPEG or Flate), two PNG files or two TIFF files (LZW). Each run takes the files
into a fresh case (not timed) and times ``case.analyze()`` with the default workers (one per
core; OCR language ``chi_sim+eng``, the default). Reported: pages/hour, wall and CPU seconds
per page per core, mean OCR confidence, and character accuracy: the OCR text against the text
drawn, whitespace removed, as difflib's similarity ratio and as the share of the drawn
characters matched, raw and after NFKC (which folds full-width punctuation). Results:
``bench/out/ocr.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import statistics
import time
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from sqlalchemy import select

import analyzelib as al
import benchlib as bl
from indicia import Case
from indicia.analyze.stage import AnalyzeReport
from indicia.store.schema import pages

TARGET_PAGES_PER_HOUR = 800.0
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
EN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
WIDTH, HEIGHT, DPI = 2480, 3508, 300
MARGIN = 240


def render(text_paras: list[str], language: str) -> tuple[Image.Image, str]:
    """Draw paragraphs on an A4 page; return the image and the text actually drawn."""
    zh = language == "zh"
    font = ImageFont.truetype(CJK_FONT, 44, index=0) if zh else ImageFont.truetype(EN_FONT, 42)
    leading = 66 if zh else 60
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    widths: dict[str, float] = {}

    def size(s: str) -> float:
        if s not in widths:
            widths[s] = font.getlength(s)
        return widths[s]

    lines_drawn: list[str] = []
    y = MARGIN
    for para in text_paras:
        lines: list[str] = []
        if zh:
            start, used = 0, 0.0
            for i, ch in enumerate(para):
                if used + size(ch) > width and i > start:
                    lines.append(para[start:i])
                    start, used = i, 0.0
                used += size(ch)
            lines.append(para[start:])
        else:
            line: list[str] = []
            used = 0.0
            for word in para.split(" "):
                w = size(word)
                if line and used + size(" ") + w > width:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                used += (size(" ") if line else 0.0) + w
                line.append(word)
            if line:
                lines.append(" ".join(line))
        for text in lines:
            if y + leading > HEIGHT - MARGIN:
                return image, "\n".join(lines_drawn)
            draw.text((MARGIN, y), text, fill=0, font=font)
            lines_drawn.append(text)
            y += leading
        y += leading // 2
    return image, "\n".join(lines_drawn)


def degrade(image: Image.Image, rng: random.Random) -> Image.Image:
    """Make a clean render look scanned: skew, blur, noise, JPEG artefacts."""
    angle = rng.uniform(0.3, 1.0) * rng.choice((-1, 1))
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    noise = Image.effect_noise(image.size, 18)
    image = ImageChops.add(image, noise, 1.0, -128)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    return Image.open(io.BytesIO(buffer.getvalue()))


def write_pdf(path: Path, images: list[Image.Image], scanned: bool) -> None:
    """An image-only PDF, one A4 page per image (JPEG for scans, Flate for clean pages)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    temporary = []
    for n, image in enumerate(images):
        tmp = path.with_name(f"{path.stem}-{n}.{'jpg' if scanned else 'png'}")
        if scanned:
            image.save(tmp, "JPEG", quality=60, dpi=(DPI, DPI))
        else:
            image.save(tmp, "PNG", dpi=(DPI, DPI))
        temporary.append(tmp)
        pdf.drawImage(str(tmp), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    for tmp in temporary:
        tmp.unlink()


def corpus(count: int, seed: int) -> tuple[Path, list[Path], dict[str, Any]]:
    """The generated scans (made once and reused) and the text drawn on each page."""
    folder = bl.DATA / f"ocr-{count}-s{seed}"
    truth_file = folder.with_name(folder.name + ".truth.json")
    if truth_file.exists() and folder.is_dir():
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        files = [folder / name for name in truth]
        if all(f.exists() for f in files):
            return folder, files, truth
    bl.remove(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    maker = al.TextMaker(seed)
    rng = random.Random(seed + 1)
    truth: dict[str, Any] = {}
    files: list[Path] = []
    for pair in range((count + 1) // 2):
        scanned = pair % 2 == 0
        kind = ("pdf", "png", "tiff")[pair % 3]
        rendered = []
        for language in ("zh", "en")[: count - 2 * pair]:
            target = rng.randint(1100, 1600) if language == "zh" else rng.randint(1400, 2000)
            image, drawn = render(maker.paragraphs(language, target), language)
            if scanned:
                image = degrade(image, rng)
            rendered.append((language, image, drawn))
        quality = "scan" if scanned else "clean"
        entries = [{"language": lang, "quality": quality, "text": t} for lang, _, t in rendered]
        if kind == "pdf":
            path = folder / f"scan-{pair:02d}-{quality}.pdf"
            write_pdf(path, [img for _, img, _ in rendered], scanned)
            files.append(path)
            truth[path.name] = entries
        else:
            for (language, image, _), entry in zip(rendered, entries, strict=True):
                path = folder / f"scan-{pair:02d}-{language}-{quality}.{kind}"
                if kind == "png":
                    image.save(path, "PNG", dpi=(DPI, DPI))
                else:
                    image.save(path, "TIFF", compression="tiff_lzw", dpi=(DPI, DPI))
                files.append(path)
                truth[path.name] = [entry]
    os.sync()
    truth_file.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    print(f"generated {count} pages in {time.perf_counter() - started:.1f} s")
    return folder, files, truth


def accuracy(got: str, want: str) -> tuple[float, float]:
    """(difflib similarity ratio, share of ``want``'s characters matched), whitespace removed."""
    a, b = al.strip_space(got), al.strip_space(want)
    if not b:
        return 0.0, 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matcher.ratio(), matched / len(b)


def checker(files: list[Path], truth: dict[str, Any]) -> Any:
    by_sha = {hashlib.sha256(f.read_bytes()).hexdigest(): f.name for f in files}

    def check(case: Case, report: AnalyzeReport) -> dict[str, Any]:
        rows = []
        with case.db.read() as conn:
            for row in conn.execute(select(pages)):
                name = by_sha[row.document_sha256]
                entry = truth[name][row.number - 1]
                ratio, recall = accuracy(row.text, entry["text"])
                n_ratio, n_recall = accuracy(
                    unicodedata.normalize("NFKC", row.text),
                    unicodedata.normalize("NFKC", entry["text"]),
                )
                rows.append(
                    {
                        "file": name,
                        "page": row.number,
                        "language": entry["language"],
                        "quality": entry["quality"],
                        "method": row.method,
                        "detected_language": row.language,
                        "chars_drawn": len(al.strip_space(entry["text"])),
                        "chars_ocr": len(al.strip_space(row.text)),
                        "ocr_confidence": row.ocr_confidence,
                        "similarity": round(ratio, 4),
                        "chars_matched": round(recall, 4),
                        "similarity_nfkc": round(n_ratio, 4),
                        "chars_matched_nfkc": round(n_recall, 4),
                    }
                )
        return {"pages_detail": sorted(rows, key=lambda r: (r["file"], r["page"]))}

    return check


def group_means(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = {"all": rows}
    for row in rows:
        groups.setdefault(row["language"], []).append(row)
        groups.setdefault(f"{row['language']} {row['quality']}", []).append(row)
    out = {}
    for name, members in groups.items():
        out[name] = {"pages": len(members)}
        for key in ("ocr_confidence", "similarity", "chars_matched", "similarity_nfkc"):
            values = [m[key] for m in members if m[key] is not None]
            out[name][key] = round(statistics.mean(values), 4) if values else float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12, help="scanned pages (12)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs (2)")
    parser.add_argument("--no-split", action="store_true", help="skip the per-stage split")
    parser.add_argument(
        "--delete-data", action="store_true", help="remove the generated scans afterwards"
    )
    args = parser.parse_args()

    env = bl.environment()
    folder, files, truth = corpus(args.pages, args.seed)
    page_count = sum(len(v) for v in truth.values())
    size = sum(f.stat().st_size for f in files)
    print(f"corpus: {page_count} pages in {len(files)} files ({size / bl.MB:.1f} MB) in {folder}")
    cores = os.cpu_count() or 1
    check = checker(files, truth)
    runs = [
        al.timed_analyze(files, f"ocr-{i}", check=check if i == 0 else None)
        for i in range(args.repeat)
    ]
    detail = runs[0].checked["pages_detail"]
    for run in runs:
        run.checked = {}
    if any(r["method"] != "ocr" for r in detail):
        raise RuntimeError(f"not every page was OCRed: {detail}")
    summary = al.summarise_runs(runs, page_count)
    times = [r.wall_s for r in runs]
    per_hour = {k: round(3600 * v, 0) for k, v in bl.rates(page_count, times).items()}
    workers = summary["workers"]
    s_per_page_core = {
        "best": round(min(times) * workers / page_count, 2),
        "median": round(statistics.median(times) * workers / page_count, 2),
    }
    means = group_means(detail)
    print(
        f"analyze ({workers} workers): wall best {min(times):.1f} s, median "
        f"{statistics.median(times):.1f} s -> {per_hour['best']:.0f} / {per_hour['median']:.0f} "
        f"pages/hour (best / median); {s_per_page_core['best']:.2f} / "
        f"{s_per_page_core['median']:.2f} s per page per core (wall); worker CPU "
        f"{summary['worker_cpu_ms_per_page'] / 1000:.2f} s per page"
    )
    for name, m in means.items():
        print(
            f"  {name:<9} {m['pages']:>2} pages: confidence {m['ocr_confidence']:.1f}, "
            f"similarity {m['similarity']:.3f} (NFKC {m['similarity_nfkc']:.3f}), "
            f"drawn chars matched {m['chars_matched']:.3f}"
        )
    result: dict[str, Any] = {
        "benchmark": "ocr",
        "environment": env,
        "params": vars(args),
        "corpus": {"folder": str(folder), "pages": page_count, "files": len(files), "bytes": size},
        "target_pages_per_hour": TARGET_PAGES_PER_HOUR,
        "analyze": summary,
        "pages_per_hour": per_hour,
        "wall_s_per_page_per_core": s_per_page_core,
        "accuracy": means,
        "pages_detail": detail,
    }
    if not args.no_split:
        from indicia.extract import image as imagemod
        from indicia.extract import ocr as ocrmod
        from indicia.extract import pdf as pdfmod

        wraps: list[al.Wrap] = [
            (pdfmod, "_render", "render PDF page (PDFium, 300 dpi grey)"),
            (imagemod, "_frame", "decode image frame (Pillow)"),
            (ocrmod, "recognise", "OCR (tesserocr, chi_sim+eng)"),
        ]
        warm = folder.with_name(folder.name + "-warmup.png")
        image = Image.new("L", (900, 160), 255)
        ImageDraw.Draw(image).text(
            (20, 40), "Warm up 预热", fill=0, font=ImageFont.truetype(CJK_FONT, 60, index=0)
        )
        image.save(warm, dpi=(DPI, DPI))
        try:
            split = al.stage_split(files, "ocr-split", wraps, warmup=warm)
        finally:
            warm.unlink()
        result["split"] = split
        al.print_split(split)
    result["target_met"] = {
        "best": per_hour["best"] >= TARGET_PAGES_PER_HOUR,
        "median": per_hour["median"] >= TARGET_PAGES_PER_HOUR,
    }
    print(
        f"target >= {TARGET_PAGES_PER_HOUR:.0f} pages/hour on {cores} cores: "
        + ", ".join(f"{k} {'MET' if v else 'NOT met'}" for k, v in result["target_met"].items())
    )
    if args.delete_data:
        bl.remove(folder)
        bl.remove(folder.with_name(folder.name + ".truth.json"))
    print(f"result: {bl.write_result('ocr', result)}")


if __name__ == "__main__":
    main()
