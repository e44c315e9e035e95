# Two commands do all the set-up: `make chat` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Microsoft's adaptivecards renderer, which the Teams tests check every card with (node).
CARDCHECK := tests/platforms/teams/cardcheck
CARDCHECK_STAMP := $(CARDCHECK)/node_modules/.installed

.PHONY: chat test lint bench screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Without npm the card checks skip and say why (under CI they fail instead).
$(CARDCHECK_STAMP): $(CARDCHECK)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(CARDCHECK) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the Teams card checks will skip"; fi

chat: $(STAMP)
	$(BIN)/allybot chat $(ARGS)

# Style, then the layers (import-linter, contracts in pyproject.toml), then the types.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy bot handlers storage

test: lint $(CARDCHECK_STAMP)
	$(BIN)/pytest -n auto $(ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

# Pictures of the main surfaces to look at (not part of CI): Teams cards rendered by
# Microsoft's adaptivecards renderer, and an approximation of the Slack blocks, in Debian's
# headless chromium (apt-get install -y chromium), into screenshots/out/.
screenshots: $(STAMP)
	@command -v chromium >/dev/null || { echo "make screenshots needs Debian's chromium: apt-get install -y chromium"; exit 1; }
	cd screenshots && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python screenshots/generate.py screenshots/out/surfaces.json
	cd screenshots && node shoot.js
