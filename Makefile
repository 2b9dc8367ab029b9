# Thin aliases; see README.md. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test assets demo serve lint ci clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Static files and catalogues are rebuilt only when their sources change, so a second `make run` starts at once.
STATIC_SOURCES := $(shell find static -type f 2>/dev/null) config/assets.py
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

var/static/staticfiles.json: $(VENV)/.installed node_modules/.installed $(STATIC_SOURCES)
	$(PY) manage.py vendor_assets
	$(PY) manage.py collectstatic --noinput --verbosity 0

%.mo: %.po | $(VENV)/.installed
	$(PY) manage.py compile_catalogue

install: $(VENV)/.installed node_modules/.installed var/static/staticfiles.json $(CATALOGUES)

install-test: install $(VENV)/.installed-test

# Migrate, load the standards and the demo county (idempotent: a second run keeps the data), then serve.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# The whole suite but the browser tests (.ci/run runs those with Chromium).
test: install-test
	$(PY) -m pytest -n 2 -m "not browser"

lint: install-test
	$(VENV)/bin/ruff check .

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules var/static var/vendor
