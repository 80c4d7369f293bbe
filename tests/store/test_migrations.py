"""Migrations build exactly the schema the code uses, once, on both backends."""

from __future__ import annotations

from sqlalchemy import inspect, text

from indicia import Case
from indicia.errors import CaseError, ErrorCode
from indicia.store import migrations
from indicia.store.schema import metadata
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
