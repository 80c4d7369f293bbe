"""Installed versions of the libraries extractors record, looked up once per process.

(``importlib.metadata.version`` reads package metadata from disk: about 0.7 ms a call, which is
a tenth of the time an HTML page takes.)
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version


@cache
def of(package: str) -> str:
    """The installed version of ``package``."""
    return version(package)
