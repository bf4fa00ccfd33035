# The two commands of the README. Both set up what they need on a fresh machine.
#   make run    - the service on the embedded index over real lists (http://127.0.0.1:8000)
#   make test   - lint, type-check and the whole test suite (real engines, real browser)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
LISTS  ?= var/lists
# The lists `make run` serves: the snapshots in ../shared/lists when present (the UK's is
# OFSI's last, retired list), else the official files fetched into $(LISTS) (the UK's
# from the FCDO's UK Sanctions List).
RUN_LISTS := us-ofac-sdn=$(SHARED)/lists/us-ofac-sdn/2023-12-28 \
             un-sc=$(SHARED)/lists/un-sc/2026-08-01 \
             gb-ofsi=$(SHARED)/lists/gb-ofsi/2025-04-14

.PHONY: run test install lint messages bench bench-matching bench-candidates bench-load compiled \
        corpus check-score fit-score clean

$(BIN)/screening: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,japanese]'
	touch $@

install: $(BIN)/screening

run: install
	@if [ -d "$(SHARED)/lists" ]; then \
	    $(BIN)/screening serve $(addprefix --list ,$(RUN_LISTS)); \
	else \
	    $(BIN)/screening lists fetch us-ofac-sdn un-sc uk-fcdo --dest $(LISTS) && \
	    $(BIN)/screening serve --list us-ofac-sdn=$(LISTS)/us-ofac-sdn \
	        --list un-sc=$(LISTS)/un-sc --list uk-fcdo=$(LISTS)/uk-fcdo; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The lookup page's catalogues: extract every _() _f() _n() N_() string of the templates and
# of service/ into messages.pot, and merge it into each language's .po (new entries empty,
# for the translator). The service reads the .po files directly: nothing to compile.
LOCALES := service/locales
messages: install
	$(BIN)/pybabel extract -F $(LOCALES)/babel.cfg -k tr -k _f -k _n:1,2 -k N_ \
	    --no-location --sort-output --project=screening -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(LOCALES)/messages.pot \
	    -d $(LOCALES)

# The engine tests start Elasticsearch and OpenSearch themselves (deploy/local-engine);
# the browser tests need Debian's chromium and axe-core (deploy/test-browser-setup).
test: lint
	deploy/test-browser-setup
	$(BIN)/pytest
	$(MAKE) compiled
	cd $(COMPILED) && SCREENING_SHARED=$(abspath $(SHARED)) $(abspath $(BIN))/python -m pytest \
	    -q -p no:cacheprovider tests/core tests/engines/test_embedded.py

# The matching hot path compiled with mypyc (setup.py) in a copy of the tree: what the
# Dockerfile ships. The tests above run the core and embedded-index tests against it too.
COMPILED := build/compiled
compiled: install
	deploy/compile-core $(COMPILED)

bench: install
	$(BIN)/python -m indexer.bench --shared $(SHARED)

# Match quality and speed over OFAC SDN, with the compiled core (as shipped).
bench-matching: compiled
	cd $(COMPILED) && $(abspath $(BIN))/python -m service.cli eval \
	    --set $(abspath $(SHARED))/eval/screening_dev.csv \
	    --list us-ofac-sdn=$(abspath $(SHARED))/lists/us-ofac-sdn/2023-12-28
	cd $(COMPILED) && $(abspath $(BIN))/python -m service.cli compare \
	    --input $(abspath $(SHARED))/eval/peers/nomenklatura-name-bench/cases.csv

# Candidate recall apart from ranking: dev set over OFAC SDN, one-typo names per script.
bench-candidates: compiled
	cd $(COMPILED) && $(abspath $(BIN))/python -m indexer.candidate_recall --shared $(abspath $(SHARED))

# The labelled corpus of name pairs made from the latest snapshot of every list (issue 13):
# positives of one party, hard negatives of another, split by party into fit and check
# (4-7 minutes on 2 cores). check-score: alert recall, false alerts and candidate
# recall per script family on its check part.
CORPUS ?= var/corpus
corpus: install
	$(BIN)/python -m indexer.corpus --shared $(SHARED) --output $(CORPUS)

check-score: install
	$(BIN)/python -m indexer.corpus_check --corpus $(CORPUS) --part check --shared $(SHARED)

# The score calibration (core/data/score_calibration.json): fitted on the corpus's fit part,
# reported per script family on its check part (python -m indexer.fit_score; not adopted
# unless --adopt: see the README).
fit-score: install
	$(BIN)/python -m indexer.fit_score --corpus $(CORPUS)

# HTTP load on loopback: 2 workers over OFAC + UN + UK, compiled core (service/API.md);
# then 3 service processes on one PostgreSQL and on one SQLite file, 8 clients each
# (records, chain and cross-process decisions checked; the PostgreSQL/SQLite ratio).
bench-load: compiled
	cd $(COMPILED) && SCREENING_SHARED=$(abspath $(SHARED)) $(abspath $(BIN))/python -m service.bench_load
	cd $(COMPILED) && SCREENING_SHARED=$(abspath $(SHARED)) $(abspath $(BIN))/python -m service.bench_store

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
