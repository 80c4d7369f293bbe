"""Benchmark: detection throughput, MB/s of passage text on one core (target >= 20 MB/s for the
lexicon stage).

Run (from the repository root):

    .venv/bin/python bench/detect.py                 # 8 MB of text
    .venv/bin/python bench/detect.py --mb 2          # quick run

The text is generated here, seeded: 50% English passages (250-700 characters of Zipf-drawn
words), 45% Chinese (100-350 characters of Zipf-drawn frequent characters), 5% mixed, with a
domain phrase planted in about 10% of passages (the same phrase lists as bench/search.py), so
that rules, cue sets and polarity are exercised, not only the scan. Each stage is timed over
the whole corpus on one core, three times; the median is reported:

* ``scan``: the Hyperscan pass over the search form (the multi-pattern matcher alone);
* ``lexicon stage``: search form + scan + rule evaluation + polarity (``Detector`` without
  quantities), which is what the >= 20 MB/s target is about;
* ``quantities``: the quantity extractor alone;
* ``detect``: everything ``Detector.detect`` does.

Results: ``bench/out/detect.json``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import benchlib as bl
from analyzelib import EN_CONTENT, EN_FUNCTION, EN_PHRASES, ZH_FREQUENT, ZH_PHRASES
from indicia.detect.detector import Detector
from indicia.text.normalise import search_form


class _NoQuantities:
    fingerprint = "none"

    def find(self, text: str, lang: str | None = None, *, form: str | None = None) -> list[Any]:
        return []


def corpus(megabytes: float, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    en_words = EN_FUNCTION * 3 + EN_CONTENT
    zh_chars = list(ZH_FREQUENT)
    weights = [1 / (i + 1) for i in range(len(zh_chars))]
    out: list[tuple[str, str]] = []
    size = 0
    while size < megabytes * bl.MB:
        kind = rng.random()
        if kind < 0.5:
            text = " ".join(rng.choices(en_words, k=rng.randint(45, 120))).capitalize() + "."
            lang = "en"
            if rng.random() < 0.1:
                cut = rng.randint(0, len(text) - 1)
                cut = text.rfind(" ", 0, cut) + 1
                text = text[:cut] + rng.choice(EN_PHRASES) + " " + text[cut:]
        elif kind < 0.95:
            text = "".join(rng.choices(zh_chars, weights, k=rng.randint(100, 350))) + "。"
            lang = "zh"
            if rng.random() < 0.1:
                cut = rng.randint(0, len(text) - 1)
                text = text[:cut] + rng.choice(ZH_PHRASES) + text[cut:]
        else:
            text = (
                "".join(rng.choices(zh_chars, weights, k=80))
                + " "
                + " ".join(rng.choices(en_words, k=20))
            )
            lang = "zh"
        out.append((text, lang))
        size += len(text.encode("utf-8"))
    return out


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=8.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    passages = corpus(args.mb)
    megabytes = sum(len(t.encode("utf-8")) for t, _ in passages) / bl.MB
    started = time.perf_counter()
    full = Detector()
    build = time.perf_counter() - started
    lexicon_only = Detector(full.lexicons, full.polarity, _NoQuantities())  # type: ignore[arg-type]
    forms = [search_form(t) for t, _ in passages]
    stages: dict[str, Callable[[], object]] = {
        "scan": lambda: [full.matcher.scan(f) for f in forms],
        "lexicon stage": lambda: [lexicon_only.detect(t, lang) for t, lang in passages],
        "quantities": lambda: [full.quantities.find(t, lang) for t, lang in passages],
        "detect": lambda: [full.detect(t, lang) for t, lang in passages],
    }
    results: dict[str, Any] = {
        "environment": bl.environment(),
        "passages": len(passages),
        "megabytes": round(megabytes, 2),
        "patterns": len(full.matcher.patterns),
        "lexicons": len(full.lexicons.lexicons),
        "detector_build_seconds": round(build, 2),
        "stages": {},
    }
    findings = sum(len(full.detect(t, lang).findings) for t, lang in passages)
    results["findings"] = findings
    print(
        f"{len(passages):,} passages, {megabytes:.1f} MB, {results['patterns']} patterns in "
        f"{results['lexicons']} lexicons, {findings:,} findings; detector built in {build:.2f} s"
    )
    for name, fn in stages.items():
        times = timed(fn, args.repeat)
        median = statistics.median(times)
        results["stages"][name] = {
            "seconds": [round(t, 3) for t in times],
            "mb_per_s": round(megabytes / median, 1),
        }
        print(
            f"{name:14} {megabytes / median:7.1f} MB/s  (median of {args.repeat}: {median:.2f} s)"
        )
    print(f"results: {bl.write_result('detect', results)}")


if __name__ == "__main__":
    main()
