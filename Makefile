# csphub: two commands on a fresh machine.
#   make demo   set up, load the demo partnership and serve http://127.0.0.1:8000
#   make test   lint, type-check and run the test suite (SQLite, and PostgreSQL when reachable)
#   make test-fast   the inner loop: ruff, then the suite on SQLite without slow tests, stopping at a failure
#   make browser-deps   Debian's chromium and the built front end, for the browser tests (make test does it)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/csphub
# pytest-xdist processes per suite (2 cores here: 225 -> 163 s on SQLite, 360 -> 272 s on PostgreSQL); 0 runs in one process
PYTEST_WORKERS ?= 2
# worksteal: each worker starts on a contiguous half (a module's shared data is built once) and takes from the other's
# tail when idle; each share starts with its own tests marked slow (tests/conftest.py), so the longest start at once
PYTEST := $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist worksteal
# extra pytest arguments, e.g. make pytest-sqlite PYTEST_ARGS="--durations=25" or PYTEST_ARGS=tests/cases
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install assets browser-deps demo demo-setup serve test test-fast lint typecheck pytest pytest-sqlite pytest-postgres lock clean bench-install wheel-check

help:
	@echo "make demo   - install, build assets, load the demo partnership, serve http://$(HOST):$(PORT)"
	@echo "make test   - ruff, mypy and the test suite on SQLite and (when reachable) PostgreSQL"
	@echo "make test-fast - the inner loop: ruff, then the suite on SQLite without slow or browser tests, stopping at a failure"
	@echo "make browser-deps - Debian's chromium (installed as root when missing) and the front end, for the browser tests"
	@echo "make pytest-sqlite / pytest-postgres - one database's pass (PYTEST_ARGS=... passes arguments on)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# --no-compile: Python compiles each module the first time it is imported (only those used) instead of pip compiling
# every installed file up front (82 -> 53 s for a fresh install from pip's cache here).
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/lock.txt
	$(BIN)/pip install --quiet --no-compile -c requirements/lock.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

csphub/static/vendor/csphub.css: node_modules/.installed assets/csphub.scss assets/_csphub-components.scss assets/copy-assets.mjs
	npm run --silent build

assets: csphub/static/vendor/csphub.css

# The browser tests (tests/browser/) drive Debian's chromium with Playwright (Playwright's own browser downloads are
# not reachable) and check the built GOV.UK front end. chromium is installed when missing if make runs as root (CI on
# a fresh machine); otherwise make says how and fails. CSPHUB_BROWSER_TESTS=skip skips the browser tests instead
# (a developer's machine without chromium; never CI).
browser-deps: install
	@if [ "$$CSPHUB_BROWSER_TESTS" = skip ]; then \
		echo "CSPHUB_BROWSER_TESTS=skip: the browser tests will be skipped"; \
	else \
		if ! command -v chromium >/dev/null 2>&1; then \
			if [ "$$(id -u)" = 0 ]; then \
				echo "Installing Debian's chromium for the browser tests"; \
				apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
			else \
				echo "The browser tests need Debian's chromium and it is not installed. Run 'sudo apt-get install chromium'" \
					"(or 'make browser-deps' as root), or set CSPHUB_BROWSER_TESTS=skip to skip them here." >&2; \
				exit 1; \
			fi; \
		fi; \
		$(MAKE) --no-print-directory assets; \
	fi

# Settings for the local demo: plain HTTP on localhost, no second factor, a secret key generated once.
var/demo.env:
	@mkdir -p var
	@$(BIN)/python -c "import secrets; print('CSPHUB_SECRET_KEY=' + secrets.token_urlsafe(50))" > $@
	@echo "CSPHUB_DEBUG=false" >> $@
	@echo "CSPHUB_REQUIRE_2FA=false" >> $@

demo-setup: install assets var/demo.env
	set -a && . var/demo.env && set +a && \
	$(BIN)/csphub migrate --no-input && \
	$(BIN)/csphub collectstatic --no-input --verbosity 0 && \
	$(BIN)/csphub demo && \
	$(BIN)/csphub link import data/legacy/*.toml && \
	$(BIN)/csphub link run && \
	$(BIN)/csphub crime ingest data/police-uk && \
	$(BIN)/csphub audit checkpoint

demo: demo-setup
	set -a && . var/demo.env && set +a && $(BIN)/csphub demo --logins && \
	echo "Serving csphub on http://$(HOST):$(PORT) (Ctrl-C to stop)" && \
	$(BIN)/gunicorn csphub.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy csphub tests bench

# SQLite: every test, including those that need no database (the engines, analytics, rules, settings).
pytest-sqlite: install browser-deps
	CSPHUB_ENVIRONMENT=test DATABASE_URL= $(PYTEST) $(PYTEST_ARGS)

# PostgreSQL: only the tests that use the database (marked `database` by tests/conftest.py: they ask for db,
# transactional_db or django_db); the others do not depend on it and have run on SQLite. The browser tests use it too
# but check what a person sees, not the database: they run on SQLite only, as do the tests marked sqlite_pass (the
# canary harness's scan of every page for the users whose kind of access another user already covers there, and the
# inherited access cases of each view, tests/access_cases.py).
pytest-postgres: install
	@if $(BIN)/python -m csphub.tools.pg_available "$(PG_TEST_URL)"; then \
		echo "PostgreSQL reachable: running the tests that use the database on PostgreSQL"; \
		CSPHUB_ENVIRONMENT=test DATABASE_URL="$(PG_TEST_URL)" $(PYTEST) -m "database and not browser and not sqlite_pass" $(PYTEST_ARGS); \
	else \
		echo "PostgreSQL not reachable at $(PG_TEST_URL): skipping the PostgreSQL run"; \
	fi

pytest: pytest-sqlite pytest-postgres

test: lint typecheck pytest

# Build a wheel, install it with the locked dependencies into a fresh virtualenv outside the checkout, and run
# `csphub link dedupe` and `csphub crime hotspots` there on shipped data (tests/test_wheel.py; make test runs it too).
wheel-check: install
	$(BIN)/pytest -q -p no:cacheprovider tests/test_wheel.py

# (without the browser tests either: they need chromium, make test runs them)
test-fast: lint
	CSPHUB_ENVIRONMENT=test DATABASE_URL= $(PYTEST) -x -m "not slow and not browser" $(PYTEST_ARGS)

# The benchmarks' extra dependencies (esda, libpysal, pandas), not needed by the product.
bench-install: install
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[dev,bench]'

# Re-pin the whole dependency tree after changing pyproject.toml.
lock: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements/lock.txt

clean:
	rm -rf $(VENV) node_modules csphub/static/vendor var/static
