"""Indicia: an evidence workbench for forced-labour investigations."""

from __future__ import annotations

__version__ = "0.1.0.dev0"  # the single source of the version (pyproject reads it)

from indicia.case import Case

__all__ = ["Case", "__version__"]
