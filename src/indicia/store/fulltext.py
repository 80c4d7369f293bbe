"""The full-text index, per dialect: SQLite FTS5, or a PostgreSQL ``tsvector`` with GIN.

Both index the same Python-made tokens (:mod:`indicia.search.tokens`): two streams per passage,
its words and its pairs of adjacent CJK characters, and answer the same query shape: every
phrase is a sequence of tokens of one stream, and all phrases are required. Ranking is not left
to the engines (their scores differ); they return candidates and the caller ranks them.

* SQLite: a contentless FTS5 table ``passage_fts(words, pairs)`` (it stores the index, not a
  second copy of the text) with the ``ascii`` tokenizer, which keeps every non-ASCII character
  inside its token, so the database splits the text exactly where Python did.
* PostgreSQL: ``passage_search(passage_id, tsv)``, the words at positions 1..n and the pairs
  after them (a pair is two CJK characters, never a word, so the streams cannot mix), written
  out as a ``tsvector`` literal so PostgreSQL's parser and locale play no part.

The index is derived data: a pure function of each passage's text and of the token rules. It
records which rules built it (:func:`index_version`, in ``case_info``); a write to an index
built by other rules (a new Indicia, a new OpenCC) first rebuilds it from the passages. This
also keeps the contentless table sound: a passage is removed by re-deriving the tokens it was
indexed with, which is only right while the rules are the ones that indexed it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import Connection, text

from indicia.search.tokens import TOKENS, index_text, split_index_text
from indicia.text.normalise import SEARCH_FORM, search_form, search_form_tables_version

FTS_INSERT_CHUNK = 500
REBUILD_CHUNK = 2000
RANK_LIMIT = 5000
"""Queries matching more passages than this take their candidates in case order, unranked by
the engine (see :func:`candidates`)."""
VERSION_KEY = "search_index"
"""The ``case_info`` key that records :func:`index_version`."""
STREAMS = ("words", "pairs")


def index_version() -> str:
    """The rules the index is built with: tokens, search form, and the OpenCC data."""
    return f"{TOKENS}; {SEARCH_FORM}; opencc {search_form_tables_version()}"


# -- building --------------------------------------------------------------------------------


def create(conn: Connection) -> None:
    """(Re)create the empty index tables, dropping any earlier layout."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TABLE IF EXISTS passage_fts")
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE passage_fts USING fts5("
            "words, pairs, content = '', tokenize = 'ascii')"
        )
    else:
        conn.exec_driver_sql("DROP TABLE IF EXISTS passage_search")
        conn.exec_driver_sql(
            "CREATE TABLE passage_search (passage_id BIGINT PRIMARY KEY "
            "REFERENCES passages(id) ON DELETE CASCADE, tsv TSVECTOR NOT NULL)"
        )


def rebuild(conn: Connection, exclude: Collection[int] = ()) -> int:
    """Index every stored passage again (but ``exclude``), from its text; return how many."""
    create(conn)
    done, last = 0, -1
    while True:
        chunk = conn.execute(
            text("SELECT id, text FROM passages WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": REBUILD_CHUNK},
        ).all()
        if not chunk:
            break
        last = int(chunk[-1][0])
        rows = [
            (int(pid), index_text(search_form(str(body))))
            for pid, body in chunk
            if int(pid) not in exclude
        ]
        _insert(conn, rows)
        done += len(rows)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO passage_fts(passage_fts) VALUES ('optimize')")
    else:
        conn.exec_driver_sql("CREATE INDEX ix_passage_search_tsv ON passage_search USING GIN (tsv)")
        conn.exec_driver_sql("ANALYZE passage_search")
    _set_version(conn, index_version())
    return done


def _set_version(conn: Connection, version: str) -> None:
    conn.execute(text("DELETE FROM case_info WHERE key = :k"), {"k": VERSION_KEY})
    conn.execute(
        text("INSERT INTO case_info (key, value) VALUES (:k, :v)"),
        {"k": VERSION_KEY, "v": version},
    )


def stored_version(conn: Connection) -> str | None:
    """The rules the case's index was built with (``None`` before schema version 3)."""
    value = conn.execute(
        text("SELECT value FROM case_info WHERE key = :k"), {"k": VERSION_KEY}
    ).scalar()
    return None if value is None else str(value)


def _ensure_current(conn: Connection, exclude: Collection[int] = ()) -> None:
    if stored_version(conn) != index_version():
        rebuild(conn, exclude)


def add(conn: Connection, rows: Iterable[tuple[int, str]]) -> None:
    """Index ``(passage id, index text)`` pairs (:func:`indicia.search.tokens.index_text`)."""
    batch = list(rows)
    if not batch:
        return
    _ensure_current(conn, exclude={pid for pid, _ in batch})
    _insert(conn, batch)


def _insert(conn: Connection, rows: Sequence[tuple[int, str]]) -> None:
    for start in range(0, len(rows), FTS_INSERT_CHUNK):
        chunk = rows[start : start + FTS_INSERT_CHUNK]
        if conn.dialect.name == "sqlite":
            conn.execute(
                text("INSERT INTO passage_fts (rowid, words, pairs) VALUES (:id, :w, :p)"),
                [_streams(pid, body) for pid, body in chunk],
            )
        else:
            conn.execute(
                text(
                    "INSERT INTO passage_search (passage_id, tsv) "
                    "VALUES (:id, CAST(:tsv AS tsvector))"
                ),
                [{"id": pid, "tsv": _tsvector_literal(body)} for pid, body in chunk],
            )


def _streams(pid: int, body: str) -> dict[str, object]:
    words, pairs = split_index_text(body)
    return {"id": pid, "w": words, "p": pairs}


def remove(conn: Connection, passage_ids: Sequence[int]) -> None:
    """Drop passages from the index (before the passages themselves are deleted)."""
    if not passage_ids:
        return
    _ensure_current(conn)
    for start in range(0, len(passage_ids), FTS_INSERT_CHUNK):
        chunk = list(passage_ids[start : start + FTS_INSERT_CHUNK])
        marks = ",".join(str(int(i)) for i in chunk)
        if conn.dialect.name != "sqlite":
            conn.execute(text(f"DELETE FROM passage_search WHERE passage_id IN ({marks})"))
            continue
        # A contentless table forgets a row given the tokens it was indexed with, which are
        # derived again from the passage's text (by the rules _ensure_current checked).
        stored = conn.execute(text(f"SELECT id, text FROM passages WHERE id IN ({marks})"))
        forget = [_streams(int(pid), index_text(search_form(str(body)))) for pid, body in stored]
        if forget:
            conn.execute(
                text(
                    "INSERT INTO passage_fts (passage_fts, rowid, words, pairs) "
                    "VALUES ('delete', :id, :w, :p)"
                ),
                forget,
            )


# -- querying --------------------------------------------------------------------------------


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


MAX_POSITIONS = 256
"""PostgreSQL keeps at most this many positions of a lexeme in a tsvector."""
CROWDED = "_"
"""A lexeme no token can be (tokens never hold ``_``), given to passages where some token
occurs more than :data:`MAX_POSITIONS` times: there a phrase may lack the positions that
prove it, so such passages are also offered when they merely hold every token of the phrase
(and the caller's confirmation on the text decides)."""


def _tsvector_literal(body: str) -> str:
    """A tsvector written out with positions: the words from 1, then the pairs."""
    positions: dict[str, list[int]] = {}
    words, pairs = split_index_text(body)
    for position, token in enumerate((*words.split(), *pairs.split()), start=1):
        positions.setdefault(token, []).append(min(position, 16383))
    lexemes = [
        f"{_lexeme(tok)}:{','.join(map(str, pos[:MAX_POSITIONS]))}"
        for tok, pos in positions.items()
    ]
    if any(len(pos) > MAX_POSITIONS for pos in positions.values()):
        lexemes.append(_lexeme(CROWDED))
    return " ".join(lexemes)


def _tsquery_literal(phrases: Sequence[tuple[str, Sequence[str]]]) -> str:
    parts = []
    for _, tokens in phrases:
        lexemes = [_lexeme(t) for t in tokens]
        if len(lexemes) == 1:
            parts.append(lexemes[0])
        else:
            everywhere = " & ".join([_lexeme(CROWDED), *dict.fromkeys(lexemes)])
            parts.append(f"(({' <-> '.join(lexemes)}) | ({everywhere}))")
    return " & ".join(parts)


def _fts5_query(phrases: Sequence[tuple[str, Sequence[str]]]) -> str:
    parts = []
    for stream, tokens in phrases:
        if stream not in STREAMS:
            raise ValueError(f"unknown token stream {stream!r}")
        parts.append(stream + ' : "' + " ".join(t.replace('"', '""') for t in tokens) + '"')
    return " AND ".join(parts)


def candidates(
    conn: Connection,
    phrases: Sequence[tuple[str, Sequence[str]]],
    limit: int,
    language: str | None = None,
    document: str | None = None,
) -> list[int]:
    """Up to ``limit`` ids of passages matching every ``(stream, tokens)`` phrase.

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
        params["m"] = _fts5_query(phrases)
        # Without a filter the join to passages would filter nothing, yet cost a lookup for
        # every match the engine steps through.
        join = " JOIN passages p ON p.id = f.rowid" if where else ""
        source = f"FROM passage_fts f{join} WHERE passage_fts MATCH :m{filters}"
        column, rank = "f.rowid", "bm25(passage_fts), f.rowid"
    else:
        params["q"] = _tsquery_literal(phrases)
        join = " JOIN passages p ON p.id = s.passage_id" if where else ""
        source = f"FROM passage_search s{join}, CAST(:q AS tsquery) AS q WHERE s.tsv @@ q{filters}"
        column, rank = "s.passage_id", "ts_rank(s.tsv, q) DESC, s.passage_id"
    # First the cheap question: are there at most `limit` matches? (No ordering: the engine
    # stops as soon as it has limit + 1.) Then every match is a candidate, and the caller's
    # ranking is the same on every engine.
    first = {**params, "n": limit + 1}
    ids = [int(r[0]) for r in conn.execute(text(f"SELECT {column} {source} LIMIT :n"), first)]
    if len(ids) <= limit:
        return ids
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
        return ids[:limit]  # FTS5 yields in rowid order: these are the first matches
    order = rank if matches <= RANK_LIMIT else column  # else the first matches
    sql = f"SELECT {column} {source} ORDER BY {order} LIMIT :n"
    return [int(r[0]) for r in conn.execute(text(sql), params)]


def count_indexed(conn: Connection) -> int:
    """How many passages the index holds."""
    table = "passage_fts" if conn.dialect.name == "sqlite" else "passage_search"
    return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
