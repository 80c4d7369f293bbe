"""The ``indicia`` command. Each command parses input, calls one library function, prints.

Exit status: 0 success; 1 an error stopped the command (message with a stable code on stderr);
2 bad usage; 3 the command ran but found problems (items that failed intake, or a
verification that failed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from indicia import __version__
from indicia.errors import IndiciaError

EXIT_ERROR = 1
EXIT_PROBLEMS = 3

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(fn: F) -> F:
    """Turn library errors into a one-line message with its code and exit status 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except IndiciaError as exc:
            click.echo(f"error {exc.code.value}: {exc.message}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="indicia")
def main() -> None:
    """Indicia: preserve, read and assess evidence of forced labour.

    A case is a folder holding the custody log and the originals. Start with
    `indicia init CASE`, then `indicia add CASE PATH...`, and check it with
    `indicia verify CASE`.
    """


def _register() -> None:
    from indicia.cli import analyze, case, custody, demo, detect

    commands = (*case.COMMANDS, *custody.COMMANDS, *analyze.COMMANDS, *detect.COMMANDS)
    for command in (*commands, *demo.COMMANDS):
        main.add_command(command)


_register()
