"""Expand the paths given to ``add`` into candidate files, reporting what cannot be taken.

Folders are walked recursively in name order. Symbolic links are followed (the provenance keeps
the path as found); a link that leads back into a folder already being walked is a loop.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indicia.errors import ErrorCode


@dataclass(frozen=True)
class Candidate:
    """A regular file to take in."""

    path: Path
    """As found (absolute, not resolved)."""
    stat: os.stat_result


@dataclass(frozen=True)
class Rejected:
    """A path that cannot be taken in, with its stable code."""

    path: Path
    code: ErrorCode
    message: str


Found = Candidate | Rejected

_SPECIAL = (
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
)


def classify_error(path: Path, exc: OSError) -> Rejected:
    """Turn an OSError about ``path`` into a :class:`Rejected` with a stable code."""
    if exc.errno == errno.ELOOP:
        return Rejected(path, ErrorCode.SYMLINK_LOOP, "symbolic-link loop")
    if isinstance(exc, PermissionError):
        return Rejected(path, ErrorCode.PERMISSION_DENIED, "permission denied")
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return Rejected(path, ErrorCode.PATH_NOT_FOUND, "dangling symbolic link")
        return Rejected(path, ErrorCode.PATH_NOT_FOUND, "no such file or folder")
    return Rejected(path, ErrorCode.READ_ERROR, f"{exc.strerror or exc}")


def walk(paths: list[Path]) -> Iterator[Found]:
    """Yield every candidate file under ``paths`` and every path that must be rejected."""
    for given in paths:
        path = Path(os.path.abspath(given))  # noqa: PTH100 (keep links unresolved: record the path as found)
        yield from _visit(path, ancestors=frozenset())


def _visit(path: Path, ancestors: frozenset[tuple[int, int]]) -> Iterator[Found]:
    try:
        st = path.stat()
    except OSError as exc:
        yield classify_error(path, exc)
        return
    if stat.S_ISREG(st.st_mode):
        yield Candidate(path, st)
        return
    if stat.S_ISDIR(st.st_mode):
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            yield Rejected(path, ErrorCode.SYMLINK_LOOP, "symbolic link back into a parent folder")
            return
        try:
            names = sorted(entry.name for entry in os.scandir(path))
        except OSError as exc:
            yield classify_error(path, exc)
            return
        for name in names:
            yield from _visit(path / name, ancestors | {key})
        return
    kind = next((label for test, label in _SPECIAL if test(st.st_mode)), "not a regular file")
    yield Rejected(path, ErrorCode.NOT_A_REGULAR_FILE, f"{kind}, not a regular file")
