"""OpenCC's character tables and the Traditional/Simplified evidence drawn from them."""

from __future__ import annotations

import pytest

from indicia.text.variants import tables, variant_evidence


def test_tables_map_single_characters_both_ways() -> None:
    t = tables()
    assert t.t2s["戰"] == "战"
    assert t.t2s["於"] == "于"  # OpenCC's first candidate
    assert t.t2s["勞"] == "劳"
    assert t.s2t["劳"] == "勞"
    assert "人" not in t.t2s and "人" not in t.s2t
    assert all(len(k) == 1 and len(v) == 1 for k, v in t.t2s.items())
    assert all(len(k) == 1 and len(v) == 1 for k, v in t.s2t.items())
    assert t.opencc_version


def test_tables_are_built_once() -> None:
    assert tables() is tables()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (0, 0)),
        ("Forced labour", (0, 0)),
        ("人民", (0, 0)),  # shared characters tell nothing
        ("人民大会", (0, 1)),  # 会 (會)
        ("强迫劳动", (0, 3)),  # 迫 is shared
        ("強迫勞動", (3, 0)),
        ("台灣", (1, 1)),  # 台 is also the simplified form of 臺; 灣 is only traditional
        ("县政府组织劳动力转移就业", (0, 7)),
        ("縣政府組織勞動力轉移就業", (7, 0)),
        ("兙", (0, 0)),  # a rare character OpenCC does not convert
    ],
)
def test_variant_evidence(text: str, expected: tuple[int, int]) -> None:
    assert variant_evidence(text) == expected


def test_characters_above_the_basic_plane_are_counted() -> None:
    t = tables()
    astral = sorted(ch for ch in t.t2s if ord(ch) > 0xFFFF and ch not in t.s2t)
    assert astral, "OpenCC maps some characters above U+FFFF"
    assert variant_evidence("勞" + astral[0]) == (2, 0)


def test_compatibility_ideographs_are_evidence_of_neither() -> None:
    compatibility = "\uf9b4"  # normalised to a unified ideograph by both directions
    assert variant_evidence(compatibility) == (0, 0)
