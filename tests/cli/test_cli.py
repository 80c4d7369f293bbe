"""The CLI through click's CliRunner: each command wraps the library and sets exit codes."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from indicia.cli import main
from tests.conftest import Backend


@pytest.fixture
def run(backend: Backend) -> Callable[..., object]:
    runner = CliRunner()

    def invoke(*args: str | Path, code: int = 0) -> str:
        result = runner.invoke(
            main, [str(a) for a in args], env=backend.env(), catch_exceptions=False
        )
        assert result.exit_code == code, result.output
        return result.output

    return invoke


@pytest.fixture
def case_dir(backend: Backend, run: Callable[..., str]) -> Path:
    target = backend.tmp / "cli-case"
    args: list[str | Path] = ["init", target]
    if backend.database_url:
        args += ["--database-url", backend.database_url]
    assert "created case" in run(*args)
    return target


def test_init_add_documents_log_verify(
    run: Callable[..., str], case_dir: Path, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "synthetic a", "b/c.txt": "synthetic a", "empty": b""})
    out = run(
        "add",
        case_dir,
        folder,
        "--source-url",
        "https://example.org/a",
        "--collector",
        "Investigator B",
        "--method",
        "download",
        "--note",
        "n",
        code=3,
    )
    assert "1 added, 1 recollected, 0 unchanged, 1 failed" in out
    assert "E105" in out
    docs = json.loads(run("documents", case_dir, "--json"))
    assert len(docs) == 1 and len(docs[0]["provenance"]) == 2
    assert docs[0]["provenance"][0]["collector"] == "Investigator B"
    log = run("log", case_dir)
    assert "case.created" in log and "document.recollected" in log and "E105" in log
    one = run("log", case_dir, docs[0]["sha256"][:10], "--json").splitlines()
    assert [json.loads(line)["action"] for line in one] == [
        "document.added",
        "document.recollected",
    ]
    out = run("verify", case_dir)
    assert out.startswith("OK") and "2 originals" not in out and "1 originals" in out


def test_add_json_output(
    run: Callable[..., str], case_dir: Path, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "a short synthetic note"})
    lines = [
        json.loads(line)
        for line in run("add", case_dir, folder, "--json").splitlines()
        if line.startswith("{")
    ]
    assert lines[0]["status"] == "added" and lines[0]["media_type"] == "text/plain"


def test_verify_reports_tampering_with_exit_3(
    run: Callable[..., str], case_dir: Path, make_files: Callable[..., Path]
) -> None:
    run("add", case_dir, make_files({"a.txt": "to be altered"}))
    blob = next(p for p in (case_dir / "blobs").rglob("*") if p.is_file())
    blob.chmod(stat.S_IWUSR | stat.S_IRUSR)
    blob.write_bytes(b"altered")
    out = run("verify", case_dir, code=3)
    assert "E302" in out and "FAILED: 1 problem(s)" in out
    report = json.loads(run("verify", case_dir, "--json", code=3))
    assert report["ok"] is False and report["problems"][0]["code"] == "E302"


def test_head_anchor_and_export(
    run: Callable[..., str], case_dir: Path, tmp_path: Path, make_files: Callable[..., Path]
) -> None:
    run("add", case_dir, make_files({"a.txt": "anchored"}))
    anchor = run("head", case_dir).strip()
    assert anchor.startswith("2:") and len(anchor) == 66
    assert run("verify", case_dir, "--anchor", anchor).startswith("OK")
    run("verify", case_dir, "--anchor", "2:" + "0" * 64, code=3)
    run("verify", case_dir, "--anchor", "nonsense", code=2)
    out = run("export-custody", case_dir, tmp_path / "exp", "--include-originals")
    assert "exported 2 events and 1 documents (1 originals)" in out
    assert run("verify-export", tmp_path / "exp").strip() == "OK"
    run("export-custody", case_dir, tmp_path / "exp", code=1)


def test_errors_have_codes_and_exit_1(run: Callable[..., str], tmp_path: Path) -> None:
    out = run("verify", tmp_path / "nothing-here", code=1)
    assert "error E001" in out
    run("add", tmp_path / "nothing-here", code=2)  # neither paths nor manifest


def test_manifest_option(
    run: Callable[..., str], case_dir: Path, make_files: Callable[..., Path]
) -> None:
    folder = make_files({"a.txt": "from manifest"})
    (folder / "m.csv").write_text("path,source_url\na.txt,https://example.org/m\n")
    assert "1 added" in run("add", case_dir, "--manifest", folder / "m.csv")
    bad = folder / "bad.csv"
    bad.write_text("path,url\na.txt,x\n")
    assert "error E108" in run("add", case_dir, "--manifest", bad, code=1)
