# Broadsheet: every target sets up what it needs. Quick start: `make serve`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup serve build check check-site test test-fast system-deps clean bench

help:
	@echo "make serve   preview the site at http://$(ADDR)/ with live reload"
	@echo "make build   strict build into site/ (replaced only when the build succeeds)"
	@echo "make check   validate articles and authors (broadsheet check)"
	@echo "make check-site  build, then check site/: valid HTML, links, no foreign resources, axe, Lighthouse"
	@echo "make test    set up and run every test"
	@echo "make clean   remove the virtualenv, caches and build output"

# The virtualenv is rebuilt when the dependency list or the pinned versions change.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

# `--livereload` is spelled out: MkDocs 1.6.1 with click >= 8.2.2 turns it off by default
# (mkdocs issue #4032). `--dirty` re-renders only what a save changed; Broadsheet's plugin
# removes every page the edit made stale, so the preview equals a clean build
# (tests/test_serve_dirty.py).
serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr $(ADDR)

# Warm by default: after a good build, the next one renders again only what changed and
# still writes what a clean build would (tests/test_warm_build.py). `make build CLEAN=1`
# builds every page.
build: $(STAMP)
	$(BIN)/python -m broadsheet.build_site --strict --site-dir site $(if $(CLEAN),--clean)

check: $(STAMP)
	$(BIN)/broadsheet check

# The site-quality gate over a fresh build (the tests run the same checks on the sample site).
check-site: system-deps build
	$(BIN)/python scripts/check_site.py site

system-deps:
	@bash scripts/install-system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/ruff check --quiet --select F src scripts tests
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not browser"

bench: $(STAMP)
	$(BIN)/python scripts/bench.py --articles $${N:-1000} --runs $${RUNS:-3} --blog --hugo --serve

clean:
	rm -rf $(VENV) site .site-* .pytest_cache .hypothesis test-artifacts build src/*.egg-info
