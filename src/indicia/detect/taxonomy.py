"""The taxonomy: every id a finding can name, what it means, and how the ids map onto each other.

Five data files under ``indicia/data/taxonomy`` hold the ILO C29 elements, the eleven ILO
indicators, the state-imposed forced-labour markers, the C105 purposes and the Rome Statute
Art. 7 chapeau and acts. The ids are a public interface. The mappings run
marker → indicators → C29 elements, and markers and indicators → C105 purposes and Rome Statute
acts; :func:`load_taxonomy` checks that every mapping names an id of the right kind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from indicia.detect.datafile import DataFileError, Header, Strict, list_files, parse
from indicia.settings import get_settings

Kind = Literal["c29_element", "ilo_indicator", "sfl_marker", "c105_purpose", "rs_chapeau", "rs_act"]
KINDS: tuple[Kind, ...] = (
    "c29_element",
    "ilo_indicator",
    "sfl_marker",
    "c105_purpose",
    "rs_chapeau",
    "rs_act",
)
Dimension = Literal["unfree_recruitment", "work_and_life_under_duress", "impossibility_of_leaving"]
Evidences = Literal["involuntariness", "penalty", "both"]

INVOLUNTARINESS = "ilo.c29.involuntariness"
PENALTY = "ilo.c29.menace_of_penalty"
_ELEMENTS_FOR: dict[Evidences, tuple[str, ...]] = {
    "involuntariness": (INVOLUNTARINESS,),
    "penalty": (PENALTY,),
    "both": (INVOLUNTARINESS, PENALTY),
}
_PREFIX: dict[Kind, str] = {
    "c29_element": "ilo.c29.",
    "ilo_indicator": "ilo.",
    "sfl_marker": "sfl.",
    "c105_purpose": "ilo.c105.",
    "rs_chapeau": "rs.chapeau.",
    "rs_act": "rs.7_1_",
}
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")]
Ids = tuple[Id, ...]


class Label(Strict):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Source(Strict):
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    status: Literal["verified", "secondary", "unverified"]
    """✅ / ◐ / ⚠️ in the legal-framework reference."""


class _Entry(Strict):
    id: Id
    label: Label
    definition: str = Field(min_length=1)
    """In our own words; terms of art may be quoted."""
    sources: tuple[Source, ...] = Field(min_length=1)
    notes: str = ""
    """Caveats, mapping choices and items still to verify (⚠️)."""


class C29Element(_Entry):
    kind: Literal["c29_element"]


class Indicator(_Entry):
    kind: Literal["ilo_indicator"]
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    evidences: Evidences
    c29_elements: Ids
    """Derived from ``evidences``; checked on load."""


class Marker(_Entry):
    kind: Literal["sfl_marker"]
    indicators: Ids = ()
    dimensions: tuple[Dimension, ...] = ()
    c29_elements: Ids = ()
    """C29 elements the marker evidences directly, beyond those of its indicators."""
    c105: Ids = ()
    rome_statute: Ids = ()


class C105Purpose(_Entry):
    kind: Literal["c105_purpose"]


class Chapeau(_Entry):
    kind: Literal["rs_chapeau"]


class ActElement(Strict):
    id: Id
    definition: str = Field(min_length=1)
    variant: str = ""
    """Which form of the crime the element belongs to; empty when common to all forms."""
    chapeau: Ids = ()
    """For a contextual element: the chapeau sub-elements it stands for."""
    notes: str = ""


class Act(_Entry):
    kind: Literal["rs_act"]
    article: str = Field(pattern=r"^7\(1\)\([a-k]\)$")
    elements: tuple[ActElement, ...] = Field(min_length=2)
    indicators: Ids = ()
    """ILO indicators and markers that are factors of the act."""


Entry = C29Element | Indicator | Marker | C105Purpose | Chapeau | Act


class TaxonomyFile(Header):
    entries: tuple[Annotated[Entry, Field(discriminator="kind")], ...] = Field(min_length=1)


class Taxonomy:
    """Every entry of every taxonomy file, validated across files. Build with `load_taxonomy`."""

    def __init__(self, entries: Iterable[Entry], files: dict[str, int], version: str) -> None:
        self.entries: tuple[Entry, ...] = tuple(sorted(entries, key=lambda e: KINDS.index(e.kind)))
        """In kind order (C29, indicators, markers, C105, chapeau, acts), then file order."""
        self.files = files
        """File name (its header ``name``) → its version."""
        self.version = version
        """A short digest of every file's version and content; changes when any file does."""
        self._by_id = {entry.id: entry for entry in self.entries}

    def get(self, id: str) -> Entry:
        try:
            return self._by_id[id]
        except KeyError:
            raise KeyError(f"no taxonomy entry {id!r}") from None

    def __contains__(self, id: object) -> bool:
        return id in self._by_id

    def ids(self, kind: Kind | None = None) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries if kind is None or e.kind == kind)

    def indicators_for(self, marker_id: str) -> tuple[str, ...]:
        """The ILO indicators a marker tends to evidence."""
        entry = self.get(marker_id)
        if not isinstance(entry, Marker):
            raise KeyError(f"{marker_id!r} is not a marker")
        return entry.indicators

    def c29_elements_for(self, id: str) -> tuple[str, ...]:
        """The C29 elements an indicator evidences, or a marker through its indicators and
        dimensions (every survey dimension is a set of involuntariness indicators) and directly."""
        entry = self.get(id)
        if isinstance(entry, Indicator):
            found = set(entry.c29_elements)
        elif isinstance(entry, Marker):
            found = set(entry.c29_elements) | ({INVOLUNTARINESS} if entry.dimensions else set())
            for indicator in entry.indicators:
                found |= set(self.c29_elements_for(indicator))
        else:
            raise KeyError(f"{id!r} is neither an indicator nor a marker")
        return tuple(e for e in self.ids("c29_element") if e in found)

    def acts(self) -> tuple[Act, ...]:
        return tuple(e for e in self.entries if isinstance(e, Act))

    def chapeau(self) -> tuple[Chapeau, ...]:
        return tuple(e for e in self.entries if isinstance(e, Chapeau))


def load_taxonomy(folder: Path | None = None) -> Taxonomy:
    """Load and validate the taxonomy; ``folder`` (or ``INDICIA_DATA_PATH``) overrides files.

    Cached per override folder. Raises :class:`DataFileError` naming the file at fault.
    """
    if folder is None and (configured := get_settings().data_path):
        folder = Path(configured)
    return _load(folder)


@cache
def _load(folder: Path | None) -> Taxonomy:
    entries: list[Entry] = []
    origin: dict[str, str] = {}
    files: dict[str, int] = {}
    digest = hashlib.sha256()
    data = list_files("taxonomy", folder)
    if not data:
        raise DataFileError("taxonomy: no data files found")
    for item in data:
        parsed = parse(item, TaxonomyFile)
        if parsed.name in files:
            raise DataFileError(f"{item.path}: file name {parsed.name!r} is used twice")
        files[parsed.name] = parsed.version
        digest.update(f"{item.path}\0{parsed.version}\0{item.sha256}\n".encode())
        for entry in parsed.entries:
            for id in (entry.id, *(e.id for e in getattr(entry, "elements", ()))):
                if id in origin:
                    raise DataFileError(f"{item.path}: id {id!r} already defined in {origin[id]}")
                origin[id] = item.path
            entries.append(entry)
    taxonomy = Taxonomy(entries, files, digest.hexdigest()[:12])
    for entry in taxonomy.entries:
        problem = _check(taxonomy, entry, origin)
        if problem:
            raise DataFileError(f"{origin[entry.id]}: {entry.id}: {problem}")
    return taxonomy


def _check(taxonomy: Taxonomy, entry: Entry, origin: dict[str, str]) -> str | None:
    """What is wrong with ``entry`` in the context of the whole taxonomy, if anything."""
    prefix = _PREFIX[entry.kind]
    if not entry.id.startswith(prefix) or (
        entry.kind == "ilo_indicator" and entry.id.startswith(("ilo.c29.", "ilo.c105."))
    ):
        return f"a {entry.kind} id must start with {prefix!r}"
    wanted: list[tuple[str, Ids, tuple[Kind, ...]]] = []
    if isinstance(entry, Indicator):
        if entry.c29_elements != _ELEMENTS_FOR[entry.evidences]:
            return f"c29_elements must be {list(_ELEMENTS_FOR[entry.evidences])} (evidences)"
        wanted = [("c29_elements", entry.c29_elements, ("c29_element",))]
    elif isinstance(entry, Marker):
        wanted = [
            ("indicators", entry.indicators, ("ilo_indicator",)),
            ("c29_elements", entry.c29_elements, ("c29_element",)),
            ("c105", entry.c105, ("c105_purpose",)),
            ("rome_statute", entry.rome_statute, ("rs_chapeau", "rs_act")),
        ]
        if not any(targets for _, targets, _ in wanted) and not entry.dimensions:
            return "maps to nothing"
    elif isinstance(entry, Act):
        wanted = [("indicators", entry.indicators, ("ilo_indicator", "sfl_marker"))]
        for number, element in enumerate(entry.elements, 1):
            if element.id != f"{entry.id}.e{number}":
                return f"element {number} must have id {entry.id}.e{number}, not {element.id}"
            wanted.append((element.id, element.chapeau, ("rs_chapeau",)))
        if not all(e.chapeau for e in entry.elements[-2:]):
            return "the last two elements must be the contextual ones (with chapeau ids)"
        for marker_id in entry.indicators:
            marker = taxonomy.get(marker_id) if marker_id in taxonomy else None
            if isinstance(marker, Marker) and entry.id not in marker.rome_statute:
                return f"lists {marker_id}, whose rome_statute ({origin[marker_id]}) omits it"
    for field, targets, kinds in wanted:
        for target in targets:
            if target not in taxonomy:
                return f"{field}: unknown id {target!r}"
            if taxonomy.get(target).kind not in kinds:
                return f"{field}: {target!r} is a {taxonomy.get(target).kind}, not {kinds}"
            act = taxonomy.get(target)
            if isinstance(act, Act) and entry.id not in act.indicators:
                return f"rome_statute: {target} ({origin[target]}) does not list this marker"
        if len(set(targets)) != len(targets):
            return f"{field}: an id is listed twice"
    return None
