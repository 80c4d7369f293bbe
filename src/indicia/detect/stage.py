"""The detect stage of ``indicia analyze``: findings and quantities for every extracted document.

Idempotent and versioned. Each document's detection state records the extraction it ran on and
a fingerprint per lexicon (and one for quantities). A run redoes a document only where
something changed: a new extraction redoes everything; a changed lexicon redoes only its
target's findings (and those of composite rules that read it), so the other findings, and the
review decisions keyed to them, stay. Every document written gets a ``document.detected``
custody event naming the versions used, the targets redone and a digest of its findings.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select

from indicia.custody.detected import document_findings, findings_digest
from indicia.custody.events import pending
from indicia.custody.log import ChainWriter
from indicia.detect.detector import Detector, Finding, default_detector
from indicia.detect.lexicon import SUPPORT
from indicia.detect.quantities import Quantity
from indicia.store.database import Database
from indicia.store.schema import detections, extractions, findings, passages, quantities

BATCH_PASSAGES = 5000
"""Passages detected per write transaction."""

ProgressFn = Callable[[int, int, str], None]


@dataclass
class DetectReport:
    """What one detect run did."""

    documents: int = 0
    skipped: int = 0
    findings: int = 0
    supporting: int = 0
    quantities: int = 0
    passages: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Todo:
    sha256: str
    extraction_seq: int
    targets: frozenset[str] | None
    """Targets (and ``quantities``) to redo; None means everything."""
    previous_event: int | None


def finding_key(document: str, page: int, start: int, end: int, indicator: str) -> str:
    """A finding's stable identity: review decisions attach to it across re-detection."""
    raw = f"{document}|{page}|{start}|{end}|{indicator}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _plan(conn: Connection, prints: dict[str, str], force: bool) -> tuple[list[_Todo], int]:
    rows = conn.execute(
        select(
            extractions.c.document_sha256,
            extractions.c.event_seq,
            detections.c.extraction_seq,
            detections.c.fingerprints,
            detections.c.event_seq,
        )
        .select_from(
            extractions.outerjoin(
                detections, detections.c.document_sha256 == extractions.c.document_sha256
            )
        )
        .where(extractions.c.status == "extracted")
        .order_by(extractions.c.document_sha256)
    ).all()
    todo: list[_Todo] = []
    skipped = 0
    for sha, extraction_seq, done_on, stored, event in rows:
        if force or done_on is None or int(done_on) != int(extraction_seq):
            todo.append(_Todo(sha, int(extraction_seq), None, event))
            continue
        old: dict[str, str] = json.loads(stored)
        changed = {t for t in prints if old.get(t) != prints[t]} | (set(old) - set(prints))
        if changed:
            todo.append(_Todo(sha, int(extraction_seq), frozenset(changed), event))
        else:
            skipped += 1
    return todo, skipped


def run_detect(
    db: Database,
    actor: str,
    *,
    force: bool = False,
    detector: Detector | None = None,
    progress: ProgressFn | None = None,
    after_commit: Callable[[int, str], None] | None = None,
) -> DetectReport:
    """Detect in every extracted document that needs it (every one with ``force``)."""
    started = time.monotonic()
    report = DetectReport()
    with db.read() as conn:
        engine = detector if detector is not None else default_detector()
        prints = engine.fingerprints()
        todo, report.skipped = _plan(conn, prints, force)
        sizes = {
            str(sha): int(n)
            for sha, n in conn.execute(
                select(passages.c.document_sha256, func.count()).group_by(
                    passages.c.document_sha256
                )
            )
        }
    batch: list[_Todo] = []
    size = 0
    done = 0
    for item in todo:
        batch.append(item)
        size += int(sizes.get(item.sha256, 0))
        if size >= BATCH_PASSAGES:
            _run_batch(db, actor, engine, prints, batch, report, after_commit)
            done += len(batch)
            if progress:
                progress(done, len(todo), batch[-1].sha256)
            batch, size = [], 0
    if batch:
        _run_batch(db, actor, engine, prints, batch, report, after_commit)
        done += len(batch)
        if progress:
            progress(done, len(todo), batch[-1].sha256)
    report.seconds = time.monotonic() - started
    return report


def _run_batch(
    db: Database,
    actor: str,
    engine: Detector,
    prints: dict[str, str],
    batch: Sequence[_Todo],
    report: DetectReport,
    after_commit: Callable[[int, str], None] | None,
) -> None:
    shas = [item.sha256 for item in batch]
    with db.read() as conn:
        rows = conn.execute(
            select(
                passages.c.id,
                passages.c.document_sha256,
                passages.c.page_number,
                passages.c.start,
                passages.c.language,
                passages.c.text,
            )
            .where(passages.c.document_sha256.in_(shas))
            .order_by(passages.c.id)
        ).all()
    by_doc: dict[str, list[tuple[dict[str, Any], Finding]]] = {sha: [] for sha in shas}
    qty_by_doc: dict[str, list[tuple[dict[str, Any], Quantity]]] = {sha: [] for sha in shas}
    for pid, sha, page, offset, language, text in rows:
        result = engine.detect(text, language)
        base = {"passage_id": pid, "document_sha256": sha, "page_number": page}
        for finding in result.findings:
            by_doc[sha].append((_finding_row(base, offset, finding), finding))
        for quantity in result.quantities:
            qty_by_doc[sha].append((_quantity_row(base, offset, text, quantity), quantity))
    report.passages += len(rows)
    with db.write() as conn:
        chain = ChainWriter(conn)
        states = [
            _write_document(conn, chain, actor, engine, prints, item, by_doc, qty_by_doc, report)
            for item in batch
        ]
        chain.flush()  # the events exist from here on: the state rows may name them
        for sha, values in states:
            updated = conn.execute(
                detections.update().where(detections.c.document_sha256 == sha).values(**values)
            ).rowcount
            if not updated:
                conn.execute(detections.insert().values(document_sha256=sha, **values))
        head = (chain.seq, chain.head)
    if after_commit:
        after_commit(*head)


def _finding_row(base: dict[str, Any], offset: int, finding: Finding) -> dict[str, Any]:
    start, end = offset + finding.start, offset + finding.end
    return {
        **base,
        "key": finding_key(
            base["document_sha256"], base["page_number"], start, end, finding.indicator
        ),
        "start": start,
        "end": end,
        "indicator": finding.indicator,
        "polarity": finding.polarity,
        "rule": finding.rule,
        "rule_version": finding.rule_version,
        "lexicon_version": finding.lexicon_version,
        "quote": finding.quote,
    }


def _quantity_row(
    base: dict[str, Any], offset: int, text: str, quantity: Quantity
) -> dict[str, Any]:
    return {
        **base,
        "start": offset + quantity.start,
        "end": offset + quantity.end,
        "value": quantity.value,
        "high": quantity.high,
        "unit": quantity.unit,
        "counted": quantity.counted,
        "qualifier": quantity.qualifier,
        "rule": quantity.rule,
        "quote": text[quantity.start : quantity.end],
    }


def _write_document(
    conn: Connection,
    chain: ChainWriter,
    actor: str,
    engine: Detector,
    prints: dict[str, str],
    item: _Todo,
    by_doc: dict[str, list[tuple[dict[str, Any], Finding]]],
    qty_by_doc: dict[str, list[tuple[dict[str, Any], Quantity]]],
    report: DetectReport,
) -> tuple[str, dict[str, Any]]:
    sha = item.sha256
    targets = item.targets
    redo_findings = [row for row, f in by_doc[sha] if targets is None or f.indicator in targets]
    doc_filter = findings.c.document_sha256 == sha
    if targets is None:
        conn.execute(delete(findings).where(doc_filter))
    else:
        conn.execute(delete(findings).where(and_(doc_filter, findings.c.indicator.in_(targets))))
    if redo_findings:
        conn.execute(findings.insert(), redo_findings)
    if targets is None or "quantities" in targets:
        conn.execute(delete(quantities).where(quantities.c.document_sha256 == sha))
        rows = [row for row, _ in qty_by_doc[sha]]
        if rows:
            conn.execute(quantities.insert(), rows)
        report.quantities += len(rows)
    report.findings += len(redo_findings)
    report.supporting += sum(1 for r in redo_findings if r["polarity"] in SUPPORT)
    report.documents += 1
    state = document_findings(conn, sha)
    qcount = conn.execute(
        select(func.count()).where(quantities.c.document_sha256 == sha)
    ).scalar_one()
    details: dict[str, Any] = {
        **engine.version_summary(),
        "extraction": item.extraction_seq,
        "redone": sorted(targets) if targets is not None else "all",
        "findings": findings_digest(state),
        "quantities": int(qcount),
    }
    if item.previous_event is not None:
        details["supersedes"] = item.previous_event
    event = chain.add(pending(actor, "document.detected", f"document:{sha}", details))
    return sha, {
        "extraction_seq": item.extraction_seq,
        "fingerprints": json.dumps(prints, sort_keys=True),
        "finding_count": len(state),
        "quantity_count": int(qcount),
        "event_seq": event.seq,
    }
