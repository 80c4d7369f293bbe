"""Records the library returns: documents, provenance, intake and verification reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from indicia.custody.chain import Problem

IntakeStatus = Literal["added", "recollected", "unchanged", "failed"]


@dataclass(frozen=True)
class Provenance:
    """Where, when, how and by whom one copy of a document was collected."""

    id: str
    document_sha256: str
    source_url: str | None
    final_url: str | None
    collected_at: str
    recorded_at: str
    collector: str
    method: str
    tool: str
    tool_version: str
    original_path: str
    original_mtime: str | None
    declared_type: str | None
    note: str | None
    idempotency_key: str
    event_seq: int
    parent_sha256: str | None = None
    """The document this one was found inside (attachment, archive member, WARC record)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """An original, identified by the SHA-256 of its bytes."""

    sha256: str
    size: int
    media_type: str
    media_charset: str | None
    """The text encoding libmagic guessed; ``None`` for binary content."""
    status: str
    error_code: str | None
    added_at: str
    event_seq: int
    provenance: tuple[Provenance, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        data = asdict(self)
        data["provenance"] = [p.as_dict() for p in self.provenance]
        return data


@dataclass(frozen=True)
class IntakeItem:
    """The outcome for one path given to ``add``."""

    path: str
    status: IntakeStatus
    sha256: str | None = None
    media_type: str | None = None
    error_code: str | None = None
    message: str | None = None
    event_seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class IntakeReport:
    """What one ``add`` did, item by item."""

    items: list[IntakeItem] = field(default_factory=list)

    def count(self, status: IntakeStatus) -> int:
        """How many items ended with ``status``."""
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> list[IntakeItem]:
        """The items that could not be taken in."""
        return [item for item in self.items if item.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when no item failed."""
        return not self.failed

    def summary(self) -> dict[str, int]:
        """Counts by status."""
        return {s: self.count(s) for s in ("added", "recollected", "unchanged", "failed")}


@dataclass
class VerificationReport:
    """What ``verify`` checked and every problem it found."""

    events: int = 0
    documents: int = 0
    provenance: int = 0
    blobs_checked: int = 0
    bytes_hashed: int = 0
    head_seq: int = 0
    head_hash: str = ""
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "ok": self.ok,
            "events": self.events,
            "documents": self.documents,
            "provenance": self.provenance,
            "blobs_checked": self.blobs_checked,
            "bytes_hashed": self.bytes_hashed,
            "head": {"seq": self.head_seq, "hash": self.head_hash},
            "problems": [p.as_dict() for p in self.problems],
            "notes": self.notes,
        }
