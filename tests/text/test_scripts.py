"""Counting characters by script."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicia.text import scripts
from indicia.text.scripts import count_scripts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("   \n\t", {}),
        ("Forced labour", {"Latn": 12}),
        ("强迫劳动。", {"Hani": 4, "Zyyy": 1}),
        ("強迫勞動", {"Hani": 4}),
        ("The term 强迫劳动 (forced labour), 12 times.", {"Latn": 24, "Hani": 4, "Zyyy": 6}),
        ("ئۇيغۇر تىلى", {"Arab": 10}),
        ("ﺋﯘﻳﻐﯘﺭ", {"Arab": 6}),  # presentation forms, as PDF text layers give them
        ("Привет, мир", {"Cyrl": 9, "Zyyy": 1}),
        ("これは日本語", {"Hrkt": 3, "Hani": 3}),
        ("한국어", {"Hang": 3}),
        ("བོད་ཡིག", {"Tibt": 6, "Zyyy": 1}),
        ("ᠮᠣᠩᠭᠣᠯ", {"Mong": 6}),
        ("ქართული", {"Zzzz": 7}),
        ("Ｆｕｌｌ　ｗｉｄｔｈ", {"Latn": 9}),
        ("café ÅNGSTRÖM", {"Latn": 12}),
        ("〇一二", {"Hani": 3}),
        ("2025年5月", {"Hani": 2, "Zyyy": 5}),
    ],
)
def test_counts(text: str, expected: dict[str, int]) -> None:
    assert count_scripts(text) == expected


@given(st.text(max_size=300))
def test_counts_add_up_to_the_non_space_characters(text: str) -> None:
    counts = count_scripts(text)
    assert all(n > 0 for n in counts.values())
    assert sum(counts.values()) == sum(1 for ch in text if not ch.isspace())


def _all_characters() -> str:
    return "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)


def test_the_space_tables_match_str_isspace() -> None:
    everything = _all_characters()
    expected = {ch for ch in everything if ch.isspace()}
    ascii_spaces = {chr(b) for b in scripts._ASCII_SPACE}
    others = set(scripts._OTHER_SPACE.findall(everything))
    others = {ch for run in others for ch in run}
    assert ascii_spaces | others == expected


def test_every_counted_letter_has_a_lead_byte_that_enables_its_pattern() -> None:
    everything = _all_characters()
    for code, pattern, leads in scripts._COUNTED:
        for run in pattern.findall(everything):
            for ch in run:
                assert ch.encode()[0] in leads, (code, hex(ord(ch)))


def test_every_rare_script_letter_is_found_by_the_presence_test() -> None:
    everything = _all_characters()
    for _, pattern in scripts._RARE_RUNS:
        for run in pattern.findall(everything):
            assert all(scripts._RARE.fullmatch(ch) for ch in run)
