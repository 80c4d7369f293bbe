"""Indicia: an evidence workbench for forced-labour investigations."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0.dev0"  # the single source of the version (pyproject reads it)

if TYPE_CHECKING:
    from indicia.case import Case

__all__ = ["Case", "__version__"]


def __getattr__(name: str) -> object:
    """``indicia.Case``, imported on first use: the extraction workers import ``indicia``
    packages but never need the case (and SQLAlchemy with it, 0.2 s a process)."""
    if name == "Case":
        from indicia.case import Case

        return Case
    raise AttributeError(f"module 'indicia' has no attribute {name!r}")
