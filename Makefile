# TiepDan: `make run` serves the demo on SQLite; `make test` runs the test suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast lint venv translations extract-messages clean-venv bench system-deps

# The system packages the documents need (Debian/Ubuntu): Pango for WeasyPrint's PDFs, serif fonts with every
# Vietnamese letter (Liberation Serif 2, Times New Roman's metric twin: version 1 lacks most Vietnamese letters;
# and DejaVu Serif), and poppler-utils
# (pdftotext, which the document tests read PDFs with). Run as root, or prefix with sudo.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-dejavu-core poppler-utils
system-deps:
	@if command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then echo "Installing $$missing"; apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else echo "System packages for documents: present"; fi; \
	else echo "Install with your system's packages: Pango, Liberation or DejaVu serif fonts, poppler-utils"; fi

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	@echo "Installing TiepDan's Python packages into $(VENV) (the first run takes a few minutes)..."
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --progress-bar on -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

translations: venv
	$(VENV)/bin/pybabel compile --use-fuzzy -d app/translations

extract-messages: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot app templates
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

# The scheduler (flask scheduler run) runs beside the web server and stops with it (Ctrl-C, or the server exiting).
# `make run` serves plain http on this machine: a development deployment (production would refuse the
# default SECRET_KEY, send Secure cookies and count login attempts in Redis).
run: export FLASK_DEPLOYMENT = development
run: translations
	@fc-list 2>/dev/null | grep -qiE "liberation serif|dejavu serif" || \
	  echo "Note: no Vietnamese serif font found; documents' PDFs need them: run 'sudo make system-deps'."
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo ""
	@echo "TiepDan is starting on http://$(HOST):$(PORT), with its scheduler (flask scheduler run)"
	@$(FLASK) demo-logins
	$(FLASK) scheduler run & sched=$$!; \
	trap 'kill -TERM $$sched 2>/dev/null; wait $$sched' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# axe-core for the accessibility browser test (tests/e2e/test_accessibility.py), pinned in its lock file.
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/e2e/axe --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility test will be skipped (CI installs it)"; fi

test: translations $(AXE)
	$(PY) -m pytest $(PYTEST_ARGS)

# The inner loop: SQLite only, no browser, on every core (pytest-xdist). `make test` is what CI runs.
test-fast: translations
	env -u TEST_DATABASE_URL $(PY) -m pytest -q -m "not e2e" -n auto -p no:cacheprovider $(PYTEST_ARGS)

# Lint and types (settings in pyproject.toml): ruff's rules and formatting, then mypy over app/.
lint: venv
	$(VENV)/bin/ruff check app tests bench migrations/env.py
	$(VENV)/bin/ruff format --check app tests bench migrations/env.py
	$(VENV)/bin/mypy

clean-venv:
	rm -rf $(VENV)

# Load and job benchmarks on PostgreSQL with 1,000,000 cases (docs/benchmarks.md; BENCH_* variables tune it).
# The load generator (locust) has its own venv: it pins its own Flask and Werkzeug.
BENCH_VENV := bench/.venv

$(BENCH_VENV)/.installed: requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -r requirements-bench.txt
	touch $@

bench: translations $(BENCH_VENV)/.installed
	$(PY) bench/run.py
