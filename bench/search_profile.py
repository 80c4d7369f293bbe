"""Profile: where a search query kind spends its time on a large case (companion to search.py).

Run (from the repository root), after ``search.py --keep`` has built and kept its case:

    .venv/bin/python bench/search.py --keep          # keeps bench/out/cases/search-1000000
    .venv/bin/python bench/search_profile.py                    # profiles the slow kinds
    .venv/bin/python bench/search_profile.py --passages 50000 --kinds "en common word"
    .venv/bin/python bench/search_profile.py --delete-case      # remove the case afterwards

The queries are the ones ``search.py`` times (same seeds). For each kind (by default every
kind whose p95 in ``bench/out/search.json`` missed 50 ms, else ``en common word``):

* where ``case.search()`` spends its time: the candidate SQL, the row fetch and the ranking in
  Python (cProfile over the kind's queries, top functions saved to
  ``bench/out/search_profile.<kind>.prof.txt``);
* ``EXPLAIN QUERY PLAN`` of the candidate SQL;
* the candidate SQL and variants of it, timed alone (sqlite3, read-only): without the join to
  ``passages``; ranking by ``rank`` on row ids only and fetching ``body`` for the winners;
  unranked (row-id order, stops at the limit); and ``count(*)`` of all matches (a lower bound
  for any exact ranking: every match is visited);
* ``case.search()`` again with the candidate function replaced by a proposed variant.

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

from sqlalchemy import Connection, text

import benchlib as bl
import search as search_bench
from indicia import Case
from indicia.search import engine
from indicia.store import fulltext

TARGET_MS = 50.0


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
    from indicia.search.query import parse

    return " AND ".join(fulltext._fts5_phrase(t.tokens) for t in parse(query))


VARIANTS: dict[str, str] = {
    "current (join passages, ORDER BY bm25, body for every match)": (
        "SELECT f.rowid, f.body FROM passage_fts f JOIN passages p ON p.id = f.rowid "
        "WHERE passage_fts MATCH :m ORDER BY bm25(passage_fts), f.rowid LIMIT :n"
    ),
    "no join (ORDER BY bm25, body for every match)": (
        "SELECT rowid, body FROM passage_fts WHERE passage_fts MATCH :m "
        "ORDER BY bm25(passage_fts), rowid LIMIT :n"
    ),
    "ids ranked first, body for the winners only": (
        "WITH top AS (SELECT rowid AS id, rank AS r FROM passage_fts "
        "WHERE passage_fts MATCH :m ORDER BY rank, rowid LIMIT :n) "
        "SELECT top.id, f.body FROM top JOIN passage_fts f ON f.rowid = top.id "
        "ORDER BY top.r, top.id"
    ),
    "ids ranked, no body": (
        "SELECT rowid FROM passage_fts WHERE passage_fts MATCH :m ORDER BY rank, rowid LIMIT :n"
    ),
    "unranked: first matches in row-id order": (
        "SELECT rowid, body FROM passage_fts WHERE passage_fts MATCH :m LIMIT :n"
    ),
    "count(*) of all matches": "SELECT count(*) FROM passage_fts WHERE passage_fts MATCH :m",
}


def time_sql(db: sqlite3.Connection, sql: str, queries: Sequence[str], cap: int) -> dict[str, Any]:
    for q in queries[:5]:
        db.execute(sql, {"m": match_expr(q), "n": cap}).fetchall()
    times, rows = [], []
    for q in queries:
        started = time.perf_counter()
        found = db.execute(sql, {"m": match_expr(q), "n": cap}).fetchall()
        times.append((time.perf_counter() - started) * 1000)
        rows.append(found[0][0] if sql.startswith("SELECT count") else len(found))
    return {**stats(times), "mean_rows": round(statistics.mean(rows), 1)}


def time_search(case: Case, queries: Sequence[str]) -> dict[str, Any]:
    for q in queries[:5]:
        case.search(q)
    times = []
    for q in queries:
        started = time.perf_counter()
        case.search(q)
        times.append((time.perf_counter() - started) * 1000)
    return stats(times)


def ranked_ids_first(
    conn: Connection,
    phrases: Sequence[Sequence[str]],
    limit: int,
    language: str | None = None,
    document: str | None = None,
) -> list[tuple[int, str]]:
    """Proposed candidate query for the unfiltered case: rank row ids inside FTS5, fetch the
    index text for the winners only, skip the join (it filters nothing without a filter)."""
    if language or document or conn.dialect.name != "sqlite":
        return ORIGINAL(conn, phrases, limit, language, document)
    sql = VARIANTS["ids ranked first, body for the winners only"]
    m = " AND ".join(fulltext._fts5_phrase(p) for p in phrases)
    return [(int(r[0]), str(r[1])) for r in conn.execute(text(sql), {"m": m, "n": limit})]


ORIGINAL: Callable[..., list[tuple[int, str]]] = fulltext.candidates


def breakdown(case: Case, queries: Sequence[str]) -> dict[str, float]:
    """Milliseconds per query in the candidate SQL, in search_form/regex ranking, and the rest."""
    spent = {"candidates": 0.0, "search_form": 0.0}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return wrapper

    saved = (engine.fulltext.candidates, engine.search_form)
    engine.fulltext.candidates = timed("candidates", saved[0])  # type: ignore[assignment]
    engine.search_form = timed("search_form", saved[1])  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        for q in queries:
            case.search(q)
        total = time.perf_counter() - started
    finally:
        engine.fulltext.candidates, engine.search_form = saved  # type: ignore[assignment]
    n = len(queries)
    return {
        "total_ms": round(1000 * total / n, 2),
        "candidate_sql_ms": round(1000 * spent["candidates"] / n, 2),
        "search_form_of_candidates_ms": round(1000 * spent["search_form"] / n, 2),
        "rest_ms (row fetch, regex, BM25, titles)": round(
            1000 * (total - spent["candidates"] - spent["search_form"]) / n, 2
        ),
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
    kinds = args.kinds
    if not kinds:
        previous = bl.OUT / "search.json"
        data = json.loads(previous.read_text()) if previous.exists() else {}
        if data.get("params", {}).get("passages") == args.passages:
            kinds = [k for k, v in data["kinds"].items() if v["p95_ms"] >= TARGET_MS]
        kinds = kinds or ["en common word"]
    texts = search_bench.make_passages(20_000, seed=42)  # search.py draws queries from these
    all_queries = search_bench.queries(texts, random.Random(7), args.queries)
    cap = max(20 * 10, engine.MIN_CANDIDATES)
    result: dict[str, Any] = {
        "benchmark": "search_profile",
        "environment": bl.environment(),
        "params": vars(args),
        "kinds": {},
    }
    db = sqlite3.connect(f"file:{folder / 'case.db'}?mode=ro", uri=True)
    with Case.open(folder) as case:
        for kind in kinds:
            queries = all_queries[kind]
            print(f"== {kind} ({len(queries)} queries, e.g. {queries[0]!r})")
            entry: dict[str, Any] = {"search": time_search(case, queries)}
            print(f"  case.search: {entry['search']}")
            entry["breakdown_ms_per_query"] = breakdown(case, queries)
            print(f"  per query: {entry['breakdown_ms_per_query']}")
            plan = db.execute(
                "EXPLAIN QUERY PLAN " + VARIANTS[next(iter(VARIANTS))],
                {"m": match_expr(queries[0]), "n": cap},
            ).fetchall()
            entry["query_plan"] = [row[-1] for row in plan]
            print("  EXPLAIN QUERY PLAN (current):")
            for row in plan:
                print(f"    {row[-1]}")
            entry["sql_variants"] = {}
            for label, sql in VARIANTS.items():
                timing = time_sql(db, sql, queries, cap)
                entry["sql_variants"][label] = timing
                print(
                    f"  SQL {label:<62} p50 {timing['p50_ms']:8.2f}  p95 {timing['p95_ms']:8.2f} ms"
                    f"  rows {timing['mean_rows']}"
                )
            profile = bl.OUT / f"search_profile.{kind.replace(' ', '_')}.prof"
            profiler = cProfile.Profile()
            profiler.enable()
            for q in queries:
                case.search(q)
            profiler.disable()
            profiler.dump_stats(str(profile))
            (profile.with_suffix(".prof.txt")).write_text(
                bl.profile_text(profile, 25), encoding="utf-8"
            )
            fulltext.candidates = ranked_ids_first  # type: ignore[assignment]
            try:
                entry["search_with_ids_ranked_first"] = time_search(case, queries)
            finally:
                fulltext.candidates = ORIGINAL  # type: ignore[assignment]
            print(f"  case.search, ids ranked first: {entry['search_with_ids_ranked_first']}")
            result["kinds"][kind] = entry
    db.close()
    if args.delete_case:
        bl.remove(folder)
    print(f"result: {bl.write_result('search_profile', result)}")


if __name__ == "__main__":
    main()
