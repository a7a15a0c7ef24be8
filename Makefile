# Two entry points: `make report` builds the briefing, `make test` runs every test.
# Both create the environment first when needed; nothing else is required on Debian.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ENV_STAMP := $(VENV)/.installed
LINTED := $(wildcard analysis tests benchmarks)
# Bytecode is cached next to the sources (git ignores __pycache__/): a shell that forbids it makes
# every test worker, kernel and build compile `analysis` and re-rewrite the tests again (about 4 s
# of CPU per pytest process, a fifth of a second per kernel).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: report test test-fast env system-packages lint lab clean

report: env system-packages
	$(PY) -m analysis build

test: env system-packages
	$(PY) -m ruff check $(LINTED)
	$(PY) -m pytest

# The inner loop while editing code: unit tests only (no builds, no browser, no nbval).
test-fast: env
	$(PY) -m ruff check $(LINTED)
	$(PY) -m pytest -o addopts="$(FAST_OPTS)" -m "not e2e" tests

FAST_OPTS := -p analysis -p no:cacheprovider --numprocesses=auto --dist=load

env: $(ENV_STAMP)

# Re-install when the pins change.
$(ENV_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

system-packages:
	@bash scripts/install-system-packages

lint: env
	$(PY) -m ruff check $(LINTED)

lab: env
	$(VENV)/bin/jupyter lab notebooks

docs/briefing-first-page.png: reports/briefing.pdf
	pdftoppm -r 70 -png -f 1 -l 1 -singlefile $< docs/briefing-first-page

clean:
	rm -rf .build reports/briefing.html reports/briefing.pdf figures/*.svg figures/*.png
