"""Media-type sniffing from content (libmagic), never from the file name."""

from __future__ import annotations

import mimetypes
import threading
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
    return pair  # type: ignore[no-any-return]


def sniff(path: Path) -> tuple[str, str]:
    """Return (media type, libmagic's description) of the file's content."""
    mime, describe = _magics()
    try:
        return str(mime.from_file(str(path))), str(describe.from_file(str(path)))
    except magic.MagicException as exc:
        return UNKNOWN, f"unidentified ({exc})"


def declared_type(name: str) -> str | None:
    """The media type the file name's extension claims, kept to flag mismatches."""
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed


def libmagic_version() -> str:
    """The libmagic version, for the record of which tool sniffed."""
    try:
        return str(magic.version())
    except (AttributeError, NotImplementedError):  # very old libmagic
        return "unknown"
