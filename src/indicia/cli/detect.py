"""Commands that run the detector outside a case: detect (the evaluation interface), eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

import click

from indicia.cli import EXIT_PROBLEMS, handle_errors
from indicia.cli.case import CASE_ARG


@click.command()
@click.option(
    "--jsonl",
    "source",
    type=click.File("r", encoding="utf-8"),
    required=True,
    help='Input: one {"id","lang","text"} JSON object per line; "-" reads stdin.',
)
@handle_errors
def detect(source: IO[str]) -> None:
    """Detect indicators and quantities in passages given as JSON lines.

    Prints one line per input line: {"id", "findings": [{"indicator", "polarity", "start",
    "end", "quote", "rule", "rule_version"}], "quantities": [{"value", "unit", "counted",
    "qualifier", "start", "end"}]}. Offsets are characters into "text". A malformed line gets
    {"id": …, "error": …} and the rest go on (exit status 3 at the end).
    """
    from indicia.detect.detector import default_detector, detection_json

    detector = default_detector()
    problems = 0
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            item_id, text = record["id"], record["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
            lang = record.get("lang")
        except (ValueError, KeyError, TypeError) as exc:
            problems += 1
            click.echo(json.dumps({"id": _id_of(line), "error": f"line {number}: {exc}"}))
            continue
        click.echo(detection_json(item_id, detector.detect(text, lang)))
    if problems:
        sys.exit(EXIT_PROBLEMS)


def _id_of(line: str) -> object:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record.get("id") if isinstance(record, dict) else None


@click.command(name="eval")
@click.argument(
    "gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--only", multiple=True, help="Score only ids starting with this (repeatable).")
@click.option("--errors", "show_errors", type=int, default=0, help="List up to N disagreements.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@handle_errors
def evaluate(
    gold: tuple[Path, ...], only: tuple[str, ...], show_errors: int, as_json: bool
) -> None:
    """Score the detector on gold JSON-lines files (docs/annotation-guide.md).

    Precision, recall and F1 of supporting findings per id, micro and macro, per language,
    and of quantity values.
    """
    from indicia.detect.evaluate import evaluate as run

    report = run(gold, only=only)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return
    click.echo(format_report(report.as_json()))
    for error in report.errors[:show_errors]:
        click.echo(f"{error.kind:4} {error.passage:14} {error.indicator:38} {error.detail}")


def format_report(data: dict[str, object]) -> str:
    """The plain-text table ``indicia eval`` prints."""
    indicators = data["indicators"]
    quantities = data["quantities"]
    assert isinstance(indicators, dict)
    assert isinstance(quantities, dict)
    lines = [f"passages: {data['passages']}", ""]
    lines.append(f"{'id':40} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for name, row in indicators["per_id"].items():
        lines.append(_row(name, row))
    lines.append("")
    lines.append(_row("micro (all ids)", indicators["micro"]))
    lines.append(f"{'macro F1':40} {indicators['macro_f1']:>34.3f}")
    for lang, block in indicators["per_language"].items():
        lines.append(_row(f"micro [{lang}]", block["micro"]))
    lines.append(f"polarity agreement: {data['polarity_agreement']}")
    lines.append("")
    lines.append(_row("quantity values (micro)", quantities["micro"]))
    for lang, row in quantities["per_language"].items():
        lines.append(_row(f"quantity values [{lang}]", row))
    return "\n".join(lines)


def _row(name: str, row: dict[str, float]) -> str:
    return (
        f"{name:40} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} "
        f"{row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}"
    )


@click.command()
@CASE_ARG
@click.option("--indicator", help="An id, or a prefix ending in a dot (sfl., rs.chapeau.).")
@click.option(
    "--polarity",
    type=click.Choice(["asserted", "reported", "denied", "prohibited", "definitional"]),
    help="Only findings with this polarity.",
)
@click.option("--supporting", is_flag=True, help="Only asserted and reported findings.")
@click.option("--document", help="A document hash prefix.")
@click.option("--summary", is_flag=True, help="Counts per id and polarity instead of findings.")
@click.option("--limit", type=int, default=None, help="At most this many findings.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_errors
def findings(
    case: Path,
    indicator: str | None,
    polarity: str | None,
    supporting: bool,
    document: str | None,
    summary: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """List the findings `analyze` stored, each with its quote, rule and citation."""
    from dataclasses import asdict

    from indicia.case import Case

    with Case.open(case) as opened:
        if summary:
            counts = opened.finding_summary()
            if as_json:
                click.echo(json.dumps({k: dict(v) for k, v in counts.items()}, indent=2))
                return
            for name, by_polarity in counts.items():
                parts = ", ".join(f"{n} {pol}" for pol, n in sorted(by_polarity.items()))
                click.echo(f"{name:40} {parts}")
            return
        rows = opened.findings(
            indicator=indicator,
            polarity=polarity,
            document=document,
            supporting=supporting,
            limit=limit,
        )
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row.indicator}  [{row.polarity}]  {row.rule} v{row.rule_version}")
        click.echo(f"    \u201c{row.quote}\u201d")
        click.echo(f"    {row.citation()}")
    if not rows:
        click.echo("no findings")


COMMANDS = (detect, evaluate, findings)
