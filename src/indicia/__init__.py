"""Indicia: an evidence workbench for forced-labour investigations."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("indicia")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from indicia.case import Case

__all__ = ["Case", "__version__"]
