"""Docs are tested against the code: settings, CLI reference, the custody example."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import indicia.settings
from indicia.custody.events import canonical_json

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"


def test_every_setting_is_documented() -> None:
    source = Path(indicia.settings.__file__).read_text()
    used = set(re.findall(r'"(INDICIA_[A-Z_]+)"', source))
    assert used, "settings.py reads no INDICIA_* variable?"
    documented = set(re.findall(r"`(INDICIA_[A-Z_]+)`", (DOCS / "settings.md").read_text()))
    assert used <= documented, used - documented


def test_only_settings_reads_the_environment() -> None:
    # Setting a variable for a library (OMP_THREAD_LIMIT for Tesseract) is allowed; reading is not.
    reads = re.compile(r"getenv\(|environ\.get\(|environ\[[^\]]+\](?!\s*=[^=])|in os\.environ")
    for path in (ROOT / "src" / "indicia").rglob("*.py"):
        if path.name == "settings.py":
            continue
        assert not reads.search(path.read_text()), path


def test_cli_reference_is_current() -> None:
    import runpy

    render = runpy.run_path(str(ROOT / "scripts" / "gen_cli_docs.py"))["render"]
    assert (DOCS / "cli-reference.md").read_text() == render(), "run `make docs`"


def test_custody_example_hash_is_what_the_spec_says() -> None:
    text = (DOCS / "custody.md").read_text()
    example = re.search(r"```json\n(.+?)\n```", text, re.S)
    assert example
    hashed = example.group(1)
    assert canonical_json(json.loads(hashed)) == hashed
    from indicia.custody.events import GENESIS_HASH, pending

    event = pending(
        "ana", "case.created", "case:1", {"k": "v"}, at="2026-01-01T00:00:00.000000Z"
    ).chain(1, GENESIS_HASH)
    assert event.hash == hashlib.sha256(hashed.encode()).hexdigest()


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)$", quick, re.M)
    assert commands == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_documented_doc_link_exists() -> None:
    for md in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", md.read_text()):
            assert (md.parent / target).exists(), f"{md.name} links to missing {target}"
