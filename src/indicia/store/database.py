"""The one place that knows SQL dialects: engines, locking and transactions.

Both backends share one schema and one code path. Writers are serialised (SQLite:
``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock) because every write
appends to the single custody hash chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from indicia.errors import CaseError, ErrorCode

WRITER_LOCK_KEY = 0x1D1C1A  # the advisory-lock key that serialises writers on PostgreSQL


def normalise_url(url: str) -> URL:
    """Parse a database URL; accept ``postgresql://``/``postgres://`` and pick the driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise CaseError(
            ErrorCode.DATABASE_URL_INVALID, f"cannot parse database URL: {exc}"
        ) from exc
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed.set(drivername="sqlite")
    raise CaseError(
        ErrorCode.DATABASE_URL_INVALID,
        f"unsupported database {backend!r}: use sqlite or postgresql",
    )


def public_url(url: URL) -> str:
    """The URL without its password or driver: safe to store in case.json and to print."""
    bare = URL.create(
        url.get_backend_name(), url.username, None, url.host, url.port, url.database, url.query
    )
    return bare.render_as_string(hide_password=False)


class Database:
    """An engine plus the transaction discipline Indicia needs."""

    def __init__(self, url: URL, lock_timeout: int) -> None:
        self.url = url
        self.dialect = url.get_backend_name()
        self.lock_timeout = lock_timeout
        self.engine = self._make_engine()

    @classmethod
    def sqlite(cls, path: Path, lock_timeout: int) -> Database:
        """An SQLite database file (created on first connection)."""
        return cls(URL.create("sqlite", database=str(path)), lock_timeout)

    def _make_engine(self) -> Engine:
        if self.dialect == "sqlite":
            engine = create_engine(self.url)
            timeout_ms = self.lock_timeout * 1000

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
                cur = dbapi_conn.cursor()
                cur.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = FULL")
                cur.execute("PRAGMA foreign_keys = ON")
                cur.close()

            @event.listens_for(engine, "begin")
            def _on_begin(conn: Connection) -> None:
                write = conn.get_execution_options().get("indicia_write", False)
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

            return engine
        return create_engine(
            self.url,
            connect_args={"prepare_threshold": None, "connect_timeout": 10},
            pool_pre_ping=True,
        )

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that holds the single-writer lock until it commits or rolls back."""
        try:
            with self.engine.connect() as raw:
                conn = raw.execution_options(indicia_write=True)
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.execute(text(f"SET LOCAL lock_timeout = '{int(self.lock_timeout)}s'"))
                        conn.execute(
                            text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK_KEY}
                        )
                    yield conn
        except OperationalError as exc:
            raise self._unavailable(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction with one consistent snapshot."""
        try:
            with self.engine.connect() as raw:
                conn = raw
                if self.dialect == "postgresql":
                    conn = raw.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    yield conn
        except OperationalError as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: OperationalError) -> CaseError:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        hint = ""
        if "password" in detail.lower():
            hint = (
                " (case.json never stores passwords: set INDICIA_DATABASE_URL, PGPASSWORD "
                "or ~/.pgpass)"
            )
        return CaseError(ErrorCode.DATABASE_UNAVAILABLE, f"{public_url(self.url)}: {detail}{hint}")

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()
