"""Reading stored findings and quantities back, with what a citation needs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from indicia.detect.lexicon import SUPPORT
from indicia.store.schema import extractions, findings, provenance, quantities


@dataclass(frozen=True)
class StoredFinding:
    """A finding as stored: where it is (document, page, span), what and why (rule)."""

    key: str
    document_sha256: str
    title: str | None
    source_url: str | None
    page: int
    start: int
    end: int
    indicator: str
    polarity: str
    rule: str
    rule_version: int
    quote: str

    @property
    def supports(self) -> bool:
        return self.polarity in SUPPORT

    def citation(self) -> str:
        """A short citation: title, page, character span and document hash."""
        title = self.title or "(untitled)"
        span = f"chars {self.start}-{self.end}"
        return f"{title}, p. {self.page}, {span}, sha256 {self.document_sha256[:12]}"


@dataclass(frozen=True)
class StoredQuantity:
    document_sha256: str
    page: int
    start: int
    end: int
    value: int
    high: int | None
    unit: str
    counted: str
    qualifier: str
    quote: str


def list_findings(
    conn: Connection,
    *,
    indicator: str | None = None,
    polarity: str | None = None,
    document: str | None = None,
    supporting: bool = False,
    limit: int | None = None,
) -> list[StoredFinding]:
    """Findings, in document and page order; filters are exact except ``indicator``, which
    also matches a prefix ending in a dot (``sfl.`` or ``rs.chapeau.``)."""
    source = (
        select(func.min(provenance.c.source_url))
        .where(provenance.c.document_sha256 == findings.c.document_sha256)
        .scalar_subquery()
    )
    query = select(findings, extractions.c.title, source.label("source_url")).select_from(
        findings.outerjoin(extractions, extractions.c.document_sha256 == findings.c.document_sha256)
    )
    if indicator:
        if indicator.endswith("."):
            query = query.where(findings.c.indicator.startswith(indicator))
        else:
            query = query.where(findings.c.indicator == indicator)
    if polarity:
        query = query.where(findings.c.polarity == polarity)
    if supporting:
        query = query.where(findings.c.polarity.in_(sorted(SUPPORT)))
    if document:
        query = query.where(findings.c.document_sha256.startswith(document.lower()))
    query = query.order_by(
        findings.c.document_sha256, findings.c.page_number, findings.c.start, findings.c.indicator
    )
    if limit:
        query = query.limit(limit)
    return [
        StoredFinding(
            key=r.key,
            document_sha256=r.document_sha256,
            title=r.title,
            source_url=r.source_url,
            page=r.page_number,
            start=r.start,
            end=r.end,
            indicator=r.indicator,
            polarity=r.polarity,
            rule=r.rule,
            rule_version=r.rule_version,
            quote=r.quote,
        )
        for r in conn.execute(query)
    ]


def finding_summary(conn: Connection) -> dict[str, Counter[str]]:
    """Per id: how many findings of each polarity."""
    summary: dict[str, Counter[str]] = {}
    rows = conn.execute(
        select(findings.c.indicator, findings.c.polarity, func.count()).group_by(
            findings.c.indicator, findings.c.polarity
        )
    )
    for indicator, polarity, count in rows:
        summary.setdefault(indicator, Counter())[polarity] = int(count)
    return dict(sorted(summary.items()))


def list_quantities(conn: Connection, *, document: str | None = None) -> list[StoredQuantity]:
    query = select(quantities)
    if document:
        query = query.where(quantities.c.document_sha256.startswith(document.lower()))
    query = query.order_by(
        quantities.c.document_sha256, quantities.c.page_number, quantities.c.start
    )
    return [
        StoredQuantity(
            r.document_sha256,
            r.page_number,
            r.start,
            r.end,
            r.value,
            r.high,
            r.unit,
            r.counted,
            r.qualifier,
            r.quote,
        )
        for r in conn.execute(query)
    ]
