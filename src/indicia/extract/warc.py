"""``warc.v1``: a web archive (WARC, plain or gzip). Each response (and resource) record
becomes a child document whose provenance is the record's target URI and capture date; the
archive's own page lists the records.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from indicia.custody.events import format_utc
from indicia.errors import ErrorCode, ExtractError
from indicia.extract import versions
from indicia.extract.base import Extraction, Page
from indicia.extract.children import ChildWriter

NAME = "warc.v1"
RECORDS = ("response", "resource")


def _utc(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return format_utc(moment) if moment.tzinfo else None


def extract(path: Path, media_type: str) -> Extraction:
    """List the records; hand each captured payload over as a child document."""
    writer = ChildWriter()
    lines: list[str] = []
    skipped = 0
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type not in RECORDS:
                    skipped += 1
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                when = _utc(record.rec_headers.get_header("WARC-Date"))
                status = record.http_headers.get_statuscode() if record.http_headers else ""
                lines.append(f"{when or '-'}  {status or '-'}  {uri}")
                writer.add(
                    uri or "record",
                    record.content_stream(),
                    source_url=uri or None,
                    collected_at=when,
                    note=f"WARC {record.rec_type} record",
                )
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        if not lines:
            raise ExtractError(ErrorCode.CORRUPT_FILE, f"not a readable WARC ({exc})") from exc
        lines.append(f"(archive ends early: {exc})")
    head = f"WARC archive: {len(lines)} captured record(s), {skipped} other record(s)"
    return Extraction(
        pages=[Page(1, "\n".join([head, *lines]), "listing")],
        tool="warcio",
        tool_version=f"warcio={versions.of('warcio')}",
        extractor=NAME,
        children=writer.children,
    )
