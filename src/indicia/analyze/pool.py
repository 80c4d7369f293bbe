"""Run documents in isolated worker processes, each with a time and a memory limit.

A worker that crashes, hangs or runs out of memory costs only its current document: it is
killed and replaced, and the document is reported failed with a stable code. No home-made
queue beyond that: tasks go to idle workers over a pipe, one at a time.

A dispatcher thread hands the tasks out and collects the results, so the workers keep working
while the caller is busy with the results it already has (the extract stage writes them to the
database: without the thread, every worker that finished meanwhile sat idle until the write was
done, a fifth of the run). Workers are started with ``spawn`` and import only what the task
function needs: the caller's main script is not run again in each of them (for the ``indicia``
command or a benchmark script that was 0.3 s of imports per worker).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
import time
import traceback
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
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


@contextlib.contextmanager
def _main_script_not_rerun(fn: Callable[..., Any]) -> Iterator[None]:
    """While a worker is started: hide the caller's ``__main__`` from ``multiprocessing``, so
    the new process does not import (run) the main script again before it can work, when the
    task function lives in an importable module and the worker therefore does not need it."""
    if getattr(fn, "__module__", "__main__") == "__main__":
        yield
        return
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")  # no __file__, no __spec__
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class _Raised:
    """An exception of the dispatcher thread, to raise in the caller's."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_DONE = object()
"""Put on the results queue when every task has an outcome."""


class IsolatedPool(Generic[T]):
    """``workers`` processes running ``fn``; use :meth:`run` to map it over tasks."""

    BACKLOG_PER_WORKER = 32
    """Results waiting for the caller, per worker, beyond which no new task is handed out (so a
    slow caller does not pile up results in memory)."""

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
        with _main_script_not_rerun(self.fn):
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
        """Yield ``(key, result or Failure)`` for each ``(key, args)`` task, as they finish.

        The workers go on with the next tasks while the caller handles a result. When the
        caller stops early (an exception, or closing the iterator), the workers are stopped
        before this returns.
        """
        pending = deque(tasks)
        results: queue.Queue[Any] = queue.Queue()
        wake_read, wake_write = os.pipe()
        stop = threading.Event()
        dispatcher = threading.Thread(
            target=self._dispatch,
            args=(pending, results, stop, wake_read),
            name="indicia-pool-dispatcher",
            daemon=True,
        )
        dispatcher.start()
        try:
            while True:
                item = results.get()
                if item is _DONE:
                    return
                if isinstance(item, _Raised):
                    raise item.exc
                yield item
        finally:
            stop.set()
            os.write(wake_write, b"x")
            dispatcher.join()
            os.close(wake_read)
            os.close(wake_write)

    def _dispatch(
        self,
        pending: deque[tuple[Any, tuple[Any, ...]]],
        results: queue.Queue[Any],
        stop: threading.Event,
        wake: int,
    ) -> None:
        """The dispatcher thread: hand out tasks, watch the limits, pass on the outcomes."""
        try:
            self._slots = [self._spawn() for _ in range(min(self.workers, len(pending)))]
            backlog = self.BACKLOG_PER_WORKER * self.workers
            while not stop.is_set() and (pending or any(s.task is not None for s in self._slots)):
                if results.qsize() < backlog:
                    for slot in self._slots:
                        if slot.task is None and pending:
                            slot.task = pending.popleft()
                            slot.started = time.monotonic()
                            slot.conn.send(slot.task)
                busy = [s for s in self._slots if s.task is not None]
                now = time.monotonic()
                timeout = max(0.0, min(s.started + self.limits.seconds - now for s in busy))
                if not busy:  # the caller is behind: look again shortly
                    timeout = 0.01
                ready = wait(
                    [s.conn for s in busy] + [s.process.sentinel for s in busy] + [wake],
                    timeout=timeout,
                )
                self._collect(ready, results)
            results.put(_DONE)
        except BaseException as exc:  # raised again in the caller's thread
            results.put(_Raised(exc))
        finally:
            for slot in self._slots:
                with contextlib.suppress(OSError, ValueError):
                    slot.conn.send(None)
                self._retire(slot)

    def _collect(self, ready: Sequence[Any], results: queue.Queue[Any]) -> None:
        for index, slot in enumerate(list(self._slots)):
            if slot.task is None:
                continue
            outcome = self._check(slot, list(ready))
            if outcome is None:
                continue
            key = slot.task[0]
            slot.task = None
            if isinstance(outcome, Failure) and not slot.process.is_alive():
                self._retire(slot)
                self._slots[index] = self._spawn()
            results.put((key, outcome))

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
