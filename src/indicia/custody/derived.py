"""Check derived records (extractions, pages, passages) against the events that attest them.

Pages are re-hashed from their stored text; passages must be exact slices of their page and
match the digest the ``document.extracted`` event recorded. Read in document order, streamed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, select

from indicia.custody.chain import Problem, StoredEvent, compare_record
from indicia.errors import ErrorCode
from indicia.store.schema import extractions, pages, passages

TEXT_ACTIONS = ("document.extracted", "extraction.failed")
PAGE_FIELDS = ("number", "sha256", "chars", "method", "language", "script", "ocr_confidence")
EXTRACTION_FIELDS = (
    "extractor",
    "tool",
    "tool_version",
    "title",
    "published",
    "canonical_url",
    "charset",
)


def _grouped(conn: Connection, query: Any, key: str) -> Iterator[tuple[str, list[Any]]]:
    rows = conn.execution_options(yield_per=2000).execute(query).mappings()
    for sha, group in groupby(rows, key=lambda r: r[key]):
        yield str(sha), list(group)


def check_derived(conn: Connection, events: Sequence[StoredEvent]) -> list[Problem]:
    """Every extraction, page and passage row against its event; every latest event its rows."""
    problems: list[Problem] = []
    by_seq = {e.seq: e for e in events}
    latest: dict[str, StoredEvent] = {}
    for event in events:
        if event.action in TEXT_ACTIONS:
            latest[event.subject.removeprefix("document:")] = event
    rows: dict[str, Mapping[Any, Any]] = {
        str(r["document_sha256"]): r for r in conn.execute(select(extractions)).mappings()
    }
    for sha, event in latest.items():
        if sha not in rows:
            problems.append(
                Problem(
                    ErrorCode.RECORD_MISMATCH,
                    f"event seq {event.seq} ({event.action}) has no extraction record",
                    event.seq,
                    event.subject,
                )
            )
    page_groups = dict(
        _grouped(
            conn, select(pages).order_by(pages.c.document_sha256, pages.c.number), "document_sha256"
        )
    )
    for sha, row in rows.items():
        found = by_seq.get(int(row["event_seq"]))
        if found is None or found.action not in TEXT_ACTIONS or latest.get(sha) is not found:
            problems.append(
                Problem(
                    ErrorCode.RECORD_UNLOGGED,
                    f"extraction of {sha} is not the latest extraction event",
                    subject=f"document:{sha}",
                )
            )
            continue
        event = found
        details = json.loads(event.details)
        if event.action == "extraction.failed":
            continue
        compare_record(
            problems,
            event,
            f"extraction of {sha[:12]}",
            {f: details.get(f) for f in EXTRACTION_FIELDS},
            row,
        )
        page_rows = page_groups.pop(sha, [])
        claimed = details.get("pages", [])
        actual = [
            {
                **dict(p),
                "sha256": hashlib.sha256(p["text"].encode()).hexdigest(),
                "chars": len(p["text"]),
            }
            for p in page_rows
        ]
        if [{f: c.get(f) for f in PAGE_FIELDS} for c in claimed] != [
            {f: a.get(f) for f in PAGE_FIELDS} for a in actual
        ]:
            bad = [
                c.get("number")
                for c, a in zip(claimed, actual, strict=False)
                if {f: c.get(f) for f in PAGE_FIELDS} != {f: a.get(f) for f in PAGE_FIELDS}
            ]
            problems.append(
                Problem(
                    ErrorCode.RECORD_MISMATCH,
                    f"pages of {sha[:12]} differ from event seq {event.seq} "
                    f"(page(s) {bad or 'count'})",
                    event.seq,
                    event.subject,
                    {"pages": bad},
                )
            )
        problems.extend(_check_passages(conn, sha, page_rows, details, event))
    for sha in page_groups:
        problems.append(
            Problem(
                ErrorCode.RECORD_UNLOGGED,
                f"pages of {sha[:12]} have no extraction record",
                subject=f"document:{sha}",
            )
        )
    return problems


def _check_passages(
    conn: Connection, sha: str, page_rows: list[Any], details: Mapping[str, Any], event: StoredEvent
) -> list[Problem]:
    texts = {int(p["number"]): str(p["text"]) for p in page_rows}
    spans = []
    problems: list[Problem] = []
    query = select(passages).where(passages.c.document_sha256 == sha).order_by(passages.c.id)
    for row in conn.execute(query).mappings():
        page_text = texts.get(int(row["page_number"]), "")
        if page_text[row["start"] : row["end"]] != row["text"]:
            problems.append(
                Problem(
                    ErrorCode.RECORD_MISMATCH,
                    f"passage {row['id']} of {sha[:12]} is not the text at "
                    f"page {row['page_number']} [{row['start']}:{row['end']}]",
                    event.seq,
                    event.subject,
                    {"passage": row["id"]},
                )
            )
        spans.append((row["page_number"], row["start"], row["end"], row["language"], row["script"]))
    claimed = details.get("passages", {})
    if claimed != passages_digest(spans):
        problems.append(
            Problem(
                ErrorCode.RECORD_MISMATCH,
                f"passages of {sha[:12]} differ from event seq {event.seq}",
                event.seq,
                event.subject,
            )
        )
    return problems


def passages_digest(spans: Iterable[tuple[int, int, int, str, str]]) -> dict[str, Any]:
    """Count and SHA-256 over ``page:start:end:language:script`` lines, in order: what a
    ``document.extracted`` event attests about a document's passages."""
    digest = hashlib.sha256()
    count = 0
    for number, start, end, language, script in spans:
        digest.update(f"{number}:{start}:{end}:{language}:{script}\n".encode())
        count += 1
    return {"count": count, "sha256": digest.hexdigest()}
