"""Export the custody log for a third party, and check such an export.

An export folder holds:

* ``custody.jsonl``: one event per line, canonical JSON, ``hash`` included, in seq order;
* ``documents.jsonl``: each document with its provenance records (for context);
* ``export.json``: case id, head (seq, hash), counts, tool and time of export;
* ``originals/<sha256>`` (optional): copies of the original files;
* ``SHA256SUMS``: the SHA-256 of every other file, in ``sha256sum -c`` format.

``docs/custody.md`` specifies the format; ``docs/verify_export.py`` checks it without Indicia.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indicia.custody.chain import Problem, StoredEvent, check_chain
from indicia.custody.events import canonical_json
from indicia.errors import CaseError, ErrorCode

LOG_NAME = "custody.jsonl"
DOCUMENTS_NAME = "documents.jsonl"
META_NAME = "export.json"
SUMS_NAME = "SHA256SUMS"
ORIGINALS = "originals"


def stored_line(event: StoredEvent) -> str:
    """The export line for an event exactly as stored (details text kept byte for byte)."""
    head = {"action": event.action, "actor": event.actor, "at": event.at}
    tail = {
        "hash": event.hash,
        "prev_hash": event.prev_hash,
        "seq": event.seq,
        "subject": event.subject,
    }
    return (
        canonical_json(head)[:-1] + ',"details":' + event.details + "," + canonical_json(tail)[1:]
    )


@dataclass(frozen=True)
class ExportResult:
    """Where the export went and what it attests."""

    folder: Path
    events: int
    documents: int
    originals: int
    head_seq: int
    head_hash: str


def prepare_folder(folder: Path) -> None:
    """Create the export folder; refuse to mix an export into existing files."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CaseError(ErrorCode.EXPORT_TARGET_NOT_EMPTY, f"{folder} exists and is not empty")
    folder.mkdir(parents=True, exist_ok=True)


def write_export(
    folder: Path,
    events: Iterable[StoredEvent],
    documents: Iterable[dict[str, Any]],
    meta: dict[str, Any],
    originals: Iterable[tuple[str, Path]] = (),
) -> ExportResult:
    """Write every file of an export, then the checksum manifest over them."""
    count, head_seq, head_hash = 0, 0, ""
    with (folder / LOG_NAME).open("w", encoding="utf-8", newline="\n") as out:
        for event in events:
            out.write(stored_line(event) + "\n")
            count, head_seq, head_hash = count + 1, event.seq, event.hash
    n_docs = 0
    with (folder / DOCUMENTS_NAME).open("w", encoding="utf-8", newline="\n") as out:
        for doc in documents:
            out.write(canonical_json(doc) + "\n")
            n_docs += 1
    n_orig = 0
    for sha, source in originals:
        target = folder / ORIGINALS / sha
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        n_orig += 1
    meta = {
        **meta,
        "events": count,
        "documents": n_docs,
        "originals": n_orig,
        "head": {"seq": head_seq, "hash": head_hash},
    }
    (folder / META_NAME).write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    names = [LOG_NAME, DOCUMENTS_NAME, META_NAME]
    names += sorted(f"{ORIGINALS}/{p.name}" for p in (folder / ORIGINALS).glob("*"))
    lines = [f"{_sha256_file(folder / name)}  {name}\n" for name in names]
    (folder / SUMS_NAME).write_text("".join(lines), encoding="utf-8")
    for name in [*names, SUMS_NAME]:
        with (folder / name).open("rb") as fh:
            os.fsync(fh.fileno())
    return ExportResult(folder, count, n_docs, n_orig, head_seq, head_hash)


def _sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def verify_export(folder: Path) -> list[Problem]:
    """Check an export folder: the manifest, each line's form, the chain and the head."""
    problems: list[Problem] = []
    try:
        sums = (folder / SUMS_NAME).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(ErrorCode.EXPORT_FILE_ALTERED, f"{SUMS_NAME} unreadable: {exc}")]
    for line in sums:
        want, _, name = line.partition("  ")
        path = folder / name
        if not path.is_file():
            problems.append(Problem(ErrorCode.EXPORT_FILE_ALTERED, f"{name} is missing"))
        elif _sha256_file(path) != want:
            problems.append(
                Problem(ErrorCode.EXPORT_FILE_ALTERED, f"{name} does not match {SUMS_NAME}")
            )
    for name in sorted(p.name for p in (folder / ORIGINALS).glob("*")):
        if _sha256_file(folder / ORIGINALS / name) != name:
            problems.append(
                Problem(
                    ErrorCode.BLOB_ALTERED,
                    f"{ORIGINALS}/{name} does not hash to its name",
                    subject=f"document:{name}",
                )
            )
    events: list[StoredEvent] = []
    raw = (folder / LOG_NAME).read_bytes() if (folder / LOG_NAME).is_file() else b""
    for number, raw_line in enumerate(raw.split(b"\n")[:-1] if raw else [], start=1):
        event = _parse_line(number, raw_line, problems)
        if event is not None:
            events.append(event)
    problems.extend(check_chain(events))
    try:
        head = json.loads((folder / META_NAME).read_text(encoding="utf-8"))["head"]
        last = events[-1] if events else None
        if last is None or (last.seq, last.hash) != (head["seq"], head["hash"]):
            problems.append(
                Problem(
                    ErrorCode.LOG_TRUNCATED,
                    f"{LOG_NAME} does not end at the head in {META_NAME} (seq {head['seq']})",
                    head["seq"],
                )
            )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.append(Problem(ErrorCode.EXPORT_FILE_ALTERED, f"{META_NAME} unreadable: {exc}"))
    return problems


def _parse_line(number: int, line: bytes, problems: list[Problem]) -> StoredEvent | None:
    try:
        obj = json.loads(line.decode("utf-8"))
        details = obj["details"]
        event = StoredEvent(
            position=number,
            seq=int(obj["seq"]),
            at=str(obj["at"]),
            actor=str(obj["actor"]),
            action=str(obj["action"]),
            subject=str(obj["subject"]),
            details=canonical_json(details),
            prev_hash=str(obj["prev_hash"]),
            hash=str(obj["hash"]),
        )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        problems.append(
            Problem(
                ErrorCode.EVENT_UNREADABLE,
                f"{LOG_NAME} line {number} cannot be parsed ({exc})",
                data={"line": number},
            )
        )
        return None
    if stored_line(event).encode("utf-8") != line:
        problems.append(
            Problem(
                ErrorCode.EVENT_ALTERED,
                f"{LOG_NAME} line {number} (seq {event.seq}) is not in canonical "
                "form: it was edited",
                event.seq,
                event.subject,
                {"line": number},
            )
        )
    return event
