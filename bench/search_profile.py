"""Profile: where a search query kind spends its time on a large case (companion to search.py).

Run (from the repository root), after ``search.py --keep`` has built and kept its case:

    .venv/bin/python bench/search.py --keep          # keeps bench/out/cases/search-1000000
    .venv/bin/python bench/search_profile.py         # profiles the kinds that missed 50 ms
    .venv/bin/python bench/search_profile.py --passages 50000 --kinds "zh 3 chars"
    .venv/bin/python bench/search_profile.py --no-bigrams --delete-case

The queries are the ones ``search.py`` times (same seeds). For each kind (by default every
kind whose p95 in ``bench/out/search.json`` missed 50 ms):

* ``case.search()`` latency, and per query the time in ``fulltext.candidates`` (the SQL) against
  the rest (row fetch, search form, regular expressions, BM25, titles);
* ``EXPLAIN QUERY PLAN`` of the candidate SQL, the number of matches (``count(*)``, no join)
  and what counting them costs (a lower bound for any query that must see every match);
* ``case.search()`` with ``fulltext.candidates`` replaced by the same logic without the join
  to ``passages`` when no language or document filter is given (an experiment);
* a cProfile of the kind's queries (top functions in ``bench/out/search_profile.<kind>.txt``).

Then, unless ``--no-bigrams``, an experiment for the Chinese kinds: the passages holding CJK
text are indexed again, in a scratch database beside the case, with overlapping character
bigrams as tokens (强迫劳动 -> 强迫 迫劳 劳动), and each Chinese term of n >= 2 characters is
matched as a phrase of its n - 1 bigrams (the same passages match). Counting the matches and
fetching the first 200 are timed on both indexes. Results: ``bench/out/search_profile.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import re
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

import benchlib as bl
import search as search_bench
from indicia import Case
from indicia.search import engine
from indicia.search.query import parse
from indicia.store import fulltext
from indicia.text.normalise import search_form

TARGET_MS = 50.0
ORIGINAL: Callable[..., list[tuple[int, str]]] = fulltext.candidates
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_HAS_CJK = re.compile(rf"[{_CJK}]")


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
    return " AND ".join(fulltext._fts5_phrase(t.tokens) for t in parse(query))


def timed(fn: Callable[[str], Any], queries: Sequence[str]) -> tuple[dict[str, float], list[Any]]:
    for q in queries[:5]:
        fn(q)
    times, out = [], []
    for q in queries:
        started = time.perf_counter()
        out.append(fn(q))
        times.append((time.perf_counter() - started) * 1000)
    return stats(times), out


JOIN = "FROM passage_fts f JOIN passages p ON p.id = f.rowid "


class _WithoutJoin:
    """A connection whose SQL loses the join to ``passages`` (which filters nothing when no
    language or document filter is given); everything else passes through."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        sql = getattr(statement, "text", None)
        if sql is not None and JOIN in sql:
            statement = text(sql.replace(JOIN, "FROM passage_fts f "))
        return self._conn.execute(statement, *args, **kwargs)


def candidates_without_join(
    conn: Connection,
    phrases: Sequence[Sequence[str]],
    limit: int,
    language: str | None = None,
    document: str | None = None,
) -> list[tuple[int, str]]:
    """``fulltext.candidates`` as it is, but without the join to ``passages`` when there is no
    filter: the join then filters nothing, yet costs one lookup in ``passages`` for every match
    the queries step through."""
    if language or document:
        return ORIGINAL(conn, phrases, limit, language, document)
    return ORIGINAL(_WithoutJoin(conn), phrases, limit)


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


def bigram_text(body: str) -> str:
    """Index text with every CJK run as overlapping bigrams (a one-character run as itself)."""
    out: list[str] = []
    for run in _RUN.findall(search_form(body)):
        if _HAS_CJK.match(run):
            out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        else:
            out.append(run)
    return " ".join(out)


def bigram_phrase(query: str) -> str | None:
    """The bigram-index MATCH expression for a query, or None if a CJK term is one character."""
    phrases = []
    for term in parse(query):
        form = "".join(term.tokens) if term.cjk else " ".join(term.tokens)
        if term.cjk:
            if len(form) < 2 or not all(_HAS_CJK.match(ch) for ch in form):
                return None
            phrases.append(" ".join(form[i : i + 2] for i in range(len(form) - 1)))
        else:
            phrases.append(form)
    return " AND ".join('"' + p.replace('"', '""') + '"' for p in phrases)


def build_bigrams(case_db: Path, scratch: Path) -> dict[str, Any]:
    """A scratch FTS5 table of the CJK-bearing passages, tokens = bigrams."""
    bl.remove(scratch)
    started = time.perf_counter()
    source = sqlite3.connect(f"file:{case_db}?mode=ro", uri=True)
    out = sqlite3.connect(scratch)
    out.execute("PRAGMA journal_mode = OFF")
    out.execute("PRAGMA synchronous = OFF")
    out.execute(
        "CREATE VIRTUAL TABLE bigram_fts USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0')"
    )
    rows = 0
    cursor = source.execute("SELECT id, text FROM passages")
    while True:
        chunk = cursor.fetchmany(20_000)
        if not chunk:
            break
        batch = [(pid, bigram_text(body)) for pid, body in chunk if _HAS_CJK.search(body)]
        out.executemany("INSERT INTO bigram_fts (rowid, body) VALUES (?, ?)", batch)
        rows += len(batch)
    out.execute("INSERT INTO bigram_fts(bigram_fts) VALUES ('optimize')")
    out.commit()
    out.close()
    source.close()
    return {
        "passages_indexed": rows,
        "build_s": round(time.perf_counter() - started, 1),
        "database_bytes": scratch.stat().st_size,
    }


def probe_and_fetch(
    db: sqlite3.Connection,
    table: str,
    expr: Callable[[str], str | None],
    queries: Sequence[str],
    cap: int,
) -> tuple[dict[str, float], list[Any]]:
    """What ``fulltext.candidates`` asks of the index, without the join: count the matches up
    to ``RANK_LIMIT + 1``, then fetch the first ``cap``."""
    rank_limit = getattr(fulltext, "RANK_LIMIT", 5000)
    probe = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)"
    fetch = f"SELECT rowid, body FROM {table} WHERE {table} MATCH ? LIMIT ?"

    def one(q: str) -> int:
        m = expr(q)
        n = db.execute(probe, (m, rank_limit + 1)).fetchone()[0]
        db.execute(fetch, (m, cap)).fetchall()
        return int(n)

    return timed(one, queries)


def compare_bigrams(
    case_db: Path, scratch: Path, kinds: dict[str, list[str]], cap: int
) -> dict[str, Any]:
    uni = sqlite3.connect(f"file:{case_db}?mode=ro", uri=True)
    bi = sqlite3.connect(f"file:{scratch}?mode=ro", uri=True)
    out: dict[str, Any] = {}
    for kind, queries in kinds.items():
        usable = [q for q in queries if bigram_phrase(q) is not None]
        if not usable:
            continue

        uni_stats, uni_counts = probe_and_fetch(uni, "passage_fts", match_expr, usable, cap)
        bi_stats, bi_counts = probe_and_fetch(bi, "bigram_fts", bigram_phrase, usable, cap)
        same = sum(a == b for a, b in zip(uni_counts, bi_counts, strict=True))
        out[kind] = {
            "queries": len(usable),
            "unigram_index": uni_stats,
            "bigram_index": bi_stats,
            "same_match_count": f"{same}/{len(usable)}",
        }
        print(
            f"  {kind:<16} probe+fetch: unigram p50 {uni_stats['p50_ms']:7.2f} p95 "
            f"{uni_stats['p95_ms']:7.2f} ms | bigram p50 {bi_stats['p50_ms']:6.2f} p95 "
            f"{bi_stats['p95_ms']:6.2f} ms | same counts {same}/{len(usable)}"
        )
    uni.close()
    bi.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000, help="the case's size")
    parser.add_argument("--queries", type=int, default=100, help="queries per kind (100)")
    parser.add_argument("--kinds", nargs="*", help="kinds to profile (default: the slow ones)")
    parser.add_argument("--no-bigrams", action="store_true", help="skip the bigram experiment")
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
    cap = max(20 * 10, engine.MIN_CANDIDATES)
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
                "JOIN passages p ON p.id = f.rowid WHERE passage_fts MATCH ? LIMIT 5001)",
                (match_expr(queries[0]),),
            ).fetchall()
            entry["query_plan_probe"] = [row[-1] for row in plan]
            fulltext.candidates = candidates_without_join  # type: ignore[assignment]
            try:
                entry["search_without_join"], _ = timed(case.search, queries)
            finally:
                fulltext.candidates = ORIGINAL  # type: ignore[assignment]
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
            c, nj = entry["count_all_matches"], entry["search_without_join"]
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
            print(
                f"  without the join: p50 {nj['p50_ms']} p95 {nj['p95_ms']} max {nj['max_ms']} ms"
            )
    db.close()
    zh_kinds = {k: all_queries[k] for k in kinds if k.startswith("zh")}
    if zh_kinds and not args.no_bigrams:
        scratch = bl.CASES / f"search-{args.passages}-bigrams.db"
        print("bigram experiment: building a scratch index of the CJK-bearing passages ...")
        try:
            result["bigrams"] = {"build": build_bigrams(case_db, scratch)}
            print(f"  built: {result['bigrams']['build']}")
            result["bigrams"]["kinds"] = compare_bigrams(case_db, scratch, zh_kinds, cap)
        finally:
            bl.remove(scratch)
    if args.delete_case:
        bl.remove(folder)
    print(f"result: {bl.write_result('search_profile', result)}")


if __name__ == "__main__":
    main()
