"""Content-addressed storage of originals.

A blob lives at ``ROOT/ab/cd/abcd…`` named by its SHA-256, is read-only (0444), and is written
through a temporary file that is fsynced before an atomic rename, so a blob under its final
name is always complete. The bytes hashed are exactly the bytes written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
TMP_DIR = "tmp"
STALE_TMP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StoredBlob:
    """What :meth:`BlobStore.put` learned about the bytes it stored."""

    sha256: str
    size: int
    path: Path
    created: bool
    """False when identical bytes were already in the store."""


class BlobStore:
    """A directory of immutable, content-addressed files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / TMP_DIR

    def create(self) -> None:
        """Make the directory tree."""
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether a blob with this hash is present."""
        return self.path_for(sha256).is_file()

    def put(self, source: BinaryIO, hasher_pool: ThreadPoolExecutor | None = None) -> StoredBlob:
        """Copy ``source`` into the store, hashing the very bytes written.

        With ``hasher_pool``, hashing a chunk overlaps with writing it (both release the GIL),
        which matters for large files.
        """
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = _mkstemp(self.tmp)
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK):
                    if hasher_pool is not None and len(chunk) >= CHUNK:
                        pending = hasher_pool.submit(digest.update, chunk)
                        out.write(chunk)
                        pending.result()
                    else:
                        digest.update(chunk)
                        out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file() and final.stat().st_size == size:
                tmp_path.unlink()
                return StoredBlob(sha, size, final, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp_path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            tmp_path.replace(final)
            return StoredBlob(sha, size, final, created=True)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp_path.unlink()
            raise

    def sync_dirs(self, shas: list[str]) -> None:
        """fsync the directories that received new names, so the renames are durable."""
        for directory in {self.path_for(s).parent for s in shas}:
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def hash_file(self, sha256: str) -> str | None:
        """Re-hash a stored blob; ``None`` when it is missing."""
        try:
            with self.path_for(sha256).open("rb", buffering=0) as fh:
                return hashlib.file_digest(fh, "sha256").hexdigest()
        except FileNotFoundError:
            return None

    def iter_shas(self) -> Iterator[str]:
        """Every blob name in the store (temporary files excluded)."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if first.name == TMP_DIR or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if second.is_dir():
                    for blob in sorted(second.iterdir()):
                        yield blob.name

    def clean_stale_tmp(self) -> int:
        """Remove temporary files left by processes that died; return how many."""
        removed = 0
        if not self.tmp.is_dir():
            return 0
        now = time.time()
        for entry in self.tmp.iterdir():
            pid = _pid_of(entry.name)
            dead = pid is not None and not _alive(pid)
            try:  # another writer may rename its file into place at any moment
                old = now - entry.stat().st_mtime > STALE_TMP_SECONDS
                if dead or old:
                    entry.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed


def _mkstemp(directory: Path) -> tuple[int, str]:
    import tempfile

    return tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=".part", dir=directory)


def _pid_of(name: str) -> int | None:
    head = name.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
