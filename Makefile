# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Migrates, loads the Jakarta Timur demo data into an empty database, then serves.
run: $(STAMP)
	$(PY) server.py migrate
	$(PY) server.py seed-demo --if-empty
	$(PY) server.py serve

# Every test, on the embedded default (SQLite) and on PostgreSQL; the linters too.
test: $(STAMP)
	$(PY) -m ruff check .
	WARGA_TEST_DATABASE=sqlite $(PY) -m pytest
	WARGA_TEST_DATABASE=postgres $(PY) -m pytest

clean:
	rm -rf $(VENV) var
