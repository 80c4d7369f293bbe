"""The multi-pattern matcher: term syntax, offsets and the on-disk cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicia.detect.matcher import Matcher, term_pattern
from indicia.text.normalise import search_form


def _spans(terms: list[str], text: str, tmp_path: Path) -> list[str]:
    matcher = Matcher(terms, cache_dir=tmp_path)
    form = search_form(text)
    return [text[h.start : h.end] for h in matcher.scan(form)]


@pytest.mark.parametrize(
    ("terms", "text", "expected"),
    [
        (["leave"], "They could not leave.", ["leave"]),
        (["leave"], "A cleaver and leaves.", []),
        (["forc*"], "Forced, forcing, and enforced.", ["Forced", "forcing"]),
        (["closed management"], "closed\n  management", ["closed\n  management"]),
        (["封闭式管理"], "實行封閉式管理。", ["封閉式管理"]),
        (["军事化管理"], "實行軍事化管理", ["軍事化管理"]),
        (["ｔｅｓｔ"], "a test here", ["test"]),
        (
            ["re:not (allowed|permitted) to leave"],
            "NOT permitted to leave",
            ["NOT permitted to leave"],
        ),
        (["工人", "工人宿舍"], "工人宿舍", ["工人", "工人宿舍"]),
    ],
)
def test_term_syntax(tmp_path: Path, terms: list[str], text: str, expected: list[str]) -> None:
    assert _spans(terms, text, tmp_path) == expected


def test_latin_boundaries_only_at_letter_edges() -> None:
    assert term_pattern("ID card") == r"\bid\s+card\b"
    assert term_pattern("身份证") == "身份证"
    assert term_pattern("re:a|b") == "a|b"


def test_compiled_database_is_cached(tmp_path: Path) -> None:
    Matcher(["alpha", "beta"], cache_dir=tmp_path)
    cached = list(tmp_path.glob("lexicon-*.hsdb"))
    assert len(cached) == 1
    again = Matcher(["alpha", "beta"], cache_dir=tmp_path)
    assert [h.pattern for h in again.scan("beta alpha")] == [1, 0]


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    Matcher(["alpha"], cache_dir=tmp_path)
    (cached,) = tmp_path.glob("lexicon-*.hsdb")
    cached.write_bytes(b"not a database")
    assert len(Matcher(["alpha"], cache_dir=tmp_path).scan("alpha")) == 1


@given(st.text(max_size=200))
def test_offsets_stay_inside_the_text(text: str) -> None:
    matcher = _shared()
    form = search_form(text)
    for hit in matcher.scan(form):
        assert 0 <= hit.start <= hit.end <= len(text)
        assert search_form(text[hit.start : hit.end]) == form[hit.start : hit.end]


_MATCHER: list[Matcher] = []


def _shared() -> Matcher:
    if not _MATCHER:
        import tempfile

        _MATCHER.append(
            Matcher(["工人", "a", "ab", "离开", "leave"], cache_dir=Path(tempfile.mkdtemp()))
        )
    return _MATCHER[0]
