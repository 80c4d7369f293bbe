"""Media-type sniffing from content (libmagic), never from the file name."""

from __future__ import annotations

import mimetypes
import threading
import zipfile
from pathlib import Path

import magic

_local = threading.local()
UNKNOWN = "application/octet-stream"


def _magics() -> tuple[magic.Magic, magic.Magic]:
    # libmagic handles are not thread-safe: one pair per thread.
    pair = getattr(_local, "pair", None)
    if pair is None:
        pair = (magic.Magic(mime=True), magic.Magic())
        _local.pair = pair
    return pair


# Zip containers whose type libmagic names only when the members happen to be in the order Word
# writes them: the member that identifies each format (read from the central directory only).
_ZIP_MARKERS = (
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
)
_GENERIC = {UNKNOWN, "application/zip"}


def sniff(path: Path) -> tuple[str, str]:
    """Return (media type, libmagic's description) of the file's content."""
    mime, describe = _magics()
    try:
        media_type, description = str(mime.from_file(str(path))), str(describe.from_file(str(path)))
    except magic.MagicException as exc:
        return UNKNOWN, f"unidentified ({exc})"
    if media_type in _GENERIC or description.startswith("Microsoft OOXML"):
        refined = _zip_container_type(path)
        if refined:
            return refined, description
    return media_type, description


def _zip_container_type(path: Path) -> str | None:
    """Identify an OOXML container by its members; never decompresses anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return next((media for marker, media in _ZIP_MARKERS if marker in names), None)


def declared_type(name: str) -> str | None:
    """The media type the file name's extension claims, kept to flag mismatches."""
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed


def libmagic_version() -> str:
    """The libmagic version, for the record of which tool sniffed."""
    try:
        return str(magic.version())  # type: ignore[no-untyped-call]
    except (AttributeError, NotImplementedError):  # very old libmagic
        return "unknown"
