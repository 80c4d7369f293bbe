"""Benchmark: the extract stage of ``case.analyze()`` on saved web pages, main text + segment +
store (target >= 100 pages/s per core with every core busy, i.e. >= 200 pages/s on 2 cores).

Run (from the repository root):

    .venv/bin/python bench/extract_html.py                   # 300 pages, 3 + 2 runs
    .venv/bin/python bench/extract_html.py --pages 20 --repeat 1 --repeat-single 1
    .venv/bin/python bench/extract_html.py --profile         # also a cProfile of one pass

The pages are generated here (seeded) and kept under ``bench/out/data/`` for reuse: 50%
English, 50% Simplified Chinese, 15-30 KB each. Each has a head with a style block, two
scripts and Open Graph tags, a header with a 40-link navigation bar, a sidebar (related links,
an advertisement, a newsletter form), a comment section and a footer around an ``<article>``
of 6-16 paragraphs (sometimes a sub-heading, a quotation or a small table). A third of the
Chinese pages are GBK-encoded: most declare it in ``<meta http-equiv>``, one in four declares
nothing (so the charset is detected). Each run takes the pages into a fresh case (not timed)
and times the extract stage of ``case.analyze()`` alone (worker start-up included; detection,
which follows it, is not extraction), with the default workers (one per core) and then with one
worker. After the first run the stored text is checked: the share of article paragraphs found
and of pages with footer or navigation text in them. Results: ``bench/out/extract_html.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

import analyzelib as al
import benchlib as bl
from analyzelib import words
from indicia import Case
from indicia.analyze.stage import AnalyzeReport
from indicia.store.schema import documents, extractions, pages

TARGET_PER_CORE = 100.0
NAV_EN = words(
    "Home World China Asia Business Markets Economy Tech Science Health Sport Culture Opinion "
    "Video Podcasts Photos Investigations Data Climate Energy Supply-chains Labour Rights Law "
    "Politics Diplomacy Defence Education Travel Food Style Books Film Music Weather Obituaries "
    "Corrections Newsletters Subscribe"
)
NAV_ZH = words(
    "首页 要闻 国内 国际 财经 科技 体育 文化 评论 视频 图片 专题 数据 环境 能源 产业 "
    "就业 法治 政务 外交 军事 教育 旅游 美食 时尚 读书 电影 音乐 天气 讣告 更正 订阅 "
    "社会 健康 房产 汽车 乡村 县域 人才"
)
FOOTER_MARK = {"en": "All rights reserved by Example Daily", "zh": "版权所有 示例日报社"}
NAV_MARK = {"en": "Obituaries", "zh": "讣告"}


def css(rng: random.Random, size: int) -> str:
    rules = []
    while sum(map(len, rules)) < size:
        i = rng.randrange(10_000)
        rules.append(
            f".c{i} .item-{i % 97} > a:hover {{ margin: {rng.randint(0, 40)}px "
            f"{rng.randint(0, 40)}px; color: #{rng.randrange(0xFFFFFF):06x}; "
            f"font-size: {rng.randint(10, 24)}px; line-height: 1.{rng.randint(2, 8)}; }}\n"
        )
    return "".join(rules)


def script(rng: random.Random, size: int) -> str:
    parts = ["(function(w, d) { var q = w._q = w._q || [];\n"]
    while sum(map(len, parts)) < size:
        i = rng.randrange(10_000)
        parts.append(
            f"  function track{i}(e) {{ q.push(['event', 'click-{i}', e && e.target ? "
            f"e.target.id : null, {rng.randint(0, 10**6)}]); if (q.length > {rng.randint(5, 50)})"
            f" {{ d.dispatchEvent(new CustomEvent('flush', {{detail: q.splice(0)}})); }} }}\n"
        )
    parts.append("})(window, document);\n")
    return "".join(parts)


def make_page(
    maker: al.TextMaker, index: int, language: str, charset: str | None
) -> tuple[str, list[str]]:
    """One page's markup and its article paragraphs."""
    rng = maker.rng
    en = language == "en"
    title = maker.en_sentence()[:80] if en else maker.zh_sentence()[:30]
    date = f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    nav = NAV_EN if en else NAV_ZH
    paras = maker.paragraphs(language, rng.randint(2500, 6000) if en else rng.randint(1200, 3000))
    paras = [p for p in paras if len(p) > 40]
    head = ""
    if charset == "gbk":
        head += '<meta http-equiv="Content-Type" content="text/html; charset=gbk">\n'
    elif charset == "utf-8":
        head += '<meta charset="utf-8">\n'
    url = f"https://news.example.org/{date.replace('-', '/')}/story-{index:04d}.html"
    head += (
        f"<title>{title} | {'Example Daily' if en else '示例日报'}</title>\n"
        f'<link rel="canonical" href="{url}">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:url" content="{url}">\n'
        f'<meta name="description" content="{paras[0][:120]}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>\n{css(rng, rng.randint(2000, 5000))}</style>\n"
        f"<script>\n{script(rng, rng.randint(1500, 4000))}</script>\n"
    )
    links = "\n".join(
        f'<li class="nav-item"><a href="/{i}/{word.lower()}">{word}</a></li>'
        for i, word in enumerate((nav * 2)[:40])
    )
    body_parts = [f"<h1>{title}</h1>", f'<div class="byline"><time datetime="{date}">{date}</time>']
    body_parts.append(
        f" {'By staff reporter' if en else '本报记者'} {rng.randint(1, 99)}</div>"
        if en
        else f" {'本报记者'}{rng.choice('王李张刘陈杨赵黄周吴')}某</div>"
    )
    for i, para in enumerate(paras):
        if i == len(paras) // 2 and rng.random() < 0.5:
            body_parts.append(
                f"<h2>{maker.en_sentence()[:60] if en else maker.zh_sentence()[:16]}</h2>"
            )
        if i == 2 and rng.random() < 0.3:
            body_parts.append(f"<blockquote><p>{para}</p></blockquote>")
        else:
            body_parts.append(f"<p>{para}</p>")
    if rng.random() < 0.3:
        cells = "".join(
            f"<tr><td>{2015 + r}</td><td>{rng.randint(100, 9999)}</td>"
            f"<td>{rng.randint(1, 99)}%</td></tr>"
            for r in range(6)
        )
        body_parts.append(f"<table><tr><th>Year</th><th>N</th><th>%</th></tr>{cells}</table>")
    related = "\n".join(
        f'<li><a href="/related/{rng.randrange(10**5)}">'
        f"{maker.en_sentence()[:50] if en else maker.zh_sentence()[:14]}</a></li>"
        for _ in range(15)
    )
    comments = "\n".join(
        f'<div class="comment"><span class="user">user{rng.randrange(10**4)}</span>'
        f"<p>{maker.en_sentence() if en else maker.zh_sentence()}</p></div>"
        for _ in range(5)
    )
    footer_links = " | ".join(f'<a href="/about/{w.lower()}">{w}</a>' for w in nav[-12:])
    markup = (
        f'<!DOCTYPE html>\n<html lang="{"en" if en else "zh-CN"}">\n<head>\n{head}</head>\n'
        f'<body>\n<header><div class="logo"><a href="/">{"Example Daily" if en else "示例日报"}'
        f'</a></div>\n<nav class="main-nav"><ul>\n{links}\n</ul></nav></header>\n'
        f'<div class="container"><main>\n<article class="story">\n'
        + "\n".join(body_parts)
        + '\n</article>\n<section class="comments"><h3>'
        + ("Comments" if en else "评论")
        + f"</h3>\n{comments}\n</section>\n</main>\n"
        f'<aside class="sidebar"><h3>{"Related" if en else "相关阅读"}</h3><ul>\n{related}\n</ul>\n'
        f'<div class="ad" id="ad-{index}"><a href="https://ads.example.com/c?{index}">'
        f"{'Advertisement' if en else '广告'}</a></div>\n"
        f'<form class="newsletter"><label>{"Newsletter" if en else "订阅日报"}</label>'
        f'<input type="email" name="e"><button>OK</button></form></aside></div>\n'
        f"<footer><p>{footer_links}</p><p>&copy; 2025 {FOOTER_MARK[language]}. "
        f"{'Contact us' if en else '联系我们'}</p></footer>\n"
        f"<script>\n{script(rng, rng.randint(1000, 2500))}</script>\n</body>\n</html>\n"
    )
    return markup, paras


def corpus(count: int, seed: int) -> tuple[Path, list[Path], dict[str, Any]]:
    """The generated pages (made once and reused) and what each article holds."""
    folder = bl.DATA / f"html-{count}-s{seed}"
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
    truth: dict[str, Any] = {}
    files = []
    for i in range(count):
        language = "zh" if i % 2 else "en"
        encoding, charset = "utf-8", "utf-8"
        if language == "zh" and (i // 2) % 3 == 0:
            encoding = charset = "gbk"
            if (i // 2) % 12 == 0:
                charset = None  # GBK without a declaration: detected
        elif language == "en" and i % 10 == 0:
            charset = None
        markup, paras = make_page(maker, i, language, charset)
        path = folder / f"page-{i:04d}-{language}-{encoding}.html"
        path.write_bytes(markup.encode(encoding))
        files.append(path)
        truth[path.name] = {"language": language, "encoding": encoding, "paragraphs": paras}
    os.sync()
    truth_file.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    print(f"generated {count} pages in {time.perf_counter() - started:.1f} s")
    return folder, files, truth


def checker(files: list[Path], truth: dict[str, Any]) -> Any:
    by_sha = {hashlib.sha256(f.read_bytes()).hexdigest(): f.name for f in files}

    def check(case: Case, report: AnalyzeReport) -> dict[str, Any]:
        found = total = boiler = 0
        charsets: dict[str, int] = {}
        media: dict[str, int] = {}
        chars = 0
        with case.db.read() as conn:
            for row in conn.execute(select(documents.c.media_type)):
                media[row.media_type] = media.get(row.media_type, 0) + 1
            for row in conn.execute(select(extractions.c.charset)):
                charsets[str(row.charset)] = charsets.get(str(row.charset), 0) + 1
            for row in conn.execute(select(pages)):
                entry = truth[by_sha[row.document_sha256]]
                text = al.strip_space(row.text)
                chars += len(row.text)
                for para in entry["paragraphs"]:
                    total += 1
                    found += al.strip_space(para) in text
                lang = entry["language"]
                marks = (FOOTER_MARK[lang], NAV_MARK[lang])
                boiler += any(al.strip_space(m) in text for m in marks)
        return {
            "paragraph_recall": round(found / max(1, total), 4),
            "pages_with_boilerplate": boiler,
            "charsets": charsets,
            "media_types": media,
            "chars_per_page": round(chars / max(1, report.pages)),
        }

    return check


def extractor_variants(files: list[Path], truth: dict[str, Any], rounds: int = 5) -> dict[str, Any]:
    """``html.extract`` alone, in this process, as it is and with trafilatura's ``fast=True``
    (no fallback extractors: readability, jusText, the baseline), as an experiment.
    CPU milliseconds per page (median and best of ``rounds`` alternating passes) and what the
    text keeps."""
    from indicia.extract import html as htmlmod

    real_bare = htmlmod.trafilatura.bare_extraction

    def fast_bare(*args: Any, **kwargs: Any) -> Any:
        return real_bare(*args, fast=True, **kwargs)

    variants: list[tuple[str, Any]] = [("as is", real_bare), ("trafilatura fast=True", fast_bare)]
    out: dict[str, Any] = {}
    htmlmod.extract(files[0], "text/html")
    passes: dict[str, list[float]] = {label: [] for label, _ in variants}
    texts: dict[str, list[str]] = {}
    try:
        for _ in range(rounds):  # alternating, CPU time: this VM's speed drifts between passes
            for label, bare_fn in variants:
                htmlmod.trafilatura.bare_extraction = bare_fn
                started = time.process_time()
                texts[label] = [htmlmod.extract(f, "text/html").pages[0].text for f in files]
                passes[label].append(time.process_time() - started)
    finally:
        htmlmod.trafilatura.bare_extraction = real_bare
    for label, _ in variants:
        found = total = boiler = 0
        for f, text in zip(files, texts[label], strict=True):
            entry = truth[f.name]
            flat = al.strip_space(text)
            for para in entry["paragraphs"]:
                total += 1
                found += al.strip_space(para) in flat
            marks = (FOOTER_MARK[entry["language"]], NAV_MARK[entry["language"]])
            boiler += any(al.strip_space(m) in flat for m in marks)
        out[label] = {
            "cpu_ms_per_page_median": round(
                1000 * statistics.median(passes[label]) / len(files), 3
            ),
            "cpu_ms_per_page_best": round(1000 * min(passes[label]) / len(files), 3),
            "paragraph_recall": round(found / max(1, total), 4),
            "pages_with_boilerplate": boiler,
        }
        print(
            f"  html.extract, {label:<24} CPU {out[label]['cpu_ms_per_page_median']:6.2f} "
            f"ms/page (median of {rounds}; best {out[label]['cpu_ms_per_page_best']:.2f}), "
            f"paragraph recall {out[label]['paragraph_recall']:.1%}, "
            f"{boiler} pages with boilerplate"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="HTML pages (300)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="runs with default workers (3)")
    parser.add_argument("--repeat-single", type=int, default=2, help="runs with 1 worker (2)")
    parser.add_argument("--no-split", action="store_true", help="skip the per-stage split")
    parser.add_argument("--profile", action="store_true", help="cProfile one in-process pass")
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="also time experimental changes (3 workers) in this process",
    )
    parser.add_argument(
        "--delete-data", action="store_true", help="remove the generated pages afterwards"
    )
    args = parser.parse_args()

    env = bl.environment()
    folder, files, truth = corpus(args.pages, args.seed)
    sizes = sorted(f.stat().st_size for f in files)
    size = sum(sizes)
    print(
        f"corpus: {len(files)} pages, {size / bl.MB:.1f} MB in {folder} "
        f"(min {sizes[0] / 1024:.1f} KiB, median {sizes[len(sizes) // 2] / 1024:.1f} KiB, "
        f"max {sizes[-1] / 1024:.1f} KiB)"
    )
    check = checker(files, truth)
    cores = os.cpu_count() or 1
    default_runs = [
        al.timed_analyze(files, f"extract-html-{i}", check=check if i == 0 else None)
        for i in range(args.repeat)
    ]
    checked = default_runs[0].checked
    print(
        f"check: paragraph recall {checked['paragraph_recall']:.1%}, "
        f"{checked['pages_with_boilerplate']} pages with nav/footer text; charsets "
        f"{checked['charsets']}; media types {checked['media_types']}; "
        f"{checked['chars_per_page']} chars/page"
    )
    default = al.summarise_runs(default_runs, len(files))
    al.print_runs("analyze, default workers", default)
    single_runs = [
        al.timed_analyze(files, f"extract-html-w1-{i}", workers=1)
        for i in range(args.repeat_single)
    ]
    single = al.summarise_runs(single_runs, len(files)) if single_runs else None
    if single:
        al.print_runs("analyze, INDICIA_WORKERS=1", single)
    startup = al.startup_cost(files[0], "extract-html-startup")
    fixed = startup["wall"]["median_s"]
    net = len(files) / max(1e-9, default["wall"]["median_s"] - fixed)
    print(
        f"fixed cost of one analyze call on a 1-document case: {fixed:.2f} s (median); "
        f"default workers without it: {net:.1f} pages/s"
    )
    result: dict[str, Any] = {
        "benchmark": "extract_html",
        "environment": env,
        "params": vars(args),
        "corpus": {"folder": str(folder), "pages": len(files), "bytes": size, "check": checked},
        "target_pages_per_s": TARGET_PER_CORE * cores,
        "default_workers": default,
        "one_worker": single,
        "startup": startup,
        "default_workers_pages_per_s_without_fixed_cost_median": round(net, 1),
    }
    if not args.no_split:
        from indicia.extract import html as htmlmod

        wraps: list[al.Wrap] = [
            (htmlmod, "decode_bytes", "decode (charset)"),
            (htmlmod.xmlsafe, "refuse_entity_declarations", "entity-declaration check"),
            (htmlmod.lxml_html, "document_fromstring", "lxml parse"),
            (htmlmod.trafilatura, "bare_extraction", "trafilatura bare_extraction"),
        ]
        prof = bl.OUT / "extract_html.prof" if args.profile else None
        split = al.stage_split(files, "extract-html-split", wraps, prof)
        result["split"] = split
        al.print_split(split)
        if prof:
            print(f"profile: {prof} (top functions in {prof}.txt)")
    if args.what_if:
        print("what if (in this process, one core):")
        result["extractor_variants"] = extractor_variants(files, truth)
        result["what_if"] = al.what_if_runs(
            files, "extract-html-whatif", len(files), max(1, args.repeat_single)
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
    print(f"result: {bl.write_result('extract_html', result)}")


if __name__ == "__main__":
    main()
