"""An analysed copy of the demo corpus, per backend (built once per test where asked)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest

from indicia import Case
from tests.conftest import Backend

CORPUS = Path(str(files("indicia").joinpath("data/samples/demo")))


@pytest.fixture
def analysed(backend: Backend) -> Iterator[Case]:
    with backend.create() as case:
        assert case.add(manifest=CORPUS / "manifest.csv").ok
        report = case.analyze()
        assert report.ok, report.failures
        yield case
