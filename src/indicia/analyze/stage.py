"""The extract stage: every document that has no text yet (or failed) goes through an isolated
worker; the results are written by this process alone, in batches, each with its custody event.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Integer, String, Table, delete, func, select

from indicia.analyze.document import DocumentText, analyze_document
from indicia.analyze.pool import Failure, IsolatedPool, Limits
from indicia.collect.intake import IntakeContext, Stored, commit_batch
from indicia.collect.provenance import ProvenanceInput
from indicia.collect.sniff import sniff
from indicia.collect.walk import Rejected
from indicia.custody.derived import passages_digest
from indicia.custody.events import pending, utc_now
from indicia.custody.log import ChainWriter
from indicia.settings import Settings
from indicia.store import fulltext
from indicia.store.blobs import BlobStore
from indicia.store.database import Database
from indicia.store.schema import documents, extractions, pages, passages

if TYPE_CHECKING:
    from indicia.detect.stage import DetectReport

COMMIT_SECONDS = 2.0
BATCH = 32
MAX_ROUNDS = 8
"""Rounds of containers within containers one run opens; deeper ones wait for the next run."""


@dataclass
class AnalyzeReport:
    """What one ``analyze`` run did."""

    extracted: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    passages: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    """(document sha256, error code, reason)."""
    detection: DetectReport | None = None
    """What the detect stage did after extraction (None when it did not run)."""

    @property
    def ok(self) -> bool:
        """True when no document failed in this run."""
        return self.failed == 0


ProgressFn = Callable[[int, int, str], None]
"""Called after each document with (done, total, sha256)."""


def run_extract(
    db: Database,
    blobs: BlobStore,
    settings: Settings,
    *,
    force: bool = False,
    progress: ProgressFn | None = None,
    after_commit: Callable[[int, str], None] | None = None,
) -> AnalyzeReport:
    """Extract every document that needs it; ``force`` redoes every document."""
    started = time.monotonic()
    report = AnalyzeReport()
    seen: set[str] = set()
    for _ in range(MAX_ROUNDS):
        if not _round(db, blobs, settings, report, seen, force, progress, after_commit):
            break
    report.seconds = time.monotonic() - started
    return report


def _round(
    db: Database,
    blobs: BlobStore,
    settings: Settings,
    report: AnalyzeReport,
    seen: set[str],
    force: bool,
    progress: ProgressFn | None,
    after_commit: Callable[[int, str], None] | None,
) -> bool:
    """Extract what needs it (documents not seen in this run); False when nothing did."""
    with db.read() as conn:
        query = (
            select(documents.c.sha256, documents.c.media_type, extractions.c.status)
            .join(extractions, extractions.c.document_sha256 == documents.c.sha256, isouter=True)
            .order_by(documents.c.event_seq)
        )
        rows = conn.execute(query).all()
    todo = [
        (r.sha256, r.media_type)
        for r in rows
        if r.sha256 not in seen and (force or r.status != "extracted")
    ]
    if not seen:
        report.skipped = len(rows) - len(todo)
    seen.update(r.sha256 for r in rows)
    if not todo:
        return False
    ocr = (settings.ocr_languages, settings.tessdata)
    tasks = [(sha, (blobs.path_for(sha), media, *ocr)) for sha, media in todo]
    limits = Limits(settings.extract_timeout, settings.extract_memory_mb << 20)
    pool: IsolatedPool[DocumentText] = IsolatedPool(analyze_document, settings.workers, limits)
    batch: list[tuple[str, DocumentText | Failure]] = []
    last_commit = time.monotonic()
    for done, (sha, outcome) in enumerate(pool.run(tasks), start=1):
        batch.append((sha, outcome))
        if isinstance(outcome, Failure):
            report.failed += 1
            report.failures.append((sha, outcome.code.value, outcome.message))
        else:
            report.extracted += 1
            report.pages += len(outcome.pages)
            report.passages += outcome.passage_count
        if len(batch) >= BATCH or time.monotonic() - last_commit > COMMIT_SECONDS:
            _flush(db, blobs, settings, batch, after_commit)
            batch, last_commit = [], time.monotonic()
        if progress:
            progress(done, len(tasks), sha)
    if batch:
        _flush(db, blobs, settings, batch, after_commit)
    return True


def _flush(
    db: Database,
    blobs: BlobStore,
    settings: Settings,
    batch: list[tuple[str, DocumentText | Failure]],
    after_commit: Callable[[int, str], None] | None,
) -> None:
    """Children first (their own transaction), then the batch: after a crash between the two,
    the parents are redone and their children found already recorded."""
    try:
        _take_in_children(db, blobs, settings, batch, after_commit)
        _write(db, settings.actor, batch, after_commit)
    finally:
        for _, outcome in batch:
            if not isinstance(outcome, Failure):
                for folder in {c.path.parent for c in outcome.extraction.children}:
                    shutil.rmtree(folder, ignore_errors=True)


def _take_in_children(
    db: Database,
    blobs: BlobStore,
    settings: Settings,
    batch: list[tuple[str, DocumentText | Failure]],
    after_commit: Callable[[int, str], None] | None,
) -> None:
    items: list[Stored | Rejected] = []
    for parent, outcome in batch:
        if isinstance(outcome, Failure):
            continue
        method = f"{outcome.extractor.split('.', 1)[0]}-member"
        for child in outcome.extraction.children:
            with child.path.open("rb") as fh:
                blob = blobs.put(fh)
            media_type, charset = sniff(blob.path)
            prov = ProvenanceInput(
                source_url=child.source_url,
                collected_at=child.collected_at,
                method=method,
                note=child.note,
            )
            items.append(
                Stored(
                    Path(child.name), blob, media_type, charset, None, prov, parent_sha256=parent
                )
            )
    if items:
        ctx = IntakeContext(db, blobs, settings, after_commit or (lambda _s, _h: None))
        commit_batch(ctx, items)


def _previous(conn: Connection, shas: list[str]) -> dict[str, int]:
    """The event that made each document's earlier extraction, for those that have one (one
    query for the batch instead of one per document)."""
    found: dict[str, int] = {}
    for start in range(0, len(shas), 500):
        query = select(extractions.c.document_sha256, extractions.c.event_seq).where(
            extractions.c.document_sha256.in_(shas[start : start + 500])
        )
        found.update((str(r.document_sha256), int(r.event_seq)) for r in conn.execute(query))
    return found


def _clear(conn: Connection, sha: str, previous: int | None) -> int | None:
    """Remove a document's earlier text, if ``previous`` (the event that made it) says it has
    any; return ``previous``."""
    if previous is None:
        return None
    ids = conn.execute(select(passages.c.id).where(passages.c.document_sha256 == sha)).scalars()
    fulltext.remove(conn, list(ids))
    conn.execute(delete(passages).where(passages.c.document_sha256 == sha))
    conn.execute(delete(pages).where(pages.c.document_sha256 == sha))
    conn.execute(delete(extractions).where(extractions.c.document_sha256 == sha))
    return int(previous)


def extraction_details(result: DocumentText) -> dict[str, Any]:
    """What the ``document.extracted`` event attests (verify re-checks the records against it)."""
    ex = result.extraction
    return {
        "extractor": result.extractor,
        "tool": ex.tool,
        "tool_version": ex.tool_version,
        "title": ex.title,
        "published": ex.published,
        "canonical_url": ex.canonical_url,
        "charset": ex.charset,
        "warnings": list(ex.warnings),
        "pages": [
            {
                "number": p.number,
                "sha256": p.sha256,
                "chars": len(p.text),
                "method": p.method,
                "language": p.language,
                "script": p.script,
                "ocr_confidence": p.ocr_confidence,
            }
            for p in result.pages
        ],
        "passages": passages_digest(
            (p.number, s.start, s.end, s.language, s.script)
            for p in result.pages
            for s in p.passages
        ),
    }


def _extraction_row(values: dict[str, Any]) -> dict[str, Any]:
    """A full row (every column present, as a multi-row insert needs)."""
    row: dict[str, Any] = {c.name: None for c in extractions.columns}
    row.update(page_count=0, passage_count=0)
    row.update(values)
    return row


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert full rows (every column present). On SQLite, straight through the driver's
    ``executemany``: SQLAlchemy's per-row parameter processing cost about 0.5 ms a page of
    60 passages, and these columns (integers and strings) need none."""
    if conn.dialect.name != "sqlite" or not all(
        isinstance(c.type, Integer | String) for c in table.columns
    ):
        conn.execute(table.insert(), rows)
        return
    names = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    conn.exec_driver_sql(sql, [tuple(row[n] for n in names) for row in rows])


def _write(
    db: Database,
    actor: str,
    batch: list[tuple[str, DocumentText | Failure]],
    after_commit: Callable[[int, str], None] | None,
) -> None:
    with db.write() as conn:
        chain = ChainWriter(conn)
        next_id = int(conn.execute(select(func.coalesce(func.max(passages.c.id), 0))).scalar_one())
        page_rows: list[dict[str, Any]] = []
        passage_rows: list[dict[str, Any]] = []
        index_rows: list[tuple[int, str]] = []
        extraction_rows: list[dict[str, Any]] = []
        earlier = _previous(conn, [sha for sha, _ in batch])
        for sha, outcome in batch:
            previous = _clear(conn, sha, earlier.get(sha))
            if isinstance(outcome, Failure):
                details: dict[str, Any] = {
                    "error_code": outcome.code.value,
                    "message": outcome.message,
                }
                if previous is not None:
                    details["supersedes"] = previous
                event = chain.add(
                    pending(actor, "extraction.failed", f"document:{sha}", details, at=utc_now())
                )
                extraction_rows.append(
                    _extraction_row(
                        {
                            "document_sha256": sha,
                            "status": "failed",
                            "error_code": outcome.code.value,
                            "message": outcome.message,
                            "page_count": 0,
                            "passage_count": 0,
                            "event_seq": event.seq,
                        }
                    )
                )
                continue
            details = extraction_details(outcome)
            if previous is not None:
                details["supersedes"] = previous
            event = chain.add(pending(actor, "document.extracted", f"document:{sha}", details))
            ex = outcome.extraction
            extraction_rows.append(
                _extraction_row(
                    {
                        "document_sha256": sha,
                        "status": "extracted",
                        "extractor": outcome.extractor,
                        "tool": ex.tool,
                        "tool_version": ex.tool_version,
                        "title": ex.title,
                        "published": ex.published,
                        "canonical_url": ex.canonical_url,
                        "charset": ex.charset,
                        "page_count": len(outcome.pages),
                        "passage_count": outcome.passage_count,
                        "event_seq": event.seq,
                    }
                )
            )
            for page in outcome.pages:
                page_rows.append(
                    {
                        "document_sha256": sha,
                        "number": page.number,
                        "text": page.text,
                        "sha256": page.sha256,
                        "chars": len(page.text),
                        "method": page.method,
                        "language": page.language,
                        "script": page.script,
                        "ocr_confidence": page.ocr_confidence,
                    }
                )
                for span in page.passages:
                    next_id += 1
                    passage_rows.append(
                        {
                            "id": next_id,
                            "document_sha256": sha,
                            "page_number": page.number,
                            "start": span.start,
                            "end": span.end,
                            "language": span.language,
                            "script": span.script,
                            "text": page.text[span.start : span.end],
                        }
                    )
                    index_rows.append((next_id, span.index_text))
        chain.flush()
        for table, rows in (
            (extractions, extraction_rows),
            (pages, page_rows),
            (passages, passage_rows),
        ):
            if rows:
                _insert(conn, table, rows)
        fulltext.add(conn, index_rows)
        head = (chain.seq, chain.head)
    if after_commit:
        after_commit(*head)
