"""Creating and opening cases on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicia import Case
from indicia.errors import CaseError, ErrorCode
from tests.conftest import Backend


def test_create_makes_the_case_folder(backend: Backend) -> None:
    with backend.create() as case:
        root = case.root
        events = case.custody()
    config = json.loads((root / "case.json").read_text())
    assert config["format"] == "indicia-case"
    assert (root / "blobs" / "tmp").is_dir()
    assert [e.action for e in events] == ["case.created"]
    assert events[0].details["backend"] == backend.name
    if backend.name == "sqlite":
        assert (root / "case.db").is_file() and config["database_url"] is None
    else:
        assert not (root / "case.db").exists()
        assert config["database_url"].startswith("postgresql://indicia_test@")


def test_password_is_never_written_to_the_case_folder(pg_database: str, tmp_path: Path) -> None:
    with Case.create(tmp_path / "case", database_url=pg_database) as case:
        root = case.root
    with pytest.raises(CaseError) as err:  # no password anywhere: the open must ask for one
        Case.open(root)
    assert err.value.code == ErrorCode.DATABASE_UNAVAILABLE
    assert "never stores passwords" in err.value.message
    Case.open(root, database_url=pg_database).close()
    for path in root.rglob("*"):
        if path.is_file():
            assert b"indicia_test:indicia_test" not in path.read_bytes()


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    with Case.create(tmp_path / "case") as case, case.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_blob_dir_is_configurable(backend: Backend, tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared-originals"
    with backend.create(blob_dir=elsewhere) as case:
        assert case.blobs.root == elsewhere and elsewhere.is_dir()


def test_create_refuses_an_existing_case(backend: Backend) -> None:
    backend.create().close()
    with pytest.raises(CaseError) as err:
        backend.create()
    assert err.value.code == ErrorCode.CASE_EXISTS


def test_open_refuses_a_non_case(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as err:
        Case.open(tmp_path)
    assert err.value.code == ErrorCode.CASE_NOT_FOUND


def test_bad_database_url(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as err:
        Case.create(tmp_path / "c", database_url="mysql://x@y/z")
    assert err.value.code == ErrorCode.DATABASE_URL_INVALID


def test_unreachable_postgres_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as err:
        Case.create(tmp_path / "c", database_url="postgresql://nobody@127.0.0.1:1/none")
    assert err.value.code == ErrorCode.DATABASE_UNAVAILABLE


def test_document_lookup_by_prefix(case: Case, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    case.add([tmp_path / "x.txt"])
    (doc,) = case.documents()
    assert case.document(doc.sha256[:8]) == doc
    assert [e.action for e in case.custody(doc.sha256[:10])] == ["document.added"]
    for bad in ("zz", "abc", "ffffffff"):
        with pytest.raises(CaseError) as err:
            case.document(bad)
        assert err.value.code == ErrorCode.DOCUMENT_NOT_FOUND
