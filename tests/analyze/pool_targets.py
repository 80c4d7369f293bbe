"""Task functions for the isolation tests; importable by spawned workers."""

from __future__ import annotations

import os
import signal
import time

from indicia.errors import ErrorCode, ExtractError


def behave(kind: str) -> str:
    """Do what ``kind`` says: the good, the bad and the hostile."""
    if kind == "ok":
        return f"done in {os.getpid()}"
    if kind == "hang":
        time.sleep(3600)
    if kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "exit":
        os._exit(7)
    if kind == "memory":
        hog = [bytearray(64 << 20) for _ in range(1000)]  # 64 GiB: past any limit
        return str(len(hog))
    if kind == "bug":
        raise KeyError("a bug in an extractor")
    if kind == "coded":
        raise ExtractError(ErrorCode.ENCRYPTED, "needs a password")
    raise AssertionError(kind)
