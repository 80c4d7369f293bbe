"""Run documents in isolated worker processes, each with a time and a memory limit.

A worker that crashes, hangs or runs out of memory costs only its current document: it is
killed and replaced, and the document is reported failed with a stable code. No home-made
queue beyond that: tasks go to idle workers over a pipe, one at a time.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from indicia.errors import ErrorCode, IndiciaError

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """Why a task produced no result."""

    code: ErrorCode
    message: str


@dataclass(frozen=True)
class Limits:
    """Per-task limits."""

    seconds: float
    memory_bytes: int


def _serve(conn: Connection, fn: Callable[..., Any], memory_bytes: int) -> None:
    """Worker main loop: receive (key, args), reply (key, ok, payload)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        key, args = message
        try:
            conn.send((key, True, fn(*args)))
        except IndiciaError as exc:
            conn.send((key, False, Failure(exc.code, exc.message)))
        except MemoryError:
            conn.send(
                (
                    key,
                    False,
                    Failure(
                        ErrorCode.EXTRACTION_MEMORY,
                        f"ran out of the {memory_bytes >> 20} MiB limit",
                    ),
                )
            )
        except RecursionError:
            conn.send(
                (key, False, Failure(ErrorCode.CORRUPT_FILE, "structure nested too deeply to read"))
            )
        except Exception as exc:
            last = traceback.extract_tb(exc.__traceback__)[-1:]
            where = f" at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno}" if last else ""
            conn.send(
                (
                    key,
                    False,
                    Failure(ErrorCode.EXTRACTOR_CRASHED, f"{type(exc).__name__}: {exc}{where}"),
                )
            )


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    task: Any = None
    started: float = 0.0


class IsolatedPool(Generic[T]):
    """``workers`` processes running ``fn``; use :meth:`run` to map it over tasks."""

    def __init__(self, fn: Callable[..., T], workers: int, limits: Limits) -> None:
        self.fn = fn
        self.workers = max(1, workers)
        self.limits = limits
        self._ctx = multiprocessing.get_context("spawn")
        self._slots: list[_Slot] = []

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_serve,
            args=(child, self.fn, self.limits.memory_bytes),
            daemon=True,
            name="indicia-worker",
        )
        process.start()
        child.close()
        return _Slot(process, parent)

    def _retire(self, slot: _Slot) -> None:
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(5)
        slot.conn.close()

    def run(
        self, tasks: Iterable[tuple[Any, tuple[Any, ...]]]
    ) -> Iterator[tuple[Any, T | Failure]]:
        """Yield ``(key, result or Failure)`` for each ``(key, args)`` task, as they finish."""
        pending = deque(tasks)
        self._slots = [self._spawn() for _ in range(min(self.workers, len(pending)))]
        try:
            while pending or any(s.task is not None for s in self._slots):
                for slot in self._slots:
                    if slot.task is None and pending:
                        slot.task = pending.popleft()
                        slot.started = time.monotonic()
                        slot.conn.send(slot.task)
                busy = [s for s in self._slots if s.task is not None]
                now = time.monotonic()
                timeout = max(0.0, min(s.started + self.limits.seconds - now for s in busy))
                ready = wait(
                    [s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=timeout
                )
                for index, slot in enumerate(list(self._slots)):
                    if slot.task is None:
                        continue
                    outcome = self._check(slot, ready)
                    if outcome is None:
                        continue
                    key = slot.task[0]
                    slot.task = None
                    if isinstance(outcome, Failure) and not slot.process.is_alive():
                        self._retire(slot)
                        self._slots[index] = self._spawn()
                    yield key, outcome
        finally:
            for slot in self._slots:
                with contextlib.suppress(OSError, ValueError):
                    slot.conn.send(None)
                self._retire(slot)

    def _check(self, slot: _Slot, ready: list[Any]) -> T | Failure | None:
        if slot.conn in ready:
            try:
                key, ok, payload = slot.conn.recv()
            except (EOFError, OSError):
                return self._died(slot)
            del key, ok  # the payload is the result, or a Failure the worker built
            return payload  # type: ignore[no-any-return]
        if slot.process.sentinel in ready:
            return self._died(slot)
        if time.monotonic() - slot.started >= self.limits.seconds:
            slot.process.kill()
            slot.process.join(5)
            return Failure(
                ErrorCode.EXTRACTION_TIMEOUT,
                f"stopped after the {self.limits.seconds:g} s time limit",
            )
        return None

    def _died(self, slot: _Slot) -> Failure:
        slot.process.join(5)
        code = slot.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGKILL:
                return Failure(
                    ErrorCode.EXTRACTOR_CRASHED,
                    f"worker killed ({name}), possibly by the system's OOM killer",
                )
            return Failure(ErrorCode.EXTRACTOR_CRASHED, f"worker died from {name}")
        return Failure(ErrorCode.EXTRACTOR_CRASHED, f"worker exited with status {code}")
