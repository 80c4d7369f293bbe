"""The search form: same length as the text, mapped one character at a time."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicia.text import normalise
from indicia.text.normalise import SEARCH_FORM, search_form, search_form_tables_version

INTERESTING = st.sampled_from(
    list("戰爭於勞動強迫乾台灣薴ＡＺａｚ０９！～　 İIΣẞǅKÅﯦﺋﻼﷲ\u0130\u1e9e\u2126")
)
TEXTS = st.text(max_size=200) | st.lists(INTERESTING | st.characters(), max_size=80).map("".join)


@given(TEXTS)
def test_the_search_form_has_the_same_length(text: str) -> None:
    assert len(search_form(text)) == len(text)


@given(TEXTS)
def test_offsets_into_the_search_form_are_offsets_into_the_text(text: str) -> None:
    form = search_form(text)
    for i, (original, mapped) in enumerate(zip(text, form, strict=True)):
        assert search_form(original) == mapped, i
    # so a hit found in the search form is cited from the text at the same offsets
    if len(text) >= 3:
        assert search_form(text[1:3]) == form[1:3]


@given(TEXTS)
def test_the_search_form_is_idempotent(text: str) -> None:
    form = search_form(text)
    assert search_form(form) == form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("強迫勞動", "强迫劳动"),
        ("强迫劳动", "强迫劳动"),
        ("戰爭於台灣", "战争于台湾"),
        ("乾隆", "干隆"),  # character by character: OpenCC's first candidate, no phrases
        ("ＦＯＲＣＥＤ　Ｌａｂｏｕｒ！", "forced labour!"),
        ("１．２万人次，８４．６％", "1.2万人次,84.6%"),  # ，is U+FF0C, a full-width comma
        ("劳动。“自愿”", "劳动。“自愿”"),  # 。and “” are not full-width ASCII forms
        ("Forced LABOUR", "forced labour"),
        ("İstanbul", "İstanbul"),  # İ lower-cases to two characters: kept
        ("ΣΟΦΊΑ", "σοφία"),
        ("ẞ", "ß"),
        ("Ω", "ω"),  # U+2126 OHM SIGN
        ("K", "k"),  # U+212A KELVIN SIGN
        ("ﺋﯘﻳﻐﯘﺭ", "ئۇيغۇر"),  # Arabic presentation forms to base letters
        ("ﷲ", "ﷲ"),  # a ligature of several letters is kept
        ("薴", "苎"),  # a chain of two OpenCC steps, followed to its end
        ("", ""),
        ("\n\t ", "\n\t "),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert search_form(text) == expected


def test_traditional_and_simplified_queries_meet() -> None:
    text = "縣政府要求各鄉鎮組織勞動力轉移就業，嚴禁強迫勞動。"
    query = "强迫劳动"
    start = search_form(text).find(search_form(query))
    assert text[start : start + len(query)] == "強迫勞動"


def test_no_code_point_above_the_last_cased_one_has_a_lower_case() -> None:
    for cp in range(normalise._LAST_CASED_CODE_POINT + 1, sys.maxunicode + 1):
        assert chr(cp).lower() == chr(cp), hex(cp)


def test_every_single_character_lower_case_is_in_the_table() -> None:
    for cp in range(normalise._LAST_CASED_CODE_POINT + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        lower = chr(cp).lower()
        if len(lower) == 1 and lower != chr(cp):
            assert search_form(chr(cp)) == search_form(lower), hex(cp)


def test_names_and_versions() -> None:
    assert SEARCH_FORM == "search_form.v1"
    assert search_form_tables_version().count(".") >= 1
