"""One intake or verification in a fresh interpreter, for the benchmark scripts.

Not a benchmark itself: ``intake_small.py``, ``intake_large.py`` and ``verify.py`` start it as

    python bench/child.py add CASE PATH... [--profile FILE] [--instrument]
    python bench/child.py verify CASE [--no-blobs] [--profile FILE] [--instrument]

and read the one JSON object it prints last. ``add`` creates CASE first (not timed).

``--profile`` writes a cProfile file covering the calling thread *and* the worker threads
(cProfile alone sees only the thread that enabled it). ``--instrument`` wraps the stages of
intake or verification with timers and reports the seconds spent in each; times of code that
runs in worker threads are thread-seconds, so they can add up to more than the wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import hashlib
import json
import os
import pstats
import resource
import stat
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

from indicia import Case
from indicia.collect import intake
from indicia.custody import verify as verify_mod
from indicia.store import blobs
from indicia.store.blobs import BlobStore


def maxrss_bytes() -> int:
    """This process's peak RSS so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Timers:
    """Seconds and calls per named stage, summed over threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.totals: dict[str, list[float]] = {}

    def add(self, name: str, seconds: float) -> None:
        with self.lock:
            entry = self.totals.setdefault(name, [0.0, 0])
            entry[0] += seconds
            entry[1] += 1

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - started)

        return timed

    def report(self) -> dict[str, dict[str, float]]:
        return {
            k: {"seconds": round(v[0], 4), "calls": int(v[1])}
            for k, v in sorted(self.totals.items())
        }


class ThreadProfiles:
    """One cProfile profiler per worker thread, enabled only inside wrapped functions."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.profiles: list[cProfile.Profile] = []

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def profiled(*args: Any, **kwargs: Any) -> Any:
            prof = getattr(self.local, "prof", None)
            if prof is None:
                prof = cProfile.Profile()
                self.local.prof = prof
                with self.lock:
                    self.profiles.append(prof)
            prof.enable()
            try:
                return fn(*args, **kwargs)
            finally:
                prof.disable()

        return profiled

    def dump(self, main: cProfile.Profile, path: str) -> None:
        stats = pstats.Stats(main)
        for prof in self.profiles:
            stats.add(prof)
        stats.dump_stats(path)


class _TimedHash:
    """A sha256 object whose ``update`` is timed."""

    def __init__(self, timers: Timers) -> None:
        self._h = hashlib.sha256()
        self._timers = timers

    def update(self, data: bytes) -> None:
        started = time.perf_counter()
        self._h.update(data)
        self._timers.add("blob: sha256 update", time.perf_counter() - started)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


class _TimedFile:
    """The blob's temporary file, with ``write`` timed."""

    def __init__(self, fh: Any, timers: Timers) -> None:
        self._fh = fh
        self._timers = timers

    def write(self, data: bytes) -> int:
        started = time.perf_counter()
        try:
            return int(self._fh.write(data))
        finally:
            self._timers.add("blob: write to temp file", time.perf_counter() - started)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _TimedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def instrument_intake(timers: Timers) -> None:
    """Time the stages of intake by wrapping module attributes (the source is not edited)."""
    intake._store = timers.wrap("worker: _store, whole item", intake._store)
    intake.sniff = timers.wrap("worker: sniff (libmagic)", intake.sniff)
    intake._commit = timers.wrap("main: _commit batch", intake._commit)
    intake._LimitedReader.read = timers.wrap(  # type: ignore[method-assign]
        "blob: read source", intake._LimitedReader.read
    )
    BlobStore.put = timers.wrap("worker: BlobStore.put", BlobStore.put)  # type: ignore[method-assign]
    blobs.fsync_dir = timers.wrap("blob: fsync_dir (after rename)", blobs.fsync_dir)

    def timed_fsync(fd: int) -> None:
        kind = "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        started = time.perf_counter()
        try:
            os.fsync(fd)
        finally:
            timers.add(f"blob: fsync {kind}", time.perf_counter() - started)

    def timed_fdopen(fd: int, *args: Any, **kwargs: Any) -> _TimedFile:
        return _TimedFile(os.fdopen(fd, *args, **kwargs), timers)

    proxy = types.ModuleType("os_timed")
    proxy.__dict__.update(os.__dict__)
    proxy.fsync = timed_fsync  # type: ignore[attr-defined]
    proxy.fdopen = timed_fdopen  # type: ignore[attr-defined]
    blobs.os = proxy  # type: ignore[attr-defined]
    blobs.hashlib = types.SimpleNamespace(  # type: ignore[attr-defined]
        sha256=lambda: _TimedHash(timers), file_digest=hashlib.file_digest
    )


def instrument_verify(timers: Timers) -> None:
    """Time the stages of verification."""
    verify_mod.check_chain = timers.wrap("main: check_chain", verify_mod.check_chain)
    verify_mod._check_records = timers.wrap("main: _check_records", verify_mod._check_records)
    verify_mod._check_anchors = timers.wrap("main: _check_anchors", verify_mod._check_anchors)
    BlobStore.hash_file = timers.wrap(  # type: ignore[method-assign]
        "worker: hash_file (thread-s)", BlobStore.hash_file
    )
    original_iter = BlobStore.iter_shas

    def listed(self: BlobStore) -> Iterator[str]:
        started = time.perf_counter()
        names = list(original_iter(self))
        timers.add("main: iter_shas (orphan scan)", time.perf_counter() - started)
        return iter(names)

    BlobStore.iter_shas = listed  # type: ignore[method-assign]
    original_iter_stored = verify_mod.iter_stored

    def read_events(*args: Any, **kwargs: Any) -> Iterator[Any]:
        started = time.perf_counter()
        events = list(original_iter_stored(*args, **kwargs))
        timers.add("main: read events from DB", time.perf_counter() - started)
        return iter(events)

    verify_mod.iter_stored = read_events


def cmd_add(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    case = Case.create(args.case)
    create_s = time.perf_counter() - started
    rss_before = maxrss_bytes()
    timers = Timers() if args.instrument else None
    if timers is not None:
        instrument_intake(timers)
    threads = ThreadProfiles() if args.profile else None
    if threads is not None:
        intake._store = threads.wrap(intake._store)
        main = cProfile.Profile()
        main.enable()
    started = time.perf_counter()
    report = case.add(args.paths)
    add_s = time.perf_counter() - started
    if threads is not None:
        main.disable()
        threads.dump(main, args.profile)
    started = time.perf_counter()
    case.close()
    return {
        "create_s": create_s,
        "add_s": add_s,
        "close_s": time.perf_counter() - started,
        "counts": report.summary(),
        "failures": [f"{i.error_code} {i.path}: {i.message}" for i in report.failed[:10]],
        "maxrss_before_add_bytes": rss_before,
        "maxrss_bytes": maxrss_bytes(),
        "stages": timers.report() if timers else None,
    }


def cmd_verify(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    case = Case.open(args.case)
    open_s = time.perf_counter() - started
    timers = Timers() if args.instrument else None
    if timers is not None:
        instrument_verify(timers)
    threads = ThreadProfiles() if args.profile else None
    if threads is not None:
        BlobStore.hash_file = threads.wrap(BlobStore.hash_file)  # type: ignore[method-assign]
        main = cProfile.Profile()
        main.enable()
    started = time.perf_counter()
    report = case.verify(check_blobs=not args.no_blobs)
    verify_s = time.perf_counter() - started
    if threads is not None:
        main.disable()
        threads.dump(main, args.profile)
    case.close()
    return {
        "open_s": open_s,
        "verify_s": verify_s,
        "ok": report.ok,
        "problems": [p.message for p in report.problems[:10]],
        "events": report.events,
        "documents": report.documents,
        "blobs_checked": report.blobs_checked,
        "bytes_hashed": report.bytes_hashed,
        "maxrss_bytes": maxrss_bytes(),
        "stages": timers.report() if timers else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create CASE and time case.add(PATHS)")
    add.add_argument("case")
    add.add_argument("paths", nargs="+")
    verify = sub.add_parser("verify", help="open CASE and time case.verify()")
    verify.add_argument("case")
    verify.add_argument("--no-blobs", action="store_true", help="chain and records only")
    for p in (add, verify):
        p.add_argument("--profile", metavar="FILE", help="write cProfile stats to FILE")
        p.add_argument("--instrument", action="store_true", help="time each stage")
    args = parser.parse_args()
    result = cmd_add(args) if args.command == "add" else cmd_verify(args)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
