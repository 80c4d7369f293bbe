"""Benchmark: search latency on 1 million mixed en/zh passages in SQLite (target p95 < 50 ms).

Run (from the repository root):

    .venv/bin/python bench/search.py                    # 1,000,000 passages
    .venv/bin/python bench/search.py --passages 50000   # quick smoke run
    .venv/bin/python bench/search.py --keep --runs 3    # keep the case; time 3 passes
    .venv/bin/python bench/search.py --reuse --runs 3   # time the kept case again, no build

The corpus is generated here, seeded: 50% English passages (250-700 characters of Zipf-drawn
pseudo-words), 45% Chinese (100-350 characters of Zipf-drawn common characters), 5% mixed, with
domain phrases (forced labour, 强迫劳动, 转移就业, ...) planted in about 10% of passages. The
passages are written straight into a case's tables and full-text index (the same code path
that `analyze` uses to index), not through extraction. Queries: 1-3 terms of several kinds;
each kind is timed over N queries through `case.search()` with the default limit of 20, after
one warm-up pass; with ``--runs N`` the passes are repeated and each kind reports the median
of the runs' p50 and p95. ``--reuse`` times a case kept by ``--keep`` (same size and seed, index
built by the same rules) instead of building one. Results: `bench/out/search.json`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import time
from typing import Any

from sqlalchemy import insert, text

import benchlib as bl
from analyzelib import EN_PHRASES, ZH_PHRASES
from indicia import Case
from indicia.search.tokens import index_text
from indicia.store import fulltext
from indicia.store.schema import passages
from indicia.text.normalise import search_form

# Common Han characters (a contiguous block of frequent ones is not available offline, so draw
# from the URO with a Zipf weighting over a fixed shuffled order).
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = [
        "ka",
        "to",
        "ri",
        "ne",
        "mo",
        "sa",
        "lu",
        "vi",
        "de",
        "po",
        "an",
        "er",
        "in",
        "or",
        "us",
        "ta",
        "le",
        "mi",
        "go",
        "bu",
    ]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def zipf_weights(n: int) -> list[float]:
    return [1 / (i + 1) for i in range(n)]


def make_passages(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = vocabulary(rng, 25_000)
    han = HAN[:]
    rng.shuffle(han)
    # Cumulative weights once (choices() would sum 25,000 weights per call): same draws.
    w_en = list(itertools.accumulate(zipf_weights(len(words))))
    w_zh = list(itertools.accumulate(zipf_weights(len(han))))
    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.5:
            n = rng.randint(40, 110)
            text = " ".join(rng.choices(words, cum_weights=w_en, k=n))
            if rng.random() < 0.1:
                text += " " + rng.choice(EN_PHRASES) + " " + " ".join(rng.choices(words, k=5))
            out.append(text.capitalize() + ".")
        elif kind < 0.95:
            chars = rng.choices(han, cum_weights=w_zh, k=rng.randint(100, 350))
            if rng.random() < 0.1:
                chars.insert(rng.randint(0, len(chars)), rng.choice(ZH_PHRASES))
            out.append("".join(chars) + "。")
        else:
            out.append(
                " ".join(rng.choices(words, cum_weights=w_en, k=30))
                + " "
                + rng.choice(ZH_PHRASES)
                + "".join(rng.choices(han, cum_weights=w_zh, k=60))
                + "。"
            )
    return out


def build(case: Case, texts: list[str], chunk: int = 20_000) -> float:
    started = time.perf_counter()
    doc = case.documents()[0].sha256
    next_id = 0
    for start in range(0, len(texts), chunk):
        rows, index = [], []
        for body in texts[start : start + chunk]:
            next_id += 1
            rows.append(
                {
                    "id": next_id,
                    "document_sha256": doc,
                    "page_number": 1 + next_id // 50,
                    "start": 0,
                    "end": len(body),
                    "language": "und",
                    "script": "Zyyy",
                    "text": body,
                }
            )
            index.append((next_id, index_text(search_form(body))))
        with case.db.write() as conn:
            conn.execute(insert(passages), rows)
            fulltext.add(conn, index)
    with case.db.write() as conn:
        conn.exec_driver_sql("INSERT INTO passage_fts(passage_fts) VALUES ('optimize')")
    seconds = time.perf_counter() - started
    with case.db.read() as conn:  # so that the size measured is the database's, not its WAL's
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return seconds


def queries(texts: list[str], rng: random.Random, per_kind: int) -> dict[str, list[str]]:
    en_words: dict[str, int] = {}
    for t in texts[:20_000]:
        if t.isascii():
            for w in t.lower().strip(".").split():
                en_words[w] = en_words.get(w, 0) + 1
    ranked = sorted(en_words, key=en_words.__getitem__, reverse=True)
    zh = [t for t in texts[:20_000] if not t.isascii()]

    def zh_term(n: int) -> str:
        t = rng.choice(zh)
        i = rng.randrange(0, max(1, len(t) - n - 1))
        return t[i : i + n]

    return {
        "en common word": [rng.choice(ranked[:20]) for _ in range(per_kind)],
        "en medium word": [rng.choice(ranked[200:2000]) for _ in range(per_kind)],
        "en rare word": [rng.choice(ranked[-2000:]) for _ in range(per_kind)],
        "en 2 words": [
            f"{rng.choice(ranked[:500])} {rng.choice(ranked[:500])}" for _ in range(per_kind)
        ],
        "en 3 words": [" ".join(rng.sample(ranked[:300], 3)) for _ in range(per_kind)],
        "en phrase": [f'"{rng.choice(EN_PHRASES)}"' for _ in range(per_kind)],
        "zh 1 char": [zh_term(1) for _ in range(per_kind)],
        "zh 2 chars": [zh_term(2) for _ in range(per_kind)],
        "zh 3 chars": [zh_term(3) for _ in range(per_kind)],
        "zh 4 chars": [zh_term(4) for _ in range(per_kind)],
        "zh domain term": [rng.choice(ZH_PHRASES) for _ in range(per_kind)],
        "zh + en": [
            f"{rng.choice(ZH_PHRASES)} {rng.choice(ranked[:200])}" for _ in range(per_kind)
        ],
    }


def index_bytes(case: Case) -> int | None:
    """Bytes of the full-text index's tables (SQLite's dbstat), if the library offers it."""
    try:
        with case.db.read() as conn:
            value = conn.execute(
                text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'passage_fts%'")
            ).scalar()
    except Exception:  # dbstat is a compile-time option of SQLite
        return None
    return None if value is None else int(value)


def time_kinds(case: Case, kinds: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for kind, qs in kinds.items():
        for q in qs[:10]:
            case.search(q)
        times, hits = [], []
        for q in qs:
            started = time.perf_counter()
            found = case.search(q)
            times.append((time.perf_counter() - started) * 1000)
            hits.append(len(found))
        times.sort()
        out[kind] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
            "max_ms": round(times[-1], 2),
            "mean_hits": round(statistics.mean(hits), 1),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--runs", type=int, default=1, help="timed passes over all kinds")
    parser.add_argument("--keep", action="store_true", help="keep the case afterwards")
    parser.add_argument("--reuse", action="store_true", help="time a case kept by --keep")
    args = parser.parse_args()
    folder = bl.CASES / f"search-{args.passages}"
    marker = folder / "bench-search.json"
    identity = {"passages": args.passages, "seed": 42, "index": fulltext.index_version()}
    reuse = (
        args.reuse
        and marker.exists()
        and json.loads(marker.read_text(encoding="utf-8")) == identity
    )
    # Reusing, only the passages the queries are drawn from are needed (same seed, same draws).
    count = min(args.passages, 20_000) if reuse else args.passages
    print(f"generating {count:,} passages ...", flush=True)
    texts = make_passages(count, seed=42)
    result: dict[str, Any] = {
        "benchmark": "search",
        "environment": bl.environment(),
        "params": vars(args),
        "target_p95_ms": 50,
    }
    if reuse:
        print(f"reusing {folder}")
        case = Case.open(folder)
        result["build"] = json.loads((folder / "bench-build.json").read_text(encoding="utf-8"))
    else:
        if args.reuse:
            print(f"no reusable case at {folder}: building one")
        folder = bl.fresh_case_path(folder.name)
        seed_file = folder.parent / "search-seed.txt"
        seed_file.parent.mkdir(parents=True, exist_ok=True)
        seed_file.write_text("SYNTHETIC benchmark document\n", encoding="utf-8")
        case = Case.create(folder)
        case.add([seed_file])
        build_s = build(case, texts)
        result["build"] = {
            "seconds": round(build_s, 1),
            "database_bytes": sum(p.stat().st_size for p in folder.glob("case.db*")),
            "index_bytes": index_bytes(case),
            "text_bytes": sum(len(t.encode()) for t in texts),
        }
        (folder / "bench-build.json").write_text(json.dumps(result["build"]), encoding="utf-8")
        marker.write_text(json.dumps(identity), encoding="utf-8")
    build_info = result["build"]
    print(
        f"built in {build_info['seconds']:.1f} s; database "
        f"{bl.fmt_bytes(build_info['database_bytes'])}, full-text index "
        f"{bl.fmt_bytes(build_info['index_bytes'] or 0)}"
    )
    with case:
        kinds = queries(texts, random.Random(7), args.queries)
        runs = []
        for run in range(args.runs):
            runs.append(time_kinds(case, kinds))
            summary = ", ".join(f"{k} {v['p95_ms']:.1f}" for k, v in runs[-1].items())
            print(f"  run {run + 1}: p95 ms: {summary}", flush=True)
    result["runs"] = runs
    result["kinds"] = {}
    worst = 0.0
    for kind in kinds:
        p50 = statistics.median(r[kind]["p50_ms"] for r in runs)
        p95 = statistics.median(r[kind]["p95_ms"] for r in runs)
        hits = runs[0][kind]["mean_hits"]
        worst = max(worst, p95)
        result["kinds"][kind] = {"p50_ms": p50, "p95_ms": p95, "mean_hits": hits}
        print(f"  {kind:<16} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  (mean {hits:.1f} hits)")
    result["worst_p95_ms"] = round(worst, 2)
    result["target_met"] = worst < 50
    print(f"worst p95 {worst:.1f} ms: target < 50 ms {'MET' if worst < 50 else 'NOT met'}")
    path = bl.write_result("search", result)
    if not args.keep and not args.reuse:
        bl.remove(folder)
    print(f"result: {path}")


if __name__ == "__main__":
    main()
