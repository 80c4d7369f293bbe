"""Content-addressed storage of originals.

A blob lives at ``ROOT/ab/abcd…`` named by its SHA-256, is read-only (0444), and is written
through a temporary file that is fsynced before an atomic rename; the folder is fsynced after the
rename. A blob under its final name is therefore always complete and durable. The bytes hashed
are exactly the bytes written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

CHUNK = 1024 * 1024
TMP_DIR = "tmp"
STALE_TMP_SECONDS = 24 * 3600
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


class Readable(Protocol):
    """Anything with ``read(n) -> bytes``."""

    def read(self, n: int, /) -> bytes: ...


@dataclass(frozen=True)
class StoredBlob:
    """What :meth:`BlobStore.put` learned about the bytes it stored."""

    sha256: str
    size: int
    path: Path
    created: bool
    """False when identical bytes were already in the store."""


def fsync_dir(directory: Path) -> None:
    """Make the names in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        return self.root / sha256[:2] / sha256

    def put(self, source: Readable, hasher_pool: ThreadPoolExecutor | None = None) -> StoredBlob:
        """Copy ``source`` into the store, hashing the very bytes written.

        With ``hasher_pool``, hashing a chunk overlaps with writing it (both release the GIL),
        which matters for large files.
        """
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=".part", dir=self.tmp)
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
            with contextlib.suppress(FileNotFoundError):
                if final.stat().st_size == size:
                    tmp_path.unlink()
                    return StoredBlob(sha, size, final, created=False)
            if not final.parent.is_dir():
                final.parent.mkdir(exist_ok=True)
                fsync_dir(self.root)
            tmp_path.chmod(READ_ONLY)
            tmp_path.replace(final)
            fsync_dir(final.parent)
            return StoredBlob(sha, size, final, created=True)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp_path.unlink()
            raise

    def hash_file(self, sha256: str) -> str | None:
        """Re-hash a stored blob; ``None`` when it is missing.

        Plain ``os.read`` in 1 MiB chunks: the fewest Python steps per file, so that parallel
        re-hashing threads hold the GIL as little as possible.
        """
        try:
            fd = os.open(self.path_for(sha256), os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            digest = hashlib.sha256()
            while chunk := os.read(fd, CHUNK):
                digest.update(chunk)
            return digest.hexdigest()
        finally:
            os.close(fd)

    def hash_many(self, shas: Sequence[str]) -> list[str | None]:
        """Re-hash several blobs (one task's worth, to keep thread hand-offs rare)."""
        return [self.hash_file(sha) for sha in shas]

    def iter_shas(self) -> Iterator[str]:
        """Every blob name in the store (temporary files excluded)."""
        if not self.root.is_dir():
            return
        with os.scandir(self.root) as top:
            shards = [e.path for e in top if e.name != TMP_DIR and e.is_dir()]
        for shard in shards:
            with os.scandir(shard) as entries:
                yield from (e.name for e in entries)

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
