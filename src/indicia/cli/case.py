"""Commands that create cases and take evidence in: init, add, documents, head."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from indicia.case import Case
from indicia.cli import EXIT_PROBLEMS, handle_errors
from indicia.models import IntakeItem

CASE_ARG = click.argument("case", type=click.Path(file_okay=False, path_type=Path))


@click.command()
@CASE_ARG
@click.option(
    "--database-url",
    metavar="URL",
    help="Keep the records in PostgreSQL (postgresql://user@host/db) instead of "
    "case.db. The password is never stored in the case folder.",
)
@click.option(
    "--blob-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where originals are stored (default: CASE/blobs).",
)
@handle_errors
def init(case: Path, database_url: str | None, blob_dir: Path | None) -> None:
    """Create a case folder: case.json, the database, the blob store and the first event."""
    with Case.create(case, database_url=database_url, blob_dir=blob_dir) as created:
        backend = created.config.database_url or f"{created.root / 'case.db'} (SQLite)"
        click.echo(f"created case {created.config.case_id} in {created.root}")
        click.echo(f"  records: {backend}")
        click.echo(f"  originals: {created.blobs.root}")


@click.command()
@CASE_ARG
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--source-url", help="Where the items were obtained (absolute URL).")
@click.option("--final-url", help="The URL after redirects, if it differs.")
@click.option(
    "--collected-at",
    metavar="ISO8601",
    help="When the items were collected, with a timezone (default: now, UTC).",
)
@click.option("--collector", help="Who collected them (default: INDICIA_ACTOR or the OS user).")
@click.option(
    "--method", help="Capture method, e.g. web-capture, download, email, scan (default: file-copy)."
)
@click.option("--note", help="A free-text collection note.")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="CSV with columns path, source_url, final_url, collected_at, method, "
    "collector, note. Its rows override the options above for their files; "
    "with no PATHS, every file it lists is added.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per item.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@handle_errors
def add(
    case: Path,
    paths: tuple[Path, ...],
    source_url: str | None,
    final_url: str | None,
    collected_at: str | None,
    collector: str | None,
    method: str | None,
    note: str | None,
    manifest: Path | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Add files and folders (recursively) to CASE, with their provenance.

    Identical bytes are stored once; each collection of them gets its own provenance record.
    Items that cannot be added are reported with a stable code while the rest go on; the exit
    status is then 3.
    """
    if not paths and manifest is None:
        raise click.UsageError("give PATHS, --manifest, or both")

    def show(item: IntakeItem) -> None:
        if as_json:
            click.echo(json.dumps(item.as_dict(), ensure_ascii=False))
        elif item.status == "failed":
            click.echo(f"failed       {item.error_code} {item.path}: {item.message}", err=True)
        elif not quiet:
            click.echo(
                f"{item.status:<12} {item.sha256[:12] if item.sha256 else '':<12} "
                f"{item.media_type or '':<28} {item.path}"
            )

    with Case.open(case) as opened:
        report = opened.add(
            paths,
            source_url=source_url,
            final_url=final_url,
            collected_at=collected_at,
            collector=collector,
            method=method,
            note=note,
            manifest=manifest,
            on_item=show,
        )
    counts = report.summary()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    click.echo(summary, err=as_json)
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


@click.command()
@CASE_ARG
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documents with provenance).")
@handle_errors
def documents(case: Path, as_json: bool) -> None:
    """List the documents in CASE with their sources."""
    with Case.open(case) as opened:
        docs = opened.documents()
    if as_json:
        click.echo(json.dumps([d.as_dict() for d in docs], ensure_ascii=False, indent=2))
        return
    for doc in docs:
        first = doc.provenance[0] if doc.provenance else None
        where = (first.source_url or first.original_path) if first else ""
        click.echo(
            f"{doc.sha256[:12]}  {doc.size:>10}  {doc.media_type:<32} "
            f"{len(doc.provenance)}×  {where}"
        )


@click.command()
@CASE_ARG
@handle_errors
def head(case: Path) -> None:
    """Print the log's head as SEQ:HASH, to publish or notarise as an anchor for verify."""
    with Case.open(case) as opened:
        seq, digest = opened.head()
    click.echo(f"{seq}:{digest}")


COMMANDS = (init, add, documents, head)
