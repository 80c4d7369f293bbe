"""Benchmark: intake of many small files into a fresh SQLite case (target >= 500 files/s).

Run (from the repository root):

    .venv/bin/python bench/intake_small.py                 # 10,000 files of 1-50 KiB, 3 runs
    .venv/bin/python bench/intake_small.py --files 200     # quick smoke run
    .venv/bin/python bench/intake_small.py --profile       # also one profiled, instrumented run

The files are generated once (seeded, all distinct) under ``bench/out/data/`` and reused; they
are warm in the page cache during the runs. Each run uses a fresh case. The library figure
times ``case.add([folder])`` alone, in a fresh interpreter (creating the case is not timed).
The CLI figure is the wall time of ``indicia add CASE FOLDER -q``, interpreter start-up
included (``indicia init`` beforehand is not timed). Results: ``bench/out/intake_small.json``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import benchlib as bl

TARGET_FILES_PER_S = 500.0


def library_run(corpus: bl.Corpus, index: int, *extra: str) -> dict[str, Any]:
    case = bl.fresh_case_path(f"intake-small-lib-{index}")
    try:
        done = bl.child("add", str(case), str(corpus.folder), *extra)
        result = done.json()
        result["cpu_s"] = done.cpu_s
    finally:
        bl.remove(case)
    if result["counts"]["added"] != corpus.files:
        raise RuntimeError(
            f"expected {corpus.files} added, got {result['counts']}: {result['failures']}"
        )
    return result


def cli_run(corpus: bl.Corpus, index: int) -> float:
    case = bl.fresh_case_path(f"intake-small-cli-{index}")
    exe = bl.indicia_exe()
    try:
        bl.run([exe, "init", str(case)])
        done = bl.run([exe, "add", str(case), str(corpus.folder), "-q"])
    finally:
        bl.remove(case)
    summary = done.stdout.strip() + done.stderr.strip()
    if f"{corpus.files} added" not in summary:
        raise RuntimeError(f"unexpected CLI summary: {summary!r}")
    return done.wall_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="how many files (10000)")
    parser.add_argument("--min-kb", type=int, default=1, help="smallest size in KiB (1)")
    parser.add_argument("--max-kb", type=int, default=50, help="largest size in KiB (50)")
    parser.add_argument(
        "--content",
        choices=("random", "text", "mixed"),
        default="mixed",
        help="random bytes, base64 text, or alternately (mixed)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each kind (3)")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI runs")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="add one profiled run and one instrumented run (not timed)",
    )
    parser.add_argument(
        "--delete-data", action="store_true", help="remove the generated files afterwards"
    )
    args = parser.parse_args()

    env = bl.environment()
    corpus = bl.small_corpus(args.files, args.min_kb, args.max_kb, args.seed, args.content)
    made = f"generated in {corpus.generated_s:.1f} s" if corpus.generated_s else "reused"
    print(
        f"corpus: {corpus.files} files, {corpus.bytes / bl.MB:.1f} MB in {corpus.folder} "
        f"({made}; warm in the page cache)"
    )

    runs = [library_run(corpus, i) for i in range(args.repeat)]
    lib_times = [r["add_s"] for r in runs]
    result: dict[str, Any] = {
        "benchmark": "intake_small",
        "environment": env,
        "params": vars(args),
        "corpus": {"folder": str(corpus.folder), "files": corpus.files, "bytes": corpus.bytes},
        "target_files_per_s": TARGET_FILES_PER_S,
        "library": {
            "add": bl.summarise(lib_times),
            "files_per_s": bl.rates(corpus.files, lib_times),
            "mb_per_s": bl.rates(corpus.bytes / bl.MB, lib_times),
            "create_case_s": [round(r["create_s"], 4) for r in runs],
            "cpu_s": [round(r["cpu_s"], 2) for r in runs],
            "maxrss_bytes": [r["maxrss_bytes"] for r in runs],
        },
    }
    lib = result["library"]
    print(
        f"library case.add: best {lib['add']['best_s']:.2f} s, "
        f"median {lib['add']['median_s']:.2f} s -> "
        f"{lib['files_per_s']['best']:.0f} / {lib['files_per_s']['median']:.0f} files/s, "
        f"{lib['mb_per_s']['best']:.1f} / {lib['mb_per_s']['median']:.1f} MB/s "
        "(best / median)"
    )
    print(
        f"  per run: CPU {', '.join(f'{c:.1f}' for c in lib['cpu_s'])} s (user+sys, 2 cores); "
        f"peak RSS {', '.join(f'{m / bl.MB:.0f}' for m in lib['maxrss_bytes'])} MB"
    )

    if not args.no_cli:
        cli_times = [cli_run(corpus, i) for i in range(args.repeat)]
        result["cli"] = {
            "add": bl.summarise(cli_times),
            "files_per_s": bl.rates(corpus.files, cli_times),
            "mb_per_s": bl.rates(corpus.bytes / bl.MB, cli_times),
        }
        cli = result["cli"]
        print(
            f"CLI indicia add -q: best {cli['add']['best_s']:.2f} s, "
            f"median {cli['add']['median_s']:.2f} s -> "
            f"{cli['files_per_s']['best']:.0f} / {cli['files_per_s']['median']:.0f} files/s, "
            f"{cli['mb_per_s']['best']:.1f} / {cli['mb_per_s']['median']:.1f} MB/s"
        )

    result["target_met"] = {
        "library_best": lib["files_per_s"]["best"] >= TARGET_FILES_PER_S,
        "library_median": lib["files_per_s"]["median"] >= TARGET_FILES_PER_S,
    }
    if "cli" in result:
        result["target_met"]["cli_best"] = (
            result["cli"]["files_per_s"]["best"] >= TARGET_FILES_PER_S
        )
        result["target_met"]["cli_median"] = (
            result["cli"]["files_per_s"]["median"] >= TARGET_FILES_PER_S
        )
    print(
        f"target >= {TARGET_FILES_PER_S:.0f} files/s: "
        + ", ".join(f"{k} {'MET' if v else 'NOT met'}" for k, v in result["target_met"].items())
    )

    if args.profile:
        prof = bl.OUT / "intake_small.prof"
        profiled = library_run(corpus, 99, "--profile", str(prof))
        text = bl.profile_text(prof, 30)
        Path(bl.OUT / "intake_small.prof.txt").write_text(text, encoding="utf-8")
        staged = library_run(corpus, 98, "--instrument")
        result["profile"] = {"file": str(prof), "add_s_under_profiler": profiled["add_s"]}
        result["stages"] = {"add_s": staged["add_s"], "seconds": staged["stages"]}
        print(
            f"instrumented run: add {staged['add_s']:.2f} s; stage seconds "
            "(worker stages are thread-seconds summed over threads):"
        )
        for name, entry in staged["stages"].items():
            print(f"  {name:<42} {entry['seconds']:>8.3f} s  {entry['calls']:>7} calls")
        print(f"profile: {prof} (top functions in {prof}.txt)")

    if args.delete_data:
        bl.remove(corpus.folder)
        bl.remove(corpus.folder.with_name(corpus.folder.name + ".json"))
    print(f"result: {bl.write_result('intake_small', result)}")


if __name__ == "__main__":
    main()
