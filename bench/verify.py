"""Benchmark: verify a case of many documents (target: within 1.5x of sha256sum on the blobs).

Run (from the repository root):

    .venv/bin/python bench/verify.py                 # a case of 10,000 documents of 1-50 KiB
    .venv/bin/python bench/verify.py --files 200     # quick smoke run
    .venv/bin/python bench/verify.py --profile       # also a profiled and an instrumented run

The documents are the same generated files as ``intake_small.py`` (reused when present). The
case is built once (its intake time is reported but is not the point) and deleted afterwards
unless ``--keep-case``. The blobs are warm in the page cache. Timed, best and median of N:

* ``case.verify()`` in a fresh interpreter (opening the case is not included);
* ``case.verify(check_blobs=False)``: the chain and record checks alone;
* ``indicia verify CASE``: wall time, interpreter start-up included;
* the reference, ``find BLOBDIR -type f -not -path '*/tmp/*' -print0 | xargs -0 sha256sum``,
  plus the same with ``xargs -P CPUS`` and with ``openssl dgst -sha256`` (SHA-NI) for context.

Results: ``bench/out/verify.json``.
"""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path
from typing import Any

import benchlib as bl

TIME_FACTOR = 1.5


def build_case(corpus: bl.Corpus, name: str) -> tuple[Path, dict[str, Any]]:
    case = bl.fresh_case_path(name)
    result = bl.child("add", str(case), str(corpus.folder)).json()
    if result["counts"]["added"] != corpus.files:
        raise RuntimeError(f"expected {corpus.files} added, got {result['counts']}")
    return case, result


def library_verify(case: Path, *extra: str) -> dict[str, Any]:
    result = bl.child("verify", str(case), *extra).json()
    if not result["ok"]:
        raise RuntimeError(f"verification failed: {result['problems']}")
    return result


def hash_command(blob_dir: Path, tool: str, parallel: int = 1) -> str:
    find = f"find {shlex.quote(str(blob_dir))} -type f -not -path '*/tmp/*' -print0"
    xargs = "xargs -0" + (f" -P {parallel} -n 500" if parallel > 1 else "")
    return f"{find} | {xargs} {tool} > /dev/null"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="documents (10000)")
    parser.add_argument("--min-kb", type=int, default=1, help="smallest size in KiB (1)")
    parser.add_argument("--max-kb", type=int, default=50, help="largest size in KiB (50)")
    parser.add_argument("--content", choices=("random", "text", "mixed"), default="mixed")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each kind (3)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="add one profiled run and one instrumented run (not timed)",
    )
    parser.add_argument("--keep-case", action="store_true", help="keep the case afterwards")
    args = parser.parse_args()

    corpus = bl.small_corpus(args.files, args.min_kb, args.max_kb, args.seed, args.content)
    print(f"corpus: {corpus.files} files, {corpus.bytes / bl.MB:.1f} MB in {corpus.folder}")
    case, built = build_case(corpus, f"verify-{args.files}")
    try:
        result = measure(case, corpus, built, args)
    finally:
        if not args.keep_case:
            bl.remove(case)
    print(f"result: {bl.write_result('verify', result)}")


def measure(
    case: Path, corpus: bl.Corpus, built: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    env = bl.environment()  # before the runs, so the load average is the machine's own
    blob_dir = case / "blobs"
    blob_bytes = bl.tree_bytes(blob_dir)
    print(f"case: {case} built in {built['add_s']:.1f} s; {bl.fmt_bytes(blob_bytes)} of blobs")
    cpus = os.cpu_count() or 2

    refs = {
        "sha256sum": hash_command(blob_dir, "sha256sum"),
        f"sha256sum_xargs_P{cpus}": hash_command(blob_dir, "sha256sum", cpus),
        "openssl_dgst_sha256": hash_command(blob_dir, "openssl dgst -sha256"),
    }
    ref_times = {
        name: bl.best_of(lambda c=cmd: bl.shell_time(c), args.repeat) for name, cmd in refs.items()
    }
    sha_best = min(ref_times["sha256sum"])
    for name, times in ref_times.items():
        s = bl.summarise(times)
        print(f"{name}: best {s['best_s']:.2f} s, median {s['median_s']:.2f} s")

    full = [library_verify(case) for _ in range(args.repeat)]
    chain_only = [library_verify(case, "--no-blobs") for _ in range(args.repeat)]
    exe = bl.indicia_exe()
    cli = [bl.run([exe, "verify", str(case)]) for _ in range(args.repeat)]
    if any("OK" not in run.stdout for run in cli):
        raise RuntimeError(f"CLI verify did not say OK: {cli[0].stdout}")

    full_times = [r["verify_s"] for r in full]
    chain_times = [r["verify_s"] for r in chain_only]
    cli_times = [run.wall_s for run in cli]
    result: dict[str, Any] = {
        "benchmark": "verify",
        "environment": env,
        "params": vars(args),
        "case": {
            "documents": full[0]["documents"],
            "events": full[0]["events"],
            "blob_bytes": blob_bytes,
            "intake_add_s": built["add_s"],
        },
        "target_time_factor_of_sha256sum": TIME_FACTOR,
        "reference": {
            name: {**bl.summarise(times), "command": refs[name]}
            for name, times in ref_times.items()
        },
        "library_verify": {
            **bl.summarise(full_times),
            "ratio_to_sha256sum": {
                "best": min(full_times) / sha_best,
                "median": bl.summarise(full_times)["median_s"] / sha_best,
            },
            "mb_per_s_best": blob_bytes / bl.MB / min(full_times),
            "open_case_s": [round(r["open_s"], 4) for r in full],
            "maxrss_bytes": [r["maxrss_bytes"] for r in full],
        },
        "library_verify_no_blobs": bl.summarise(chain_times),
        "cli_verify": {
            **bl.summarise(cli_times),
            "ratio_to_sha256sum": {
                "best": min(cli_times) / sha_best,
                "median": bl.summarise(cli_times)["median_s"] / sha_best,
            },
            "cpu_s": [round(run.cpu_s, 3) for run in cli],
            "maxrss_bytes": [run.maxrss_bytes for run in cli],
        },
    }
    lib, cl = result["library_verify"], result["cli_verify"]
    print(
        f"library case.verify(): best {lib['best_s']:.2f} s, median {lib['median_s']:.2f} s "
        f"= {lib['ratio_to_sha256sum']['best']:.2f}x / "
        f"{lib['ratio_to_sha256sum']['median']:.2f}x sha256sum"
    )
    print(
        f"  of which chain+records alone (check_blobs=False): best {min(chain_times):.2f} s, "
        f"median {result['library_verify_no_blobs']['median_s']:.2f} s"
    )
    print(
        f"CLI indicia verify: best {cl['best_s']:.2f} s, median {cl['median_s']:.2f} s "
        f"= {cl['ratio_to_sha256sum']['best']:.2f}x / "
        f"{cl['ratio_to_sha256sum']['median']:.2f}x sha256sum"
    )
    met = {
        "library_best": min(full_times) <= TIME_FACTOR * sha_best,
        "library_median": lib["median_s"] <= TIME_FACTOR * sha_best,
        "cli_best": min(cli_times) <= TIME_FACTOR * sha_best,
        "cli_median": cl["median_s"] <= TIME_FACTOR * sha_best,
    }
    result["target_met"] = met
    print(
        f"target <= {TIME_FACTOR}x sha256sum: "
        + ", ".join(f"{k} {'MET' if v else 'NOT met'}" for k, v in met.items())
    )

    if args.profile:
        prof = bl.OUT / "verify.prof"
        profiled = library_verify(case, "--profile", str(prof))
        (bl.OUT / "verify.prof.txt").write_text(bl.profile_text(prof, 30), encoding="utf-8")
        staged = library_verify(case, "--instrument")
        result["profile"] = {"file": str(prof), "verify_s_under_profiler": profiled["verify_s"]}
        result["stages"] = {"verify_s": staged["verify_s"], "seconds": staged["stages"]}
        print(
            f"instrumented run: verify {staged['verify_s']:.2f} s; stage seconds "
            "(hash_file is thread-seconds, overlapping the main-thread checks):"
        )
        for name, entry in staged["stages"].items():
            print(f"  {name:<42} {entry['seconds']:>8.3f} s  {entry['calls']:>7} calls")
        print(f"profile: {prof} (top functions in {prof}.txt)")
    return result


if __name__ == "__main__":
    main()
