"""The demo builds a verified case from the bundled synthetic corpus."""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

from click.testing import CliRunner

from indicia import Case
from indicia.cli import main

CORPUS = Path(str(files("indicia").joinpath("data/samples/demo")))


def test_every_sample_is_marked_synthetic_and_listed_in_the_manifest() -> None:
    with (CORPUS / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    listed = {r["path"] for r in rows}
    on_disk = {p.name for p in CORPUS.iterdir() if p.name not in ("manifest.csv", "README.md")}
    assert listed == on_disk and len(listed) >= 10
    kinds = {Path(name).suffix for name in listed}
    assert {".txt", ".html", ".pdf", ".docx"} <= kinds
    for name in listed:
        if name.endswith((".txt", ".html")):
            raw = (CORPUS / name).read_bytes()
            text = raw.decode("utf-8") if raw.isascii() or _utf8(raw) else raw.decode("gb18030")
            assert "SYNTHETIC" in text.upper() or "合成样本" in text, name


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_demo_command_builds_and_verifies(tmp_path: Path) -> None:
    target = tmp_path / "demo-case"
    result = CliRunner().invoke(main, ["demo", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Verify: OK" in result.output
    with Case.open(target) as case:
        docs = case.documents()
        assert len(docs) == len(list(CORPUS.iterdir())) - 2
        types = {d.media_type for d in docs}
        assert {"application/pdf", "text/html", "text/plain"} <= types
        assert all(d.provenance[0].source_url for d in docs)
    again = CliRunner().invoke(main, ["demo", str(target)])
    assert again.exit_code == 1 and "E002" in again.output
    replaced = CliRunner().invoke(main, ["demo", str(target), "--replace"])
    assert replaced.exit_code == 0, replaced.output
