"""The current schema, as SQLAlchemy Core tables.

Migrations (``indicia.store.migrations``) build it; a test checks that a database migrated from
scratch matches these definitions exactly. Times are ISO 8601 UTC strings (``...Z``), so both
dialects store and compare them identically.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(32), nullable=False),
)

case_info = Table(
    "case_info",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

custody_events = Table(
    "custody_events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(100), nullable=False),
    Column("subject", Text, nullable=False),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Index("ix_custody_events_subject", "subject"),
)

documents = Table(
    "documents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(200), nullable=False),
    Column("media_charset", String(50), nullable=True),
    Column("status", String(20), nullable=False),
    Column("error_code", String(10), nullable=True),
    Column("added_at", String(32), nullable=False),
    Column("event_seq", BigInteger, ForeignKey("custody_events.seq"), nullable=False),
)

provenance = Table(
    "provenance",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), nullable=False),
    Column("source_url", Text, nullable=True),
    Column("final_url", Text, nullable=True),
    Column("collected_at", String(32), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("collector", Text, nullable=False),
    Column("method", String(50), nullable=False),
    Column("tool", String(100), nullable=False),
    Column("tool_version", String(50), nullable=False),
    Column("original_path", Text, nullable=False),
    Column("original_mtime", String(32), nullable=True),
    Column("declared_type", String(200), nullable=True),
    Column("note", Text, nullable=True),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("event_seq", BigInteger, ForeignKey("custody_events.seq"), nullable=False),
    Column("parent_sha256", String(64), ForeignKey("documents.sha256"), nullable=True),
    Index("ix_provenance_document", "document_sha256"),
)

extractions = Table(
    "extractions",
    metadata,
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("extractor", Text, nullable=True),
    Column("tool", Text, nullable=True),
    Column("tool_version", Text, nullable=True),
    Column("error_code", String(10), nullable=True),
    Column("message", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("published", Text, nullable=True),
    Column("canonical_url", Text, nullable=True),
    Column("charset", Text, nullable=True),
    Column("page_count", Integer, nullable=False),
    Column("passage_count", Integer, nullable=False),
    Column("event_seq", BigInteger, ForeignKey("custody_events.seq"), nullable=False),
    Index("ix_extractions_status", "status"),
)

pages = Table(
    "pages",
    metadata,
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("chars", Integer, nullable=False),
    Column("method", String(30), nullable=False),
    Column("language", String(20), nullable=False),
    Column("script", String(10), nullable=False),
    Column("ocr_confidence", Integer, nullable=True),
)

passages = Table(
    "passages",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), nullable=False),
    Column("page_number", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("language", String(20), nullable=False),
    Column("script", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_passages_page", "document_sha256", "page_number"),
)


def _located() -> list[Column[Any]]:
    """Where a finding or quantity is: its passage (gone with it), document, page and span."""
    return [
        Column(
            "passage_id",
            BigInteger().with_variant(Integer, "sqlite"),
            ForeignKey("passages.id", ondelete="CASCADE"),
            nullable=False,
        ),
        Column("document_sha256", String(64), ForeignKey("documents.sha256"), nullable=False),
        Column("page_number", Integer, nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
    ]


findings = Table(
    "findings",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("key", String(32), nullable=False),
    *_located(),
    Column("indicator", String(80), nullable=False),
    Column("polarity", String(20), nullable=False),
    Column("rule", String(160), nullable=False),
    Column("rule_version", Integer, nullable=False),
    Column("lexicon_version", Integer, nullable=False),
    Column("quote", Text, nullable=False),
    Index("ix_findings_document", "document_sha256", "indicator"),
    Index("ix_findings_indicator", "indicator", "polarity"),
    Index("ix_findings_key", "key"),
    Index("ix_findings_passage", "passage_id"),
)

quantities = Table(
    "quantities",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    *_located(),
    Column("value", BigInteger, nullable=False),
    Column("high", BigInteger, nullable=True),
    Column("unit", String(20), nullable=False),
    Column("counted", String(30), nullable=False),
    Column("qualifier", String(20), nullable=False),
    Column("rule", String(80), nullable=False),
    Column("quote", Text, nullable=False),
    Index("ix_quantities_document", "document_sha256"),
    Index("ix_quantities_passage", "passage_id"),
)

detections = Table(
    "detections",
    metadata,
    Column("document_sha256", String(64), ForeignKey("documents.sha256"), primary_key=True),
    Column("extraction_seq", BigInteger, nullable=False),
    Column("fingerprints", Text, nullable=False),
    Column("finding_count", Integer, nullable=False),
    Column("quantity_count", Integer, nullable=False),
    Column("event_seq", BigInteger, ForeignKey("custody_events.seq"), nullable=False),
)
