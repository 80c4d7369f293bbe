"""Shared helpers for the analyze benchmarks (``extract_pdf.py``, ``extract_html.py``,
``ocr.py``); not a benchmark itself.

* Seeded text generators: English sentences from a fixed word list (function words included,
  so the language rules call them ``en``), Simplified Chinese from the 3,755 GB2312 level-1
  characters with a skew towards the commonest ones (so every character is in GBK and in
  WenQuanYi Micro Hei), and forced-labour phrases planted in both.
* :func:`timed_analyze`: a fresh case holding the given files (intake is not timed), then the
  extract stage of ``case.analyze()`` (``run_extract``; detection, which follows it, is not
  extraction and is left out) timed alone, with the CPU seconds of this process (the single
  writer) and of the worker processes.
* :func:`stage_split`: the same documents through ``analyze_document`` in this process, every
  step timed, then stored by the extract stage's own writer, optionally under cProfile.
"""

from __future__ import annotations

import cProfile
import functools
import gc
import pickle
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Any

import psutil

import benchlib as bl
from indicia import Case
from indicia.analyze.stage import AnalyzeReport
from indicia.settings import get_settings

# -- text ------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The space-separated words of ``text``."""
    return text.split()


EN_FUNCTION = words(
    "the of and to a in that is was for it with as on be by at this had not are but from or "
    "have an they which one you were all we her she there would their will when who him been "
    "has more if no out so what up can about into than them its only other new some could these "
    "two may then do first any my now such like our over also did most after where"
)
EN_CONTENT = words(
    "workers labour factory county township government village training programme report people "
    "year work time company plan policy employment transfer province official notice family "
    "wages contract dormitory management production cotton textile garment farmers rural "
    "surplus poverty education school camp centre security police office committee party "
    "members cadres households income market supply chain brand buyer audit evidence document "
    "source record statement interview witness testimony pressure quota target assignment "
    "organised collective transport train bus city region local state central national public "
    "private industry sector enterprise park zone project investment output export import goods "
    "products shipment customs data figures numbers percent million thousand hundred month week "
    "day morning evening hours shift overtime leave permission identity card passport phone "
    "freedom movement religion language culture tradition youth women men children parents "
    "elderly health medical hospital food housing water land crops harvest season agriculture "
    "livestock mining mine steel solar polysilicon aluminium electronics assembly line "
    "supervisor manager director leader secretary meeting conference campaign mobilisation "
    "propaganda ideology study sessions lessons mandarin skills certificate vocational standard "
    "quality inspection safety risk compliance law regulation rule article clause section "
    "paragraph annex table chart analysis research study survey sample method result finding "
    "conclusion question answer said told asked reported found showed stated claimed denied "
    "confirmed described noted required allowed forced sent moved returned joined left received "
    "paid withheld recorded published posted deleted archived collected translated reviewed "
    "verified matched large small high low long short early late recent former current "
    "different similar important serious strict closed open voluntary mandatory official "
    "internal external several many few each every both either neither another same own other "
    "whole entire"
)
EN_PHRASES = (
    "forced labour",
    "withholding of wages",
    "debt bondage",
    "closed management",
    "surplus labour",
    "labour transfer",
    "political education",
    "not allowed to leave",
)
ZH_PHRASES = (
    "强迫劳动",
    "转移就业",
    "富余劳动力",
    "封闭式管理",
    "思想教育",
    "扣押身份证",
    "军事化管理",
    "集中统一管理",
)
ZH_FREQUENT = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海"
    "口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身"
    "车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石"
    "记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青"
    "省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型"
    "眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
)


def gb2312_level1() -> list[str]:
    """The 3,755 GB2312 level-1 (commonest) Han characters, in code order."""
    chars = []
    for row in range(0xB0, 0xD8):
        for col in range(0xA1, 0xFF):
            try:
                ch = bytes((row, col)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.append(ch)
    return chars


class TextMaker:
    """Seeded generator of English and Simplified Chinese sentences and paragraphs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        words = EN_FUNCTION + EN_CONTENT
        # Zipf-like: the function words come first, so they make up about 40% of the words.
        self.en_words = words
        self.en_cum = list(accumulate(1 / (i + 4) ** 0.9 for i in range(len(words))))
        frequent = list(dict.fromkeys(ZH_FREQUENT))
        rest = [c for c in gb2312_level1() if c not in set(frequent)]
        self.zh_chars = frequent + rest
        weights = [1 / (i + 8) for i in range(len(frequent))]
        weights += [0.25 / len(frequent)] * len(rest)
        self.zh_cum = list(accumulate(weights))

    def en_sentence(self) -> str:
        rng = self.rng
        words = rng.choices(self.en_words, cum_weights=self.en_cum, k=rng.randint(6, 24))
        if rng.random() < 0.15:
            words.insert(rng.randrange(len(words)), rng.choice(EN_PHRASES))
        if rng.random() < 0.15:
            words.insert(rng.randrange(len(words)), str(rng.choice((rng.randint(2, 999), 2019))))
        if len(words) > 10 and rng.random() < 0.4:
            cut = rng.randrange(3, len(words) - 3)
            words[cut] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + ("?" if rng.random() < 0.03 else ".")

    def zh_sentence(self) -> str:
        rng = self.rng
        n = rng.randint(12, 45)
        chars = rng.choices(self.zh_chars, cum_weights=self.zh_cum, k=n)
        if rng.random() < 0.2:
            chars.insert(rng.randrange(len(chars)), rng.choice(ZH_PHRASES))
        if rng.random() < 0.1:
            chars.insert(rng.randrange(len(chars)), f"{rng.randint(2012, 2024)}年")
        out, since = [], 0
        for ch in chars:
            out.append(ch)
            since += len(ch)
            if since >= rng.randint(6, 16):
                out.append(rng.choice("，，，、"))
                since = 0
        if out[-1] in "，、":
            out.pop()
        return "".join(out) + rng.choice("。。。。。；！")

    def paragraph(self, language: str, chars: int) -> str:
        """Sentences of ``language`` (``en`` or ``zh``) up to about ``chars`` characters."""
        make = self.en_sentence if language == "en" else self.zh_sentence
        joiner = " " if language == "en" else ""
        parts: list[str] = []
        size = 0
        while size < chars:
            sentence = make()
            parts.append(sentence)
            size += len(sentence) + len(joiner)
        return joiner.join(parts)

    def paragraphs(self, language: str, total: int, other_share: float = 0.0) -> list[str]:
        """Paragraphs of 150-700 (en) or 60-300 (zh) characters adding up to about ``total``;
        with probability ``other_share`` a paragraph is in the other language."""
        rng = self.rng
        out: list[str] = []
        size = 0
        while size < total:
            lang = language
            if rng.random() < other_share:
                lang = "zh" if language == "en" else "en"
            low, high = (150, 700) if lang == "en" else (60, 300)
            para = self.paragraph(lang, min(rng.randint(low, high), total - size + 20))
            out.append(para)
            size += len(para)
        return out


def strip_space(text: str) -> str:
    """``text`` without any whitespace (for comparing extracted text with what was drawn)."""
    return "".join(text.split())


# -- timing case.analyze() ---------------------------------------------------------------------


def _busy() -> float:
    """Busy CPU seconds of the whole machine since boot (all CPUs, idle and iowait excluded)."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@dataclass
class AnalyzeRun:
    """One timed ``case.analyze()``."""

    workers: int
    wall_s: float
    parent_cpu_s: float
    """CPU seconds of this process during analyze: the pool's dispatcher and the single writer."""
    worker_cpu_s: float
    """CPU seconds of the worker processes (all of them, start-up included)."""
    report: AnalyzeReport
    intake_s: float
    other_cpu_s: float
    """CPU seconds the rest of the machine used meanwhile (busy time of all CPUs minus ours):
    above a few tenths of a second, another workload competed with the run."""
    writer_s: float
    """Wall seconds this process spent in the stage's batch writes (the pool's dispatcher thread
    keeps the workers busy meanwhile)."""
    writes: int
    checked: dict[str, Any] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        r = self.report
        return {
            "workers": self.workers,
            "wall_s": round(self.wall_s, 4),
            "parent_cpu_s": round(self.parent_cpu_s, 3),
            "worker_cpu_s": round(self.worker_cpu_s, 3),
            "documents": r.extracted,
            "failed": r.failed,
            "pages": r.pages,
            "passages": r.passages,
            "intake_s_untimed": round(self.intake_s, 3),
            "other_cpu_s": round(self.other_cpu_s, 2),
            "writer_s": round(self.writer_s, 3),
            "writes": self.writes,
            **self.checked,
        }


def timed_analyze(
    files: Sequence[Path],
    name: str,
    workers: int | None = None,
    check: Callable[[Case, AnalyzeReport], dict[str, Any]] | None = None,
    keep: bool = False,
) -> AnalyzeRun:
    """Create a fresh case, take ``files`` in (not timed) and time its extract stage.

    ``workers`` overrides ``INDICIA_WORKERS`` (``None``: the default, one per core). ``check``
    is called on the case after the timed part, for counts or accuracy.
    """
    from indicia.analyze import stage

    settings = get_settings()
    if workers is not None:
        settings = replace(settings, workers=workers)
    path = bl.fresh_case_path(name)
    writer = "_flush" if hasattr(stage, "_flush") else "_write"
    original_writer = getattr(stage, writer)
    spent = [0.0, 0]

    def timed_writer(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original_writer(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - began
            spent[1] += 1

    setattr(stage, writer, timed_writer)
    try:
        with Case.create(path, settings=settings) as case:
            started = time.perf_counter()
            intake = case.add(files)
            intake_s = time.perf_counter() - started
            if not intake.ok or intake.count("added") != len(files):
                raise RuntimeError(f"intake: {intake.summary()} {intake.failed[:3]}")
            gc.collect()
            self0, children0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
            busy0 = _busy()
            started = time.perf_counter()
            # The extract stage of case.analyze() (worker start-up, extraction, text layer,
            # index, writes, custody events); detection, which case.analyze() runs after it,
            # is not extraction and is not timed here.
            report = stage.run_extract(
                case.db, case.blobs, case.settings, after_commit=case._write_head
            )
            wall = time.perf_counter() - started
            busy1 = _busy()
            self1, children1 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
            if report.failed:
                raise RuntimeError(f"analyze failed on {report.failed}: {report.failures[:3]}")
            checked = check(case, report) if check else {}
    finally:
        setattr(stage, writer, original_writer)
        if not keep:
            bl.remove(path)
    ours = (self1 - self0) + (children1 - children0)
    return AnalyzeRun(
        settings.workers,
        wall,
        self1 - self0,
        children1 - children0,
        report,
        intake_s,
        max(0.0, (busy1 - busy0) - ours),
        spent[0],
        int(spent[1]),
        checked,
    )


def summarise_runs(runs: Sequence[AnalyzeRun], pages: int) -> dict[str, Any]:
    """Best and median wall time and pages/s over runs of the same kind."""
    times = [r.wall_s for r in runs]
    per_s = bl.rates(pages, times)
    workers = runs[0].workers
    return {
        "workers": workers,
        "wall": bl.summarise(times),
        "pages_per_s": {k: round(v, 1) for k, v in per_s.items()},
        "pages_per_s_per_worker": {k: round(v / workers, 1) for k, v in per_s.items()},
        "worker_cpu_ms_per_page": round(
            1000 * statistics.median(r.worker_cpu_s for r in runs) / pages, 3
        ),
        "parent_cpu_ms_per_page": round(
            1000 * statistics.median(r.parent_cpu_s for r in runs) / pages, 3
        ),
        "writer_s_median": round(statistics.median(r.writer_s for r in runs), 3),
        "runs": [r.json() for r in runs],
    }


def print_runs(label: str, summary: dict[str, Any], unit: str = "pages/s") -> None:
    wall, rate = summary["wall"], summary["pages_per_s"]
    print(
        f"{label} ({summary['workers']} worker(s)): wall best {wall['best_s']:.2f} s, "
        f"median {wall['median_s']:.2f} s -> {rate['best']:.1f} / {rate['median']:.1f} {unit} "
        f"(best / median), {summary['pages_per_s_per_worker']['best']:.1f} per worker; "
        f"CPU per page: workers {summary['worker_cpu_ms_per_page']:.2f} ms, "
        f"parent {summary['parent_cpu_ms_per_page']:.2f} ms; batch writes "
        f"{summary['writer_s_median']:.2f} s of the wall time; other load during the runs "
        + ", ".join(f"{r['other_cpu_s']:.1f}" for r in summary["runs"])
        + " CPU-s"
    )


# -- per-stage split, in one process -------------------------------------------------------------


class Timers:
    """Seconds and calls per label."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = {}

    def add(self, label: str, seconds: float) -> None:
        entry = self.totals.setdefault(label, [0.0, 0])
        entry[0] += seconds
        entry[1] += 1

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(label, time.perf_counter() - started)

        return timed

    def seconds(self, label: str) -> float:
        return self.totals.get(label, [0.0, 0])[0]


Wrap = tuple[Any, str, str]
"""(object, attribute, label): a function to time wherever it is looked up as ``object.attr``."""


def stage_split(
    files: Sequence[Path],
    name: str,
    wraps: Sequence[Wrap] = (),
    profile: Path | None = None,
    warmup: Path | None = None,
) -> dict[str, Any]:
    """Per-stage seconds for ``files`` in this process (one core): extraction, each step of the
    text layer, pickling (what the pool's pipe costs) and the database write.

    ``wraps`` adds finer timers inside the extractor (they are part of "extract"). The
    ``warmup`` file (default: the first document) is analysed untimed first, so that imports
    and one-off table loading are not counted.
    """
    import indicia.analyze.document as docmod
    from indicia.analyze import stage
    from indicia.collect.sniff import sniff
    from indicia.extract import registry

    settings = get_settings()
    path = bl.fresh_case_path(name)
    timers = Timers()
    patched: list[tuple[Any, str, Any]] = []

    def patch(obj: Any, attr: str, label: str) -> None:
        original = getattr(obj, attr)
        patched.append((obj, attr, original))
        setattr(obj, attr, timers.wrap(label, original))

    try:
        with Case.create(path, settings=settings) as case:
            case.add(files)
            docs = [
                (case.blobs.path_for(d.sha256), d.media_type, d.sha256) for d in case.documents()
            ]
            began = time.perf_counter()
            if warmup is None:
                docmod.analyze_document(docs[0][0], docs[0][1])  # warm-up: imports
            else:
                docmod.analyze_document(warmup, sniff(warmup)[0])
            first_doc_s = time.perf_counter() - began
            # The OpenCC variant tables and the search-form table are built on first use, once
            # per process (so once per worker per analyze call): timed here, not in the stages.
            began = time.perf_counter()
            docmod.detect("戰爭與和平")
            variants_s = time.perf_counter() - began
            began = time.perf_counter()
            docmod.search_form("戰爭與和平")
            search_table_s = time.perf_counter() - began

            def extractor_for(media_type: str) -> tuple[str, Any]:
                label, fn = registry.extractor_for(media_type)
                return label, timers.wrap("extract", fn)

            patched.append((docmod, "extractor_for", docmod.extractor_for))
            docmod.extractor_for = extractor_for  # type: ignore[assignment]
            patch(docmod, "detect", "text: language detection (page + each passage)")
            patch(docmod, "passages", "text: segmentation into passages")
            patch(docmod, "search_form", "text: search form")
            patch(docmod, "index_text", "text: index tokens")
            patch(docmod, "text_sha256", "text: page SHA-256")
            for obj, attr, label in wraps:
                patch(obj, attr, "  extract: " + label)

            results = []
            started = time.perf_counter()
            for file, media_type, sha in docs:
                results.append((sha, docmod.analyze_document(file, media_type)))
            analyze_s = time.perf_counter() - started
            for obj, attr, original in reversed(patched):
                setattr(obj, attr, original)
            patched.clear()

            started = time.perf_counter()
            for _, result in results:
                pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            pickle_s = time.perf_counter() - started

            pages = sum(len(r.pages) for _, r in results)
            passages = sum(r.passage_count for _, r in results)
            write_s = 0.0
            commits = 0
            for start in range(0, len(results), stage.BATCH):
                batch = list(results[start : start + stage.BATCH])
                began = time.perf_counter()
                if hasattr(stage, "_flush"):  # children first, then the batch
                    stage._flush(case.db, case.blobs, settings, batch, case._write_head)  # type: ignore[arg-type]
                else:
                    stage._write(case.db, settings.actor, batch, case._write_head)  # type: ignore[arg-type]
                write_s += time.perf_counter() - began
                commits += 1

            prof_s = None
            if profile is not None:
                profiler = cProfile.Profile()
                began = time.perf_counter()
                profiler.enable()
                for file, media_type, _ in docs:
                    docmod.analyze_document(file, media_type)
                profiler.disable()
                prof_s = time.perf_counter() - began
                profiler.dump_stats(str(profile))
                profile.with_suffix(profile.suffix + ".txt").write_text(
                    bl.profile_text(profile, 30), encoding="utf-8"
                )
    finally:
        for obj, attr, original in reversed(patched):
            setattr(obj, attr, original)
        bl.remove(path)

    def row(seconds: float, calls: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "seconds": round(seconds, 4),
            "ms_per_page": round(1000 * seconds / pages, 4),
            "share_of_total": round(seconds / (analyze_s + write_s), 4),
        }
        if calls is not None:
            out["calls"] = calls
        return out

    text_labels = [k for k in timers.totals if k.startswith("text: ")]
    text_s = sum(timers.seconds(k) for k in text_labels)
    extract_s = timers.seconds("extract")
    stages: dict[str, Any] = {"extract": row(extract_s, int(timers.totals["extract"][1]))}
    for label, (seconds, calls) in timers.totals.items():
        if label.startswith("  extract: "):
            stages[label] = row(seconds, int(calls))
    stages["text layer (all)"] = row(analyze_s - extract_s)
    for label in text_labels:
        stages["  " + label] = row(timers.seconds(label), int(timers.totals[label][1]))
    stages["  text: rest of analyze_document (loop, records)"] = row(analyze_s - extract_s - text_s)
    stages["database write (stage._flush, batches of 32)"] = row(write_s, commits)
    total_s = analyze_s + write_s
    return {
        "documents": len(docs),
        "pages": pages,
        "passages": passages,
        "analyze_document_s": round(analyze_s, 4),
        "write_s": round(write_s, 4),
        "pickle_roundtrip_s": round(pickle_s, 4),
        "pickle_ms_per_page": round(1000 * pickle_s / pages, 4),
        "one_process_pages_per_s": round(pages / total_s, 1),
        "stages": stages,
        "profiled_s": None if prof_s is None else round(prof_s, 3),
        "one_off_per_process_s": {
            "warm_up_document_incl_imports": round(first_doc_s, 4),
            "opencc_variant_tables": round(variants_s, 4),
            "search_form_table": round(search_table_s, 4),
        },
    }


def print_split(split: dict[str, Any]) -> None:
    print(
        f"per-stage split in one process ({split['documents']} documents, {split['pages']} "
        f"pages, {split['passages']} passages): {split['one_process_pages_per_s']:.1f} pages/s "
        "for analyze_document + write"
    )
    for label, entry in split["stages"].items():
        print(
            f"  {label:<52} {entry['ms_per_page']:8.3f} ms/page  "
            f"{100 * entry['share_of_total']:5.1f}%"
        )
    print(
        f"  (not in the total: pickle round trip of the results {split['pickle_ms_per_page']:.3f}"
        " ms/page; one-off per worker process: "
        + ", ".join(f"{k} {v:.3f} s" for k, v in split["one_off_per_process_s"].items())
        + ")"
    )


def startup_cost(file: Path, name: str, repeat: int = 2) -> dict[str, Any]:
    """Wall time of ``case.analyze()`` on a case of one small document: mostly starting the
    worker process(es) and importing the extractor and text tables."""
    runs = [timed_analyze([file], f"{name}-{i}") for i in range(repeat)]
    return {
        "file": file.name,
        "wall": bl.summarise([r.wall_s for r in runs]),
        "worker_cpu_s": [round(r.worker_cpu_s, 3) for r in runs],
    }


WHAT_IF: tuple[tuple[str, dict[str, Any]], ...] = (
    ("3 workers on 2 cores (INDICIA_WORKERS=3)", {"workers": 3}),
)


def what_if_runs(files: Sequence[Path], name: str, pages: int, repeat: int) -> dict[str, Any]:
    """Timed ``case.analyze()`` runs under the experimental changes in :data:`WHAT_IF`."""
    out: dict[str, Any] = {}
    for label, options in WHAT_IF:
        runs = [timed_analyze(files, f"{name}-{i}", **options) for i in range(repeat)]
        out[label] = summarise_runs(runs, pages)
        print_runs("what if: " + label, out[label])
    return out
