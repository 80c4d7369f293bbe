"""Benchmark: quantity extraction speed on generated mixed en/zh text (target well over 5 MB/s).

Run (from the repository root):

    .venv/bin/python bench/quantities.py                # 20 MB of text
    .venv/bin/python bench/quantities.py --mb 2         # quick smoke run

The text is generated here, seeded: passages of 150-600 characters, half English and half
Chinese, built from filler sentences (pseudo-words for English; Han characters drawn uniformly
from the first 2,500 of the URO block for Chinese, which holds many numeral and unit characters,
so the Chinese filler is denser in candidate numerals than real prose) with a sentence that
carries a quantity or a trap (money, areas, years, percentages) for about 12% of sentences, so
most passages hold one or more. One extractor scans every passage on one core. Throughput is
UTF-8 megabytes (10^6 bytes) of passage text per second, best of ``--repeat`` runs, by process
CPU time (the figure per core; robust to other load on the machine) and by wall time. Nothing is
written to disk.
"""

from __future__ import annotations

import argparse
import random
import time

from indicia.detect.quantities import QuantityExtractor

EN_QUANTITIES = [
    "More than {n:,} surplus labourers were transferred to factories in {place}.",
    "The county plans to send {n:,} workers by the end of the year.",
    "Some {m} million people were detained in camps.",
    "Between {n:,} and {n2:,} Uyghurs were employed in the plant.",
    "The programme trained {n:,} residents in {w} skills.",
    "The company paid {n:,} yuan for {w} equipment and leased {n2:,} hectares.",
    "In {year} the share rose to {p}% of output.",
]
ZH_QUANTITIES = [
    "全年共转移农村富余劳动力{a}万余人，其中建档立卡贫困户{n}户。",
    "计划培训{n}人次，力争实现就业{a}万人。",
    "近{a}千名工人被安置到{place}的工厂。",
    "投入资金{a}万元，流转土地{n}亩，带动{a}个村。",
    "{year}年{month}月，该县组织三四万人外出务工。",
]
PLACES = ["Anhui", "Guangdong", "Fujian", "Jiangsu", "Hotan", "Kashgar"]
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]


def english_filler(rng: random.Random, words: list[str]) -> str:
    n = rng.randint(8, 20)
    text = " ".join(rng.choices(words, k=n))
    return text.capitalize() + ". "


def chinese_filler(rng: random.Random) -> str:
    return "".join(rng.choices(HAN, k=rng.randint(10, 30))) + rng.choice("，。")


def passage(rng: random.Random, words: list[str], zh: bool) -> str:
    target = rng.randint(150, 600)
    parts: list[str] = []
    length = 0
    while length < target:
        if rng.random() < 0.12:
            template = rng.choice(ZH_QUANTITIES if zh else EN_QUANTITIES)
            part = template.format(
                n=rng.randint(50, 90000),
                n2=rng.randint(90001, 200000),
                m=rng.choice(["1.6", "2", "one", "three"]),
                a=rng.randint(1, 9),
                p=rng.randint(1, 99),
                year=rng.randint(2010, 2022),
                month=rng.randint(1, 12),
                w=rng.choice(words),
                place=rng.choice(PLACES),
            )
        else:
            part = chinese_filler(rng) if zh else english_filler(rng, words)
        parts.append(part)
        length += len(part)
    return "".join(parts)


def corpus(megabytes: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    syllables = ["ka", "to", "ri", "ne", "mo", "sa", "lu", "vi", "de", "pa", "in", "or", "es"]
    words = ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(3000)]
    words += ["the", "of", "and", "to", "one", "ten", "over", "workers", "people", "a", "in"]
    texts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        text = passage(rng, words, zh=rng.random() < 0.5)
        texts.append(text)
        size += len(text.encode("utf-8"))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text (UTF-8)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    texts = corpus(args.mb, args.seed)
    size = sum(len(t.encode("utf-8")) for t in texts)
    extractor = QuantityExtractor()
    best_cpu = best_wall = float("inf")
    found = 0
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        found = sum(len(extractor.find(text)) for text in texts)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(
        f"{len(texts):,} passages, {size / 1e6:.1f} MB, {found:,} quantities (lang=None): "
        f"{size / 1e6 / best_cpu:.1f} MB/s per core by CPU time, "
        f"{size / 1e6 / best_wall:.1f} MB/s by wall time (best of {args.repeat})"
    )


if __name__ == "__main__":
    main()
