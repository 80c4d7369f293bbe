"""Fault injection: SIGKILL at random points, and two writers at once, on both backends.

These run real `indicia add` processes. After every kill the case must open, verify clean,
and a final re-run must finish the job with no duplicate record.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from indicia import Case
from indicia.store.schema import provenance
from tests.conftest import Backend

KILLS = {"sqlite": 24, "postgresql": 12}


def make_corpus(root: Path, files: int, seed: int) -> tuple[int, int]:
    """Write ``files`` small files (some identical); return (files, distinct contents)."""
    rng = random.Random(seed)
    contents: list[bytes] = []
    for i in range(files):
        if contents and rng.random() < 0.15:
            data = rng.choice(contents)
        else:
            data = f"SYNTHETIC {i} ".encode() + rng.randbytes(rng.randint(500, 20_000))
            contents.append(data)
        path = root / f"d{i % 7}" / f"f{i:04d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files, len(contents)


def add_process(backend: Backend, case: Path, *paths: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "indicia.cli",
            "add",
            str(case),
            *map(str, paths),
            "-q",
            "--source-url",
            "https://example.org/bulk",
        ],
        env={**backend.env(), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def count_blobs(root: Path) -> int:
    """Originals on disk (committed or not), read without opening the case."""
    if not root.is_dir():
        return 0
    return sum(
        len(os.listdir(shard)) for shard in root.iterdir() if shard.is_dir() and shard.name != "tmp"
    )


def provenance_count(case: Case) -> int:
    with case.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(provenance)).scalar_one())


@pytest.mark.slow
def test_sigkill_at_random_points_never_corrupts_and_rerun_completes(
    backend: Backend, tmp_path: Path
) -> None:
    backend.create().close()
    rng = random.Random(2026)
    folders, total_files, contents = [], 0, set()
    blobs = tmp_path / "case" / "blobs"
    killed_while_working = 0
    for i in range(KILLS[backend.name]):
        folder = tmp_path / f"corpus{i}"
        files, _ = make_corpus(folder, 150, seed=i)
        folders.append(folder)
        total_files += files
        contents |= {p.read_bytes() for p in folder.rglob("*.bin")}
        before = count_blobs(blobs)
        proc = add_process(
            backend, tmp_path / "case", folder, INDICIA_INTAKE_BATCH=str(rng.choice([1, 3, 10, 40]))
        )
        if i % 4 == 0:  # some kills at a random moment, start-up included
            time.sleep(rng.uniform(0.05, 1.0))
        else:  # most once a random number of new originals are on disk: mid-intake
            target, deadline = before + rng.randint(1, files - 10), time.monotonic() + 60
            while count_blobs(blobs) < target and proc.poll() is None:
                assert time.monotonic() < deadline, "intake made no progress"
                time.sleep(0.002)
        killed_while_working += proc.poll() is None and count_blobs(blobs) > before
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        with backend.open() as case:
            report = case.verify()
            assert report.ok, (i, report.problems)
    # The kills must mostly land mid-intake, or the test proves nothing.
    assert killed_while_working >= KILLS[backend.name] // 2, killed_while_working
    proc = add_process(backend, tmp_path / "case", *folders)
    _, err = proc.communicate()
    assert proc.returncode == 0, err
    with backend.open() as case:
        assert case.verify().ok
        docs = case.documents()
        assert len(docs) == len(contents)
        assert provenance_count(case) == total_files
        assert list(case.blobs.tmp.iterdir()) == []
        intake_events = [e for e in case.custody() if e.action.startswith("document.")]
        assert len(intake_events) == total_files


@pytest.mark.slow
def test_two_writers_at_once(backend: Backend, tmp_path: Path) -> None:
    make_corpus(tmp_path / "a", 120, seed=1)
    make_corpus(tmp_path / "b", 120, seed=2)
    backend.create().close()
    first = add_process(backend, tmp_path / "case", tmp_path / "a", INDICIA_INTAKE_BATCH="4")
    second = add_process(
        backend, tmp_path / "case", tmp_path / "b", tmp_path / "a", INDICIA_INTAKE_BATCH="4"
    )
    for proc in (first, second):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with backend.open() as case:
        report = case.verify()
        assert report.ok, report.problems
        # Same path, same bytes, same stated provenance: recorded once, whoever got there first.
        assert provenance_count(case) == 240
        seqs = [e.seq for e in case.custody()]
        assert seqs == list(range(1, len(seqs) + 1))


def test_distinct_contents_in_corpus_helper(tmp_path: Path) -> None:
    files, distinct = make_corpus(tmp_path, 40, seed=3)
    on_disk = {p.read_bytes() for p in tmp_path.rglob("*.bin")}
    assert (files, distinct) == (40, len(on_disk))


def test_killed_process_leaves_case_openable_even_during_creation(tmp_path: Path) -> None:
    # Kill `init` itself at random points: either no case, or a case that verifies.
    rng = random.Random(5)
    for i in range(8):
        target = tmp_path / f"c{i}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "indicia.cli", "init", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 0.8))
        proc.kill()
        proc.wait()
        if (target / "case.json").exists():
            with Case.open(target) as case:
                assert case.verify().ok
