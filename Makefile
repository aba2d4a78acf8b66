# Two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# dbt reads profiles.yml from the project root and runs from it: relative
# paths (the DuckDB file, purchases_path, export_path) resolve from here.
DBT := cd $(CURDIR) && $(CURDIR)/$(BIN)/dbt

.PHONY: build test test-fast dbt-build check powerbi report chromium docs lint sample bench clean

build: $(VENV)/.installed dbt-build check powerbi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

dbt-build: $(VENV)/.installed
	$(DBT) build

# great-expectations over the published exports; Data Docs in target/data_docs/.
check: $(VENV)/.installed
	cd $(CURDIR) && $(CURDIR)/$(BIN)/rfm check

# The Power BI project and template, generated from the dbt contract (powerbi/).
powerbi: $(VENV)/.installed
	cd $(CURDIR) && $(CURDIR)/$(BIN)/rfm powerbi

# The self-contained HTML report of the exports (exports/rfm_report.html).
report: $(VENV)/.installed
	cd $(CURDIR) && $(CURDIR)/$(BIN)/rfm report

# Headless Chromium opens the HTML report in the tests; installed from Debian
# only when missing (CI runs `make test` as root on a fresh machine).
chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# Everything: unit, integration (DuckDB builds) and engines (PostgreSQL, Spark). CI runs this.
test: $(VENV)/.installed chromium
	$(BIN)/ruff check python tests bench
	$(BIN)/python -m pytest

# The unit tier only (pure Python and dbt parse): under 2 minutes.
test-fast: $(VENV)/.installed
	$(BIN)/ruff check python tests bench
	$(BIN)/python -m pytest -m unit

docs: $(VENV)/.installed
	$(DBT) docs generate

lint: $(VENV)/.installed
	$(BIN)/ruff check python tests bench

# Rebuild the committed sample seeds (deterministic for the seed).
sample: $(VENV)/.installed
	$(BIN)/rfm generate --customers 3000 --seed 42 --format csv --out seeds \
		--purchases-name sample_purchases --customers-name sample_customers

# dbt build vs pandas vs the bare DuckDB query at 1M and 10M purchases, and
# 100M once; writes BENCHMARKS.md and bench/benchmarks.png (data cached in
# bench/.cache). Long: run it on a quiet machine. BENCH_ARGS="--huge 0" skips 100M.
bench: $(VENV)/.installed-bench
	cd $(CURDIR) && $(CURDIR)/$(BIN)/python -m bench $(BENCH_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

clean:
	rm -rf target logs exports/builds exports/current exports/*.parquet exports/*.csv exports/*.json exports/*.html rfm.duckdb rfm.duckdb.wal
