# Two commands set everything up from a fresh clone: `make run` and `make test`.
# Without DATABASE_URL, an embedded PostgreSQL under .data/pg is started (config/devdb.py).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEVDB := $(PY) -m config.devdb

.PHONY: run test lint bench db-start db-stop clean-venv

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(DEVDB) run -- scripts/serve.sh

test: $(VENV)/.dev
	$(DEVDB) run -- $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(DEVDB) run -- $(PY) manage.py makemigrations --check --dry-run

bench: $(VENV)/.dev
	$(DEVDB) run -- $(PY) -m bench

db-start: $(VENV)/.runtime
	$(DEVDB) start

db-stop: $(VENV)/.runtime
	$(DEVDB) stop
