"""Schema migrations: an ordered list of steps, each applied once, under the writer lock.

Each step carries its own DDL so that later changes to ``schema.py`` never alter what an old
step does. A step must work on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
)

from indicia.custody.events import utc_now
from indicia.errors import CaseError, ErrorCode


@dataclass(frozen=True)
class Migration:
    """One schema step."""

    version: int
    name: str
    upgrade: Callable[[Connection], None]


def _v1_foundation(conn: Connection) -> None:
    md = MetaData()
    Table(
        "case_info",
        md,
        Column("key", String(100), primary_key=True),
        Column("value", Text, nullable=False),
    )
    Table(
        "custody_events",
        md,
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
    Table(
        "documents",
        md,
        Column("sha256", String(64), primary_key=True),
        Column("size", BigInteger, nullable=False),
        Column("media_type", String(200), nullable=False),
        Column("media_charset", String(50), nullable=True),
        Column("status", String(20), nullable=False),
        Column("error_code", String(10), nullable=True),
        Column("added_at", String(32), nullable=False),
        Column("event_seq", BigInteger, ForeignKey("custody_events.seq"), nullable=False),
    )
    Table(
        "provenance",
        md,
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
        Index("ix_provenance_document", "document_sha256"),
    )
    md.create_all(conn)
    _append_only(conn, "custody_events")


def _append_only(conn: Connection, table: str) -> None:
    """Refuse UPDATE and DELETE on ``table`` inside the database itself.

    This guards against bugs and careless hands, not against a forger who can drop the trigger:
    that is what the hash chain and ``verify`` are for.
    """
    message = f"{table} is append-only: custody events are never updated or deleted"
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        return
    conn.exec_driver_sql(
        f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
    )


def _v2_text(conn: Connection) -> None:
    md = MetaData()
    Table("custody_events", md, Column("seq", BigInteger, primary_key=True))
    Table("documents", md, Column("sha256", String(64), primary_key=True))
    Table(
        "extractions",
        md,
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
    Table(
        "pages",
        md,
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
    Table(
        "passages",
        md,
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
    md.create_all(conn, tables=[md.tables[n] for n in ("extractions", "pages", "passages")])
    # A document found inside another (attachment, archive member, WARC record) names it.
    conn.exec_driver_sql(
        "ALTER TABLE provenance ADD COLUMN parent_sha256 VARCHAR(64) REFERENCES documents(sha256)"
    )
    if conn.dialect.name == "sqlite":
        # Every CJK character is its own token (the indexer spaces them out): see fulltext.py.
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE passage_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 0')"
        )
    else:
        conn.exec_driver_sql(
            "CREATE TABLE passage_search (passage_id BIGINT PRIMARY KEY "
            "REFERENCES passages(id) ON DELETE CASCADE, body TEXT NOT NULL, "
            "tsv TSVECTOR NOT NULL)"
        )
        conn.exec_driver_sql("CREATE INDEX ix_passage_search_tsv ON passage_search USING GIN (tsv)")


def _v3_search_pairs(conn: Connection) -> None:
    # The full-text index gains a second token stream, pairs of adjacent CJK characters, so
    # that a Chinese term is a phrase of rare pairs instead of common characters; on SQLite it
    # becomes contentless. The index is derived data, so the step rebuilds it from the stored
    # passages, in whatever layout the code builds (``fulltext`` owns that DDL: a later change
    # of layout adds a step that rebuilds again).
    from indicia.store import fulltext

    fulltext.rebuild(conn)


def _v4_detection(conn: Connection) -> None:
    # Created from the current definitions: when one of these tables changes, a later step
    # alters it and this step must then spell out the version-4 columns instead.
    from indicia.store.schema import detections, findings, quantities

    for table in (findings, quantities, detections):
        table.create(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "foundation: custody, documents, provenance", _v1_foundation),
    Migration(2, "text: extractions, pages, passages, full-text index", _v2_text),
    Migration(3, "search: CJK pairs in the full-text index, rebuilt", _v3_search_pairs),
    Migration(4, "detection: findings, quantities, detection state", _v4_detection),
)
LATEST = MIGRATIONS[-1].version

_tracking = MetaData()
_schema_migrations = Table(
    "schema_migrations",
    _tracking,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(32), nullable=False),
)


def current_version(conn: Connection) -> int:
    """The highest applied version, 0 for an empty database."""
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    versions = conn.execute(select(_schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(conn: Connection) -> list[int]:
    """Apply every missing step inside the caller's (locked) transaction; return those applied."""
    _tracking.create_all(conn, checkfirst=True)
    have = current_version(conn)
    if have > LATEST:
        raise CaseError(
            ErrorCode.SCHEMA_TOO_NEW,
            f"the case has schema version {have}; this Indicia knows up to {LATEST}",
        )
    applied = []
    for step in MIGRATIONS:
        if step.version <= have:
            continue
        step.upgrade(conn)
        conn.execute(
            _schema_migrations.insert().values(
                version=step.version, name=step.name, applied_at=utc_now()
            )
        )
        applied.append(step.version)
    return applied
