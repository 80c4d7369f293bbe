"""Fixtures for the extractor tests: the demo corpus and the hostile corpus (built once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import hostile
from tests.fixtures.hostile import ExpectedOutcome

DEMO = hostile.DEMO
Corpus = tuple[Path, dict[str, ExpectedOutcome]]
"""The folder the hostile corpus was written to, and each file's expected outcome."""


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The hostile corpus written into a temporary folder, and each file's expected outcome."""
    folder = tmp_path_factory.mktemp("hostile")
    return folder, hostile.build(folder)


@pytest.fixture
def demo() -> Path:
    """The synthetic demo corpus shipped with Indicia."""
    return DEMO
