# Two commands do everything on a fresh Debian machine: `make demo` and `make test`.
# They install the Debian packages (as root), create .venv and install Indicia into it.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-16)

.PHONY: demo test check bench system venv docs clean

demo: venv
	$(BIN)/indicia demo demo-case --replace

test: venv
	@url=$$(bash scripts/test-postgres.sh) && \
	  INDICIA_TEST_POSTGRES_URL="$$url" INDICIA_REQUIRE_POSTGRES=1 $(BIN)/pytest -q

check: venv
	$(BIN)/ruff check src tests bench scripts docs
	$(BIN)/ruff format --check src tests bench scripts docs
	$(BIN)/mypy --strict src

bench: venv
	$(BIN)/python bench/intake_small.py
	$(BIN)/python bench/intake_large.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/extract_pdf.py
	$(BIN)/python bench/extract_html.py
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/search.py

docs: venv
	$(BIN)/python scripts/gen_cli_docs.py > docs/cli-reference.md
	$(BIN)/python scripts/gen_taxonomy_docs.py > docs/taxonomy.md

system:
	@bash scripts/system-deps.sh

venv: system $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Indicia needs Python >= 3.11" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

clean:
	rm -rf $(VENV) demo-case .pytest_cache .mypy_cache .ruff_cache .hypothesis
