"""Print the taxonomy reference (docs/taxonomy.md) from the packaged taxonomy YAML.

Run `make docs` after changing a file in src/indicia/data/taxonomy/; tests/detect/test_taxonomy.py
fails while the reference is stale.
"""

from __future__ import annotations

from pathlib import Path

from indicia.detect.taxonomy import Act, Entry, Indicator, Marker, Taxonomy, load_taxonomy

PACKAGED_ONLY = Path("/nonexistent-indicia-data")  # an override folder with no files in it
STATUS = {"verified": "✅ verified", "secondary": "◐ secondary", "unverified": "⚠️ unverified"}
SECTIONS = {
    "c29_element": "ILO Forced Labour Convention (C29) elements",
    "ilo_indicator": "ILO indicators of forced labour",
    "sfl_marker": "State-imposed forced-labour markers",
    "c105_purpose": "ILO Abolition of Forced Labour Convention (C105) Art. 1 purposes",
    "rs_chapeau": "Rome Statute Art. 7 chapeau (contextual elements)",
    "rs_act": "Rome Statute Art. 7 acts",
}


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(f"`{i}`" for i in ids) or "—"


def _mappings(taxonomy: Taxonomy, entry: Entry) -> list[str]:
    if isinstance(entry, Indicator):
        return [
            f"- dimensions: {', '.join(entry.dimensions)}",
            f"- evidences: {entry.evidences} → {_ids(entry.c29_elements)}",
        ]
    if isinstance(entry, Marker):
        return [
            f"- indicators: {_ids(entry.indicators)}",
            f"- dimensions: {', '.join(entry.dimensions) or '—'}",
            f"- C29 elements (direct): {_ids(entry.c29_elements)}; "
            f"all: {_ids(taxonomy.c29_elements_for(entry.id))}",
            f"- C105: {_ids(entry.c105)}",
            f"- Rome Statute: {_ids(entry.rome_statute)}",
        ]
    if isinstance(entry, Act):
        lines = [f"- article: {entry.article}", f"- factors: {_ids(entry.indicators)}", ""]
        lines += ["| element | variant | definition | chapeau |", "|---|---|---|---|"]
        for e in entry.elements:
            note = f" *{e.notes}*" if e.notes else ""
            row = [f"`{e.id}`", e.variant or "", e.definition + note, _ids(e.chapeau)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
        return lines
    return []


def render(taxonomy: Taxonomy | None = None) -> str:
    """The whole reference as Markdown."""
    taxonomy = taxonomy or load_taxonomy(PACKAGED_ONLY)
    out = [
        "# Taxonomy reference",
        "",
        "Generated from `src/indicia/data/taxonomy/*.yaml` by `make docs`",
        "(`scripts/gen_taxonomy_docs.py`); do not edit. The ids are a public interface.",
        "Definitions are our own words; source status: ✅ verified against the source's text,",
        "◐ secondary source only, ⚠️ not verified.",
        "",
        f"Taxonomy version `{taxonomy.version}`; files: "
        + ", ".join(f"`{name}` v{version}" for name, version in sorted(taxonomy.files.items())),
        "",
    ]
    for kind, title in SECTIONS.items():
        out += [f"## {title}", ""]
        for entry in (taxonomy.get(i) for i in taxonomy.ids(kind)):
            out += [f"### `{entry.id}`", "", f"**{entry.label.en}** · {entry.label.zh}", ""]
            out += [entry.definition, ""]
            mappings = _mappings(taxonomy, entry)
            out += [*mappings, ""] if mappings else []
            if entry.notes:
                out += [f"Notes: {entry.notes}", ""]
            out += ["Sources:", ""]
            out += [f"- {STATUS[s.status]}: [{s.title}]({s.url})" for s in entry.sources]
            out += [""]
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(render(), end="")
