# Two entry points for a fresh machine with Python 3.11+:
#   make demo   -- install into .venv and audit the bundled examples offline
#   make test   -- install the test extras (and Chromium/Oxigraph where possible) and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench evaluation sentence-model clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/ldn-graph audit --offline --examples

test: $(VENV)/.installed-test
	@sh tools/install-test-system-packages.sh
	$(BIN)/python -m pytest

# ruff, mypy, dead code (vulture: the package, then tests and benchmarks; allow-list in
# tools/vulture_allowlist.py) and the dependency rules of docs/architecture.md (lint-imports;
# tests/test_architecture.py runs it inside `make test` too)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check ldn_graph tests bench
	$(BIN)/mypy
	$(BIN)/vulture
	$(BIN)/vulture tests bench tools/vulture_allowlist.py
	$(BIN)/lint-imports --no-cache

# docs/evaluation.md: claim extraction scored against the evaluation corpus (both halves)
# and, on their own, the two example pages
evaluation: $(VENV)/.installed
	$(BIN)/ldn-graph evaluate tests/corpus/*.gold.json tests/gold/*.gold.json tests/citations/*.cite.json tests/verdicts/*.verdicts.json --by-genre --format markdown > docs/evaluation.md
	$(BIN)/ldn-graph evaluate tests/corpus/*.gold.json --against tests/corpus/second-labelling --format markdown >> docs/evaluation.md
	$(BIN)/ldn-graph evaluate tests/verdicts/ldn-synthetic-test*.verdicts.json --against tests/verdicts/second-labeller --format markdown >> docs/evaluation.md

# ontology/sentence-model.npz: the sentence model, trained on the corpus's development half only
sentence-model: $(VENV)/.installed
	$(BIN)/ldn-graph train-model tests/corpus/*.gold.json -o ontology/sentence-model.npz

bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info
