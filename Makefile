# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# from this file (and the includes it names), so a clean clone on a fresh machine works.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed

.PHONY: install demo test eval eval-large lint typecheck schemas prefect-yaml clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	@# The lock holds the extras too: `tools` (newsflow bench/eval) and `dev` (tests, linters).
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock -e ".[tools]"
	@# Prefect's temporary server migrates its database on first start; do it once here.
	$(BIN)/python -c "import flows.prefect_env" && PREFECT_SERVER_ANALYTICS_ENABLED=false \
	  $(BIN)/prefect server database upgrade -y >/dev/null
	touch $(STAMP)

demo: install
	$(BIN)/newsflow run --source seeds --sink out

test: install services-install browser-install
	$(BIN)/pytest

# Stage quality in one table: our own gold, and the dev sets of ../shared/dev-data when present
# (written by others; see README "Quality"). Not part of `make test`. Full JSON in eval-output/.
DEV_DATA ?= ../shared/dev-data
eval: install
	$(BIN)/python -m evaluation.suite --dev-data $(DEV_DATA)

eval-large: install
	$(BIN)/python -m evaluation.suite --dev-data $(DEV_DATA) --large

lint: install
	$(BIN)/ruff check schemas workers flows evaluation bench tests
	$(BIN)/ruff format --check schemas workers flows evaluation bench tests

typecheck: install
	$(BIN)/mypy

schemas: install
	$(BIN)/python -m schemas.jsonschema_export

# prefect.yaml is generated from the deployments `newsflow serve` registers (flows/serve.py).
prefect-yaml: install
	$(BIN)/python -m flows.serve > prefect.yaml

clean:
	rm -rf out eval-output .pytest_cache .mypy_cache .ruff_cache

include infra/Makefile.services.mk
include infra/browser.mk
