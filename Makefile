# Newsroom: `make run` to try it, `make test` to test it. Only python3 (3.11+) and make needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: install run test lint format screenshots clean

# Re-installs only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Newsroom needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo --site-url http://$(HOST):$(PORT)/
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Test-only tools from npm: axe-core and the Nu HTML Checker (see package.json).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the accessibility and HTML-validity checks will be skipped."; \
	fi

# SQLite by default; PostgreSQL when DATABASE_URL points at one. Two worker processes
# (pytest-xdist), a test module to each at a time: its shared demo newsroom stays whole.
TEST_WORKERS ?= 2
test: install node_modules/.installed
	NEWSROOM_TESTING=true $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

screenshots: install
	DEBUG=true $(PY) docs/take_screenshots.py

clean:
	rm -rf $(VENV) staticfiles
