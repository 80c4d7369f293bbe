"""Intake: store originals once, record each collection as provenance, log every step.

Worker threads read, hash and store files (I/O and hashing release the GIL); the calling thread
writes the records in batches, each batch one transaction under the writer lock. A blob is
durable (fsync of file and folder) before the transaction that refers to it commits, so a crash
at any point leaves either nothing or an unreferenced blob, which a re-run adopts.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any, BinaryIO
from uuid import uuid4

from sqlalchemy import Connection, select

from indicia import __version__
from indicia.collect.provenance import DEFAULT_METHOD, ProvenanceInput
from indicia.collect.sniff import declared_type, sniff
from indicia.collect.walk import Candidate, Rejected, classify_error, walk
from indicia.custody.events import canonical_json, format_utc, pending, utc_now
from indicia.custody.log import ChainWriter
from indicia.errors import ErrorCode, IntakeError
from indicia.models import IntakeItem, IntakeReport
from indicia.settings import Settings
from indicia.store.blobs import BlobStore, StoredBlob
from indicia.store.database import Database
from indicia.store.schema import documents, provenance

TOOL = "indicia"
COMMIT_SECONDS = 2.0
IN_CHUNK = 500


@dataclass(frozen=True)
class Stored:
    """A file whose bytes are safely in the blob store, awaiting its records."""

    path: Path
    blob: StoredBlob
    media_type: str
    media_charset: str | None
    mtime: str | None
    provenance: ProvenanceInput
    parent_sha256: str | None = None
    """For a document found inside another (attachment, archive member, WARC record):
    the container; ``path`` is then the name it had inside."""


@dataclass(frozen=True)
class IntakeContext:
    """What intake needs from the case."""

    db: Database
    blobs: BlobStore
    settings: Settings
    after_commit: Callable[[int, str], None]


class _LimitedReader:
    """Reads the source, turning its I/O errors into intake errors and enforcing the size cap."""

    def __init__(self, fh: BinaryIO, limit: int) -> None:
        self.fh, self.limit, self.seen = fh, limit, 0

    def read(self, n: int) -> bytes:
        try:
            data = self.fh.read(n)
        except OSError as exc:
            raise IntakeError(ErrorCode.READ_ERROR, f"read failed: {exc.strerror or exc}") from exc
        self.seen += len(data)
        if self.seen > self.limit:
            raise IntakeError(ErrorCode.FILE_TOO_LARGE, f"grew past the {self.limit}-byte limit")
        return data


def run_intake(
    ctx: IntakeContext,
    paths: list[Path],
    base: ProvenanceInput,
    manifest: dict[Path, ProvenanceInput] | None = None,
    on_item: Callable[[IntakeItem], None] | None = None,
) -> IntakeReport:
    """Take in every file under ``paths`` (or every file the manifest lists, if none given)."""
    base = base.validated()
    manifest = manifest or {}
    if not paths:
        paths = list(manifest)
    report = IntakeReport()
    ctx.blobs.clean_stale_tmp()

    def provenance_for(path: Path) -> ProvenanceInput:
        row = manifest.get(path)
        return base.merged(row) if row else base

    with (
        ThreadPoolExecutor(ctx.settings.intake_threads, "indicia-intake") as pool,
        ThreadPoolExecutor(2, "indicia-hash") as hashers,
    ):

        def work(found: Candidate | Rejected) -> Stored | Rejected:
            if isinstance(found, Rejected):
                return found
            return _store(found, ctx, hashers, provenance_for(found.path))

        batch: list[Stored | Rejected] = []
        started = time.monotonic()
        inflight = max(ctx.settings.intake_threads * 4, ctx.settings.intake_batch)
        for outcome in _bounded_map(pool, work, walk(paths), inflight):
            batch.append(outcome)
            full = len(batch) >= ctx.settings.intake_batch
            if full or time.monotonic() - started > COMMIT_SECONDS:
                _emit(report, _commit(ctx, batch), on_item)
                batch, started = [], time.monotonic()
        if batch:
            _emit(report, _commit(ctx, batch), on_item)
    return report


def _emit(
    report: IntakeReport, items: list[IntakeItem], on_item: Callable[[IntakeItem], None] | None
) -> None:
    report.items.extend(items)
    if on_item:
        for item in items:
            on_item(item)


def _bounded_map(
    pool: ThreadPoolExecutor,
    fn: Callable[[Any], Stored | Rejected],
    items: Iterable[Any],
    inflight: int,
) -> Iterator[Stored | Rejected]:
    """Like ``pool.map`` in input order, but with at most ``inflight`` tasks queued."""
    queue: deque[Future[Stored | Rejected]] = deque()
    for item in items:
        queue.append(pool.submit(fn, item))
        if len(queue) >= inflight:
            yield queue.popleft().result()
    while queue:
        yield queue.popleft().result()


def _store(
    found: Candidate, ctx: IntakeContext, hashers: ThreadPoolExecutor, prov: ProvenanceInput
) -> Stored | Rejected:
    limit = ctx.settings.max_file_size
    size = found.stat.st_size
    if size == 0:
        return Rejected(found.path, ErrorCode.EMPTY_FILE, "zero-byte file")
    if size > limit:
        return Rejected(
            found.path, ErrorCode.FILE_TOO_LARGE, f"{size} bytes is over the {limit}-byte limit"
        )
    try:
        fh = found.path.open("rb")
    except OSError as exc:
        return classify_error(found.path, exc)
    try:
        with fh:
            blob = ctx.blobs.put(_LimitedReader(fh, limit), hashers)
            after = os.fstat(fh.fileno())
    except IntakeError as exc:
        return Rejected(found.path, exc.code, exc.message)
    if blob.size == 0:
        return Rejected(found.path, ErrorCode.EMPTY_FILE, "zero-byte file (emptied while read)")
    if after.st_mtime_ns != found.stat.st_mtime_ns or after.st_size != blob.size:
        return Rejected(
            found.path, ErrorCode.FILE_CHANGED_DURING_READ, "modified while it was read; retry"
        )
    media_type, charset = sniff(blob.path)
    mtime = format_utc(datetime.fromtimestamp(found.stat.st_mtime_ns / 1e9, UTC))
    return Stored(found.path, blob, media_type, charset, mtime, prov)


def _idempotency_key(stored: Stored, collector: str) -> str:
    """Same bytes, same place, same stated provenance: the same collection, recorded once."""
    p = stored.provenance
    identity = {
        "sha256": stored.blob.sha256,
        "original_path": str(stored.path),
        "original_mtime": stored.mtime,
        "source_url": p.source_url,
        "final_url": p.final_url,
        "collected_at": p.collected_at,
        "collector": collector,
        "method": p.method or DEFAULT_METHOD,
        "note": p.note,
    }
    if stored.parent_sha256:
        identity["parent_sha256"] = stored.parent_sha256
    return sha256(canonical_json(identity).encode("utf-8")).hexdigest()


def _existing(conn: Connection, column: Any, values: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(values)
    for start in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[start : start + IN_CHUNK]
        found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def commit_batch(ctx: IntakeContext, batch: list[Stored | Rejected]) -> list[IntakeItem]:
    """Record stored files (and rejections) in one transaction; used by other stages too."""
    return _commit(ctx, batch)


def _commit(ctx: IntakeContext, batch: list[Stored | Rejected]) -> list[IntakeItem]:
    actor = ctx.settings.actor
    stored = [o for o in batch if isinstance(o, Stored)]
    items: list[IntakeItem] = []
    with ctx.db.write() as conn:
        chain = ChainWriter(conn)
        keys = {id(s): _idempotency_key(s, s.provenance.collector or actor) for s in stored}
        known_docs = _existing(conn, documents.c.sha256, {s.blob.sha256 for s in stored})
        known_keys = _existing(conn, provenance.c.idempotency_key, set(keys.values()))
        doc_rows: list[dict[str, Any]] = []
        prov_rows: list[dict[str, Any]] = []
        for outcome in batch:
            if isinstance(outcome, Rejected):
                details = {
                    "path": str(outcome.path),
                    "error_code": outcome.code.value,
                    "message": outcome.message,
                }
                event = chain.add(
                    pending(actor, "intake.rejected", f"path:{outcome.path}", details)
                )
                items.append(
                    IntakeItem(
                        str(outcome.path),
                        "failed",
                        error_code=outcome.code.value,
                        message=outcome.message,
                        event_seq=event.seq,
                    )
                )
                continue
            key = keys[id(outcome)]
            sha = outcome.blob.sha256
            if key in known_keys:
                items.append(
                    IntakeItem(
                        str(outcome.path),
                        "unchanged",
                        sha,
                        outcome.media_type,
                        message="already recorded with the same provenance",
                    )
                )
                continue
            known_keys.add(key)
            new = sha not in known_docs
            known_docs.add(sha)
            at = utc_now()
            doc, prov, details = _records(outcome, key, outcome.provenance.collector or actor, at)
            event = chain.add(
                pending(
                    actor,
                    "document.added" if new else "document.recollected",
                    f"document:{sha}",
                    details,
                    at=at,
                )
            )
            prov["event_seq"] = event.seq
            if new:
                doc["event_seq"] = event.seq
                doc_rows.append(doc)
            prov_rows.append(prov)
            items.append(
                IntakeItem(
                    str(outcome.path),
                    "added" if new else "recollected",
                    sha,
                    outcome.media_type,
                    event_seq=event.seq,
                )
            )
        chain.flush()
        if doc_rows:
            conn.execute(documents.insert(), doc_rows)
        if prov_rows:
            conn.execute(provenance.insert(), prov_rows)
        head = (chain.seq, chain.head)
    ctx.after_commit(*head)
    return items


def _records(
    stored: Stored, key: str, collector: str, at: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The document row, the provenance row and the event details that attest both."""
    p = stored.provenance
    prov_id = uuid4().hex
    document = {
        "sha256": stored.blob.sha256,
        "size": stored.blob.size,
        "media_type": stored.media_type,
        "media_charset": stored.media_charset,
        "status": "stored",
        "error_code": None,
        "added_at": at,
    }
    prov: dict[str, Any] = {
        "id": prov_id,
        "document_sha256": stored.blob.sha256,
        "source_url": p.source_url,
        "final_url": p.final_url,
        "collected_at": p.collected_at or at,
        "recorded_at": at,
        "collector": collector,
        "method": p.method or DEFAULT_METHOD,
        "tool": TOOL,
        "tool_version": __version__,
        "original_path": str(stored.path),
        "original_mtime": stored.mtime,
        "declared_type": declared_type(stored.path.name),
        "note": p.note,
        "parent_sha256": stored.parent_sha256,
        "idempotency_key": key,
    }
    details: dict[str, Any] = {
        "sha256": stored.blob.sha256,
        "size": stored.blob.size,
        "media_type": stored.media_type,
        "media_charset": stored.media_charset,
        "provenance": dict(prov),
    }
    if stored.parent_sha256 is None:
        resolved = os.path.realpath(stored.path)
        if resolved != str(stored.path):
            details["resolved_path"] = resolved
    return document, prov, details
