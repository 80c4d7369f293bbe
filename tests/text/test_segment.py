"""Passages: examples in Chinese and English, and properties that hold for any text."""

from __future__ import annotations

import re
import textwrap
from importlib.resources import files

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indicia.text.segment import MAX_PASSAGE, MIN_PASSAGE, SEGMENTER, Span, passages


def texts_of(text: str, language: str | None = None) -> list[str]:
    return [text[span.start : span.end] for span in passages(text, language)]


# --- examples -------------------------------------------------------------------------------

ENGLISH = [
    (
        "W2 said workers were not allowed to leave. Phones were collected at night! Why? "
        "Nobody said.",
        [
            "W2 said workers were not allowed to leave.",
            "Phones were collected at night!",
            "Why? Nobody said.",  # "Why?" alone is shorter than 8 characters: merged
        ],
    ),
    (
        "See Art. 5 of the Regulations and No. 12 of the notice. Workers were paid 3.5 yuan "
        "an hour, e.g. on 3 Jan. 2025, and Mr. Wang of Hewan Textile Co. Ltd. agreed.",
        [
            "See Art. 5 of the Regulations and No. 12 of the notice.",
            "Workers were paid 3.5 yuan an hour, e.g. on 3 Jan. 2025, and Mr. Wang of Hewan "
            "Textile Co. Ltd. agreed.",
        ],
    ),
    (
        "The U.S. Customs and Border Protection issued an order. The U.N. was told.",
        ["The U.S. Customs and Border Protection issued an order.", "The U.N. was told."],
    ),
    (
        "The answer was no. Then the cadres came back. Interviewer: staff member B. Notes "
        "were kept.",
        [
            "The answer was no.",  # "no." ends a sentence unless a number follows
            "Then the cadres came back.",
            "Interviewer: staff member B. Notes were kept.",  # an initial is not an end
        ],
    ),
    (
        "The notice is at https://lanhe.example/notices/2025/0508.html?id=3. It was removed "
        "in 2026. 1,260 workers left on 16 May.",
        [
            "The notice is at https://lanhe.example/notices/2025/0508.html?id=3.",
            "It was removed in 2026.",
            "1,260 workers left on 16 May.",
        ],
    ),
    (
        'He said "it was not an option." She asked "why?" and waited. (They left.) Then silence.',
        [
            'He said "it was not an option."',
            'She asked "why?" and waited.',
            "(They left.)",
            "Then silence.",
        ],
    ),
    (
        "Hewan Textile Ltd. The supplier denies it. Workers keep their ID cards, etc. The "
        "gate is open.",
        [
            "Hewan Textile Ltd.",
            "The supplier denies it.",
            "Workers keep their ID cards, etc.",
            "The gate is open.",
        ],
    ),
]

CHINESE = [
    (
        "各村须于5月20日前完成报名、体检和政审。5月26日统一集中出发！报名人员能否拒绝？不能。",
        [
            "各村须于5月20日前完成报名、体检和政审。",
            "5月26日统一集中出发！",
            "报名人员能否拒绝？不能。",  # 不能。 is shorter than 8 characters: merged
        ],
    ),
    (
        "部分乡（镇）入户动员不够深入，个别劳动力“等靠要”思想仍然存在；有的务工人员到岗后思想"
        "不稳定。",
        [
            "部分乡（镇）入户动员不够深入，个别劳动力“等靠要”思想仍然存在；",
            "有的务工人员到岗后思想不稳定。",
        ],
    ),
    (
        "带队干部说：“我们坚持自愿原则。”随后又说：“不报名的要列为重点关注对象！”会议于下午五点结束。",
        [
            "带队干部说：“我们坚持自愿原则。”",
            "随后又说：“不报名的要列为重点关注对象！”",
            "会议于下午五点结束。",
        ],
    ),
    (
        "她喊道：“我不去！”，随后被带回宿舍。他们还在等待……直到第二天才得到答复。",
        [
            "她喊道：“我不去！”，随后被带回宿舍。",  # a comma after the quote: no cut
            "他们还在等待……",
            "直到第二天才得到答复。",
        ],
    ),
    (
        "完成年度目标任务（1.2万人次）的84.6%。累计向县外输送2060人（见附表。）目前在岗2035人。",
        [
            "完成年度目标任务（1.2万人次）的84.6%。",
            "累计向县外输送2060人（见附表。）",
            "目前在岗2035人。",
        ],
    ),
    (
        "縣政府要求各鄉鎮組織勞動力轉移就業。各村嚴禁強迫勞動！",
        ["縣政府要求各鄉鎮組織勞動力轉移就業。", "各村嚴禁強迫勞動！"],
    ),
    (
        "工人问为什么要交身份证?带队干部没有回答!大家都很担心此事。",
        ["工人问为什么要交身份证?", "带队干部没有回答!", "大家都很担心此事。"],
    ),
]

MIXED = [
    (
        "The term 强迫劳动 (forced labour) appears twelve times. 该报告指出，工人不得擅自离岗。"
        "Officials denied it.",
        [
            "The term 强迫劳动 (forced labour) appears twelve times.",
            "该报告指出，工人不得擅自离岗。",
            "Officials denied it.",
        ],
    ),
    (
        "通知要求“一人就业、全家脱贫”。The phrase was repeated. 这是第三句话，用于测试。",
        ["通知要求“一人就业、全家脱贫”。", "The phrase was repeated.", "这是第三句话，用于测试。"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH + CHINESE + MIXED)
def test_examples(text: str, expected: list[str]) -> None:
    assert texts_of(text) == expected


def test_chinese_with_ascii_full_stops_needs_the_language() -> None:
    text = "各村要按分配名额逐户开展入户动员.村干部要一户一户上门;原则上每户至少1人报名."
    assert texts_of(text) == [text]
    assert texts_of(text, "zh-Hans") == [
        "各村要按分配名额逐户开展入户动员.",
        "村干部要一户一户上门;",
        "原则上每户至少1人报名.",
    ]
    assert texts_of("版本1.2.3已发布。", "zh-Hans") == ["版本1.2.3已发布。"]


# --- line breaks: hard-wrapped PDF text, paragraphs, lists ------------------------------------

WRAPPED_ENGLISH = (
    'W1 (woman, 30s) said village cadres came to her house "four or five times" in May\r\n'
    "2025. She told them she had two small children and did not want to go. According\r\n"
    'to W1, a cadre replied that if she refused, her household would be "listed for\r\n'
    'attention" and her father could lose his subsistence allowance.\r\n'
    "\r\n"
    "W2 (woman, 20s) said the quota for her village was read out at a meeting and that\r\n"
    "every household had to send at least one person\r\n"
)


def test_a_single_line_break_inside_a_sentence_does_not_end_a_passage() -> None:
    assert texts_of(WRAPPED_ENGLISH) == [
        'W1 (woman, 30s) said village cadres came to her house "four or five times" in May'
        "\r\n2025.",
        "She told them she had two small children and did not want to go.",
        'According\r\nto W1, a cadre replied that if she refused, her household would be "listed'
        ' for\r\nattention" and her father could lose his subsistence allowance.',
        "W2 (woman, 20s) said the quota for her village was read out at a meeting and that\r\n"
        "every household had to send at least one person",
    ]


WRAPPED_CHINESE = (
    "按照县里统一部署，全县第二批县外转移就业人员约800人，我乡任务为260人。各村须\n"
    "于5月20日前完成报名、体检和政审，5月26日统一集中出发。经多次动员仍不报名的，\n"
    "由村警务室协助了解情况，列为重点关注对象\n"
    "\n"
    "名单报乡综治中心"
)


def test_hard_wrapped_chinese() -> None:
    assert texts_of(WRAPPED_CHINESE) == [
        "按照县里统一部署，全县第二批县外转移就业人员约800人，我乡任务为260人。",
        "各村须\n于5月20日前完成报名、体检和政审，5月26日统一集中出发。",
        "经多次动员仍不报名的，\n由村警务室协助了解情况，列为重点关注对象",
        "名单报乡综治中心",  # a blank line ends a passage even without punctuation
    ]


def _wrap(text: str, width: int, cjk: bool) -> str:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if cjk:
            lines.extend(paragraph[i : i + width] for i in range(0, len(paragraph), width))
        else:
            lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False))
        if not paragraph:
            lines.append("")
    return "\n".join(lines)


def _squeeze(parts: list[str]) -> list[str]:
    return [re.sub(r"\s+", " ", part) for part in parts]


@pytest.mark.parametrize(
    ("name", "encoding", "width", "cjk"),
    [
        ("wayfield-field-interview-summary-FI-2025-031.txt", "utf-8", 78, False),
        ("wayfield-office-move-notice.txt", "utf-8", 64, False),
        ("liquan-township-mobilisation-notice.txt", "gbk", 38, True),
    ],
)
def test_hard_wrapping_a_demo_document_changes_no_passage(
    name: str, encoding: str, width: int, cjk: bool
) -> None:
    folder = files("indicia").joinpath("data", "samples", "demo")
    text = folder.joinpath(name).read_bytes().decode(encoding).replace("\r\n", "\n")
    wrapped = _wrap(text, width, cjk)
    if cjk:  # Chinese wraps between any two characters: compare without whitespace
        assert [re.sub(r"\s", "", p) for p in texts_of(wrapped)] == [
            re.sub(r"\s", "", p) for p in texts_of(text)
        ]
    else:
        assert _squeeze(texts_of(wrapped)) == _squeeze(texts_of(text))


def test_numbered_lists() -> None:
    text = (
        "Rules for residents:\n"
        "1. Roll call is at 22:00\n"
        "2. Phones are collected at night\n"
        "3. Leaving requires an exit permit\n"
        "\n"
        "4.\n"
        "Wages are paid to the team leader."
    )
    assert texts_of(text) == [
        "Rules for residents:",
        "1. Roll call is at 22:00",
        "2. Phones are collected at night",
        "3. Leaving requires an exit permit",
        "4.\nWages are paid to the team leader.",  # a lone list marker joins what follows
    ]


def test_chinese_lists_and_headings() -> None:
    text = (
        "一、总体要求\n"
        "（一）指导思想。坚持以人民为中心的发展思想。\n"
        "（二）工作目标\n"
        "全年转移就业1.2万人次，其中县外转移2000人以上。\n"
        "二、主要措施\n"
        "1、逐户开展入户动员\n"
        "2．实行军事化管理\n"
        "第三条 外出人员要服从管理，不得擅自离岗。"
    )
    assert texts_of(text) == [
        "一、总体要求\n（一）指导思想。",  # 一、总体要求 is short: merged with what follows
        "坚持以人民为中心的发展思想。",
        "（二）工作目标\n全年转移就业1.2万人次，其中县外转移2000人以上。",
        "二、主要措施\n1、逐户开展入户动员",
        "2．实行军事化管理",
        "第三条 外出人员要服从管理，不得擅自离岗。",
    ]


def test_a_heading_line_above_wrapped_prose_is_its_own_passage() -> None:
    text = (
        "WAYFIELD LABOUR MONITOR\n"
        "Interviewees were three former workers from Lanhe County, referred to as W1, W2\n"
        "and W3; names, ages and villages are withheld to protect them and their families\n"
        "and the interviews took place in a third country"
    )
    assert texts_of(text)[0] == "WAYFIELD LABOUR MONITOR"
    assert len(passages(text)) == 2


def test_a_short_wrapped_line_before_a_lower_case_continuation_is_kept() -> None:
    text = (
        "The notice was published on the township website and copied to every village\n"
        "office; see\n"
        "https://liquan.example/notices/2025/second-batch-household-mobilisation.html for\n"
        "the full text of the notice and its annex listing quotas for every village."
    )
    assert texts_of(text) == [text]


def test_paragraph_separators() -> None:
    assert texts_of("第一段到此没有标点\f第二段也没有标点") == [
        "第一段到此没有标点",
        "第二段也没有标点",
    ]
    assert texts_of("First part here\u2029Second part here") == [
        "First part here",
        "Second part here",
    ]
    assert texts_of("First part here\n \u3000\t\nSecond part here") == [
        "First part here",
        "Second part here",
    ]
    # "\r\n" is one line break, not a blank line
    assert texts_of("First part here\r\nsecond part here") == [
        "First part here\r\nsecond part here"
    ]


# --- long sentences and short fragments -------------------------------------------------------


def test_a_long_chinese_sentence_is_split_at_commas() -> None:
    clause = "各村要按分配名额逐户开展入户动员，"
    text = clause * 60 + "确保完成任务。"
    parts = texts_of(text)
    assert len(parts) >= 2
    assert all(len(part) <= MAX_PASSAGE for part in parts)
    assert all(part.endswith(("，", "。")) for part in parts)
    assert "".join(parts) == text


def test_a_long_english_sentence_is_split_at_a_semicolon_before_a_comma() -> None:
    first = "the workers were moved " * 15
    second = "and the team leaders, who kept the cards, reported daily " * 5
    text = f"Then {first.strip()}; {second.strip()}, and nobody objected"
    parts = texts_of(text)
    assert len(parts) == 2
    assert parts[0].endswith(";")


def test_text_without_any_break_is_cut_hard() -> None:
    text = "劳" * 2000
    parts = passages(text)
    assert [p.length for p in parts] == [500, 500, 500, 500]


def test_a_hard_cut_does_not_separate_a_combining_mark() -> None:
    text = ("e\u0301" * 400)[:-1] + "x"  # é as e + combining acute, no spaces
    for span in passages(text):
        assert span.start == 0 or text[span.start] == "e"


def test_short_fragments_join_the_next_passage_or_the_last() -> None:
    assert texts_of("1. Recruitment was door to door.") == ["1. Recruitment was door to door."]
    assert texts_of("Workers could not leave. Why? No.") == [
        "Workers could not leave.",
        "Why? No.",
    ]
    assert texts_of("好。") == ["好。"]
    assert texts_of("The quota was met in full. 好。") == ["The quota was met in full. 好。"]


def test_empty_and_blank_texts_have_no_passages() -> None:
    assert passages("") == []
    assert passages(" \n\t\u3000\r\n") == []


def test_span() -> None:
    span = Span(3, 10)
    assert (span.start, span.end, span.length) == (3, 10, 7)
    assert SEGMENTER == "passages.v1"


# --- properties -------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "a", "Z", "7", "劳", "動", "ئ", " ", "  ", "\n", "\r\n", "\n\n", "\t", "\u3000", "\f",
        "\u2029", "\x85", "\u00a0", ".", "。", "！", "？", "；", ";", "!", "?", "…", "……", "”",
        "」", "）", '"', "(", "（", "，", ",", "、", ":", "e.g.", "No.", "U.S.", "Mr.", "1.",
        "一、", "（二）", "第三条", "•", "- ", "http://x.example/a.b?c=d", "3.5", "\u0301",
        "Workers could not leave", "工人不得离开",
    ]
)  # fmt: skip
TEXTS = (
    st.lists(PIECES, max_size=300).map("".join)
    | st.text(max_size=400)
    | st.builds(
        lambda unit, n: unit * n, st.sampled_from(["劳", "ab ", "x,", "字，"]), st.integers(0, 1200)
    )
)


def check_invariants(text: str, spans: list[Span]) -> None:
    covered = [False] * len(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        passage = text[span.start : span.end]
        assert passage == passage.strip() and passage
        assert len(passage) <= MAX_PASSAGE
        for i in range(span.start, span.end):
            covered[i] = True
        previous_end = span.end
    for i, ch in enumerate(text):
        assert covered[i] or ch.isspace(), (i, ch)


@settings(max_examples=300)
@given(TEXTS, st.sampled_from([None, "zh-Hans", "en"]))
@example("1.", None)
@example("a" * 601 + " " + "b" * 5, None)
def test_spans_are_ordered_stripped_and_cover_every_non_space_character(
    text: str, language: str | None
) -> None:
    check_invariants(text, passages(text, language))


@given(TEXTS)
def test_a_short_passage_remains_only_where_merging_would_make_one_too_long(text: str) -> None:
    spans = passages(text)
    for i, span in enumerate(spans):
        if span.length >= MIN_PASSAGE or len(spans) == 1:
            continue
        if i + 1 < len(spans):
            assert spans[i + 1].end - span.start > MAX_PASSAGE
        else:
            assert span.end - spans[i - 1].start > MAX_PASSAGE
