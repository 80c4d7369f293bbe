"""Exports: Indicia's own check and the stand-alone script in docs/ agree, and find tampering."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicia import Case
from indicia.custody.export import verify_export
from indicia.errors import CaseError, ErrorCode

SCRIPT = Path(__file__).parents[2] / "docs" / "verify_export.py"


def third_party(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the documented stand-alone verifier, with no Indicia on its path."""
    return subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def exported(case: Case, make_files: Callable[..., Path], tmp_path: Path) -> Path:
    case.add(
        [make_files({"a.txt": "证据 A", "b.html": "<p>synthetic</p>", "c.txt": "证据 A"})],
        source_url="https://example.org/",
        note="备注",
    )
    out = tmp_path / "export"
    result = case.export_custody(out, include_originals=True)
    assert (result.events, result.documents, result.originals) == (4, 2, 2)
    return out


def test_export_files_and_event(case: Case, exported: Path) -> None:
    names = sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file())
    assert names[:4] == ["SHA256SUMS", "custody.jsonl", "documents.jsonl", "export.json"]
    assert len([n for n in names if n.startswith("originals/")]) == 2
    meta = json.loads((exported / "export.json").read_text())
    assert meta["head"]["seq"] == 4 and meta["case_id"] == case.config.case_id
    last = case.custody()[-1]
    assert last.action == "custody.exported" and last.details["head"] == meta["head"]
    assert case.verify().ok


def test_sha256sum_accepts_the_manifest(exported: Path) -> None:
    done = subprocess.run(
        ["sha256sum", "--check", "--quiet", "SHA256SUMS"],
        cwd=exported,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_clean_export_passes_both_verifiers(exported: Path) -> None:
    assert verify_export(exported) == []
    done = third_party(exported)
    assert done.returncode == 0 and done.stdout.startswith("OK: 4 events"), done.stdout


def test_script_is_at_most_30_lines() -> None:
    assert len(SCRIPT.read_text().splitlines()) <= 30


def test_export_refuses_a_non_empty_folder(case: Case, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CaseError) as err:
        case.export_custody(tmp_path / "full")
    assert err.value.code == ErrorCode.EXPORT_TARGET_NOT_EMPTY


def test_deleted_line_is_found_by_both(exported: Path) -> None:
    log = exported / "custody.jsonl"
    lines = log.read_bytes().split(b"\n")
    log.write_bytes(b"\n".join(lines[:1] + lines[2:]))
    codes = {p.code for p in verify_export(exported)}
    assert ErrorCode.EVENT_DELETED in codes
    done = third_party(exported)
    assert done.returncode == 1 and "line 2 (seq 3): chain broken" in done.stdout


def test_swapped_lines_are_found_by_both(exported: Path) -> None:
    log = exported / "custody.jsonl"
    lines = log.read_bytes().split(b"\n")
    lines[1], lines[2] = lines[2], lines[1]
    log.write_bytes(b"\n".join(lines))
    assert ErrorCode.EVENT_REORDERED in {p.code for p in verify_export(exported)}
    assert third_party(exported).returncode == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(0, 100_000), delta=st.integers(1, 255))
def test_any_single_byte_change_in_the_log_file_is_found_and_located(
    exported: Path, offset: int, delta: int
) -> None:
    log = exported / "custody.jsonl"
    original = log.read_bytes()
    pos = offset % len(original)
    changed = bytearray(original)
    changed[pos] = (changed[pos] + delta) % 256
    line_no = original[:pos].count(b"\n") + 1
    log.write_bytes(bytes(changed))
    try:
        problems = verify_export(exported)
        located = {p.data.get("line") or p.data.get("position") for p in problems}
        assert line_no in located or line_no + 1 in located, (line_no, problems)
        assert third_party(exported).returncode == 1
    finally:
        log.write_bytes(original)
