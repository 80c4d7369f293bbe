"""Benchmark: intake of one large file (targets: peak RSS < 100 MB, time <= 1.5x sha256sum).

Run (from the repository root):

    .venv/bin/python bench/intake_large.py                  # one 1 GiB file, 3 runs
    .venv/bin/python bench/intake_large.py --size-mib 64    # quick smoke run

The file (random bytes) is generated under ``bench/out/data/`` and deleted afterwards unless
``--keep-data``; it is warm in the page cache during the runs. Each run adds it to a fresh case
in a fresh interpreter (``bench/child.py``); its peak RSS is the child's ``ru_maxrss`` from
``wait4`` (exact, whole process: interpreter, SQLAlchemy and libmagic included), cross-checked
by polling with psutil. The time compared with ``sha256sum FILE`` (warm, best of N) is that of
``case.add([file])``; the CLI's wall time (``indicia add CASE FILE -q``, start-up included) is
reported too. A final instrumented run splits the time into reading, hashing, writing and fsync,
and the same steps are timed on their own for reference. Results: ``bench/out/intake_large.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from pathlib import Path
from typing import Any

import benchlib as bl

RSS_LIMIT = 100 * bl.MB
TIME_FACTOR = 1.5


def library_run(path: Path, index: int, *extra: str) -> tuple[dict[str, Any], bl.Run]:
    case = bl.fresh_case_path(f"intake-large-lib-{index}")
    try:
        done = bl.child("add", str(case), str(path), *extra, poll_rss=True)
        result = done.json()
    finally:
        bl.remove(case)
    if result["counts"]["added"] != 1:
        raise RuntimeError(f"the file was not added: {result['counts']} {result['failures']}")
    return result, done


def cli_run(path: Path, index: int) -> bl.Run:
    case = bl.fresh_case_path(f"intake-large-cli-{index}")
    exe = bl.indicia_exe()
    try:
        bl.run([exe, "init", str(case)])
        return bl.run([exe, "add", str(case), str(path), "-q"], poll_rss=True)
    finally:
        bl.remove(case)


def reference_steps(path: Path) -> dict[str, float]:
    """The steps of intake on their own, in this process: hash, copy, fsync (1 MiB chunks)."""
    steps: dict[str, float] = {}
    started = time.perf_counter()
    with path.open("rb", buffering=0) as fh:
        hashlib.file_digest(fh, "sha256")
    steps["python_sha256_s"] = time.perf_counter() - started

    target = bl.CASES / "copy-reference.tmp"
    bl.CASES.mkdir(parents=True, exist_ok=True)
    try:
        read_s = write_s = 0.0
        with path.open("rb") as src, target.open("wb") as dst:
            while True:
                t0 = time.perf_counter()
                chunk = src.read(bl.MIB)
                t1 = time.perf_counter()
                if not chunk:
                    break
                dst.write(chunk)
                write_s += time.perf_counter() - t1
                read_s += t1 - t0
            dst.flush()
            t0 = time.perf_counter()
            os.fsync(dst.fileno())
            steps["fsync_s"] = time.perf_counter() - t0
        steps["read_s"] = read_s
        steps["write_s"] = write_s
    finally:
        bl.remove(target)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="file size in MiB (1024)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each kind (3)")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI runs")
    parser.add_argument("--keep-data", action="store_true", help="keep the generated file")
    args = parser.parse_args()

    path, made = bl.large_file(args.size_mib)
    size = path.stat().st_size
    try:
        print(
            f"file: {bl.fmt_bytes(size)} at {path} "
            + (f"(generated in {made:.1f} s)" if made else "(reused)")
        )
        result = measure(path, size, args)
    finally:
        if not args.keep_data:
            bl.remove(path)
    print(f"result: {bl.write_result('intake_large', result)}")


def measure(path: Path, size: int, args: argparse.Namespace) -> dict[str, Any]:
    env = bl.environment()  # before the runs, so the load average is the machine's own
    sha_times = bl.best_of(lambda: bl.run(["sha256sum", str(path)]).wall_s, args.repeat)
    sha_best = min(sha_times)
    print(
        f"sha256sum: best {sha_best:.2f} s ({size / bl.MB / sha_best:.0f} MB/s), "
        f"median {bl.summarise(sha_times)['median_s']:.2f} s"
    )

    ossl_times = bl.best_of(
        lambda: bl.run(["openssl", "dgst", "-sha256", str(path)]).wall_s, args.repeat
    )
    print(
        f"openssl dgst -sha256 (uses SHA-NI, for context): best {min(ossl_times):.2f} s "
        f"({size / bl.MB / min(ossl_times):.0f} MB/s)"
    )

    lib = [library_run(path, i) for i in range(args.repeat)]
    add_times = [r["add_s"] for r, _ in lib]
    rss = [run.maxrss_bytes for _, run in lib]
    result: dict[str, Any] = {
        "benchmark": "intake_large",
        "environment": env,
        "params": vars(args),
        "file": {"path": str(path), "bytes": size},
        "targets": {"peak_rss_bytes_below": RSS_LIMIT, "time_factor_of_sha256sum": TIME_FACTOR},
        "sha256sum": bl.summarise(sha_times),
        "openssl_dgst_sha256": bl.summarise(ossl_times),
        "library": {
            "add": bl.summarise(add_times),
            "mb_per_s": bl.rates(size / bl.MB, add_times),
            "ratio_to_sha256sum": {
                "best": min(add_times) / sha_best,
                "median": bl.summarise(add_times)["median_s"] / sha_best,
            },
            "child_wall_s": [round(run.wall_s, 3) for _, run in lib],
            "child_cpu_s": [round(run.cpu_s, 3) for _, run in lib],
            "peak_rss_bytes": rss,
            "polled_peak_rss_bytes": [run.polled_peak_rss_bytes for _, run in lib],
            "rss_before_add_bytes": [r["maxrss_before_add_bytes"] for r, _ in lib],
        },
    }
    out = result["library"]
    print(
        f"library case.add: best {min(add_times):.2f} s, median "
        f"{out['add']['median_s']:.2f} s = {out['ratio_to_sha256sum']['best']:.2f}x / "
        f"{out['ratio_to_sha256sum']['median']:.2f}x sha256sum (best / median); "
        f"{out['mb_per_s']['best']:.0f} MB/s"
    )
    print(
        f"peak RSS of the child: max {max(rss) / bl.MB:.1f} MB "
        f"(before add: {max(out['rss_before_add_bytes']) / bl.MB:.1f} MB; polled "
        f"{max(p or 0 for p in out['polled_peak_rss_bytes']) / bl.MB:.1f} MB)"
    )
    met = {
        "rss": max(rss) < RSS_LIMIT,
        "time_library_best": min(add_times) <= TIME_FACTOR * sha_best,
        "time_library_median": out["add"]["median_s"] <= TIME_FACTOR * sha_best,
    }

    if not args.no_cli:
        cli = [cli_run(path, i) for i in range(args.repeat)]
        cli_times = [run.wall_s for run in cli]
        result["cli"] = {
            "add": bl.summarise(cli_times),
            "ratio_to_sha256sum": {
                "best": min(cli_times) / sha_best,
                "median": bl.summarise(cli_times)["median_s"] / sha_best,
            },
            "peak_rss_bytes": [run.maxrss_bytes for run in cli],
            "polled_peak_rss_bytes": [run.polled_peak_rss_bytes for run in cli],
        }
        c = result["cli"]
        print(
            f"CLI indicia add -q: best {min(cli_times):.2f} s, median "
            f"{c['add']['median_s']:.2f} s = {c['ratio_to_sha256sum']['best']:.2f}x / "
            f"{c['ratio_to_sha256sum']['median']:.2f}x sha256sum; peak RSS "
            f"{max(c['peak_rss_bytes']) / bl.MB:.1f} MB"
        )
        met["rss_cli"] = max(c["peak_rss_bytes"]) < RSS_LIMIT
        met["time_cli_best"] = min(cli_times) <= TIME_FACTOR * sha_best
    result["target_met"] = met
    print("targets: " + ", ".join(f"{k} {'MET' if v else 'NOT met'}" for k, v in met.items()))

    staged, _ = library_run(path, 99, "--instrument")
    steps = reference_steps(path)
    result["split"] = {
        "instrumented_add_s": staged["add_s"],
        "stages": staged["stages"],
        "reference_steps_s": steps,
    }
    print(
        f"time split (instrumented run, add {staged['add_s']:.2f} s; hashing runs in a "
        "second thread, overlapping the write):"
    )
    for name, entry in staged["stages"].items():
        print(f"  {name:<42} {entry['seconds']:>8.3f} s  {entry['calls']:>6} calls")
    print("reference, same steps alone: " + ", ".join(f"{k} {v:.2f}" for k, v in steps.items()))
    return result


if __name__ == "__main__":
    main()
