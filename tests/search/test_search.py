"""Search: complete for Chinese terms, whole words for English, script-blind, and the same on
SQLite and PostgreSQL."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from indicia import Case
from indicia.search.engine import search
from indicia.store.schema import passages
from indicia.text.normalise import search_form
from tests.conftest import Backend

from .conftest import CORPUS

CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def all_passages(case: Case) -> list[tuple[int, str]]:
    with case.db.read() as conn:
        return [(r.id, r.text) for r in conn.execute(select(passages.c.id, passages.c.text))]


def sample_terms(case: Case, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    runs = [run for _, t in all_passages(case) for run in CJK_RUN.findall(search_form(t))]
    terms = []
    for _ in range(n):
        run = rng.choice(runs)
        size = rng.randint(2, min(6, len(run)))
        start = rng.randint(0, len(run) - size)
        terms.append(run[start : start + size])
    return terms


def test_chinese_terms_find_every_passage_that_contains_them(analysed: Case) -> None:
    corpus = all_passages(analysed)
    for term in sample_terms(analysed, 40, seed=1):
        expected = {pid for pid, t in corpus if term in search_form(t)}
        found = {h.passage_id for h in analysed.search(term, limit=1000)}
        assert found == expected, term


def test_hits_highlight_the_term(analysed: Case) -> None:
    hits = analysed.search("转移就业")
    assert hits
    for hit in hits:
        assert hit.highlights
        for start, end in hit.highlights:
            assert search_form(hit.text[start:end]) == "转移就业"
        assert "[" in hit.snippet() and hit.title


def test_english_matches_words_not_substrings(analysed: Case) -> None:
    corpus = all_passages(analysed)
    for word in ("work", "labour", "transfer", "dormitory", "the"):
        pattern = re.compile(rf"(?<![^\W_]){word}(?![^\W_])")
        expected = {pid for pid, t in corpus if pattern.search(search_form(t))}
        found = {h.passage_id for h in analysed.search(word, limit=5000)}
        assert found == expected, word


def test_quoted_phrase(analysed: Case) -> None:
    hits = analysed.search('"forced labour"', limit=100)
    assert hits
    assert all(re.search(r"forced\W+labour", search_form(h.text)) for h in hits)


def test_traditional_query_finds_simplified_text(analysed: Case) -> None:
    simplified = {h.passage_id for h in analysed.search("劳动力", limit=500)}
    traditional = {h.passage_id for h in analysed.search("勞動力", limit=500)}
    assert simplified and simplified == traditional


def test_filters_and_limit(analysed: Case) -> None:
    zh = analysed.search("转移", language="zh", limit=500)
    assert zh and all(h.language.startswith("zh") for h in zh)
    doc = zh[0].document_sha256
    only = analysed.search("转移", document=doc[:10], limit=500)
    assert only and all(h.document_sha256 == doc for h in only)
    assert len(analysed.search("转移", limit=2)) == 2
    assert analysed.search("   ") == [] and analysed.search("zzzyyyxxx") == []


@pytest.mark.parametrize(
    "query", ["转移就业", "劳动力", "workers", '"forced labour"', "dormitory rules", "1.2万"]
)
def test_sqlite_and_postgresql_return_the_same_results(
    query: str, tmp_path: Path, pg_database: str
) -> None:
    results = []
    for name, url in (("sqlite", None), ("pg", pg_database)):
        with Case.create(tmp_path / name, database_url=url) as case:
            case.add(manifest=CORPUS / "manifest.csv")
            assert case.analyze().ok
            with case.db.read() as conn:
                results.append(
                    [
                        (h.document_sha256, h.page, h.start, h.end, round(h.score, 9))
                        for h in search(conn, query, limit=50)
                    ]
                )
    assert results[0] == results[1]
    assert results[0] or query == "1.2万"


def test_cli_search_json(analysed: Case, backend: Backend) -> None:
    import json

    from click.testing import CliRunner

    from indicia.cli import main

    result = CliRunner().invoke(
        main, ["search", str(analysed.root), "转移", "--json", "--limit", "3"], env=backend.env()
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == 3 and {"title", "page", "snippet", "highlights"} <= set(hits[0])
