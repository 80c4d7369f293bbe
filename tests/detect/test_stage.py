"""The detect stage inside ``analyze``, on both backends: findings, quantities, custody, re-runs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from indicia import Case
from indicia.detect.detector import Detector
from indicia.detect.lexicon import load_lexicons
from indicia.detect.stage import run_detect
from indicia.store.schema import detections, findings, pages, quantities
from tests.conftest import Backend

ZH = (
    "【合成示例文件，非真实文件】\n"
    "各乡镇要确保完成转移就业目标任务。转移人员实行封闭式管理，未经批准不得擅自离开厂区。\n"
    "全年共组织转移富余劳动力3.2万人。\n"
)
EN = (
    "SYNTHETIC SAMPLE, NOT A REAL DOCUMENT.\n"
    "A former worker said they were not allowed to leave the compound without a minder.\n"
    "The company denies that there is any forced labour at its plants.\n"
)


def _case(backend: Backend, tmp_path: Path) -> Case:
    (tmp_path / "notice.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "report.txt").write_text(EN, encoding="utf-8")
    case = backend.create()
    assert case.add([tmp_path / "notice.txt", tmp_path / "report.txt"]).ok
    return case


def _count(case: Case, table: object) -> int:
    with case.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_analyze_stores_findings_that_trace_to_page_span_and_rule(
    backend: Backend, tmp_path: Path
) -> None:
    with _case(backend, tmp_path) as case:
        report = case.analyze()
        assert report.detection is not None and report.detection.documents == 2
        with case.db.read() as conn:
            texts = {(r.document_sha256, r.number): r.text for r in conn.execute(select(pages))}
            rows = conn.execute(select(findings)).all()
            qty = conn.execute(select(quantities)).all()
        assert rows
        for row in rows:
            page = texts[(row.document_sha256, row.page_number)]
            assert page[row.start : row.end] == row.quote
            assert row.rule.startswith(row.indicator + "/") and row.rule_version >= 1
        indicators = {(r.indicator, r.polarity) for r in rows}
        assert ("ilo.restriction_of_movement", "asserted") in indicators
        assert ("ilo.restriction_of_movement", "reported") in indicators
        assert any(q.value == 32000 and q.unit == "persons" for q in qty)
        for q in qty:
            assert texts[(q.document_sha256, q.page_number)][q.start : q.end] == q.quote
        events = [e for e in case.custody() if e.action == "document.detected"]
        assert len(events) == 2
        assert all(e.details["redone"] == "all" and e.details["lexicons"] for e in events)
        assert case.verify().ok


def test_rerun_detects_nothing_and_force_redoes(backend: Backend, tmp_path: Path) -> None:
    with _case(backend, tmp_path) as case:
        case.analyze()
        before = _count(case, findings)
        head = case.head()
        again = case.analyze()
        assert again.detection is not None and again.detection.documents == 0
        assert case.head() == head
        forced = case.analyze(force=True)
        assert forced.detection is not None and forced.detection.documents == 2
        assert _count(case, findings) == before
        assert case.verify().ok


def test_changed_lexicon_redoes_only_its_target(backend: Backend, tmp_path: Path) -> None:
    with _case(backend, tmp_path) as case:
        case.analyze()
        with case.db.read() as conn:
            keep = conn.execute(
                select(findings.c.id, findings.c.key).where(
                    findings.c.indicator != "ilo.restriction_of_movement"
                )
            ).all()
        data = tmp_path / "data"
        (data / "lexicons").mkdir(parents=True)
        (data / "lexicons" / "ilo.restriction_of_movement.yaml").write_text(
            "name: lexicon.ilo.restriction_of_movement\n"
            "target: ilo.restriction_of_movement\nversion: 2\nsource: test\nlicence: CC0-1.0\n"
            "rules:\n  - id: minder\n    version: 1\n    terms: [minder]\n",
            encoding="utf-8",
        )
        changed = Detector(load_lexicons(data), cache_dir=tmp_path / "cache")
        report = run_detect(case.db, "tester", detector=changed)
        assert report.documents == 2
        with case.db.read() as conn:
            rows = conn.execute(select(findings)).all()
            states = conn.execute(select(detections)).all()
        moved = [r for r in rows if r.indicator == "ilo.restriction_of_movement"]
        assert [r.rule for r in moved] == ["ilo.restriction_of_movement/minder"]
        # Findings of every other id are the same rows, untouched.
        assert sorted((r.id, r.key) for r in rows if r.indicator != moved[0].indicator) == sorted(
            keep
        )
        events = [e for e in case.custody() if e.action == "document.detected"]
        assert len(events) == 4
        assert events[-1].details["redone"] == ["ilo.restriction_of_movement"]
        assert events[-1].details["supersedes"] in {e.seq for e in events[:2]}
        assert all(
            s.finding_count == len([r for r in rows if r.document_sha256 == s.document_sha256])
            for s in states
        )


def test_reextraction_replaces_findings(backend: Backend, tmp_path: Path) -> None:
    with _case(backend, tmp_path) as case:
        case.analyze()
        count = _count(case, findings)
        case.analyze(force=True)
        assert _count(case, findings) == count
        assert _count(case, quantities) >= 1


def test_verify_catches_a_finding_changed_outside_analyze(backend: Backend, tmp_path: Path) -> None:
    with _case(backend, tmp_path) as case:
        case.analyze()
        assert case.verify().ok
        with case.db.write() as conn:
            first = conn.execute(select(findings.c.id).limit(1)).scalar_one()
            conn.execute(findings.update().where(findings.c.id == first).values(polarity="denied"))
        report = case.verify()
        assert not report.ok
        assert any(p.code.value == "E308" and "findings" in p.message for p in report.problems)
