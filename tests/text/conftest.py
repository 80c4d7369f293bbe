"""Build the OpenCC tables once, before any test, so that no property-based example pays for
them (a first example slower than Hypothesis's deadline would make the run flaky)."""

from __future__ import annotations

import pytest

from indicia.text import normalise, variants


@pytest.fixture(scope="session", autouse=True)
def _tables_built() -> None:
    variants.tables()
    normalise._table()
