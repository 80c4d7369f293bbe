"""Isolation: a crash, a hang or a memory blow-up costs one task, never the run."""

from __future__ import annotations

from indicia.analyze.pool import Failure, IsolatedPool, Limits
from indicia.errors import ErrorCode
from tests.analyze.pool_targets import behave


def run(kinds: list[str], workers: int = 2) -> dict[str, object]:
    pool: IsolatedPool[str] = IsolatedPool(behave, workers, Limits(3.0, 1 << 30))
    return dict(pool.run([(f"{i}-{k}", (k,)) for i, k in enumerate(kinds)]))


def code(outcome: object) -> ErrorCode | None:
    return outcome.code if isinstance(outcome, Failure) else None


def test_every_failure_is_contained_and_coded() -> None:
    kinds = ["ok", "hang", "ok", "segfault", "ok", "exit", "memory", "bug", "coded", "ok"]
    results = run(kinds)
    assert len(results) == len(kinds)
    by_kind = {key.split("-", 1)[1]: value for key, value in results.items()}
    assert code(by_kind["hang"]) == ErrorCode.EXTRACTION_TIMEOUT
    assert code(by_kind["segfault"]) == ErrorCode.EXTRACTOR_CRASHED
    assert "SIGSEGV" in by_kind["segfault"].message  # type: ignore[union-attr]
    assert code(by_kind["exit"]) == ErrorCode.EXTRACTOR_CRASHED
    assert code(by_kind["memory"]) == ErrorCode.EXTRACTION_MEMORY
    assert code(by_kind["bug"]) == ErrorCode.EXTRACTOR_CRASHED
    assert "KeyError" in by_kind["bug"].message  # type: ignore[union-attr]
    assert code(by_kind["coded"]) == ErrorCode.ENCRYPTED
    oks = [v for k, v in results.items() if k.endswith("-ok")]
    assert len(oks) == 4 and all(isinstance(v, str) and v.startswith("done") for v in oks)


def test_workers_run_in_parallel_processes() -> None:
    results = run(["ok"] * 6)
    assert all(isinstance(v, str) for v in results.values())


def test_empty_task_list() -> None:
    assert run([]) == {}
