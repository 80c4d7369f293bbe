"""The text layer's data files load, carry their provenance header, and bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicia.text.resources import (
    ABBREVIATIONS_FILE,
    LANGUAGE_RULES_FILE,
    TextDataError,
    load_abbreviations,
    load_language_rules,
)

PACKAGED = Path(__file__).parents[2] / "src" / "indicia" / "text" / "data"


def test_every_data_file_loads_with_its_header() -> None:
    abbreviations = load_abbreviations()
    rules = load_language_rules()
    for info in (abbreviations.info, rules.info):
        assert info.version >= 1
        assert info.source
        assert info.licence == "Apache-2.0"
    assert {"Mr.", "Co."} <= abbreviations.words
    assert {"No.", "Art.", "Jan."} <= abbreviations.before_numbers
    assert {"the", "of", "no", "on"} <= rules.english_function_words
    assert set("ېۆۇۈەڭۋ") == rules.uyghur_distinctive_letters


def test_every_file_in_the_data_folder_is_loaded_by_a_loader() -> None:
    assert {path.name for path in PACKAGED.iterdir()} == {ABBREVIATIONS_FILE, LANGUAGE_RULES_FILE}


def test_the_header_comment_states_source_licence_and_version() -> None:
    for path in PACKAGED.iterdir():
        header = path.read_text(encoding="utf-8").split("\nname:")[0]
        for word in ("Source:", "Licence:", "Version:"):
            assert word in header, (path.name, word)


def _write(folder: Path, name: str, body: str) -> Path:
    (folder / name).write_text(body, encoding="utf-8")
    return folder


HEADER = "name: abbreviations\nversion: 1\nsource: test\nlicence: CC0-1.0\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- a\n", "mapping"),
        ("name: abbreviations\n", "header keys missing"),
        (HEADER.replace("version: 1", "version: zero"), "version"),
        (HEADER.replace("name: abbreviations", "name: other"), "expected 'abbreviations'"),
        (HEADER + "abbreviations: []\nbefore_numbers: [No.]\n", "non-empty list"),
        (HEADER + "abbreviations: [Mr]\nbefore_numbers: [No.]\n", "full stop"),
        (HEADER + "abbreviations: [Mr., 'a b.']\nbefore_numbers: [No.]\n", "not a word"),
        (HEADER + "abbreviations: [Mr., yes]\nbefore_numbers: [No.]\n", "not a word"),
        (HEADER + "abbreviations: [No.]\nbefore_numbers: [No.]\n", "listed twice"),
        ("{unclosed", "cannot be read"),
    ],
)
def test_malformed_abbreviation_files_are_refused(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TextDataError, match=message):
        load_abbreviations(_write(tmp_path, ABBREVIATIONS_FILE, body))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TextDataError, match="cannot be read"):
        load_language_rules(tmp_path)


def test_a_replacement_folder_is_used(tmp_path: Path) -> None:
    body = HEADER + "abbreviations: [Xyz.]\nbefore_numbers: [Nr.]\n"
    loaded = load_abbreviations(_write(tmp_path, ABBREVIATIONS_FILE, body))
    assert loaded.words == {"Xyz."}
    assert loaded.info.licence == "CC0-1.0"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("english_function_words: [the]", "english_function_words: [The]"), "lower-case"),
        (('uyghur_alphabet: "ab"', 'uyghur_alphabet: "a1"'), "string of letters"),
        (('uyghur_distinctive_letters: "a"', 'uyghur_distinctive_letters: "z"'), "part of"),
    ],
)
def test_malformed_language_rules_are_refused(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    good = (
        "name: language_rules\nversion: 2\nsource: test\nlicence: CC0-1.0\n"
        'english_function_words: [the]\nuyghur_alphabet: "ab"\nuyghur_distinctive_letters: "a"\n'
    )
    assert load_language_rules(_write(tmp_path, LANGUAGE_RULES_FILE, good)).info.version == 2
    with pytest.raises(TextDataError, match=message):
        load_language_rules(_write(tmp_path, LANGUAGE_RULES_FILE, good.replace(*change)))
