"""Every lexicon loads, validates, and passes the worked examples it carries."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicia.detect.datafile import DataFileError
from indicia.detect.detector import Detector
from indicia.detect.lexicon import load_lexicons

LEXICONS = load_lexicons()
EXAMPLES = [
    pytest.param(lexicon.target, example, id=f"{lexicon.target}-{n}")
    for lexicon in LEXICONS.lexicons
    for n, example in enumerate(lexicon.spec.examples)
]


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()


def test_every_lexicon_is_a_taxonomy_id() -> None:
    from indicia.detect.taxonomy import load_taxonomy

    ids = set(load_taxonomy().ids())
    assert {lexicon.target for lexicon in LEXICONS.lexicons} == ids  # one lexicon per id


def test_every_lexicon_states_source_licence_version_and_examples() -> None:
    for lexicon in LEXICONS.lexicons:
        spec = lexicon.spec
        assert spec.source.strip() and spec.licence.strip() and spec.version >= 1
        assert spec.examples, f"{lexicon.path} has no worked examples"


@pytest.mark.parametrize(("target", "example"), EXAMPLES)
def test_worked_example(detector: Detector, target: str, example: object) -> None:
    from indicia.detect.lexicon import Example

    assert isinstance(example, Example)
    found = detector.detect(example.text, example.lang).findings
    polarities = {f.polarity for f in found if f.indicator == target}
    if example.expect == "none":
        supporting = polarities & {"asserted", "reported"}
        assert not supporting, f"{target} fired ({supporting}) on: {example.text}"
    else:
        assert example.expect in polarities, f"{target} wanted {example.expect}, got {found}"


@pytest.mark.parametrize(
    "text",
    [
        "管理",
        "加强管理",
        "公司管理层召开会议，研究企业管理和员工培训工作。",
        "management",
        "The management team approved the training plan for new workers.",
        "The factory manager discussed labour management and job targets.",
    ],
)
def test_generic_words_alone_never_fire(detector: Detector, text: str) -> None:
    assert detector.detect(text, None).findings == ()


HEADER = "name: lexicon.ilo.isolation\ntarget: ilo.isolation\nsource: test\nlicence: CC0-1.0\n"


def _override(tmp_path: Path, body: str, header: str = HEADER + "version: 1\n") -> Path:
    """A data folder whose ``ilo.isolation`` lexicon is ``header`` + ``body``."""
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "ilo.isolation.yaml").write_text(header + body, encoding="utf-8")
    return tmp_path


def test_generic_term_alone_is_rejected(tmp_path: Path) -> None:
    folder = _override(tmp_path, "rules:\n  - id: bad\n    version: 1\n    terms: [管理]\n")
    with pytest.raises(DataFileError, match="generic term"):
        load_lexicons(folder)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rules: []\n", "rules"),
        ("rules:\n  - id: x\n    version: 1\n", "either terms"),
        ("rules:\n  - id: Bad-Id\n    version: 1\n    terms: [a]\n", "lower-case"),
        ("rules:\n  - id: x\n    version: 1\n    terms: ['re:(']\n", "regular expression"),
        ("rules:\n  - id: x\n    version: 1\n    terms: [a]\n    colour: red\n", "colour"),
    ],
)
def test_malformed_lexicon_names_file_and_field(tmp_path: Path, body: str, message: str) -> None:
    folder = _override(tmp_path, body)
    with pytest.raises(DataFileError, match=message) as info:
        load_lexicons(folder)
    assert "lexicons/ilo.isolation.yaml" in str(info.value)


def test_target_must_match_file_name(tmp_path: Path) -> None:
    folder = _override(
        tmp_path,
        "rules:\n  - id: x\n    version: 1\n    terms: [lied]\n",
        header="name: x\ntarget: ilo.deception\nversion: 1\nsource: t\nlicence: t\n",
    )
    with pytest.raises(DataFileError, match="file name"):
        load_lexicons(folder)


def test_override_folder_replaces_a_packaged_lexicon(tmp_path: Path) -> None:
    folder = _override(
        tmp_path,
        "rules:\n  - id: zebra\n    version: 1\n    terms: [zebra crossing]\n",
        header=HEADER + "version: 7\n",
    )
    lexicons = load_lexicons(folder)
    assert lexicons.get("ilo.isolation").spec.version == 7
    assert lexicons.digest != LEXICONS.digest
    found = Detector(lexicons).detect("They met at the zebra crossing.", "en").findings
    assert [f.rule for f in found] == ["ilo.isolation/zebra"]
