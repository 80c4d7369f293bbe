"""Print the CLI reference (docs/cli-reference.md) from the click commands themselves.

Run `make docs` after changing a command; tests/test_docs.py fails while the file is stale.
"""

from __future__ import annotations

from indicia.cli import main
from indicia.errors import ERROR_DESCRIPTIONS


def render() -> str:
    """The whole reference as Markdown."""
    # make_context (not Context()) so that each command's context_settings apply, as at run time
    width = {"terminal_width": 100, "max_content_width": 100, "resilient_parsing": True}
    ctx = main.make_context("indicia", [], **width)
    out = [
        "# CLI reference",
        "",
        "Generated from the code by `make docs` (`scripts/gen_cli_docs.py`); do not edit.",
        "",
        "```text",
        main.get_help(ctx),
        "```",
        "",
    ]
    for name in sorted(main.list_commands(ctx)):
        command = main.get_command(ctx, name)
        assert command is not None
        sub = command.make_context(name, [], parent=ctx, **width)
        out += [f"## indicia {name}", "", "```text", command.get_help(sub), "```", ""]
    out += ["## Error codes", "", "| code | meaning |", "|---|---|"]
    out += [f"| `{code.value}` | {text} |" for code, text in ERROR_DESCRIPTIONS.items()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render(), end="")
