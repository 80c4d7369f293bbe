"""The boundary rules, one at a time, on the positions they allow a passage to end."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicia.text import boundaries
from indicia.text.boundaries import ABBREVIATIONS, cut_points


def pieces(text: str, language: str | None = None) -> list[str]:
    """The text between consecutive cut points, stripped, without empty pieces."""
    cuts = cut_points(text, language)
    parts = (text[a:b].strip() for a, b in pairwise(cuts))
    return [part for part in parts if part]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations that never end a sentence
        ("Ask Mr. Wang.", ["Ask Mr. Wang."]),
        ("Hewan Co. Limited denies it.", ["Hewan Co. Limited denies it."]),
        ("(Cf. Annex B.) More.", ["(Cf. Annex B.)", "More."]),
        # abbreviations that do not end a sentence before a number
        ("See No. 5 and Art. 12 here.", ["See No. 5 and Art. 12 here."]),
        ("He said No. Then left.", ["He said No.", "Then left."]),
        ("Sent on Jan. 5 as planned.", ["Sent on Jan. 5 as planned."]),
        ("approx. 800 people went.", ["approx. 800 people went."]),
        # rules instead of lists: initials and dotted abbreviations
        ("Staff member K. Smith wrote.", ["Staff member K. Smith wrote."]),
        ("Sold in the U.S. Buyers were told.", ["Sold in the U.S. Buyers were told."]),
        ("Two rooms, i.e. Rooms A and B.", ["Two rooms, i.e. Rooms A and B."]),
        # a quote or bracket after the full stop: the sentence has ended
        ('The reply was "No." Then silence.', ['The reply was "No."', "Then silence."]),
        # a word too long to be an abbreviation is never one, whatever it ends with
        ("At lanhe.example/a/b/c/d/e/f/No. Then.", ["At lanhe.example/a/b/c/d/e/f/No.", "Then."]),
        # numbers, decimals, versions, URLs
        ("Paid 3.5 yuan. 84.6% done.", ["Paid 3.5 yuan.", "84.6% done."]),
        ("Version 1.2.3 is out. Go.", ["Version 1.2.3 is out.", "Go."]),
        # lower case after the full stop: no end
        ("It was 8 p.m. and dark.", ["It was 8 p.m. and dark."]),
        # Uyghur: Arabic question mark and full stop before an Arabic-script letter
        ("سىز خالامسىز؟ ياق. بولدى", ["سىز خالامسىز؟", "ياق.", "بولدى"]),
        # ellipses
        ("等待……结果", ["等待……", "结果"]),
        ("等待…结果", ["等待…结果"]),  # a single … is not an end
        ("Wait... Then go.", ["Wait...", "Then go."]),
    ],
)
def test_sentence_rules(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_the_abbreviation_lists_are_loaded() -> None:
    assert "Mr." in ABBREVIATIONS.words
    assert "No." in ABBREVIATIONS.before_numbers


def test_ascii_punctuation_between_han_characters_only_for_chinese() -> None:
    text = "工作.下一步;再下一步. Next"
    assert pieces(text) == ["工作.下一步;再下一步.", "Next"]
    assert pieces(text, "zh-Hant") == ["工作.", "下一步;", "再下一步.", "Next"]
    assert pieces(text, "en") == pieces(text)


@pytest.mark.parametrize(
    "marker",
    [
        "一、",
        "十二、",
        "（三）",
        "(4)",
        "（a）",
        "(iv)",
        "5.",
        "6、",
        "7．",
        "8)",
        "第九条",
        "第十章",
        "第一部分",
        "•",
        "●",
        "- ",
        "– ",
    ],
)
def test_list_markers_at_the_start_of_a_line_start_a_passage(marker: str) -> None:
    assert pieces(f"前面的内容没有标点\n{marker}后面的内容") == [
        "前面的内容没有标点",
        f"{marker}后面的内容",
    ]


@pytest.mark.parametrize(
    "start",
    [
        "(sic) the rest",
        "1.5 million more",
        "2025 was the year",
        "123. is too long",
        "第一批人员",
        "——即强迫劳动",
        "-5 degrees",
    ],
)
def test_things_that_only_look_like_list_markers(start: str) -> None:
    text = f"the wrapped line of an ongoing sentence reaches the right margin here and\n{start}"
    assert pieces(text) == [text]


def test_short_lines_in_a_block_of_long_lines_end_passages() -> None:
    long = "x" * 70
    text = f"{long}\n{long}\nShort heading\nAnother line that is long enough to count as full width"
    assert pieces(text) == [f"{long}\n{long}\nShort heading", text[text.index("Another") :]]


def test_the_short_line_rule_is_off_in_blocks_of_short_lines() -> None:
    text = "Lanhe County\nHuman Resources\nBulletin No 6"
    assert pieces(text) == [text]


@pytest.mark.parametrize("ending", ["-", ",", "，", "、", "(", "“"])
def test_a_short_line_that_continues_is_kept(ending: str) -> None:
    long = "y" * 60
    text = f"{long}\n{long}\nend{ending}\nNext words"
    assert pieces(text) == [text]


@pytest.mark.parametrize(("han", "cut"), [(20, False), (10, False), (9, True)])
def test_cjk_characters_count_two_columns(han: int, cut: bool) -> None:
    # lines of 40 columns: a line of Han characters is short below 20 columns (10 characters)
    latin = "Z" * 40
    text = f"{latin}\n{latin}\n{'劳' * han}\n{latin}"
    expected = [text[: -len(latin) - 1], latin] if cut else [text]
    assert pieces(text) == expected


def test_cut_points_include_both_ends_and_are_sorted() -> None:
    assert cut_points("") == [0]
    assert cut_points("abc") == [0, 3]
    cuts = cut_points("One here. Two here.\n\nThree.")
    assert cuts == sorted(set(cuts))
    assert cuts[0] == 0 and cuts[-1] == len("One here. Two here.\n\nThree.")


@given(
    st.lists(
        st.sampled_from([*"a。！？；.!?؟۔…⋯”)\n\r \f\u2029劳A1一、（", "\r\n", "(2)", "......"]),
        max_size=200,
    ).map("".join)
    | st.text(max_size=200)
)
def test_the_candidate_scan_finds_the_same_matches_as_a_plain_scan(text: str) -> None:
    fast = [(m.lastgroup, m.span()) for m in boundaries._rule_matches(text)]
    plain = [(m.lastgroup, m.span()) for m in boundaries._RULES.finditer(text)]
    assert fast == plain
