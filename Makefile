# Two commands a newcomer needs on a fresh machine:
#   make demo   set up .venv, install the package, run examples/quickstart.ipynb headless
#   make test   set up .venv, install the package with its test tools, run every check
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

.PHONY: install demo test test-fast lint typecheck jstest browser-deps clean

# `pip install -e .` also builds the sidebar (labextension/, with jlpm from jupyterlab) into
# share/jupyter/labextensions/aigc-magic; a change to its sources reinstalls.
LABEXT_SOURCES := $(wildcard labextension/src/*.ts labextension/style/*) \
	labextension/package.json labextension/yarn.lock

$(STAMP): pyproject.toml $(LABEXT_SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,remote]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/aigc-magic demo examples/quickstart.ipynb

lint: install
	$(BIN)/ruff check aigc_magic tests benchmarks
	$(BIN)/ruff format --check aigc_magic tests benchmarks

typecheck: install
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (with a CJK font for the Chinese screenshots).
browser-deps:
	@{ test -x /usr/bin/chromium && test -e $(CJK_FONT); } || { apt-get update && \
		apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei; }

# The sidebar's TypeScript logic, with jest (node_modules came with the install above).
jstest: install
	cd labextension && $(abspath $(BIN))/jlpm install && $(abspath $(BIN))/jlpm lint && $(abspath $(BIN))/jlpm test

test: lint typecheck jstest browser-deps
	$(BIN)/python -m pytest

# The quick loop while working: no browser, nothing marked slow (doctests included). It
# lists the ten slowest steps: one that starts processes or takes a second belongs in slow.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser" --durations=10

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache tests/artifacts
