"""Migrations build exactly the schema the code uses, once, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, insert, inspect, text

from indicia import Case
from indicia.errors import CaseError, ErrorCode
from indicia.search.tokens import tokens
from indicia.store import fulltext, migrations
from indicia.store.schema import metadata, passages
from indicia.text.normalise import search_form
from tests.conftest import Backend


def test_migrated_schema_matches_the_code(case: Case) -> None:
    with case.db.read() as conn:
        insp = inspect(conn)
        for table in metadata.sorted_tables:
            columns = {c["name"]: c for c in insp.get_columns(table.name)}
            assert set(columns) == {c.name for c in table.columns}, table.name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, (table.name, column)
            uniques = {tuple(u["column_names"]) for u in insp.get_unique_constraints(table.name)}
            uniques |= {
                tuple(i["column_names"]) for i in insp.get_indexes(table.name) if i.get("unique")
            }
            for column in table.columns:
                if column.unique:
                    assert (column.name,) in uniques, (table.name, column.name)
        assert migrations.current_version(conn) == migrations.LATEST


def test_reopening_applies_nothing_and_logs_nothing(backend: Backend) -> None:
    backend.create().close()
    with backend.open() as case:
        head = case.head()
    with backend.open() as case:
        assert case.head() == head
        assert [e.action for e in case.custody()] == ["case.created"]


def test_a_newer_schema_is_refused(backend: Backend) -> None:
    with backend.create() as case, case.db.write() as conn:
        conn.execute(text("INSERT INTO schema_migrations VALUES (999, 'future', 'x')"))
    try:
        backend.open()
    except CaseError as err:
        assert err.code == ErrorCode.SCHEMA_TOO_NEW
    else:
        raise AssertionError("a newer schema must not open")


def test_pending_migration_is_applied_and_logged(backend: Backend) -> None:
    with backend.create() as case, case.db.write() as conn:
        conn.execute(
            text("DELETE FROM schema_migrations WHERE version = :v"), {"v": migrations.LATEST}
        )
        # Pretend the newest step had not run: undo what it did is not needed for a check of
        # the bookkeeping, so only the step's tables must tolerate re-creation.
    original = migrations.MIGRATIONS
    calls: list[int] = []

    def step(conn: object) -> None:
        calls.append(1)

    migrations.MIGRATIONS = (
        *original[:-1],
        migrations.Migration(migrations.LATEST, "test step", step),
    )
    try:
        with backend.open() as case:
            events = case.custody()
            assert events[-1].action == "case.migrated"
            assert events[-1].details["to"] == migrations.LATEST
            assert case.verify().ok
        assert calls == [1]
    finally:
        migrations.MIGRATIONS = original


def test_case_id_mismatch_is_refused(backend: Backend) -> None:
    import json

    backend.create().close()
    config = backend.tmp / "case" / "case.json"
    data = json.loads(config.read_text())
    data["case_id"] = "00000000-0000-0000-0000-000000000000"
    config.write_text(json.dumps(data))
    try:
        backend.open()
    except CaseError as err:
        assert err.code == ErrorCode.CASE_CONFIG_INVALID
    else:
        raise AssertionError("a case.json naming another case must not open")


def _index_as_version_2(conn: Connection, rows: list[tuple[int, str]]) -> None:
    """Index passages as schema version 2 did: one stream, every CJK character a token."""
    for pid, body in rows:
        words = " ".join(tokens(search_form(body)))
        if conn.dialect.name == "sqlite":
            conn.execute(
                text("INSERT INTO passage_fts (rowid, body) VALUES (:id, :b)"),
                {"id": pid, "b": words},
            )
        else:
            tsv = " ".join(
                f"'{t}':{','.join(str(i + 1) for i, w in enumerate(words.split()) if w == t)}"
                for t in dict.fromkeys(words.split())
            )
            conn.execute(
                text(
                    "INSERT INTO passage_search (passage_id, body, tsv) "
                    "VALUES (:id, :b, CAST(:tsv AS tsvector))"
                ),
                {"id": pid, "b": words, "tsv": tsv},
            )


def test_a_schema_2_case_gets_a_rebuilt_search_index(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [
        "强迫劳动的指标包括扣押护照。",
        "勞動力轉移就業",
        "Forced labour in the dormitory",
        "劳动",
    ]
    seed = backend.tmp / "seed.txt"
    seed.write_text("seed\n", encoding="utf-8")
    monkeypatch.setattr(
        migrations, "MIGRATIONS", tuple(m for m in migrations.MIGRATIONS if m.version <= 2)
    )
    with backend.create() as case:
        case.add([seed])
        doc = case.documents()[0].sha256
        with case.db.write() as conn:
            assert migrations.current_version(conn) == 2
            conn.execute(
                insert(passages),
                [
                    {
                        "id": i,
                        "document_sha256": doc,
                        "page_number": 1,
                        "start": 0,
                        "end": len(t),
                        "language": "und",
                        "script": "Zyyy",
                        "text": t,
                    }
                    for i, t in enumerate(texts, start=1)
                ],
            )
            _index_as_version_2(conn, list(enumerate(texts, start=1)))
    monkeypatch.undo()
    with backend.open() as case:
        events = case.custody()
        assert events[-1].action == "case.migrated" and events[-1].details["from"] == 2
        with case.db.read() as conn:
            assert migrations.current_version(conn) == migrations.LATEST
            assert fulltext.count_indexed(conn) == len(texts)
            assert fulltext.stored_version(conn) == fulltext.index_version()
        assert {h.text for h in case.search("劳动")} == {texts[0], texts[1], texts[3]}
        assert [h.text for h in case.search("轉移就业")] == [texts[1]]
        assert [h.text for h in case.search('"forced labour"')] == [texts[2]]
        assert case.search("迫劳动") and not case.search("动的护")
        assert case.verify().ok
