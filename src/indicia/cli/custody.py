"""Commands about the custody log: verify, log, export-custody, verify-export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from indicia.case import Case
from indicia.cli import EXIT_PROBLEMS, handle_errors
from indicia.cli.case import CASE_ARG
from indicia.custody.export import verify_export as check_export


@click.command()
@CASE_ARG
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="SEQ:HASH",
    help="A head published earlier (see `indicia head`); the log must contain it. Repeatable.",
)
@click.option("--no-blobs", is_flag=True, help="Skip re-hashing the originals (chain only).")
@click.option("--record", is_flag=True, help="Log a successful verification as an event.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@handle_errors
def verify(
    case: Path, anchors: tuple[str, ...], no_blobs: bool, record: bool, as_json: bool
) -> None:
    """Re-hash every original and walk the custody chain; exit 3 if anything is wrong.

    Reports each problem with its code: missing or altered original, and edited, deleted,
    inserted or reordered event (with seq), or a record that disagrees with its event.
    """
    try:
        with Case.open(case) as opened:
            report = opened.verify(anchors=anchors, check_blobs=not no_blobs, record=record)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--anchor") from exc
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            click.echo(f"{problem.code.value} {problem.message}")
        for note in report.notes:
            click.echo(f"note: {note}")
        verdict = "OK" if report.ok else f"FAILED: {len(report.problems)} problem(s)"
        click.echo(
            f"{verdict} — {report.events} events, {report.documents} documents, "
            f"{report.blobs_checked} originals re-hashed; head "
            f"{report.head_seq}:{report.head_hash}"
        )
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


@click.command(name="log")
@CASE_ARG
@click.argument("document", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print events as JSON Lines.")
@handle_errors
def log_command(case: Path, document: str | None, as_json: bool) -> None:
    """Print the custody history of CASE, or of one DOCUMENT (SHA-256 or a prefix)."""
    with Case.open(case) as opened:
        events = opened.custody(document)
    for event in events:
        if as_json:
            click.echo(event.to_json())
            continue
        click.echo(
            f"{event.seq:>6}  {event.at}  {event.actor:<12} {event.action:<22} {event.subject}"
        )
        prov = event.details.get("provenance")
        if isinstance(prov, dict):
            source = prov.get("source_url") or "-"
            click.echo(
                f"        from {prov.get('original_path')}  source {source}  "
                f"method {prov.get('method')}  collector {prov.get('collector')}"
            )
        elif "error_code" in event.details:
            click.echo(f"        {event.details['error_code']} {event.details.get('message')}")


@click.command(name="export-custody")
@CASE_ARG
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--include-originals", is_flag=True, help="Also copy every original into OUT.")
@handle_errors
def export_custody(case: Path, out: Path, include_originals: bool) -> None:
    """Write the custody log (JSON Lines), the document list and a SHA-256 manifest to OUT."""
    with Case.open(case) as opened:
        result = opened.export_custody(out, include_originals=include_originals)
    click.echo(
        f"exported {result.events} events and {result.documents} documents "
        f"({result.originals} originals) to {result.folder}"
    )
    click.echo(f"head {result.head_seq}:{result.head_hash}")


@click.command(name="verify-export")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@handle_errors
def verify_export(folder: Path) -> None:
    """Check an export folder: manifest, canonical lines, chain and head; exit 3 on problems."""
    problems = check_export(folder)
    for problem in problems:
        click.echo(f"{problem.code.value} {problem.message}")
    click.echo("OK" if not problems else f"FAILED: {len(problems)} problem(s)")
    if problems:
        sys.exit(EXIT_PROBLEMS)


COMMANDS = (verify, log_command, export_custody, verify_export)
