"""Shared fixtures: every store test runs on SQLite and on a real PostgreSQL server.

`make test` starts PostgreSQL and sets INDICIA_TEST_POSTGRES_URL (a role that may create
databases) and INDICIA_REQUIRE_POSTGRES=1, so a missing server fails the run instead of
skipping half the suite. Each PostgreSQL test gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from indicia import Case
from indicia.settings import Settings, get_settings

PG_URL = os.environ.get("INDICIA_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("INDICIA_REQUIRE_POSTGRES") == "1"


@dataclass
class Backend:
    """How to make and reopen cases on one backend."""

    name: str
    tmp: Path
    settings: Settings
    database_url: str | None = None

    def create(self, name: str = "case", **kwargs: object) -> Case:
        return Case.create(
            self.tmp / name, database_url=self.database_url, settings=self.settings, **kwargs
        )  # type: ignore[arg-type]

    def open(self, name: str = "case") -> Case:
        return Case.open(self.tmp / name, database_url=self.database_url, settings=self.settings)

    def env(self) -> dict[str, str]:
        """Environment for a subprocess running the CLI on this backend's cases."""
        env = dict(os.environ)
        if self.database_url:
            env["INDICIA_DATABASE_URL"] = self.database_url
        return env


def _admin_engine():  # type: ignore[no-untyped-def]
    assert PG_URL
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return create_engine(
        url, isolation_level="AUTOCOMMIT", connect_args={"prepare_threshold": None}
    )


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database URL (with password), dropped after the test."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("INDICIA_REQUIRE_POSTGRES=1 but INDICIA_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL (set INDICIA_TEST_POSTGRES_URL, or run `make test`)")
    name = f"indicia_t_{uuid.uuid4().hex[:12]}"
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            _drop(engine, name)
        finally:
            engine.dispose()


def _drop(engine: Any, name: str) -> None:
    """Drop a test database; an autovacuum worker may hold it for a moment, so retry."""
    for attempt in range(20):
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 19:
                raise
            time.sleep(0.25)


@pytest.fixture
def settings() -> Settings:
    """Settings from the environment with a test actor."""
    return replace(get_settings(), actor="tester")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, settings: Settings) -> Backend:
    """Each test using this runs twice: on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return Backend("sqlite", tmp_path, settings)
    url = request.getfixturevalue("pg_database")
    return Backend("postgresql", tmp_path, settings, url)


@pytest.fixture
def case(backend: Backend) -> Iterator[Case]:
    """A new, empty case on the current backend."""
    with backend.create() as created:
        yield created


@pytest.fixture
def make_files(tmp_path: Path) -> Callable[..., Path]:
    """Write a folder of small files: make_files({"a.txt": b"...", "sub/b.html": "..."})."""

    def make(files: dict[str, bytes | str], folder: str = "input") -> Path:
        root = tmp_path / folder
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            path.write_bytes(data)
        return root

    return make
