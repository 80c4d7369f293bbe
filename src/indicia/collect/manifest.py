"""CSV manifests: per-file source URLs and collection notes.

Columns: ``path`` (required; relative to the manifest's folder or absolute), and any of
``source_url``, ``final_url``, ``collected_at``, ``method``, ``collector``, ``note``. Unknown
columns are an error, so that a misspelt header never silently drops provenance.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from indicia.collect.provenance import ProvenanceInput
from indicia.errors import ErrorCode, IntakeError, ManifestError

FIELDS = ("source_url", "final_url", "collected_at", "method", "collector", "note")


def read_manifest(path: Path) -> dict[Path, ProvenanceInput]:
    """Map absolute file paths to their provenance, validating every row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(ErrorCode.MANIFEST_INVALID, f"{path}: cannot read ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "path" not in header:
        raise ManifestError(ErrorCode.MANIFEST_INVALID, f"{path}: no 'path' column")
    unknown = sorted(set(header) - {"path", *FIELDS})
    if unknown:
        raise ManifestError(
            ErrorCode.MANIFEST_INVALID,
            f"{path}: unknown column(s) {', '.join(unknown)}; allowed: path, {', '.join(FIELDS)}",
        )
    base = path.parent
    entries: dict[Path, ProvenanceInput] = {}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if not row.get("path"):
            raise ManifestError(ErrorCode.MANIFEST_INVALID, f"{path}:{line}: empty path")
        target = Path(os.path.abspath(base / row["path"]))  # noqa: PTH100 (keep links unresolved: record the path as found)
        if target in entries:
            raise ManifestError(ErrorCode.MANIFEST_INVALID, f"{path}:{line}: {target} listed twice")
        try:
            entries[target] = ProvenanceInput(**{f: row.get(f) or None for f in FIELDS}).validated()
        except IntakeError as exc:
            raise ManifestError(
                ErrorCode.MANIFEST_INVALID, f"{path}:{line}: {exc.message}"
            ) from exc
    return entries
