# The two commands of the README. Both set up what they need on a fresh machine.
#   make run    - the service (for now: inspect the real list snapshots)
#   make test   - lint, type-check and the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.PHONY: run test install lint bench clean

$(BIN)/screening: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,japanese]'
	touch $@

install: $(BIN)/screening

run: install
	$(BIN)/screening lists
	$(BIN)/screening lists inspect us-ofac-sdn=$(SHARED)/lists/us-ofac-sdn/2023-12-28

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python -m indexer.bench --shared $(SHARED)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
