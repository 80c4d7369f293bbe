"""The demo: a case built from the bundled synthetic corpus, end to end."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

from indicia.case import Case
from indicia.detect.lexicon import SUPPORT
from indicia.errors import CaseError, ErrorCode

SAMPLES = "data/samples/demo"
SEARCHES = ("转移就业", '"forced labour"')


def build_demo(folder: Path, *, replace: bool = False) -> Iterator[str]:
    """Create the demo case and yield the lines of its summary."""
    if folder.exists() and any(folder.iterdir()):
        if not replace:
            raise CaseError(ErrorCode.CASE_EXISTS, f"{folder} exists; use --replace")
        shutil.rmtree(folder)
    with as_file(files("indicia").joinpath(SAMPLES)) as corpus, Case.create(folder) as case:
        manifest = Path(corpus) / "manifest.csv"
        report = case.add(manifest=manifest, collector="indicia-demo")
        yield f"Demo case {case.config.case_id} in {case.root}"
        yield f"Intake: {', '.join(f'{n} {s}' for s, n in report.summary().items())}"
        for doc in case.documents():
            prov = doc.provenance[0]
            yield f"  {doc.sha256[:12]}  {doc.size:>7,} B  {doc.media_type}"
            yield f"      {Path(prov.original_path).name}  <-  {prov.source_url or '-'}"
        analysis = case.analyze()
        yield (
            f"Analyze: {analysis.extracted} documents extracted, {analysis.failed} failed; "
            f"{analysis.pages} pages, {analysis.passages} passages in "
            f"{analysis.seconds:.1f} s"
        )
        found = analysis.detection
        if found is not None:
            yield (
                f"Detect: {found.findings} findings ({found.supporting} supporting) and "
                f"{found.quantities} quantities in {found.passages} passages"
            )
        summary = case.finding_summary()
        supported = sorted(
            ((sum(c[p] for p in SUPPORT), name) for name, c in summary.items()),
            reverse=True,
        )
        for count, name in supported[:8]:
            if count:
                yield f"  {count:>3} supporting  {name}"
        for finding in case.findings(supporting=True, indicator="sfl.", limit=3):
            yield f"  {finding.indicator} [{finding.polarity}] \u201c{finding.quote}\u201d"
            yield f"      {finding.citation()}"
        for query in SEARCHES:
            hits = case.search(query, limit=3)
            yield f"Search {query!r}: {len(hits)} shown"
            for hit in hits:
                yield f"  {hit.title[:60]}  p.{hit.page}  [{hit.language}]"
                yield f"      {hit.snippet(width=110)}"
        verification = case.verify(record=True)
        seq, digest = case.head()
        yield (
            f"Verify: {'OK' if verification.ok else 'FAILED'} — {verification.events} "
            f"custody events, {verification.blobs_checked} originals re-hashed"
        )
        yield f"Head (publish this to anchor the log): {seq}:{digest}"
        yield f"Next: indicia log {folder} · indicia verify {folder} · indicia documents {folder}"
