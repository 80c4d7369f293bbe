"""The extract stage on both backends: pages, passages, events, re-runs and failures."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

from indicia import Case
from indicia.errors import ErrorCode
from indicia.extract import registry
from indicia.store.schema import extractions, pages, passages
from tests.conftest import Backend

from .conftest import CORPUS


def count(case: Case, table: object) -> int:
    with case.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_demo_corpus_is_extracted_and_verifies(analysed: Case) -> None:
    docs = analysed.documents()
    assert count(analysed, extractions) == len(docs) == 12
    assert count(analysed, pages) >= 12 and count(analysed, passages) > 100
    events = [e for e in analysed.custody() if e.action == "document.extracted"]
    assert len(events) == 12
    media = {f"document:{d.sha256}": d.media_type for d in docs}
    for event in events:
        assert event.details["tool"]
        assert event.details["extractor"] == registry.name_for(media[event.subject])
        assert all(len(p["sha256"]) == 64 for p in event.details["pages"])
    assert analysed.verify().ok


def test_every_passage_is_an_exact_slice_of_its_page(analysed: Case) -> None:
    with analysed.db.read() as conn:
        texts = {(r.document_sha256, r.number): r.text for r in conn.execute(select(pages))}
        for row in conn.execute(select(passages)):
            page = texts[(row.document_sha256, row.page_number)]
            assert page[row.start : row.end] == row.text
            assert row.text == row.text.strip() and row.text


def test_chinese_text_survives_extraction(analysed: Case) -> None:
    with analysed.db.read() as conn:
        all_text = "".join(r.text for r in conn.execute(select(pages.c.text)))
        languages = {r.language for r in conn.execute(select(pages.c.language))}
    assert "转移就业" in all_text and "SYNTHETIC" in all_text.upper()
    assert {"en", "zh-Hans"} <= languages


def test_rerun_does_nothing_and_force_redoes_everything(analysed: Case) -> None:
    head = analysed.head()
    again = analysed.analyze()
    assert (again.extracted, again.skipped) == (0, 12) and analysed.head() == head
    forced = analysed.analyze(force=True)
    assert forced.extracted == 12
    redone = [e for e in analysed.custody() if e.action == "document.extracted"][-12:]
    assert all("supersedes" in e.details for e in redone)
    assert count(analysed, extractions) == 12
    assert analysed.verify().ok


def test_a_hostile_file_fails_alone_and_is_retried(backend: Backend, tmp_path: Path) -> None:
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj <<")
    with backend.create() as case:
        case.add([bad, CORPUS / "wayfield-office-move-notice.txt"])
        report = case.analyze()
        assert (report.extracted, report.failed) == (1, 1)
        _sha, code, reason = report.failures[0]
        assert code in {ErrorCode.CORRUPT_FILE.value, ErrorCode.NO_TEXT.value} and reason
        failed = [e for e in case.custody() if e.action == "extraction.failed"]
        assert failed[0].details["error_code"] == code
        retry = case.analyze()
        assert (retry.extracted, retry.failed, retry.skipped) == (0, 1, 1)
        assert case.verify().ok


def test_tampered_page_text_is_caught(analysed: Case) -> None:
    with analysed.db.engine.begin() as conn:
        conn.execute(text("UPDATE pages SET text = replace(text, '1', '7') WHERE number = 1"))
    problems = analysed.verify().problems
    assert problems and {p.code for p in problems} == {ErrorCode.RECORD_MISMATCH}


def test_sigkill_during_analyze_then_rerun_completes(backend: Backend) -> None:
    with backend.create() as case:
        case.add(manifest=CORPUS / "manifest.csv")
    cmd = [sys.executable, "-m", "indicia.cli", "analyze", str(backend.tmp / "case")]
    for delay in (1.0, 2.5):
        proc = subprocess.Popen(
            cmd,
            env=backend.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with backend.open() as case:
            assert case.verify().ok
    done = subprocess.run(cmd, env=backend.env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with backend.open() as case:
        assert count(case, extractions) == 12
        assert case.verify().ok


def test_ocr_languages_reach_the_extractor(tmp_path: Path) -> None:
    from PIL import Image

    from indicia.analyze.document import analyze_document
    from indicia.errors import ExtractError

    image = tmp_path / "scan.png"
    Image.new("L", (200, 80), 255).save(image)
    try:
        analyze_document(image, "image/png", ocr_languages="no_such_language")
    except ExtractError as exc:
        assert exc.code == ErrorCode.OCR_FAILED and "no_such_language" in exc.message
    else:
        raise AssertionError("an OCR language without a model must fail with E210")


def test_cli_analyze_is_quiet_without_a_terminal(backend: Backend) -> None:
    from click.testing import CliRunner

    from indicia.cli import main

    with backend.create() as case:
        case.add([CORPUS / "wayfield-office-move-notice.txt"])
    result = CliRunner().invoke(main, ["analyze", str(backend.tmp / "case")], env=backend.env())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2  # the two summary lines, no progress bar
    assert lines[0].startswith("1 extracted, 0 failed, 0 already done; 1 pages")
    assert lines[1].startswith("detect: 1 documents")
