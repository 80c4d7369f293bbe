"""The taxonomy data files: they load, keep the public ids, and their mappings hold together."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

import indicia
from indicia.detect.datafile import DataFileError
from indicia.detect.taxonomy import Act, Indicator, Marker, load_taxonomy

ROOT = Path(__file__).parents[2]
PACKAGED = Path(indicia.__file__).parent / "data" / "taxonomy"

# The public interface: JSON output, reports and users' scripts name these ids. Changing this
# table is an interface change.
PUBLIC_IDS = {
    "c29_element": ["ilo.c29.involuntariness", "ilo.c29.menace_of_penalty"],
    "ilo_indicator": [
        "ilo.abuse_of_vulnerability",
        "ilo.deception",
        "ilo.restriction_of_movement",
        "ilo.isolation",
        "ilo.physical_sexual_violence",
        "ilo.intimidation_threats",
        "ilo.retention_of_identity_documents",
        "ilo.withholding_of_wages",
        "ilo.debt_bondage",
        "ilo.abusive_conditions",
        "ilo.excessive_overtime",
    ],
    "sfl_marker": [
        "sfl.quota_target",
        "sfl.organised_transfer",
        "sfl.door_to_door_mobilisation",
        "sfl.military_management",
        "sfl.political_indoctrination",
        "sfl.minders_surveillance",
        "sfl.religious_restriction",
        "sfl.family_separation",
        "sfl.penalty_for_refusal",
        "sfl.detention_linkage",
        "sfl.surplus_labour_targeting",
        "sfl.demographic_intent",
        "sfl.pairing_assistance",
        "sfl.satellite_factory",
        "sfl.segregated_housing",
        "sfl.secrecy",
        "sfl.exit_prevention",
    ],
    "c105_purpose": ["ilo.c105.a", "ilo.c105.b", "ilo.c105.c", "ilo.c105.d", "ilo.c105.e"],
    "rs_chapeau": [
        "rs.chapeau.attack",
        "rs.chapeau.civilian_population",
        "rs.chapeau.widespread_or_systematic",
        "rs.chapeau.policy",
        "rs.chapeau.knowledge",
    ],
    "rs_act": [
        "rs.7_1_c_enslavement",
        "rs.7_1_d_forcible_transfer",
        "rs.7_1_e_imprisonment",
        "rs.7_1_f_torture",
        "rs.7_1_g_sexual_violence",
        "rs.7_1_h_persecution",
        "rs.7_1_k_other_inhumane_acts",
    ],
}


@pytest.fixture(autouse=True)
def _no_data_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INDICIA_DATA_PATH", raising=False)


def test_every_file_loads_and_is_cached() -> None:
    taxonomy = load_taxonomy()
    assert set(taxonomy.files) == {"c29", "ilo_indicators", "sfl_markers", "c105", "rome_statute"}
    assert set(taxonomy.files.values()) == {1}
    assert load_taxonomy() is taxonomy
    assert len(taxonomy.version) == 12


@pytest.mark.parametrize("kind", sorted(PUBLIC_IDS))
def test_public_ids(kind: str) -> None:
    assert list(load_taxonomy().ids(kind)) == PUBLIC_IDS[kind]  # type: ignore[arg-type]


def test_entries_are_in_kind_order_and_ids_cover_them() -> None:
    taxonomy = load_taxonomy()
    assert [e.id for e in taxonomy.entries] == [i for ids in PUBLIC_IDS.values() for i in ids]
    assert taxonomy.ids() == tuple(e.id for e in taxonomy.entries)
    assert taxonomy.get("ilo.deception").label.zh
    with pytest.raises(KeyError):
        taxonomy.get("ilo.no_such_indicator")


def test_every_indicator_names_dimensions_and_evidences() -> None:
    taxonomy = load_taxonomy()
    expected = {
        "involuntariness": ("ilo.c29.involuntariness",),
        "penalty": ("ilo.c29.menace_of_penalty",),
        "both": ("ilo.c29.involuntariness", "ilo.c29.menace_of_penalty"),
    }
    for id in taxonomy.ids("ilo_indicator"):
        indicator = taxonomy.get(id)
        assert isinstance(indicator, Indicator)
        assert indicator.dimensions
        assert taxonomy.c29_elements_for(id) == expected[indicator.evidences]
    # both C29 elements are evidenced by some indicator
    assert {e for i in taxonomy.ids("ilo_indicator") for e in taxonomy.c29_elements_for(i)} == {
        "ilo.c29.involuntariness",
        "ilo.c29.menace_of_penalty",
    }


def test_marker_mappings_resolve() -> None:
    taxonomy = load_taxonomy()
    for id in taxonomy.ids("sfl_marker"):
        marker = taxonomy.get(id)
        assert isinstance(marker, Marker)
        assert set(taxonomy.indicators_for(id)) <= set(taxonomy.ids("ilo_indicator"))
        assert set(marker.c105) <= set(taxonomy.ids("c105_purpose"))
        rs = set(taxonomy.ids("rs_chapeau")) | set(taxonomy.ids("rs_act"))
        assert set(marker.rome_statute) <= rs
        assert marker.indicators or marker.dimensions or marker.c29_elements or marker.rome_statute
    # the chain marker -> indicators -> elements
    assert taxonomy.c29_elements_for("sfl.penalty_for_refusal") == ("ilo.c29.menace_of_penalty",)
    assert taxonomy.c29_elements_for("sfl.exit_prevention") == ("ilo.c29.involuntariness",)
    assert taxonomy.c29_elements_for("sfl.secrecy") == ()
    with pytest.raises(KeyError):
        taxonomy.indicators_for("ilo.deception")


def test_detention_linkage_maps_to_every_penalty_indicator() -> None:
    # legal-framework.md section 2.2: "all penalty indicators; ilo.restriction_of_movement"
    taxonomy = load_taxonomy()
    penalty = {
        i
        for i in taxonomy.ids("ilo_indicator")
        if "ilo.c29.menace_of_penalty" in taxonomy.c29_elements_for(i)
    }
    assert set(taxonomy.indicators_for("sfl.detention_linkage")) == penalty | {
        "ilo.restriction_of_movement"
    }


def test_acts_have_numbered_elements_ending_in_the_contextual_ones() -> None:
    taxonomy = load_taxonomy()
    assert [a.id for a in taxonomy.acts()] == PUBLIC_IDS["rs_act"]
    assert [c.id for c in taxonomy.chapeau()] == PUBLIC_IDS["rs_chapeau"]
    for act in taxonomy.acts():
        ids = [e.id for e in act.elements]
        assert ids == [f"{act.id}.e{n}" for n in range(1, len(ids) + 1)]
        *specific, attack, knowledge = act.elements
        assert not any(e.chapeau for e in specific)
        assert "rs.chapeau.attack" in attack.chapeau
        assert knowledge.chapeau == ("rs.chapeau.knowledge",)
        for factor in act.indicators:
            entry = taxonomy.get(factor)
            assert entry.kind in {"ilo_indicator", "sfl_marker"}
            if isinstance(entry, Marker):
                assert act.id in entry.rome_statute
    enslavement = taxonomy.get("rs.7_1_c_enslavement")
    assert isinstance(enslavement, Act)
    # Katanga factors line up with ILO indicators 1, 3, 4, 5 and 6
    assert {
        "ilo.abuse_of_vulnerability",
        "ilo.restriction_of_movement",
        "ilo.isolation",
        "ilo.physical_sexual_violence",
        "ilo.intimidation_threats",
    } <= set(enslavement.indicators)


def test_every_entry_cites_a_source_and_every_warning_is_a_note() -> None:
    for entry in load_taxonomy().entries:
        assert entry.sources, entry.id
        assert "⚠️" not in entry.definition, entry.id


def _override(tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    """A data folder in ``tmp_path`` overriding packaged ``name`` with ``changes`` applied."""
    text = (PACKAGED / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / "taxonomy").mkdir(exist_ok=True)
    (tmp_path / "taxonomy" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_an_override_replaces_a_packaged_file(tmp_path: Path) -> None:
    packaged = load_taxonomy()
    folder = _override(tmp_path, "c105.yaml", ("version: 1", "version: 2"), ("纪律的措施", "纪律"))
    taxonomy = load_taxonomy(folder)
    assert taxonomy.get("ilo.c105.c").label.zh == "劳动纪律"
    assert taxonomy.files["c105"] == 2
    assert taxonomy.version != packaged.version
    assert taxonomy.ids() == packaged.ids()
    assert load_taxonomy().get("ilo.c105.c").label.zh == "劳动纪律的措施"


def test_indicia_data_path_is_the_default_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _override(tmp_path, "c29.yaml", ("version: 1", "version: 7"))
    monkeypatch.setenv("INDICIA_DATA_PATH", str(tmp_path))
    assert load_taxonomy().files["c29"] == 7


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("c29.yaml", "entries:", "entries: [", "not valid YAML"),
        ("c29.yaml", "kind: c29_element", "kind: c29_element\n    colour: red", "colour"),
        ("c105.yaml", "licence: ", "licence_: ", "licence"),
        ("ilo_indicators.yaml", "evidences: both", "evidences: sometimes", "evidences"),
        ("ilo_indicators.yaml", "dimensions: [impossibility_of_leaving]", "dimensions: []", "dim"),
        ("ilo_indicators.yaml", "status: verified", "status: likely", "status"),
        (
            "ilo_indicators.yaml",
            "evidences: involuntariness\n    c29_elements: [ilo.c29.involuntariness]",
            "evidences: penalty\n    c29_elements: [ilo.c29.involuntariness]",
            "c29_elements must be",
        ),
        ("sfl_markers.yaml", "[ilo.c105.b]", "[ilo.c105.z]", "unknown id 'ilo.c105.z'"),
        (
            "sfl_markers.yaml",
            "indicators: [ilo.restriction_of_movement]",
            "indicators: [sfl.secrecy]",
            "is a sfl_marker",
        ),
        ("sfl_markers.yaml", "id: sfl.secrecy", "id: sfl.exit_prevention", "already defined"),
        ("sfl_markers.yaml", "id: sfl.secrecy", "id: ilo.secrecy", "must start with 'sfl.'"),
        (
            "sfl_markers.yaml",
            "rome_statute: [rs.7_1_k_other_inhumane_acts]",
            "rome_statute: [rs.7_1_f_torture]",
            "does not list this marker",
        ),
        (
            "rome_statute.yaml",
            "indicators: [sfl.family_separation]",
            "indicators: [sfl.secrecy]",
            "(taxonomy/rome_statute.yaml) does not list this marker",
        ),
        ("rome_statute.yaml", "[rs.chapeau.knowledge]", "[rs.7_1_f_torture]", "rs_act"),
        ("rome_statute.yaml", "id: rs.7_1_f_torture.e2", "id: rs.7_1_f_torture.e9", "e2"),
    ],
)
def test_a_malformed_override_names_the_file(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    folder = _override(tmp_path, name, (old, new))
    with pytest.raises(DataFileError) as caught:
        load_taxonomy(folder)
    assert f"taxonomy/{name}" in str(caught.value)
    assert message in str(caught.value)
    assert caught.value.code.value == "E009"


def test_reference_docs_are_current() -> None:
    render = runpy.run_path(str(ROOT / "scripts" / "gen_taxonomy_docs.py"))["render"]
    assert (ROOT / "docs" / "taxonomy.md").read_text(encoding="utf-8") == render(), "make docs"
