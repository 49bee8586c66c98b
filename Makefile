# One command runs the product (make demo), one proves it (make test).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Settings from .env (see .env.example), if there is one.
ifneq (,$(wildcard .env))
include .env
export
endif

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster
export DAGSTER_DISABLE_TELEMETRY := 1
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

DEMO_SCALE ?= small
DEMO_SEED ?= 42
DEMO_DATA ?= data/demo
STREAMLIT_PORT ?= 8501
DAGSTER_PORT ?= 3000
DEMO_ODATA_PORT ?= 8090
export DEMO_DATA DEMO_ODATA_PORT

.PHONY: help setup warehouse demo-data odata-server pipeline demo test bench lint clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "Python 3.11 is required (PYTHON=$(PYTHON) is $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "setup: installing the project and its pinned dependencies into $(VENV) ..."
	@( $(BIN)/python -m pip install --upgrade pip && $(BIN)/python -m pip install -e ".[dev]" ) > $(VENV)/install.log 2>&1 \
		|| { tail -n 40 $(VENV)/install.log; echo "setup: pip install failed (full log: $(VENV)/install.log)"; exit 1; }
	@touch $(STAMP)
	@echo "setup: done"

$(DAGSTER_HOME)/dagster.yaml:
	@mkdir -p $(DAGSTER_HOME)
	@printf 'telemetry:\n  enabled: false\n' > $@

setup: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## virtualenv + install (quick when already done)

warehouse: setup  ## start the warehouse (embedded unless WAREHOUSE_URL is set) and bootstrap it
	@$(BIN)/python -m ingestion.warehouse up

demo-data: setup  ## generate the demo company (DEMO_SCALE, DEMO_SEED) into DEMO_DATA unless already there
	@if $(BIN)/python -c 'import json, sys; m = json.load(open(sys.argv[1])); \
		sys.exit((m["scale"], m["seed"], m["dirty"]) != (sys.argv[2], int(sys.argv[3]), False))' \
		$(DEMO_DATA)/manifest.json $(DEMO_SCALE) $(DEMO_SEED) 2>/dev/null; then \
		echo "demo-data: $(DEMO_DATA) already holds the $(DEMO_SCALE) company, seed $(DEMO_SEED)"; \
	else \
		echo "demo-data: generating the $(DEMO_SCALE) company, seed $(DEMO_SEED), into $(DEMO_DATA) ..."; \
		$(BIN)/python -m ingestion.demo generate --scale $(DEMO_SCALE) --seed $(DEMO_SEED) --out $(DEMO_DATA); \
	fi

odata-server: demo-data  ## (re)start the demo company's 1C OData server on DEMO_ODATA_PORT
	@$(BIN)/python -m ingestion.demo.service start

pipeline: warehouse odata-server  ## load the demo company over HTTP and build every asset; exits 0 on success
	@echo "pipeline: materializing every asset (Dagster job build_everything) ..."
	@$(BIN)/dagster job execute -m dagster_project.definitions -j build_everything > $(DAGSTER_HOME)/last_pipeline.log 2>&1 \
		|| { tail -n 60 $(DAGSTER_HOME)/last_pipeline.log; $(BIN)/python -m ingestion.demo.service stop; \
		     echo "pipeline: FAILED (full log: $(DAGSTER_HOME)/last_pipeline.log)"; exit 1; }
	@$(BIN)/python -m ingestion.demo.service stop
	@grep -E "Done\. PASS=|RUN_SUCCESS" $(DAGSTER_HOME)/last_pipeline.log | sed -E 's/.* - (RUN_SUCCESS) - /\1: /' || true
	@$(BIN)/python -m ingestion.warehouse summary
	@echo "pipeline: done (log: $(DAGSTER_HOME)/last_pipeline.log)"

demo: pipeline  ## everything above, then serve Streamlit (:8501), the Dagster UI (:3000) and the demo 1C server
	@$(BIN)/python -m ingestion.demo.ui --dagster-port $(DAGSTER_PORT) --streamlit-port $(STREAMLIT_PORT)

test: setup  ## the full test suite against a real embedded PostgreSQL
	@$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup  ## run every benchmark and print its figures
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: setup  ## ruff for Python, sqlfluff for the dbt SQL
	@$(BIN)/ruff check .
	@eval "$$($(BIN)/python -m ingestion.warehouse env)"; cd dbt && ../$(BIN)/sqlfluff lint models tests

clean:  ## stop the embedded warehouse and remove every generated file
	@test -x $(BIN)/python && $(BIN)/python -m ingestion.warehouse down || true
	@test -x $(BIN)/python && WAREHOUSE_DIR=$(CURDIR)/.warehouse-test $(BIN)/python -m ingestion.warehouse down || true
	rm -rf .warehouse .warehouse-test .dagster data dbt/target dbt/logs test-artifacts .pytest_cache .ruff_cache
