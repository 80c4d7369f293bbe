"""Media-type sniffing from content (libmagic), never from the file name.

One libmagic pass gives the type and, for text, the character encoding it guesses.
"""

from __future__ import annotations

import gzip
import mimetypes
import threading
import zipfile
import zlib
from pathlib import Path

import magic

_local = threading.local()
UNKNOWN = "application/octet-stream"

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
_XML = {"text/xml", "application/xml"}


def _magic() -> magic.Magic:
    # libmagic handles are not thread-safe, and each costs ~17 MB: one per intake thread.
    handle = getattr(_local, "handle", None)
    if handle is None:
        handle = magic.Magic(mime=True, mime_encoding=True)
        _local.handle = handle
    return handle


def sniff(path: Path) -> tuple[str, str | None]:
    """Return (media type, charset or ``None`` for binary content) of the file's bytes."""
    try:
        answer = str(_magic().from_file(str(path)))
    except magic.MagicException:
        return UNKNOWN, None
    media_type, _, params = answer.partition(";")
    media_type = media_type.strip() or UNKNOWN
    charset = params.strip().removeprefix("charset=") or None
    if charset == "binary":
        charset = None
    if media_type in _GENERIC:
        media_type = _zip_container_type(path) or media_type
    elif media_type == "application/gzip" and _gzip_starts_with(path, b"WARC/"):
        media_type = "application/warc"
    elif media_type in _XML and _looks_like_xhtml(path):
        media_type = "application/xhtml+xml"
    return media_type, charset


def _gzip_starts_with(path: Path, magic_bytes: bytes) -> bool:
    """Whether a gzip file's content starts with ``magic_bytes`` (reads a few bytes only)."""
    try:
        with gzip.open(path, "rb") as fh:
            return fh.read(len(magic_bytes)) == magic_bytes
    except (OSError, EOFError, zlib.error):
        return False


def _looks_like_xhtml(path: Path) -> bool:
    """An XML document whose root is ``<html``: libmagic calls XHTML with a declaration XML."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).lower()
    except OSError:
        return False
    return b"<html" in head


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
