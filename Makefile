# Two commands a newcomer needs on a fresh machine:
#   make demo   set up .venv, install the package, run examples/quickstart.ipynb headless
#   make test   set up .venv, install the package with its test tools, run every check
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,remote]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/aigc-magic demo examples/quickstart.ipynb

lint: install
	$(BIN)/ruff check aigc_magic tests benchmarks

typecheck: install
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache tests/artifacts
