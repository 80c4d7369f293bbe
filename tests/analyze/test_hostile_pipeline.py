"""The whole hostile corpus through `analyze` in one run: each file fails alone with its code
(or is read, when it is readable), the good documents beside them are extracted, and the case
still verifies."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from indicia.store.schema import extractions
from tests.conftest import Backend
from tests.fixtures.hostile import build

from .conftest import CORPUS

# Sniffing decides the extractor, so a file can fail earlier than its own extractor would:
# a truncated DOCX no longer looks like a zip at all.
SNIFFED_AWAY = {"docx-truncated.docx": "E201"}


def test_hostile_corpus_in_one_run(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    expected = build(folder)
    with backend.create() as case:
        intake = case.add([folder, CORPUS / "wayfield-office-move-notice.txt"])
        assert intake.ok
        by_path = {Path(item.path).name: item.sha256 for item in intake.items}
        report = case.analyze()
        with case.db.read() as conn:
            status = {
                r.document_sha256: (r.status, r.error_code)
                for r in conn.execute(select(extractions))
            }
        assert report.extracted + report.failed == len(status)
        for name, outcome in expected.items():
            got = status[by_path[name]]
            want = SNIFFED_AWAY.get(name) or (outcome.code.value if outcome.code else None)
            if want is None:
                assert got == ("extracted", None), name
            else:
                assert got == ("failed", want), name
        assert status[by_path["wayfield-office-move-notice.txt"]] == ("extracted", None)
        assert case.verify().ok
