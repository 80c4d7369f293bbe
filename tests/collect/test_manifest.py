from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from indicia import Case
from indicia.collect.manifest import read_manifest
from indicia.errors import ErrorCode, ManifestError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_manifest_maps_relative_paths(tmp_path: Path) -> None:
    m = write(
        tmp_path / "m.csv",
        "path,source_url,collected_at,method,note\n"
        "a.txt,https://x.example/a,2026-03-14T09:30:00Z,download,网页快照\n",
    )
    entries = read_manifest(m)
    prov = entries[tmp_path / "a.txt"]
    assert prov.source_url == "https://x.example/a"
    assert prov.collected_at == "2026-03-14T09:30:00.000000Z"
    assert prov.note == "网页快照"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file,source_url\na,b\n", "no 'path' column"),
        ("path,sourceurl\na.txt,https://x.example\n", "unknown column(s) sourceurl"),
        ("path,source_url\na.txt,not-a-url\n", ":2: source URL is not an absolute URL"),
        ("path,collected_at\na.txt,2026-03-14\n", ":2: collected_at needs a timezone"),
        ("path\na.txt\na.txt\n", "listed twice"),
        ("path,note\n,orphan note\n", ":2: empty path"),
    ],
)
def test_malformed_manifests_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ManifestError) as err:
        read_manifest(write(tmp_path / "m.csv", text))
    assert err.value.code == ErrorCode.MANIFEST_INVALID
    assert message in err.value.message


def test_manifest_rows_override_options_and_alone_select_files(
    case: Case, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "a", "b.txt": "b", "unlisted.txt": "u"})
    manifest = write(
        folder / "m.csv",
        "path,source_url,note\na.txt,https://x.example/a,from the manifest\nb.txt,,\n",
    )
    report = case.add(manifest=manifest, source_url="https://fallback.example/", note="cli")
    assert report.count("added") == 2
    provs = {Path(d.provenance[0].original_path).name: d.provenance[0] for d in case.documents()}
    assert set(provs) == {"a.txt", "b.txt"}
    assert (provs["a.txt"].source_url, provs["a.txt"].note) == (
        "https://x.example/a",
        "from the manifest",
    )
    assert (provs["b.txt"].source_url, provs["b.txt"].note) == ("https://fallback.example/", "cli")


def test_manifest_listing_a_missing_file_reports_it(
    case: Case, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "a"})
    manifest = write(folder / "m.csv", "path\na.txt\ngone.txt\n")
    report = case.add(manifest=manifest)
    assert [(Path(i.path).name, i.error_code) for i in report.failed] == [
        ("gone.txt", ErrorCode.PATH_NOT_FOUND.value)
    ]
