"""Quantities of people (rule quantity.v2): the case table follows docs/annotation-guide.md §4.

Every passage here is synthetic, written for this test.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from indicia.detect.datafile import DataFileError, read_file
from indicia.detect.quantities import (
    RULE,
    Counted,
    QualifierName,
    Quantity,
    QuantityExtractor,
    Unit,
    load_vocabulary,
)


@pytest.fixture(scope="module")
def extractor() -> QuantityExtractor:
    return QuantityExtractor()


# (text, expected) where expected is a list of (value, high, unit, counted, qualifier).
P, PT, H = "persons", "person_times", "households"
CASES: list[tuple[str, list[tuple[int, int | None, str, str, str]]]] = [
    # -- English: qualifiers -------------------------------------------------------------------
    (
        "More than 80,000 Uyghurs were transferred out of Xinjiang.",
        [(80000, None, P, "transferred", "more_than")],
    ),
    ("Over 30,000 poor households were registered.", [(30000, None, H, "poor", "more_than")]),
    (
        "In excess of 15,000 migrant workers were sent east.",
        [(15000, None, P, "transferred", "more_than")],
    ),
    ("3,000 or more workers were transferred.", [(3000, None, P, "transferred", "more_than")]),
    ("At least 500 Kazakhs were held in detention.", [(500, None, P, "detained", "at_least")]),
    ("No fewer than 800 labourers were employed.", [(800, None, P, "employed", "at_least")]),
    ("Some 1.6 million people were detained in camps.", [(1600000, None, P, "detained", "about")]),
    ("Roughly 9,000 students were assigned to factories.", [(9000, None, P, "placed", "about")]),
    ("Nearly 2,000 villagers were relocated.", [(2000, None, P, "transferred", "nearly")]),
    ("Almost 40,000 trainees were trained last year.", [(40000, None, P, "trained", "nearly")]),
    ("Up to one million Uyghurs have been detained.", [(1000000, None, P, "detained", "up_to")]),
    ("As many as 1,200 Tibetans were trained.", [(1200, None, P, "trained", "up_to")]),
    ("Fewer than 300 workers were placed in Fujian.", [(300, None, P, "placed", "less_than")]),
    ("Under 100 employees were hired.", [(100, None, P, "employed", "less_than")]),
    (
        "Between 3,000 and 5,000 workers were employed at the plant.",
        [(3000, 5000, P, "employed", "range")],
    ),
    ("3,000 to 5,000 workers were sent to Anhui.", [(3000, 5000, P, "transferred", "range")]),
    ("3 to 5 million people were moved.", [(3000000, 5000000, P, "transferred", "range")]),
    # -- English: numbers, units and what is counted -------------------------------------------
    ("The county plans to transfer 5,000 surplus labourers.", [(5000, None, P, "target", "exact")]),
    ("The quota was 10,000 workers.", [(10000, None, P, "target", "exact")]),
    ("The county aims to train 20,000 herders.", [(20000, None, P, "target", "exact")]),
    ("The factory employs 2,300 workers.", [(2300, None, P, "employed", "exact")]),
    ("The programme trained 12,000 residents.", [(12000, None, P, "trained", "exact")]),
    ("About 4,500 households were resettled.", [(4500, None, H, "placed", "about")]),
    ("Two workers were detained.", [(2, None, P, "detained", "exact")]),
    ("A thousand workers were bused to the factory.", [(1000, None, P, "transferred", "exact")]),
    ("Three hundred and twenty workers arrived.", [(320, None, P, "other", "exact")]),
    ("The training reached 25,000 person-times.", [(25000, None, PT, "trained", "exact")]),
    ("More than 2 million surplus labourers", [(2000000, None, P, "surplus_labour", "more_than")]),
    ("The county has a population of 450,000 people.", [(450000, None, P, "population", "exact")]),
    ("1,600,000 families", [(1600000, None, H, "other", "exact")]),
    ("The plant hired 1.2m workers.", [(1200000, None, P, "employed", "exact")]),
    # -- English: never recorded ---------------------------------------------------------------
    ("A 19-year-old worker said the gate was locked.", []),
    ("The workers were 19 years old.", []),
    ("One worker said the dormitory was locked.", []),
    ("The company paid 3,000 yuan to each worker.", []),
    ("The company paid $3,000 to workers.", []),
    ("Output rose by 30% among workers.", []),
    ("Some 5,000 hectares of cotton fields employ workers.", []),
    ("5,000 tonnes of cotton were picked by workers.", []),
    ("In 2018 workers were sent to Anhui.", []),
    ("The firm runs 12 factories in 40 villages.", []),
    ("Call 0998-1234567 for workers.", []),
    ("The 2020-2022 plan for workers.", []),
    ("COVID-19 patients were quarantined.", []),
    ("Hundreds of workers protested.", []),
    ("Workers aged 18-45 year-olds", []),
    ("In March 2020, 100 workers left.", [(100, None, P, "other", "exact")]),
    ("Dormitory No. 12 housed 48 people.", [(48, None, P, "other", "exact")]),
    (
        "The company hired 3,500 new employees in 2021, up 12% from 2020.",
        [(3500, None, P, "employed", "exact")],
    ),
    # -- English (v2): more people nouns, a longer gap, quotes ------------------------------------
    (
        "Some 2,000 Kazakh and other Muslim workers were sent.",
        [(2000, None, P, "transferred", "about")],
    ),
    (
        "The fair drew 900 job seekers and 40 engineers.",
        [(900, None, P, "other", "exact"), (40, None, P, "other", "exact")],
    ),
    ("Three police officers escorted them.", [(3, None, P, "other", "exact")]),
    ("The plan called for 50,000 transfers a year.", [(50000, None, P, "target", "exact")]),
    ("The bureau reported 7,000 placements in Jiangsu.", [(7000, None, P, "placed", "exact")]),
    ("A list names 250 'volunteers' from the county.", [(250, None, P, "other", "exact")]),
    # -- English (v2): people named before the numeral -----------------------------------------
    (
        "Only 12 of the 300 workers sent there went home.",
        [(12, None, P, "transferred", "exact"), (300, None, P, "transferred", "exact")],
    ),
    (
        "The camp held 900 men, 40 of whom were later released.",
        [(900, None, P, "detained", "exact"), (40, None, P, "detained", "exact")],
    ),
    ("3,000 of the workers left.", []),
    (
        "The town has a population of about 80,000, officials said.",
        [(80000, None, P, "population", "about")],
    ),
    (
        "They were bused east in batches of 50 to a shoe factory.",
        [(50, None, P, "transferred", "exact")],
    ),
    ("The firm has a workforce of 2,400.", [(2400, None, P, "other", "exact")]),
    ("They were sent in groups of 20 machines.", []),
    (
        "The poor population dropped from 52,000 to under 6,000 by 2020.",
        [(52000, None, P, "poor", "exact"), (6000, None, P, "poor", "less_than")],
    ),
    (
        "Registered detainees rose from 3,000 to 8,000 in a year.",
        [(3000, None, P, "other", "exact"), (8000, None, P, "other", "exact")],
    ),
    (
        "Households at the relocation site grew to 2,500 in 2021 from 900 two years before.",
        [(2500, None, H, "transferred", "exact"), (900, None, H, "transferred", "exact")],
    ),
    ("Average wages of workers rose to 4,000 a month.", []),
    ("Villagers said the number of factories rose to 30.", []),
    ("The rate for migrant workers fell by 3.", []),
    # -- a lone person is never recorded (v2) --------------------------------------------------
    ("1 worker was injured.", []),
    ("一名工人说，工厂不让请假。", []),
    ("只有1人离开。", []),
    ("一两人受伤", [(1, 2, P, "other", "range")]),
    # -- Chinese: numbers and qualifiers -------------------------------------------------------
    ("全年共转移农村富余劳动力3.2万人。", [(32000, None, P, "transferred", "exact")]),
    ("三千多人被安置到工厂。", [(3000, None, P, "placed", "more_than")]),
    ("1万余人实现就业。", [(10000, None, P, "employed", "more_than")]),
    ("十余万人参加培训。", [(100000, None, P, "trained", "more_than")]),
    ("20多万人外出务工。", [(200000, None, P, "transferred", "more_than")]),
    ("三千多万人", [(30000000, None, P, "other", "more_than")]),
    ("逾2000人被拘留。", [(2000, None, P, "detained", "more_than")]),
    ("3000人以上", [(3000, None, P, "other", "more_than")]),
    ("至少1000名学员", [(1000, None, P, "other", "at_least")]),
    ("不少于500人", [(500, None, P, "other", "at_least")]),
    ("约2万人", [(20000, None, P, "other", "about")]),
    ("5000人左右", [(5000, None, P, "other", "about")]),
    ("近3万名维吾尔族群众被输送到内地。", [(30000, None, P, "transferred", "nearly")]),
    ("将近800人", [(800, None, P, "other", "nearly")]),
    ("近千人", [(1000, None, P, "other", "nearly")]),
    ("多达2万人被关押。", [(20000, None, P, "detained", "up_to")]),
    ("不到500人", [(500, None, P, "other", "less_than")]),
    ("不足300户", [(300, None, H, "other", "less_than")]),
    ("三四万人外出务工。", [(30000, 40000, P, "transferred", "range")]),
    ("2-3万人", [(20000, 30000, P, "other", "range")]),
    ("3000—5000人转移就业", [(3000, 5000, P, "transferred", "range")]),
    ("3万至5万人", [(30000, 50000, P, "other", "range")]),
    ("一两千人", [(1000, 2000, P, "other", "range")]),
    ("十二万人次参加培训", [(120000, None, PT, "trained", "exact")]),
    ("两千名工人", [(2000, None, P, "other", "exact")]),
    ("一千二百三十四人", [(1234, None, P, "other", "exact")]),
    ("160万人", [(1600000, None, P, "other", "exact")]),
    ("千余名工人", [(1000, None, P, "other", "more_than")]),
    ("拘留了两人", [(2, None, P, "detained", "exact")]),
    ("二十几名妇女被关押。", [(20, None, P, "detained", "more_than")]),
    ("十几万人外出务工", [(100000, None, P, "transferred", "more_than")]),
    ("一千几百名工人", [(1000, None, P, "other", "more_than")]),
    ("二十几岁的女工", []),
    ("几十名工人", []),
    ("培训人数约两万人", [(20000, None, P, "trained", "about")]),
    ("１２，０００人被转移", [(12000, None, P, "transferred", "exact")]),
    # -- Chinese: units and what is counted ----------------------------------------------------
    ("计划培训3万人次。", [(30000, None, PT, "target", "exact")]),
    ("力争转移就业5万人。", [(50000, None, P, "target", "exact")]),
    ("建档立卡贫困户1200户", [(1200, None, H, "poor", "exact")]),
    ("贫困人口3万人", [(30000, None, P, "poor", "exact")]),
    ("5万名富余劳动力", [(50000, None, P, "surplus_labour", "exact")]),
    ("全县总人口45万人", [(450000, None, P, "population", "exact")]),
    ("1.2亿人口", [(120000000, None, P, "population", "exact")]),
    ("超过5000人被关押", [(5000, None, P, "detained", "more_than")]),
    ("转移富余劳动力1.2万，", [(12000, None, P, "transferred", "exact")]),
    ("组织2万人次开展技能培训", [(20000, None, PT, "trained", "exact")]),
    ("安置3000户家庭", [(3000, None, H, "placed", "exact")]),
    ("3000人至5000人", [(3000, 5000, P, "other", "range")]),
    ("四五十个人住在一间宿舍里", [(40, 50, P, "other", "range")]),
    ("总人口62.5万，其中农业人口占八成。", [(625000, None, P, "population", "exact")]),
    ("目标任务：2021年转移就业5000人。", [(5000, None, P, "target", "exact")]),
    ("全年转移1.5万人，完成年度任务的125%。", [(15000, None, P, "transferred", "exact")]),
    ("每年新增城镇就业1100万人以上。", [(11000000, None, P, "employed", "more_than")]),
    # -- Traditional script ----------------------------------------------------------------------
    ("三萬人", [(30000, None, P, "other", "exact")]),
    ("轉移就業1.2萬人", [(12000, None, P, "transferred", "exact")]),
    ("計劃輸出勞動力2萬餘人", [(20000, None, P, "target", "more_than")]),
    ("1.5億人口", [(150000000, None, P, "population", "exact")]),
    ("貧困戶800戶", [(800, None, H, "poor", "exact")]),
    # -- Chinese: never recorded ---------------------------------------------------------------
    ("投入资金3000万元，带动就业。", []),
    ("流转土地5000亩", []),
    ("产量达2万吨", []),
    ("占GDP的3%", []),
    ("2018年转移工作", []),
    ("年满18岁的青年", []),
    ("全县200家企业", []),
    ("共有30个村", []),
    ("举办培训班50期", []),
    ("依据新党发〔2018〕12号文件", []),
    ("一人就业，全家脱贫", []),
    ("千人计划", []),
    ("第3名工人", []),
    ("工资3000人民币", []),
    ("每户至少一人", []),
    ("百分之三十的工人", []),
    ("数十万人", []),
    ("18至45岁的劳动力", []),
    ("2017-2019年", []),
    ("电话：0991-1234567", []),
]


def _summary(found: list[Quantity]) -> list[tuple[int, int | None, str, str, str]]:
    return [(q.value, q.high, q.unit, q.counted, q.qualifier) for q in found]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_case_table(
    extractor: QuantityExtractor,
    text: str,
    expected: list[tuple[int, int | None, str, str, str]],
) -> None:
    found = extractor.find(text)
    assert _summary(found) == expected
    for q in found:
        assert q.rule == RULE
        assert 0 <= q.start < q.end <= len(text)


def test_table_covers_the_specification() -> None:
    seen = {name for _, expected in CASES for row in expected for name in row[2:]}
    # The data's categories, plus the fallbacks the rule gives when no cue speaks.
    units = set(get_args(Unit))
    counted = {*get_args(Counted), "other"}
    qualifiers = {*get_args(QualifierName), "exact", "range"}
    assert units | counted | qualifiers <= seen
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("More than 80,000 Uyghurs were sent.", "80,000 Uyghurs"),
        ("全年共转移农村富余劳动力3.2万人。", "3.2万人"),
        ("1万余人实现就业", "1万余人"),
        ("between 3,000 and 5,000 workers", "3,000 and 5,000 workers"),
        ("１２，０００人被转移", "１２，０００人"),
        ("三萬人", "三萬人"),
        ("5万名富余劳动力", "5万名"),
    ],
)
def test_span_runs_from_numeral_through_unit(
    extractor: QuantityExtractor, text: str, quote: str
) -> None:
    (q,) = extractor.find(text)
    assert text[q.start : q.end] == quote


def test_several_quantities_in_one_passage(extractor: QuantityExtractor) -> None:
    text = "2019年，全县转移就业1.2万人，培训3万人次，安置贫困户800户，投入资金2000万元。"
    assert _summary(extractor.find(text)) == [
        (12000, None, P, "transferred", "exact"),
        (30000, None, PT, "trained", "exact"),
        (800, None, H, "placed", "exact"),
    ]


def test_as_json() -> None:
    plain = Quantity(3000, None, P, "transferred", "exact", 4, 9)
    assert plain.as_json() == {
        "value": 3000,
        "unit": P,
        "counted": "transferred",
        "qualifier": "exact",
        "start": 4,
        "end": 9,
    }
    ranged = Quantity(3000, 5000, P, "other", "range", 0, 9)
    assert ranged.as_json()["high"] == 5000


def test_lang_is_a_hint(extractor: QuantityExtractor) -> None:
    assert extractor.find("three workers", lang="en")[0].value == 3
    assert extractor.find("three workers", lang="zh") == []
    assert extractor.find("三千人", lang="en") == []
    assert extractor.find("3000 workers", lang="zh")[0].value == 3000


# -- properties ------------------------------------------------------------------------------

INTERESTING = list("0123456789,.-—~ 一二两三四五六七八九十百千万亿萬億余多近约人名户次元年%第")
INTERESTING += ["workers", " more than ", " to ", "between ", " and ", "million", "人次", "以上"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text: str) -> None:
    extractor = _shared()
    for q in extractor.find(text):
        assert 0 <= q.start < q.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(INTERESTING), max_size=30).map("".join),
    st.sampled_from([None, "en", "zh"]),
)
def test_offsets_stay_inside_the_text(text: str, lang: str | None) -> None:
    previous_end = 0
    for q in _shared().find(text, lang):
        assert 0 <= q.start < q.end <= len(text)
        assert q.start >= previous_end
        assert q.value > 0
        assert q.high is None or q.high > q.value
        previous_end = q.end


_EXTRACTOR: list[QuantityExtractor] = []


def _shared() -> QuantityExtractor:
    if not _EXTRACTOR:
        _EXTRACTOR.append(QuantityExtractor())
    return _EXTRACTOR[0]


# -- the data file ---------------------------------------------------------------------------


def test_packaged_data_file_validates() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.name == "quantities"
    assert vocabulary.licence == "Apache-2.0"
    assert vocabulary.version >= 1


def _override(tmp_path: Path, change: dict[str, object]) -> Path:
    document = yaml.safe_load(read_file("quantities.yaml").text)
    document.update(change)
    (tmp_path / "quantities.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "change",
    [
        {"licence": ""},
        {"version": 0},
        {"limits": {"window": 60}},
        {"unexpected": 1},
        {"counted_ignore": ["Family Planning"]},  # not in search form
        {
            "counted": {
                "target": {"rank": 1, "cues": ["quota"]},
                "poor": {"rank": 3, "cues": ["quota"]},
            }
        },
    ],
)
def test_malformed_override_raises(tmp_path: Path, change: dict[str, object]) -> None:
    with pytest.raises(DataFileError):
        load_vocabulary(_override(tmp_path, change))


def test_override_that_is_not_yaml_raises(tmp_path: Path) -> None:
    (tmp_path / "quantities.yaml").write_text("name: [unclosed", "utf-8")
    with pytest.raises(DataFileError):
        load_vocabulary(tmp_path)


def test_valid_override_changes_the_vocabulary(tmp_path: Path) -> None:
    document = yaml.safe_load(read_file("quantities.yaml").text)
    document["units"]["persons"]["nouns"].append("apprentices")
    (tmp_path / "quantities.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    text = "3,000 apprentices were trained."
    assert QuantityExtractor().find(text) == []
    found = QuantityExtractor(load_vocabulary(tmp_path)).find(text)
    assert [q.value for q in found] == [3000]
