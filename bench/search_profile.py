"""Profile: where a search query kind spends its time on a large case (companion to search.py).

Run (from the repository root), after ``search.py --keep`` has built and kept its case:

    .venv/bin/python bench/search.py --keep          # keeps bench/out/cases/search-1000000
    .venv/bin/python bench/search_profile.py         # profiles the kinds that missed 50 ms
    .venv/bin/python bench/search_profile.py --passages 50000 --kinds "zh 3 chars"

The queries are the ones ``search.py`` times (same seeds). For each kind (by default every
kind whose p95 in ``bench/out/search.json`` missed 50 ms):

* ``case.search()`` latency, and per query the time in ``fulltext.candidates`` (the SQL) against
  the rest (row fetch, search form, regular expressions, BM25, titles);
* ``EXPLAIN QUERY PLAN`` of the candidate SQL, the number of matches (``count(*)``) and what
  counting them costs (a lower bound for any query that must see every match);
* a cProfile of the kind's queries (top functions in ``bench/out/search_profile.<kind>.txt``).

(The two experiments this script ran before, the candidate SQL without the join to
``passages`` and an index of CJK character pairs, are how search works since schema version 3.)
Results: ``bench/out/search_profile.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import benchlib as bl
import search as search_bench
from indicia import Case
from indicia.search.query import parse
from indicia.store import fulltext

TARGET_MS = 50.0
ORIGINAL: Callable[..., list[int]] = fulltext.candidates


def pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def stats(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(pct(times, 0.95), 2),
        "max_ms": round(max(times), 2),
    }


def match_expr(query: str) -> str:
    return fulltext._fts5_query([p for t in parse(query) for p in t.phrases])


def timed(fn: Callable[[str], Any], queries: Sequence[str]) -> tuple[dict[str, float], list[Any]]:
    for q in queries[:5]:
        fn(q)
    times, out = [], []
    for q in queries:
        started = time.perf_counter()
        out.append(fn(q))
        times.append((time.perf_counter() - started) * 1000)
    return stats(times), out


def breakdown(case: Case, queries: Sequence[str]) -> dict[str, float]:
    """Milliseconds per query in ``fulltext.candidates`` and in everything else."""
    spent = [0.0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return ORIGINAL(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    fulltext.candidates = wrapper  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        for q in queries:
            case.search(q)
        total = time.perf_counter() - started
    finally:
        fulltext.candidates = ORIGINAL  # type: ignore[assignment]
    n = len(queries)
    return {
        "total_ms": round(1000 * total / n, 2),
        "candidates_sql_ms": round(1000 * spent[0] / n, 2),
        "rest_ms": round(1000 * (total - spent[0]) / n, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000, help="the case's size")
    parser.add_argument("--queries", type=int, default=100, help="queries per kind (100)")
    parser.add_argument("--kinds", nargs="*", help="kinds to profile (default: the slow ones)")
    parser.add_argument("--delete-case", action="store_true", help="remove the case afterwards")
    args = parser.parse_args()

    folder = bl.CASES / f"search-{args.passages}"
    if not (folder / "case.json").exists():
        raise SystemExit(f"no case at {folder}: run search.py --passages {args.passages} --keep")
    previous = bl.OUT / "search.json"
    data = json.loads(previous.read_text()) if previous.exists() else {}
    kinds = args.kinds
    if not kinds and data.get("params", {}).get("passages") == args.passages:
        kinds = [k for k, v in data["kinds"].items() if v["p95_ms"] >= TARGET_MS]
    kinds = kinds or ["en common word"]
    texts = search_bench.make_passages(20_000, seed=42)  # search.py draws queries from these
    all_queries = search_bench.queries(texts, random.Random(7), args.queries)
    case_db = folder / "case.db"
    result: dict[str, Any] = {
        "benchmark": "search_profile",
        "environment": bl.environment(),
        "params": vars(args),
        "kinds": {},
    }
    db = sqlite3.connect(f"file:{case_db}?mode=ro", uri=True)
    with Case.open(folder) as case:
        for kind in kinds:
            queries = all_queries[kind]
            print(f"== {kind} ({len(queries)} queries, e.g. {queries[0]!r})")
            entry: dict[str, Any] = {}
            entry["search"], _ = timed(case.search, queries)
            entry["breakdown_ms_per_query"] = breakdown(case, queries)
            count_stats, counts = timed(
                lambda q: db.execute(
                    "SELECT count(*) FROM passage_fts WHERE passage_fts MATCH ?", (match_expr(q),)
                ).fetchone()[0],
                queries,
            )
            entry["count_all_matches"] = {
                **count_stats,
                "matches_median": statistics.median(counts),
                "matches_max": max(counts),
            }
            plan = db.execute(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM (SELECT 1 FROM passage_fts f "
                "WHERE passage_fts MATCH ? LIMIT 5001)",
                (match_expr(queries[0]),),
            ).fetchall()
            entry["query_plan_probe"] = [row[-1] for row in plan]
            profile = bl.OUT / f"search_profile.{kind.replace(' ', '_').replace('+', 'and')}.prof"
            profiler = cProfile.Profile()
            profiler.enable()
            for q in queries:
                case.search(q)
            profiler.disable()
            profiler.dump_stats(str(profile))
            profile.with_suffix(".txt").write_text(bl.profile_text(profile, 25), encoding="utf-8")
            result["kinds"][kind] = entry
            s, b = entry["search"], entry["breakdown_ms_per_query"]
            c = entry["count_all_matches"]
            print(f"  case.search p50 {s['p50_ms']} p95 {s['p95_ms']} max {s['max_ms']} ms")
            print(
                f"  per query: {b['total_ms']} ms = candidates SQL {b['candidates_sql_ms']} + "
                f"rest {b['rest_ms']} ms"
            )
            print(
                f"  count(*) of all matches: p50 {c['p50_ms']} p95 {c['p95_ms']} ms; matches "
                f"median {c['matches_median']}, max {c['matches_max']}"
            )
            print(f"  plan of the probe: {entry['query_plan_probe']}")
    db.close()
    if args.delete_case:
        bl.remove(folder)
    print(f"result: {bl.write_result('search_profile', result)}")


if __name__ == "__main__":
    main()
