# Two commands do all the set-up: `make chat` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test lint bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/allybot chat $(ARGS)

# Style, then the layers (import-linter, contracts in pyproject.toml), then the types.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy bot handlers storage

test: lint
	$(BIN)/pytest -n auto $(ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)
