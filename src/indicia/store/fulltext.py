"""The full-text index, per dialect: SQLite FTS5, or a PostgreSQL ``tsvector`` with GIN.

Both index the same Python-made tokens (``indicia.search.tokens``) and answer the same query
shape: every term is a phrase of tokens, and all terms are required. Ranking is not left to the
engines (their scores differ); they return candidates and the caller ranks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, text

FTS_INSERT_CHUNK = 500
RANK_LIMIT = 5000
"""Queries matching more passages than this take their candidates in case order, unranked by
the engine (see :func:`candidates`)."""


def add(conn: Connection, rows: Iterable[tuple[int, str]]) -> None:
    """Index ``(passage id, index text)`` pairs."""
    batch = [{"id": pid, "body": body} for pid, body in rows]
    if not batch:
        return
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO passage_fts (rowid, body) VALUES (:id, :body)"), batch)
    else:
        for row in batch:
            row["tsv"] = _tsvector_literal(str(row["body"]))
        conn.execute(
            text(
                "INSERT INTO passage_search (passage_id, body, tsv) "
                "VALUES (:id, :body, CAST(:tsv AS tsvector))"
            ),
            batch,
        )


def remove(conn: Connection, passage_ids: Sequence[int]) -> None:
    """Drop passages from the index (before the passages themselves are deleted)."""
    table, key = (
        ("passage_fts", "rowid")
        if conn.dialect.name == "sqlite"
        else ("passage_search", "passage_id")
    )
    for start in range(0, len(passage_ids), FTS_INSERT_CHUNK):
        chunk = list(passage_ids[start : start + FTS_INSERT_CHUNK])
        marks = ",".join(str(int(i)) for i in chunk)
        conn.execute(text(f"DELETE FROM {table} WHERE {key} IN ({marks})"))


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector_literal(body: str) -> str:
    """A tsvector written out with positions, so PostgreSQL's parser and locale play no part."""
    positions: dict[str, list[int]] = {}
    for position, token in enumerate(body.split(), start=1):
        positions.setdefault(token, []).append(min(position, 16383))
    return " ".join(
        f"{_lexeme(tok)}:{','.join(map(str, pos[:256]))}" for tok, pos in positions.items()
    )


def _tsquery_literal(phrases: Sequence[Sequence[str]]) -> str:
    return " & ".join("(" + " <-> ".join(_lexeme(t) for t in p) + ")" for p in phrases)


def _fts5_phrase(tokens: Sequence[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def candidates(
    conn: Connection,
    phrases: Sequence[Sequence[str]],
    limit: int,
    language: str | None = None,
    document: str | None = None,
) -> list[tuple[int, str]]:
    """Up to ``limit`` ``(passage id, index text)`` matching every phrase.

    When at most ``limit`` passages match, all of them come back (and the caller's ranking is
    the same on every engine). When more match, the engine's own rank picks the candidates, up
    to :data:`RANK_LIMIT` matches; beyond that, the first ``limit`` matches in case order do.

    ``language`` keeps passages of that language (``zh`` matches ``zh-Hans`` and ``zh-Hant``);
    ``document`` keeps passages of documents whose SHA-256 starts with it.
    """
    if not phrases:
        return []
    params: dict[str, object] = {"n": limit}
    where = []
    if language:
        where.append("(p.language = :lang OR p.language LIKE :lang_prefix)")
        params |= {"lang": language, "lang_prefix": f"{language}-%"}
    if document:
        where.append("p.document_sha256 LIKE :doc")
        params["doc"] = f"{document}%"
    filters = "".join(f" AND {w}" for w in where)
    if conn.dialect.name == "sqlite":
        params["m"] = " AND ".join(_fts5_phrase(p) for p in phrases)
        source = (
            "FROM passage_fts f JOIN passages p ON p.id = f.rowid "
            f"WHERE passage_fts MATCH :m{filters}"
        )
        columns, rank = "f.rowid, f.body", "bm25(passage_fts), f.rowid"
    else:
        params["q"] = _tsquery_literal(phrases)
        source = (
            "FROM passage_search s JOIN passages p ON p.id = s.passage_id, "
            f"CAST(:q AS tsquery) AS q WHERE s.tsv @@ q{filters}"
        )
        columns, rank = "s.passage_id, s.body", "ts_rank(s.tsv, q) DESC, s.passage_id"
    # First the cheap question: are there at most `limit` matches? (No ordering: the engine
    # stops as soon as it has limit + 1.) Then every match is a candidate, and the caller's
    # ranking is the same on every engine.
    first = {**params, "n": limit + 1}
    rows = conn.execute(text(f"SELECT {columns} {source} LIMIT :n"), first).all()
    if len(rows) <= limit:
        return [(int(r[0]), str(r[1])) for r in rows]
    # More: ordering by the engine's rank scores every match, which costs hundreds of
    # milliseconds for the commonest words in a million passages, so it is done only while at
    # most RANK_LIMIT passages match (counted with the same early stop).
    probe = {**params, "n": RANK_LIMIT + 1}
    matches = int(
        conn.execute(
            text(f"SELECT count(*) FROM (SELECT 1 {source} LIMIT :n) AS m"), probe
        ).scalar_one()
    )
    if matches > RANK_LIMIT and conn.dialect.name == "sqlite":
        return [(int(r[0]), str(r[1])) for r in rows[:limit]]  # FTS5 yields in rowid order
    order = rank if matches <= RANK_LIMIT else columns.split(",", 1)[0]  # the first matches
    sql = f"SELECT {columns} {source} ORDER BY {order} LIMIT :n"
    return [(int(r[0]), str(r[1])) for r in conn.execute(text(sql), params)]


def count_indexed(conn: Connection) -> int:
    """How many passages the index holds."""
    table = "passage_fts" if conn.dialect.name == "sqlite" else "passage_search"
    return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
