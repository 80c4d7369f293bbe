"""``zip.v1``: a ZIP archive's members become child documents; its page lists them.

The central directory is checked for bombs before anything is inflated (member count, total
size, compression ratio), every member is read through a bounded copy, and encrypted members
are listed but not read.
"""

from __future__ import annotations

import platform
import zipfile
from pathlib import Path

from indicia.errors import ErrorCode, ExtractError
from indicia.extract.base import Extraction, Page
from indicia.extract.children import ChildWriter
from indicia.extract.docx import check_zip

NAME = "zip.v1"


def extract(path: Path, media_type: str) -> Extraction:
    """List the members and hand each file member over as a child document."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"not a readable zip ({exc})") from exc
    writer = ChildWriter()
    warnings: list[str] = []
    lines = [f"ZIP archive, {len(archive.infolist())} entries:"]
    with archive:
        check_zip(archive)
        for member in archive.infolist():
            lines.append(f"{member.filename}  ({member.file_size} bytes)")
            if member.is_dir():
                continue
            if member.flag_bits & 0x1:
                warnings.append(f"{member.filename}: encrypted member not read")
                continue
            try:
                with archive.open(member) as source:
                    writer.add(member.filename, source, note="member of a ZIP archive")
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                warnings.append(f"{member.filename}: unreadable member ({exc})")
    return Extraction(
        pages=[Page(1, "\n".join(lines), "listing")],
        tool="zipfile",
        tool_version=f"python={platform.python_version()}",
        extractor=NAME,
        children=writer.children,
        warnings=warnings,
    )
