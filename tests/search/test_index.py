"""The full-text index itself: tokens, pairs, exactness at the edges, removal and rebuilds, on
SQLite and PostgreSQL, with passages written straight into a case (no extraction)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import func, insert, select, text

from indicia import Case
from indicia.search.engine import _pattern, search
from indicia.search.query import PAIRS, WORDS, parse
from indicia.search.tokens import count_tokens, index_text, pairs, split_index_text, tokens
from indicia.store import fulltext
from indicia.store.schema import passages
from indicia.text.normalise import search_form
from tests.conftest import Backend

TEXTS = [
    "强迫劳动的指标包括扣押护照。",
    "强迫，劳动力转移就业。",  # 迫劳 only across a comma
    "在工厂劳动。力量很大。",  # 劳动 then 力 in the next sentence: not 劳动力
    "劳动力 transfer programme",
    "勞動力轉移就業工作",  # Traditional script
    "iPhone手机工厂的工人",
    "1.2万名工人",
    "哈" * 300 + "哈利",  # a pair repeated past PostgreSQL's 256 positions, then 哈利
    "アイ・ウエオ カタカナ",
    "forced labour and forced-labour, forcedlabour",
    "The workers' dormitory rules",
    "ab 甲乙 cd 乙丙",  # 甲乙丙 is not here: the pairs 甲乙, 乙丙 only meet across a word
]


def write_passages(case: Case, texts: Sequence[str]) -> list[int]:
    """Store passages of the case's first document and index them as the extract stage does."""
    doc = case.documents()[0].sha256
    with case.db.write() as conn:
        first = int(conn.execute(select(func.coalesce(func.max(passages.c.id), 0))).scalar_one())
        ids = list(range(first + 1, first + 1 + len(texts)))
        conn.execute(
            insert(passages),
            [
                {
                    "id": pid,
                    "document_sha256": doc,
                    "page_number": 1,
                    "start": 0,
                    "end": len(body),
                    "language": "und",
                    "script": "Zyyy",
                    "text": body,
                }
                for pid, body in zip(ids, texts, strict=True)
            ],
        )
        fulltext.add(
            conn, [(pid, index_text(search_form(t))) for pid, t in zip(ids, texts, strict=True)]
        )
    return ids


@pytest.fixture
def indexed(backend: Backend) -> Iterator[Case]:
    seed = backend.tmp / "seed.txt"
    seed.write_text("seed document\n", encoding="utf-8")
    with backend.create() as case:
        case.add([seed])
        write_passages(case, TEXTS)
        yield case


def expected(case: Case, query: str) -> set[int]:
    """Brute force: passages whose search form contains every term (words whole)."""
    with case.db.read() as conn:
        corpus = [(r.id, search_form(r.text)) for r in conn.execute(select(passages))]
    found = set()
    for pid, form in corpus:
        ok = True
        for term in parse(query):
            if term.cjk and len(term.tokens) == len(term.form):
                ok &= term.form in form  # a Chinese term: a substring
            elif not term.cjk:
                words = r"[\W_]+".join(re.escape(t) for t in term.tokens)
                ok &= re.search(rf"(?<![^\W_]){words}(?![^\W_])", form) is not None
            else:  # mixed: as the engine confirms it
                ok &= _pattern(term).search(form) is not None
        if ok:
            found.add(pid)
    return found


def found(case: Case, query: str) -> set[int]:
    with case.db.read() as conn:
        return {h.passage_id for h in search(conn, query, limit=1000)}


def test_index_text_holds_words_then_pairs() -> None:
    body = index_text(search_form("強迫勞動，forced labour 工"))
    assert split_index_text(body) == ("强 迫 劳 动 forced labour 工", "强迫 迫劳 劳动")
    assert pairs("甲乙丙，丁") == ["甲乙", "乙丙"]
    assert tokens("ab甲") == ["ab", "甲"]
    for sample in [*TEXTS, "ab_cd Ünïcode x2"]:
        assert count_tokens(search_form(sample)) == len(tokens(search_form(sample)))


def test_terms_become_phrases_of_pairs_or_words() -> None:
    (zh,) = parse("强迫劳动")
    assert zh.phrases == ((PAIRS, ("强迫", "迫劳", "劳动")),)
    (one,) = parse("劳")
    assert one.phrases == ((WORDS, ("劳",)),)
    (mixed,) = parse("iPhone手机")
    assert mixed.phrases == ((WORDS, ("iphone", "手", "机")), (PAIRS, ("手机",)))
    (phrase,) = parse('"forced labour"')
    assert phrase.phrases == ((WORDS, ("forced", "labour")),)


@pytest.mark.parametrize(
    "query",
    [
        "劳动",
        "劳动力",
        "勞動力",
        "迫劳",
        "动力",
        "劳",
        "力",
        "手机",
        "iphone手机",
        "1.2万",
        "哈利",
        "哈哈哈",
        "哈哈利",
        "甲乙丙",
        "乙丙",
        "アイ",
        "ウエオ",
        "forced",
        "labour",
        '"forced labour"',
        "forcedlabour",
        "force",
        "workers",
        "劳动力 transfer",
        "工人 工厂",
    ],
)
def test_every_match_and_only_matches(indexed: Case, query: str) -> None:
    assert found(indexed, query) == expected(indexed, query)


def test_pairs_do_not_reach_across_punctuation_or_words(indexed: Case) -> None:
    with indexed.db.read() as conn:
        offered = fulltext.candidates(conn, [(PAIRS, ("迫劳",))], 100)
    assert set(offered) == expected(indexed, "迫劳")  # not 强迫，劳动力
    # 甲乙 and 乙丙 are neighbours in the pairs stream (the index may offer the passage), but
    # the confirmation on the text drops it.
    assert found(indexed, "甲乙丙") == set()


def test_removal_then_search(indexed: Case) -> None:
    with indexed.db.read() as conn:
        ids = [int(i) for i in conn.execute(select(passages.c.id)).scalars()]
    gone = ids[:4]
    with indexed.db.write() as conn:
        fulltext.remove(conn, gone)
        conn.execute(passages.delete().where(passages.c.id.in_(gone)))
    with indexed.db.read() as conn:
        assert fulltext.count_indexed(conn) == len(TEXTS) - 4
    for query in ("劳动", "劳动力", "强迫", "转移就业", "forced"):
        assert found(indexed, query) == expected(indexed, query)
    write_passages(indexed, TEXTS[:4])  # and back
    assert found(indexed, "劳动力") == expected(indexed, "劳动力")


def test_an_index_built_by_other_rules_is_rebuilt_before_a_write(indexed: Case) -> None:
    with indexed.db.write() as conn:
        conn.execute(
            text("UPDATE case_info SET value = 'tokens.v0' WHERE key = :k"),
            {"k": fulltext.VERSION_KEY},
        )
    write_passages(indexed, ["新的劳动力"])
    with indexed.db.read() as conn:
        assert fulltext.stored_version(conn) == fulltext.index_version()
        assert fulltext.count_indexed(conn) == len(TEXTS) + 1
    assert found(indexed, "劳动力") == expected(indexed, "劳动力")
