"""Polarity: cue words around a finding, never the finding's own words."""

from __future__ import annotations

import pytest

from indicia.detect.polarity import load_polarity
from indicia.text.normalise import search_form


@pytest.mark.parametrize(
    ("text", "finding", "lang", "expected"),
    [
        ("Workers are kept in closed management.", "closed management", "en", "asserted"),
        ("A former worker said the dormitory was locked at night.", "locked", "en", "reported"),
        ("There is no forced labour in the factories.", "forced labour", "en", "denied"),
        ("Claims of forced labour are groundless lies.", "forced labour", "en", "denied"),
        (
            "Suppliers must not retain workers' passports.",
            "retain workers' passports",
            "en",
            "prohibited",
        ),
        (
            "Indicators of forced labour include isolation and debt bondage.",
            "isolation",
            "en",
            "definitional",
        ),
        ("Were you allowed to leave the factory?", "allowed to leave", "en", "definitional"),
        ("实行军事化管理。", "军事化管理", "zh", "asserted"),
        ("据报道，工人的身份证被收走。", "身份证被收走", "zh", "reported"),
        ("所谓强迫劳动纯属捏造。", "强迫劳动", "zh", "denied"),
        ("严禁扣押劳动者身份证件。", "扣押劳动者身份证件", "zh", "prohibited"),
        ("如果工人被限制人身自由，应当立即报告。", "限制人身自由", "zh", "definitional"),
        ("转移人员未经批准不得擅自离开厂区。", "不得擅自离开", "zh", "asserted"),
        ("據報道，工人被要求請假才能外出。", "請假才能外出", "zh", "reported"),
        (
            "严禁对员工实施体罚、性骚扰、言语侮辱或任何形式的威胁恐吓。",
            "威胁恐吓",
            "zh",
            "prohibited",
        ),
        ("审核未发现强迫劳动、扣押证件或限制人身自由的情况。", "限制人身自由", "zh", "denied"),
        (
            "The audit found no evidence of debt bondage or forced overtime.",
            "forced overtime",
            "en",
            "denied",
        ),
        ("Workers were denied permission to go home for the holiday.", "go home", "en", "asserted"),
        (
            "They said if we did not go we would be sent to the camp.",
            "sent to the camp",
            "en",
            "reported",
        ),
        ("根据工作方案，各乡镇要完成转移指标。", "转移指标", "zh", "asserted"),
        ("Rights groups say detainees were forced to work.", "forced to work", "en", "reported"),
    ],
)
def test_polarity(text: str, finding: str, lang: str, expected: str) -> None:
    start = text.index(finding)
    judge = load_polarity()
    assert judge.judge(search_form(text), start, start + len(finding), lang) == expected
