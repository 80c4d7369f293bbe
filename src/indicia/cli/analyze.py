"""Commands that read the originals: analyze, search."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click

from indicia.case import Case
from indicia.cli import EXIT_PROBLEMS, handle_errors
from indicia.cli.case import CASE_ARG


@contextmanager
def _progress(enabled: bool) -> Iterator[object]:
    """A rich progress bar on a terminal (counts, rate, ETA); nothing otherwise."""
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        yield bar


@click.command()
@CASE_ARG
@click.option("--force", is_flag=True, help="Redo every document, not only new or failed ones.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@handle_errors
def analyze(case: Path, force: bool, as_json: bool) -> None:
    """Extract text from every document: pages, language, passages and the search index.

    Each document runs in its own worker process with a time and a memory limit
    (INDICIA_EXTRACT_TIMEOUT, INDICIA_EXTRACT_MEMORY_MB). A document that crashes, hangs or
    is hostile is recorded as failed with its code and the run goes on (exit status 3).
    Re-running does only what is missing or failed.
    """
    show = sys.stderr.isatty() and not as_json
    with Case.open(case) as opened, _progress(show) as bar:
        task = None

        def tick(done: int, total: int, sha: str) -> None:
            nonlocal task
            if bar is None:
                return
            from rich.progress import Progress

            assert isinstance(bar, Progress)
            if task is None:
                task = bar.add_task("extract", total=total, rate="")
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:.1f} docs/s" if elapsed else ""
            bar.update(task, completed=done, rate=rate)

        report = opened.analyze(force=force, progress=tick)
    if as_json:
        click.echo(json.dumps({**asdict(report), "ok": report.ok}, indent=2))
    else:
        for sha, code, reason in report.failures:
            click.echo(f"failed {code} {sha[:12]}: {reason}", err=True)
        click.echo(
            f"{report.extracted} extracted, {report.failed} failed, {report.skipped} already "
            f"done; {report.pages} pages, {report.passages} passages in {report.seconds:.1f} s"
        )
        found = report.detection
        if found is not None:
            click.echo(
                f"detect: {found.documents} documents, {found.passages} passages; "
                f"{found.findings} findings ({found.supporting} supporting), "
                f"{found.quantities} quantities in {found.seconds:.1f} s; "
                f"{found.skipped} documents unchanged"
            )
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


@click.command()
@CASE_ARG
@click.argument("query")
@click.option("--lang", help="Only passages in this language: en, zh, zh-Hans, zh-Hant, ug.")
@click.option("--document", help="Only this document (SHA-256 or a prefix of it).")
@click.option("--limit", default=20, show_default=True, help="Most results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@handle_errors
def search(
    case: Path, query: str, lang: str | None, document: str | None, limit: int, as_json: bool
) -> None:
    """Search passages in Chinese and English: words, "quoted phrases" and Chinese terms.

    All terms are required. Chinese terms match wherever their characters appear together;
    English terms match whole words. Traditional and Simplified script find each other.
    """
    with Case.open(case) as opened:
        hits = opened.search(query, language=lang, document=document, limit=limit)
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    for rank, hit in enumerate(hits, start=1):
        click.echo(
            f"{rank:>3}. {hit.title}  p.{hit.page}  [{hit.language}]  {hit.document_sha256[:12]}"
        )
        click.echo(f"     {hit.snippet()}")
    if not hits:
        click.echo("no passages match")


COMMANDS = (analyze, search)
