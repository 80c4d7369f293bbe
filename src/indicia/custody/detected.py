"""Check stored findings and quantities against the ``document.detected`` events that attest them.

Each event records a digest of the document's findings (key, polarity, rule, rule version) and
its quantity count after the write; ``verify`` recomputes both from the tables. A finding that
was added, removed or altered outside ``analyze`` shows as a mismatch (``E308``); findings of a
document with no detection record show as unlogged (``E310``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from indicia.custody.chain import Problem, StoredEvent
from indicia.errors import ErrorCode
from indicia.store.schema import detections, findings, quantities

DETECTED = "document.detected"


def findings_digest(rows: Iterable[tuple[str, str, str, int]]) -> dict[str, Any]:
    """Count and SHA-256 of (key, polarity, rule, rule version) rows, in key then rule order."""
    ordered = sorted(rows, key=lambda r: (r[0], r[2]))
    digest = hashlib.sha256()
    for key, polarity, rule, version in ordered:
        digest.update(f"{key}|{polarity}|{rule}|{version}\n".encode())
    return {"count": len(ordered), "sha256": digest.hexdigest()}


def document_findings(conn: Connection, sha: str) -> list[tuple[str, str, str, int]]:
    query = select(
        findings.c.key, findings.c.polarity, findings.c.rule, findings.c.rule_version
    ).where(findings.c.document_sha256 == sha)
    return [(str(k), str(p), str(r), int(v)) for k, p, r, v in conn.execute(query)]


def check_detected(conn: Connection, events: Sequence[StoredEvent]) -> list[Problem]:
    """Every detection record against its (latest) event, and its findings against the digest."""
    problems: list[Problem] = []
    latest: dict[str, StoredEvent] = {}
    for stored in events:
        if stored.action == DETECTED:
            latest[stored.subject.removeprefix("document:")] = stored
    states = {str(r.document_sha256): r for r in conn.execute(select(detections))}
    counts: dict[str, int] = dict(
        conn.execute(
            select(quantities.c.document_sha256, func.count()).group_by(
                quantities.c.document_sha256
            )
        ).all()
    )
    for sha, state in states.items():
        event = latest.get(sha)
        if event is None or event.seq != int(state.event_seq):
            problems.append(
                Problem(
                    ErrorCode.RECORD_UNLOGGED,
                    f"detection of {sha[:12]} is not the latest {DETECTED} event",
                    subject=f"document:{sha}",
                )
            )
            continue
        details = json.loads(event.details)
        actual = findings_digest(document_findings(conn, sha))
        if details.get("findings") != actual or details.get("quantities") != counts.get(sha, 0):
            problems.append(
                Problem(
                    ErrorCode.RECORD_MISMATCH,
                    f"findings or quantities of {sha[:12]} differ from event seq {event.seq}",
                    event.seq,
                    event.subject,
                )
            )
    stray = conn.execute(
        select(findings.c.document_sha256)
        .distinct()
        .where(findings.c.document_sha256.not_in(select(detections.c.document_sha256)))
    ).scalars()
    for sha in stray:
        problems.append(
            Problem(
                ErrorCode.RECORD_UNLOGGED,
                f"findings of {str(sha)[:12]} have no detection record",
                subject=f"document:{sha}",
            )
        )
    return problems
