"""The rule-based language detector: every case below is synthetic text written for Indicia."""

from __future__ import annotations

from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicia.text.language import DETECTOR, LanguageGuess, detect, detect_many

CASES = [
    # (text, language, script)
    ("各村要按分配名额逐户开展入户动员，原则上每户至少1人报名。", "zh-Hans", "Hans"),
    ("各村要按分配名額逐戶開展入戶動員，原則上每戶至少1人報名。", "zh-Hant", "Hant"),
    ("縣政府要求各鄉鎮組織勞動力轉移就業。", "zh-Hant", "Hant"),
    (
        "W2 said workers were not allowed to leave the compound except on supervised trips.",
        "en",
        "Latn",
    ),
    ("Phones were collected at 10 p.m. and handed back in the morning.", "en", "Latn"),
    # mixed: the dominant language wins, by weighted letters
    ("The report uses the term 强迫劳动 twelve times.", "en", "Latn"),
    ("该报告多次使用forced labour一词。", "zh-Hans", "Hans"),
    (
        "The notice (关于做好第二批县外转移就业人员入户动员工作的通知) was posted in May.",
        "zh-Hans",
        "Hans",
    ),
    (
        "Officials said 自愿 and 不得强迫 were both in the text, but the quota of 260 was binding.",
        "en",
        "Latn",
    ),
    # Uyghur in Arabic script, with base letters and with presentation forms
    ("ئىشچىلار زاۋۇتتىن ئايرىلالمايدۇ، ھەر ھەپتە يىغىن ئېچىلىدۇ.", "ug", "Arab"),
    ("بۇ ھۆججەت سىناق ئۈچۈن يېزىلغان، ئۇ ھەقىقىي ھۆججەت ئەمەس.", "ug", "Arab"),
    ("ﺋﯩﺸﭽﯩﻼﺭ ﺯﺍﯞﯗﺗﺘﯩﻦ ﺋﺎﻳﺮﯨﻼﻟﻤﺎﻳﺪﯗ", "ug", "Arab"),
    # other Arabic-script languages are not Uyghur
    ("لا يسمح للعمال بمغادرة المصنع دون إذن من الإدارة.", "und", "Arab"),
    ("کارگران بدون اجازه نمی توانند کارخانه را ترک کنند.", "und", "Arab"),
    ("مزدور اجازت کے بغیر فیکٹری نہیں چھوڑ سکتے۔", "und", "Arab"),
    # other Latin-script text is undetermined
    ("Lanhe Xian Renli Ziyuan he Shehui Baozhang Ju", "und", "Latn"),
    ("Ishchilar zawuttin ayrilalmaydu, her hepte yighin échilidu.", "und", "Latn"),
    ("Les travailleurs ne peuvent pas quitter l'usine sans autorisation.", "und", "Latn"),
    # scripts without a language rule
    ("Рабочие не могут покинуть фабрику без разрешения.", "und", "Cyrl"),
    ("労働者は許可なく工場を離れることができません。", "und", "Jpan"),
    ("노동자는 허가 없이 공장을 떠날 수 없습니다.", "und", "Hang"),
    ("ལས་མི་ཚོས་ཆོག་མཆན་མེད་པར་བཟོ་གྲྭ་ནས་ཕྱིར་ཐོན་མི་ཆོག", "und", "Tibt"),
    ("მუშებს არ შეუძლიათ ქარხნის დატოვება.", "und", "Zzzz"),
    # no letters
    ("", "und", "Zyyy"),
    ("2025-06-30  10152  84.6%", "und", "Zyyy"),
]


@pytest.mark.parametrize(("text", "language", "script"), CASES)
def test_detect(text: str, language: str, script: str) -> None:
    guess = detect(text)
    assert (guess.language, guess.script) == (language, script), guess.reason
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.detector == DETECTOR == "language.rules.v1"


def test_the_guess_explains_itself() -> None:
    guess = detect("The report uses the term 强迫劳动 twelve times.")
    assert guess.counts == {"Latn": 31, "Hani": 4, "Zyyy": 1}
    assert guess.reason == (
        "Latin dominant; 2 of 7 words are English function words (31 of 43 weighted letters)"
    )
    chinese = detect("该报告多次使用forced labour一词。")
    assert "0 Traditional-only vs 3 Simplified-only" in chinese.reason
    assert "27 of 39 weighted letters" in chinese.reason


def test_han_without_variant_evidence_is_simplified_with_low_confidence() -> None:
    guess = detect("人民" * 20)
    assert guess.language == "zh-Hans"
    assert guess.confidence == 0.5
    assert "0 Traditional-only vs 0 Simplified-only" in guess.reason


def test_more_evidence_and_longer_text_give_more_confidence() -> None:
    short = detect("劳动")
    long = detect("各村要按分配名额逐户开展入户动员，原则上每户至少1人报名。")
    assert short.confidence < long.confidence
    assert long.confidence > 0.9
    assert detect("the workers").confidence < detect(CASES[3][0]).confidence


def test_a_tie_goes_to_han() -> None:
    # 3 Han characters weigh 9, as much as 9 Latin letters
    assert detect("劳动力 abcdefghi").language.startswith("zh")


def test_detect_many_keeps_the_order() -> None:
    texts = [case[0] for case in CASES]
    assert detect_many(texts) == [detect(text) for text in texts]
    assert detect_many(iter([])) == []


def _demo(name: str, encoding: str = "utf-8") -> str:
    folder = files("indicia").joinpath("data", "samples", "demo")
    return folder.joinpath(name).read_bytes().decode(encoding)


@pytest.mark.parametrize(
    ("name", "encoding", "language"),
    [
        ("lanhe-hrss-progress-bulletin-06.txt", "utf-8", "zh-Hans"),
        ("liquan-township-mobilisation-notice.txt", "gbk", "zh-Hans"),
        ("wayfield-field-interview-summary-FI-2025-031.txt", "utf-8", "en"),
        ("wayfield-office-move-notice.txt", "utf-8", "en"),
    ],
)
def test_demo_documents(name: str, encoding: str, language: str) -> None:
    guess = detect(_demo(name, encoding))
    assert guess.language == language
    assert guess.confidence > 0.9


@given(st.text(max_size=200))
def test_any_text_gets_a_valid_guess(text: str) -> None:
    guess = detect(text)
    assert isinstance(guess, LanguageGuess)
    assert guess.language in {"zh-Hans", "zh-Hant", "en", "ug", "und"}
    assert 0.0 <= guess.confidence <= 1.0
    assert sum(guess.counts.values()) == sum(1 for ch in text if not ch.isspace())
