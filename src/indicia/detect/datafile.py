"""Loading the detection layer's data files: packaged YAML, overridable by a folder.

Every file carries a header (``name``, ``version``, ``source``, ``licence``) and is validated
against a pydantic model when it is loaded; a malformed file raises :class:`DataFileError`
(``E009``) naming the file and the field. ``INDICIA_DATA_PATH`` names a folder laid out like
``indicia/data``: a file there replaces the packaged file with the same relative path, and new
files there are added.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indicia.errors import ErrorCode, IndiciaError
from indicia.settings import get_settings

M = TypeVar("M", bound=BaseModel)


class DataFileError(IndiciaError, ValueError):
    """A data file is missing, unreadable or malformed (``E009``)."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.DATA_INVALID, message)


class Strict(BaseModel):
    """Base for data-file models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Header(Strict):
    """What every data file states about itself."""

    name: str = Field(min_length=1)
    version: int = Field(ge=1)
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)


@dataclass(frozen=True)
class DataFile:
    """One data file's text and where it came from."""

    path: str
    """Relative path inside the data folder, e.g. ``lexicons/ilo.deception.yaml``."""
    text: str
    origin: str
    """``package`` or the override folder it was read from."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _package_root() -> Traversable:
    return files("indicia").joinpath("data")


def _override_root(folder: Path | None) -> Path | None:
    if folder is not None:
        return folder
    configured = get_settings().data_path
    return Path(configured) if configured else None


def list_files(subfolder: str, folder: Path | None = None) -> list[DataFile]:
    """Every ``*.yaml`` in ``subfolder``, packaged and overridden, sorted by path."""
    found: dict[str, DataFile] = {}
    packaged = _package_root().joinpath(subfolder)
    if packaged.is_dir():
        for entry in packaged.iterdir():
            if entry.name.endswith(".yaml"):
                rel = f"{subfolder}/{entry.name}"
                found[rel] = DataFile(rel, entry.read_text(encoding="utf-8"), "package")
    override = _override_root(folder)
    if override is not None and (override / subfolder).is_dir():
        for path in (override / subfolder).glob("*.yaml"):
            rel = f"{subfolder}/{path.name}"
            found[rel] = DataFile(rel, _read_text(path), str(override))
    return [found[key] for key in sorted(found)]


def read_file(relative: str, folder: Path | None = None) -> DataFile:
    """One data file by relative path (e.g. ``polarity.yaml``), override first."""
    override = _override_root(folder)
    if override is not None and (override / relative).is_file():
        return DataFile(relative, _read_text(override / relative), str(override))
    entry = _package_root().joinpath(*relative.split("/"))
    if not entry.is_file():
        raise DataFileError(f"{relative}: no such data file")
    return DataFile(relative, entry.read_text(encoding="utf-8"), "package")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot be read: {exc}") from exc


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only ``true``/``false`` are booleans, so a cue word such as ``no``,
    ``on`` or ``off`` stays a string."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse(data: DataFile, model: type[M]) -> M:
    """Parse and validate ``data`` as ``model``; errors name the file and the field."""
    try:
        document: Any = yaml.load(data.text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{data.path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise DataFileError(f"{data.path}: expected a mapping at the top level")
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise DataFileError(f"{data.path}: {problems}") from exc
