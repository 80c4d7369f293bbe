"""Write the documents found inside a container to temporary files, within limits.

The analyze stage takes each :class:`Child` in as a document of its own (with its parent named
in its provenance) and removes the temporary folder afterwards. Names from inside a container
are labels only: they never become paths, so ``../`` or absolute member names cannot escape.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import IO

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits
from indicia.extract.base import Child


class ChildWriter:
    """Collects children of one container, enforcing count and size limits."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="indicia-children-"))
        self.children: list[Child] = []
        self.total = 0

    def add(
        self,
        name: str,
        source: IO[bytes] | bytes,
        *,
        source_url: str | None = None,
        collected_at: str | None = None,
        note: str | None = None,
    ) -> Child | None:
        """Write one child; ``None`` (and nothing written) when it is empty."""
        if len(self.children) >= limits.MAX_CHILDREN:
            raise ExtractError(
                ErrorCode.CONTAINER_LIMIT, f"more than {limits.MAX_CHILDREN} members"
            )
        target = self.folder / f"{len(self.children):06d}.bin"
        size = 0
        with target.open("wb") as out:
            if isinstance(source, bytes):
                size = len(source)
                self._check(name, size)
                out.write(source)
            else:
                while chunk := source.read(limits.READ_CHUNK):
                    size += len(chunk)
                    self._check(name, size)
                    out.write(chunk)
        if size == 0:
            target.unlink()
            return None
        self.total += size
        child = Child(
            name=name[:1000],
            path=target,
            source_url=source_url,
            collected_at=collected_at,
            note=note,
        )
        self.children.append(child)
        return child

    def _check(self, name: str, size: int) -> None:
        if size > limits.MAX_CHILD_BYTES:
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"member {name[:200]!r} is larger than {limits.MAX_CHILD_BYTES} bytes",
            )
        if self.total + size > limits.MAX_CHILDREN_BYTES:
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"members add up to more than {limits.MAX_CHILDREN_BYTES} bytes",
            )
