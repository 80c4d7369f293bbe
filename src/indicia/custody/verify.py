"""Verify a case: the hash chain, the records against the events that made them, and every blob.

Every check reads one consistent snapshot of the database. Blobs are re-hashed in parallel
threads (hashing releases the GIL), while the chain is walked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from indicia.custody.chain import Problem, StoredEvent, check_chain, compare_record
from indicia.custody.derived import check_derived
from indicia.custody.detected import check_detected
from indicia.custody.log import iter_stored
from indicia.errors import ErrorCode
from indicia.models import VerificationReport
from indicia.store.blobs import BlobStore
from indicia.store.database import Database
from indicia.store.schema import documents, provenance

INTAKE_ACTIONS = ("document.added", "document.recollected")
HASH_BATCH = 256  # blobs per hashing task: few thread hand-offs, both cores busy
DOCUMENT_FIELDS = ("sha256", "size", "media_type", "media_charset")


@dataclass(frozen=True)
class Anchor:
    """A (seq, hash) pair published or exported earlier: the log must still contain it."""

    seq: int
    hash: str
    origin: str

    @classmethod
    def parse(cls, text: str, origin: str = "anchor") -> Anchor:
        """Read ``SEQ:HASH``."""
        seq, _, digest = text.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError(f"an anchor is SEQ:SHA256HEX, got {text!r}")
        return cls(int(seq), digest.lower(), origin)


def verify(
    db: Database,
    blobs: BlobStore,
    anchors: Sequence[Anchor],
    threads: int,
    check_blobs: bool = True,
) -> VerificationReport:
    """Run every check; the report lists each problem with its code, seq and subject."""
    report = VerificationReport()
    with db.read() as conn:
        events = list(iter_stored(conn))
        doc_rows: list[Mapping[str, Any]] = [*conn.execute(select(documents)).mappings()]
        prov_rows: list[Mapping[str, Any]] = [*conn.execute(select(provenance)).mappings()]
        derived = check_derived(conn, events) + check_detected(conn, events)
    report.events, report.documents, report.provenance = len(events), len(doc_rows), len(prov_rows)
    if events:
        report.head_seq, report.head_hash = events[-1].seq, events[-1].hash

    with ThreadPoolExecutor(threads, "indicia-verify") as pool:
        shas = [str(r["sha256"]) for r in doc_rows] if check_blobs else []
        batches = [shas[i : i + HASH_BATCH] for i in range(0, len(shas), HASH_BATCH)]
        hashing = pool.map(blobs.hash_many, batches)  # runs while the chain is checked
        report.problems.extend(check_chain(events))
        report.problems.extend(_check_anchors(events, anchors))
        report.problems.extend(_check_records(events, doc_rows, prov_rows))
        report.problems.extend(derived)
        hashed = [digest for batch in hashing for digest in batch]
    sizes = {str(r["sha256"]): int(r["size"]) for r in doc_rows}
    for sha, actual in zip(shas, hashed, strict=True):
        report.blobs_checked += 1
        if actual is None:
            report.problems.append(
                Problem(
                    ErrorCode.BLOB_MISSING,
                    f"original {sha} is missing from the blob store",
                    subject=f"document:{sha}",
                )
            )
        elif actual != sha:
            report.problems.append(
                Problem(
                    ErrorCode.BLOB_ALTERED,
                    f"original {sha} now hashes to {actual}",
                    subject=f"document:{sha}",
                    data={"actual_sha256": actual},
                )
            )
        else:
            report.bytes_hashed += sizes[sha]
    if check_blobs:
        orphans = set(blobs.iter_shas()) - {str(r["sha256"]) for r in doc_rows}
        if orphans:
            report.notes.append(
                f"{len(orphans)} blob(s) on disk belong to no document (left by an interrupted "
                "intake; the next add of the same file adopts them)"
            )
    return report


def _check_anchors(events: Sequence[StoredEvent], anchors: Iterable[Anchor]) -> list[Problem]:
    by_seq = {e.seq: e for e in events}
    last = events[-1].seq if events else 0
    problems = []
    for anchor in anchors:
        found = by_seq.get(anchor.seq)
        if found is None and anchor.seq > last:
            problems.append(
                Problem(
                    ErrorCode.LOG_TRUNCATED,
                    f"{anchor.origin} recorded head seq {anchor.seq}, but the log ends at seq "
                    f"{last}: {anchor.seq - last} event(s) deleted from the end",
                    anchor.seq,
                    data={"anchor": anchor.origin},
                )
            )
        elif found is None or found.hash != anchor.hash:
            problems.append(
                Problem(
                    ErrorCode.ANCHOR_MISMATCH,
                    f"{anchor.origin}: seq {anchor.seq} should have hash {anchor.hash[:16]}…, "
                    + ("but it is missing" if found is None else f"found {found.hash[:16]}…"),
                    anchor.seq,
                    data={"anchor": anchor.origin},
                )
            )
    return problems


def _details(event: StoredEvent) -> dict[str, Any] | None:
    try:
        value = json.loads(event.details)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _check_records(
    events: Sequence[StoredEvent],
    doc_rows: list[Mapping[str, Any]],
    prov_rows: list[Mapping[str, Any]],
) -> list[Problem]:
    """Each record must match the event that created it, and each such event its record."""
    problems: list[Problem] = []
    by_seq = {e.seq: e for e in events}
    docs = {str(r["sha256"]): r for r in doc_rows}
    provs = {int(r["event_seq"]): r for r in prov_rows}

    for sha, row in docs.items():
        event = by_seq.get(int(row["event_seq"]))
        if event is None or event.action != "document.added" or event.subject != f"document:{sha}":
            problems.append(
                Problem(
                    ErrorCode.RECORD_UNLOGGED,
                    f"document {sha} has no document.added event "
                    f"(it claims seq {row['event_seq']})",
                    subject=f"document:{sha}",
                )
            )
    for seq, row in provs.items():
        event = by_seq.get(seq)
        if event is None or event.action not in INTAKE_ACTIONS:
            problems.append(
                Problem(
                    ErrorCode.RECORD_UNLOGGED,
                    f"provenance {row['id']} has no intake event (it claims seq {seq})",
                    subject=f"document:{row['document_sha256']}",
                )
            )

    for event in events:
        if event.action not in INTAKE_ACTIONS:
            continue
        details = _details(event)
        if details is None:
            continue  # already reported as unreadable by the chain check
        sha = str(details.get("sha256"))
        if event.action == "document.added":
            doc_row = docs.get(sha)
            if doc_row is None:
                problems.append(
                    Problem(
                        ErrorCode.RECORD_MISMATCH,
                        f"event seq {event.seq} added document {sha}, but its record is missing",
                        event.seq,
                        event.subject,
                    )
                )
            else:
                expected = {f: details.get(f) for f in DOCUMENT_FIELDS} | {"added_at": event.at}
                compare_record(problems, event, f"document {sha}", expected, doc_row)
        prov_row = provs.get(event.seq)
        claimed = details.get("provenance")
        if prov_row is None:
            problems.append(
                Problem(
                    ErrorCode.RECORD_MISMATCH,
                    f"event seq {event.seq} recorded provenance for {sha}, "
                    "but the provenance record is missing",
                    event.seq,
                    event.subject,
                )
            )
        elif isinstance(claimed, dict):
            compare_record(problems, event, f"provenance {prov_row['id']}", claimed, prov_row)
    return problems


def read_head_file(path: Path) -> Anchor | None:
    """The head last written beside the case (``custody.head``), if any."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Anchor(int(data["seq"]), str(data["hash"]), f"head file {path.name}")
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return Anchor(-1, "unreadable", f"head file {path.name} (unreadable)")
