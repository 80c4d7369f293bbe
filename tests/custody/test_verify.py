"""verify() on real cases, on SQLite and PostgreSQL: tampering is found and located."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from indicia import Case
from indicia.errors import ErrorCode
from tests.conftest import Backend

FILES = {
    "notice.txt": "SYNTHETIC SAMPLE. 转移就业 1.2万人次。",
    "report.html": "<html><head><title>t</title></head><body><p>synthetic</p></body></html>",
    "sub/memo.txt": "synthetic memo, about 800 people",
    "sub/copy.txt": "SYNTHETIC SAMPLE. 转移就业 1.2万人次。",
}


@pytest.fixture
def filled(case: Case, make_files: Callable[..., Path]) -> Case:
    report = case.add([make_files(FILES)], source_url="https://example.org/x")
    assert report.ok and report.count("added") == 3 and report.count("recollected") == 1
    return case


def sql(case: Case, statement: str, **params: object) -> None:
    with tampering(case) as conn:
        conn.execute(text(statement), params)


@contextmanager
def tampering(case: Case) -> Iterator[Connection]:
    """A transaction on the raw database with its guards removed (as a forger would do):
    foreign keys off and the append-only triggers dropped."""
    with case.db.engine.connect() as conn:
        if case.db.dialect == "sqlite":
            raw = conn.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            for op in ("update", "delete"):
                raw.execute(f"DROP TRIGGER IF EXISTS custody_events_no_{op}")  # type: ignore[union-attr]
        else:
            conn.execute(
                text("DROP TRIGGER IF EXISTS custody_events_append_only ON custody_events")
            )
            names = conn.execute(
                text(
                    "SELECT table_name, constraint_name FROM information_schema.table_constraints "
                    "WHERE constraint_type = 'FOREIGN KEY'"
                )
            ).all()
            for table, name in names:
                conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
            conn.commit()
        with conn.begin():
            yield conn


def delete_event(case: Case, seq: int) -> None:
    """Delete an event and the records that refer to it, as a careful forger would."""
    sql(
        case,
        "DELETE FROM provenance WHERE event_seq = :s OR document_sha256 IN "
        "(SELECT sha256 FROM documents WHERE event_seq = :s)",
        s=seq,
    )
    sql(case, "DELETE FROM documents WHERE event_seq = :s", s=seq)
    sql(case, "DELETE FROM custody_events WHERE seq = :s", s=seq)


def problem_codes(case: Case) -> set[ErrorCode]:
    return {p.code for p in case.verify().problems}


def make_writable(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_the_database_refuses_to_update_or_delete_events(filled: Case) -> None:
    from sqlalchemy.exc import DatabaseError

    for statement in (
        "UPDATE custody_events SET actor = 'x' WHERE seq = 2",
        "DELETE FROM custody_events WHERE seq = 5",
    ):
        with pytest.raises(DatabaseError, match="append-only"), filled.db.engine.begin() as conn:
            conn.execute(text(statement))
    assert filled.verify().ok


def test_clean_case_verifies(filled: Case) -> None:
    report = filled.verify()
    assert report.ok, report.problems
    assert report.events == 5 and report.documents == 3 and report.blobs_checked == 3


def test_missing_blob(filled: Case) -> None:
    doc = filled.documents()[0]
    filled.original_path(doc).unlink()
    problems = filled.verify().problems
    assert [(p.code, p.subject) for p in problems] == [
        (ErrorCode.BLOB_MISSING, f"document:{doc.sha256}")
    ]


def test_altered_blob(filled: Case) -> None:
    doc = filled.documents()[1]
    path = filled.original_path(doc)
    make_writable(path)
    with path.open("r+b") as fh:
        fh.write(b"X")
    problems = filled.verify().problems
    assert [(p.code, p.subject) for p in problems] == [
        (ErrorCode.BLOB_ALTERED, f"document:{doc.sha256}")
    ]


def test_originals_are_read_only(filled: Case) -> None:
    for doc in filled.documents():
        mode = filled.original_path(doc).stat().st_mode
        assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_edited_event(filled: Case) -> None:
    sql(filled, "UPDATE custody_events SET actor = 'mallory' WHERE seq = 3")
    problems = filled.verify().problems
    assert [(p.code, p.seq) for p in problems] == [(ErrorCode.EVENT_ALTERED, 3)]


def test_deleted_event(filled: Case) -> None:
    delete_event(filled, 4)
    found = {(p.code, p.seq) for p in filled.verify().problems}
    assert (ErrorCode.EVENT_DELETED, 5) in found


def test_deleted_last_event_is_caught_by_the_head_file(filled: Case) -> None:
    delete_event(filled, 5)
    found = {(p.code, p.seq) for p in filled.verify().problems}
    assert (ErrorCode.LOG_TRUNCATED, 5) in found


def test_anchor_catches_truncation_even_without_head_file(filled: Case) -> None:
    seq, digest = filled.head()
    (filled.root / "custody.head").unlink()
    delete_event(filled, 5)
    assert filled.verify().ok  # without an anchor, a shorter log is a valid chain
    problems = filled.verify(anchors=[f"{seq}:{digest}"]).problems
    assert [(p.code, p.seq) for p in problems] == [(ErrorCode.LOG_TRUNCATED, 5)]


def test_reordered_events(filled: Case) -> None:
    sql(filled, "UPDATE custody_events SET seq = 100 WHERE seq = 2")
    sql(filled, "UPDATE custody_events SET seq = 2 WHERE seq = 3")
    sql(filled, "UPDATE custody_events SET seq = 3 WHERE seq = 100")
    problems = filled.verify().problems
    reordered = {
        (p.seq, p.data.get("chained_seq")) for p in problems if p.code == ErrorCode.EVENT_REORDERED
    }
    assert {(2, 3), (3, 2)} <= reordered


def test_inserted_event(filled: Case, backend: Backend) -> None:
    # Shift the tail up by one and slip a forged, self-consistent event in at seq 3.
    from indicia.custody.events import pending

    with tampering(filled) as conn:
        prev = conn.execute(text("SELECT hash FROM custody_events WHERE seq = 2")).scalar()
        for seq in (5, 4, 3):
            conn.execute(
                text("UPDATE custody_events SET seq = :n WHERE seq = :o"), {"n": seq + 1, "o": seq}
            )
        forged = pending("mallory", "note.added", "case:x", {"text": "forged"}).chain(3, prev)
        conn.execute(
            text(
                "INSERT INTO custody_events VALUES "
                "(:seq, :at, :actor, :action, :subject, :details, :prev, :hash)"
            ),
            {
                "seq": 3,
                "at": forged.at,
                "actor": forged.actor,
                "action": forged.action,
                "subject": forged.subject,
                "details": '{"text":"forged"}',
                "prev": prev,
                "hash": forged.hash,
            },
        )
    found = {(p.code, p.seq) for p in filled.verify().problems}
    assert (ErrorCode.EVENT_INSERTED, 3) in found


def test_edited_document_record(filled: Case) -> None:
    doc = filled.documents()[0]
    sql(
        filled,
        "UPDATE documents SET media_type = 'application/pdf' WHERE sha256 = :s",
        s=doc.sha256,
    )
    problems = filled.verify().problems
    assert [p.code for p in problems] == [ErrorCode.RECORD_MISMATCH]
    assert "media_type" in problems[0].message


def test_edited_provenance_record(filled: Case) -> None:
    sql(
        filled,
        "UPDATE provenance SET source_url = 'https://elsewhere.example/' WHERE event_seq = 3",
    )
    problems = filled.verify().problems
    assert [(p.code, p.seq) for p in problems] == [(ErrorCode.RECORD_MISMATCH, 3)]
    assert "source_url" in problems[0].message


def test_deleted_provenance_record(filled: Case) -> None:
    sql(filled, "DELETE FROM provenance WHERE event_seq = 5")
    assert problem_codes(filled) == {ErrorCode.RECORD_MISMATCH}


def test_anchor_mismatch(filled: Case) -> None:
    problems = filled.verify(anchors=["2:" + "ab" * 32]).problems
    assert [(p.code, p.seq) for p in problems] == [(ErrorCode.ANCHOR_MISMATCH, 2)]


def test_orphan_blob_is_a_note_not_a_failure(filled: Case, tmp_path: Path) -> None:
    extra = tmp_path / "orphan.bin"
    extra.write_bytes(b"never recorded")
    with extra.open("rb") as fh:
        filled.blobs.put(fh)
    report = filled.verify()
    assert report.ok and any("belong to no document" in n for n in report.notes)


def test_record_verification_adds_an_event(filled: Case) -> None:
    before = filled.head()[0]
    assert filled.verify(record=True).ok
    events = filled.custody()
    assert events[-1].seq == before + 1 and events[-1].action == "case.verified"
    assert filled.verify().ok


FIELDS = ["at", "actor", "action", "subject", "details", "prev_hash", "hash"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seq=st.integers(1, 5),
    field=st.sampled_from(FIELDS),
    offset=st.integers(0, 10_000),
    char=st.characters(min_codepoint=0x20, max_codepoint=0x2FFF, exclude_categories=("Cs",)),
)
def test_any_character_change_in_the_stored_log_is_located(
    filled: Case, seq: int, field: str, offset: int, char: str
) -> None:
    with tampering(filled) as conn:
        value = conn.execute(
            text(f"SELECT {field} FROM custody_events WHERE seq = :s"), {"s": seq}
        ).scalar()
    pos = offset % len(value)
    if value[pos] == char:
        return
    sql(
        filled,
        f"UPDATE custody_events SET {field} = :v WHERE seq = :s",
        v=value[:pos] + char + value[pos + 1 :],
        s=seq,
    )
    try:
        problems = filled.verify(check_blobs=False).problems
        assert problems, f"change to {field} of seq {seq} went unnoticed"
        assert seq in {p.seq for p in problems} | {p.data.get("chained_seq") for p in problems}
    finally:
        sql(filled, f"UPDATE custody_events SET {field} = :v WHERE seq = :s", v=value, s=seq)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(index=st.integers(0, 2), offset=st.integers(0, 10_000), delta=st.integers(1, 255))
def test_any_byte_change_in_a_blob_is_located(
    filled: Case, index: int, offset: int, delta: int
) -> None:
    doc = filled.documents()[index]
    path = filled.original_path(doc)
    original = path.read_bytes()
    pos = offset % len(original)
    changed = bytearray(original)
    changed[pos] = (changed[pos] + delta) % 256
    make_writable(path)
    try:
        path.write_bytes(bytes(changed))
        problems = filled.verify().problems
        assert [(p.code, p.subject) for p in problems] == [
            (ErrorCode.BLOB_ALTERED, f"document:{doc.sha256}")
        ]
    finally:
        path.write_bytes(original)
        os.chmod(path, 0o444)
