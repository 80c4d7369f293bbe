"""``indicia demo``: build a case from the bundled synthetic sample corpus."""

from __future__ import annotations

from pathlib import Path

import click

from indicia.cli import handle_errors
from indicia.demo import build_demo


@click.command()
@click.argument("case", default="demo-case", type=click.Path(file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete CASE first if it exists.")
@handle_errors
def demo(case: Path, replace: bool) -> None:
    """Build CASE (default demo-case/) from the bundled synthetic corpus and summarise it."""
    for line in build_demo(case, replace=replace):
        click.echo(line)


COMMANDS = (demo,)
