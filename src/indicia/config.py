"""The case folder's own description: ``case.json``.

It names the case, the database (a password is never stored) and the blob location. The file
is written once, atomically, when the case is created.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from indicia.errors import CaseError, ErrorCode

CONFIG_NAME = "case.json"
FORMAT = "indicia-case"
FORMAT_VERSION = 1
SQLITE_NAME = "case.db"
HEAD_NAME = "custody.head"


@dataclass(frozen=True)
class CaseConfig:
    """What ``case.json`` holds."""

    case_id: str
    created_at: str
    database_url: str | None
    """``None`` for the embedded SQLite ``case.db``; else a PostgreSQL URL without password."""
    blob_dir: str
    """Relative to the case folder, or absolute."""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def blob_path(self, root: Path) -> Path:
        """The blob directory as an absolute path."""
        path = Path(self.blob_dir)
        return path if path.is_absolute() else root / path

    def write(self, root: Path) -> None:
        """Write ``case.json`` atomically (temp file, fsync, rename)."""
        target = root / CONFIG_NAME
        tmp = root / f".{CONFIG_NAME}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)

    @classmethod
    def read(cls, root: Path) -> CaseConfig:
        """Read and check ``case.json``."""
        path = root / CONFIG_NAME
        if not path.is_file():
            raise CaseError(ErrorCode.CASE_NOT_FOUND, f"{root} is not a case (no {CONFIG_NAME})")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            config = cls(**data)
        except (ValueError, TypeError) as exc:
            raise CaseError(ErrorCode.CASE_CONFIG_INVALID, f"{path}: {exc}") from exc
        if config.format != FORMAT:
            raise CaseError(ErrorCode.CASE_CONFIG_INVALID, f"{path}: not an Indicia case file")
        if config.format_version > FORMAT_VERSION:
            raise CaseError(
                ErrorCode.SCHEMA_TOO_NEW,
                f"{path}: format {config.format_version} is newer than this Indicia",
            )
        return config
