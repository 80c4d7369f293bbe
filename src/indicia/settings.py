"""Settings: the only module that reads the environment.

Every setting is an ``INDICIA_*`` variable, documented in ``docs/settings.md`` (a test fails
when one is missing there).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

GIB = 1024**3


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return f"uid:{os.getuid()}"


def _default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "indicia")


@dataclass(frozen=True)
class Settings:
    """Process-wide settings. Build with :func:`get_settings`; pass overrides explicitly."""

    max_file_size: int
    """Largest file intake accepts, in bytes (``INDICIA_MAX_FILE_SIZE``, default 2 GiB)."""
    actor: str
    """Who is acting, recorded in custody events (``INDICIA_ACTOR``, default: the OS user)."""
    database_url: str | None
    """Overrides the case's stored database URL, e.g. to supply a password
    (``INDICIA_DATABASE_URL``)."""
    intake_batch: int
    """Items per intake transaction (``INDICIA_INTAKE_BATCH``, default 256)."""
    intake_threads: int
    """Threads that hash and store files during intake (``INDICIA_INTAKE_THREADS``, default:
    cores, at least 2)."""
    verify_threads: int
    """Threads that re-hash blobs during verify (``INDICIA_VERIFY_THREADS``, default: cores)."""
    lock_timeout: int
    """Seconds a writer waits for another writer's lock (``INDICIA_LOCK_TIMEOUT``, default 120)."""
    workers: int
    """Worker processes for analysis (``INDICIA_WORKERS``, default: cores)."""
    extract_timeout: int
    """Seconds one document may take to extract (``INDICIA_EXTRACT_TIMEOUT``, default 600)."""
    ocr_languages: str | None
    """Tesseract languages for OCR, e.g. ``chi_tra+eng`` or ``uig+chi_sim``
    (``INDICIA_OCR_LANGUAGES``, default ``chi_sim+eng``)."""
    tessdata: str | None
    """Folder of Tesseract ``*.traineddata`` models (``INDICIA_TESSDATA``, default: Debian's)."""
    extract_memory_mb: int
    """Address-space limit of an extraction worker, MiB (``INDICIA_EXTRACT_MEMORY_MB``,
    default 3072)."""
    data_path: str | None
    """A folder of replacement data files laid out like ``indicia/data`` (taxonomy, lexicons,
    quantities): a file there overrides the packaged one of the same path
    (``INDICIA_DATA_PATH``)."""
    cache_dir: str
    """Where compiled matchers are cached (``INDICIA_CACHE_DIR``, default
    ``$XDG_CACHE_HOME/indicia`` or ``~/.cache/indicia``)."""


def get_settings() -> Settings:
    """Read the ``INDICIA_*`` environment into a :class:`Settings`."""
    return Settings(
        max_file_size=_int("INDICIA_MAX_FILE_SIZE", 2 * GIB),
        actor=os.environ.get("INDICIA_ACTOR") or _default_actor(),
        database_url=os.environ.get("INDICIA_DATABASE_URL") or None,
        intake_batch=_int("INDICIA_INTAKE_BATCH", 256),
        intake_threads=_int("INDICIA_INTAKE_THREADS", max(2, os.cpu_count() or 2)),
        verify_threads=_int("INDICIA_VERIFY_THREADS", max(2, os.cpu_count() or 2)),
        lock_timeout=_int("INDICIA_LOCK_TIMEOUT", 120),
        workers=_int("INDICIA_WORKERS", os.cpu_count() or 1),
        extract_timeout=_int("INDICIA_EXTRACT_TIMEOUT", 600),
        extract_memory_mb=_int("INDICIA_EXTRACT_MEMORY_MB", 3072),
        ocr_languages=os.environ.get("INDICIA_OCR_LANGUAGES") or None,
        tessdata=os.environ.get("INDICIA_TESSDATA") or None,
        data_path=os.environ.get("INDICIA_DATA_PATH") or None,
        cache_dir=os.environ.get("INDICIA_CACHE_DIR") or _default_cache_dir(),
    )
