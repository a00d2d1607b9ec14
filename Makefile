# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The transparency page's browser modules (Leaflet), from package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The browser test drives Debian's Chromium through Playwright (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

install: $(STAMP) $(NODE_STAMP)

# Migrates, loads the Jakarta Timur demo data into an empty database, then serves.
run: $(STAMP) $(NODE_STAMP)
	$(PY) server.py migrate
	$(PY) server.py seed-demo --if-empty
	$(PY) server.py serve

# Every test, on the embedded default (SQLite) and on PostgreSQL; the linters, the types and the layer rule
# ([tool.importlinter] in pyproject.toml) first.
test: $(STAMP) $(NODE_STAMP) chromium
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m mypy .
	WARGA_TEST_DATABASE=sqlite $(PY) -m pytest
	WARGA_TEST_DATABASE=postgres $(PY) -m pytest

clean:
	rm -rf $(VENV) var node_modules
