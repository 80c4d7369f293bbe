"""Shared helpers for the benchmark scripts in this folder (not a benchmark itself).

Test data, cases and results all go under ``bench/out/``, which git ignores.
"""

from __future__ import annotations

import base64
import io
import json
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
DATA = OUT / "data"
CASES = OUT / "cases"
CHILD = BENCH / "child.py"
MB = 1_000_000
MIB = 1024 * 1024


def python_exe() -> str:
    """The interpreter running the benchmark (the project's venv), for child processes."""
    return sys.executable


def indicia_exe() -> str:
    """The ``indicia`` command installed beside this interpreter."""
    exe = Path(sys.executable).parent / "indicia"
    if exe.exists():
        return str(exe)
    found = shutil.which("indicia")
    if found is None:
        raise SystemExit("the indicia command is not installed beside this Python")
    return found


# -- results ---------------------------------------------------------------------------------


def summarise(times: Sequence[float]) -> dict[str, Any]:
    """Best (lowest) and median of a list of durations in seconds."""
    return {
        "best_s": min(times),
        "median_s": statistics.median(times),
        "runs_s": [round(t, 4) for t in times],
    }


def rates(amount: float, times: Sequence[float]) -> dict[str, float]:
    """``amount`` per second at the best and the median time."""
    return {"best": amount / min(times), "median": amount / statistics.median(times)}


def write_result(name: str, data: dict[str, Any]) -> Path:
    """Write ``bench/out/NAME.json`` and return its path."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path


def environment() -> dict[str, Any]:
    """What the figures depend on: machine, versions and Indicia's settings."""
    from indicia import __version__
    from indicia.settings import get_settings

    settings = get_settings()
    cpu_model, flags = "unknown", ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and cpu_model == "unknown":
                cpu_model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = value
    except OSError:
        pass
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "sha_ni": "sha_ni" in flags.split(),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "indicia": __version__,
        "filesystem": filesystem_of(OUT),
        "settings": {
            "intake_threads": settings.intake_threads,
            "intake_batch": settings.intake_batch,
            "verify_threads": settings.verify_threads,
        },
    }


def filesystem_of(path: Path) -> str:
    """The file-system type of the mount holding ``path``."""
    target = str(path.resolve())
    best, kind = "", "unknown"
    for part in psutil.disk_partitions(all=True):
        mount = part.mountpoint
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) > len(best):
            best, kind = mount, part.fstype
    return kind


# -- test data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """A folder of generated small files."""

    folder: Path
    files: int
    bytes: int
    generated_s: float | None
    """Seconds spent generating it now, or None when an earlier copy was reused."""


def small_corpus(
    files: int, min_kb: int, max_kb: int, seed: int = 42, content: str = "mixed"
) -> Corpus:
    """``files`` files of uniformly random size (``min_kb``..``max_kb`` KiB), all distinct.

    ``content``: ``random`` (random bytes), ``text`` (base64 lines, which libmagic calls ASCII
    text) or ``mixed`` (alternately). Files go into sub-folders of 1,000. The corpus is kept
    and reused while its parameters match (a stamp file beside the folder records them).
    """
    if content not in ("random", "text", "mixed"):
        raise ValueError(f"unknown content kind {content!r}")
    folder = DATA / f"small-{files}-{min_kb}-{max_kb}kb-{content}-s{seed}"
    stamp = folder.with_name(folder.name + ".json")
    params = {"files": files, "min_kb": min_kb, "max_kb": max_kb, "seed": seed, "content": content}
    if stamp.exists() and folder.is_dir():
        meta = json.loads(stamp.read_text(encoding="utf-8"))
        if meta.get("params") == params:
            return Corpus(folder, meta["files"], meta["bytes"], None)
    stamp.unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    rng = random.Random(seed)
    total = 0
    for i in range(files):
        size = rng.randint(min_kb * 1024, max_kb * 1024)
        binary = content == "random" or (content == "mixed" and i % 2 == 0)
        if binary:
            data, ext = rng.randbytes(size), ".bin"
        else:
            data, ext = base64.encodebytes(rng.randbytes(size * 3 // 4 + 3))[:size], ".txt"
        sub = folder / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True)
        (sub / f"f{i:06d}{ext}").write_bytes(data)
        total += size
    os.sync()  # so that write-back of the test data does not overlap the timed runs
    stamp.write_text(
        json.dumps({"params": params, "files": files, "bytes": total}) + "\n", encoding="utf-8"
    )
    return Corpus(folder, files, total, time.perf_counter() - started)


def large_file(size_mib: int) -> tuple[Path, float | None]:
    """A file of ``size_mib`` MiB of random bytes; returns (path, seconds spent generating)."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"large-{size_mib}MiB.bin"
    if path.exists() and path.stat().st_size == size_mib * MIB:
        return path, None
    started = time.perf_counter()
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as fh:
        for _ in range(size_mib):
            fh.write(os.urandom(MIB))
    os.sync()
    tmp.replace(path)
    return path, time.perf_counter() - started


def fresh_case_path(name: str) -> Path:
    """An empty path under ``bench/out/cases`` (removing what was there)."""
    CASES.mkdir(parents=True, exist_ok=True)
    path = CASES / name
    remove(path)
    return path


def remove(path: Path) -> None:
    """Delete a file or folder tree if present (blobs are read-only files in writable dirs)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def tree_bytes(folder: Path) -> int:
    """Total size of the regular files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- running and timing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    wall_s: float
    returncode: int
    maxrss_bytes: int
    """Peak resident set size of the child (``ru_maxrss`` from ``wait4``: exact, per child)."""
    polled_peak_rss_bytes: int | None
    """Highest RSS seen by polling with psutil (a cross-check), if polling was asked for."""
    cpu_s: float
    """User plus system CPU seconds of the child (all its threads)."""
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        """The last line of stdout, parsed (the child scripts print one JSON object)."""
        lines = self.stdout.strip().splitlines()
        if not lines:
            raise RuntimeError(f"child printed nothing; stderr:\n{self.stderr}")
        return json.loads(lines[-1])  # type: ignore[no-any-return]


def run(
    argv: Sequence[str],
    *,
    poll_rss: bool = False,
    env: dict[str, str] | None = None,
    ok_codes: Sequence[int] = (0,),
) -> Run:
    """Run ``argv``; time it from start to exit and take its peak RSS from ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env)
        peak: list[int] = [0]
        stop = threading.Event()
        poller = None
        if poll_rss:
            poller = threading.Thread(target=_poll_rss, args=(proc.pid, peak, stop), daemon=True)
            poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        if poller is not None:
            poller.join()
        out.seek(0)
        err.seek(0)
        result = Run(
            wall,
            proc.returncode,
            usage.ru_maxrss * 1024,
            peak[0] if poll_rss else None,
            usage.ru_utime + usage.ru_stime,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    if result.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr}")
    return result


def _poll_rss(pid: int, peak: list[int], stop: threading.Event) -> None:
    try:
        proc = psutil.Process(pid)
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.005)
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return


def shell_time(command: str) -> float:
    """Wall time of a shell command line (bash), which must succeed."""
    return run(["bash", "-c", command]).wall_s


def best_of(fn: Callable[[], float], repeat: int, warmup: int = 1) -> list[float]:
    """Call ``fn`` (which returns seconds) ``warmup`` times untimed, then ``repeat`` times."""
    for _ in range(warmup):
        fn()
    return [fn() for _ in range(repeat)]


def child(*args: str, poll_rss: bool = False, env: dict[str, str] | None = None) -> Run:
    """Run ``bench/child.py ARGS`` in a fresh interpreter."""
    return run([python_exe(), str(CHILD), *args], poll_rss=poll_rss, env=env)


def profile_text(path: Path, limit: int = 25) -> str:
    """The top of a saved cProfile file, by cumulative time and then by own time."""
    text = io.StringIO()
    for key in ("cumulative", "tottime"):
        text.write(f"--- sorted by {key} ---\n")
        stats = pstats.Stats(str(path), stream=text)
        stats.strip_dirs().sort_stats(key).print_stats(limit)
    return text.getvalue()


def fmt_bytes(n: float) -> str:
    """``n`` bytes in MiB, for printing."""
    return f"{n / MIB:.1f} MiB"
