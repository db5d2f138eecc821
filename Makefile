# Two commands on a fresh machine: `make demo` and `make test`. Both set up .venv first;
# the stamp file makes the second call install nothing.
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed
BIN := $(VENV)/bin

.PHONY: demo test eval bench bench-crawl clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/postwatch demo

test: $(STAMP)
	$(BIN)/python -m pytest

# Real sets live beside the worktree (../shared); a missing one is skipped, not an error.
REAL_DEV ?= ../shared/corpus/real_dev.jsonl
PAGES ?= ../shared/pages/html
SEEDS ?= ../shared/corpus/seeds.jsonl

eval: $(STAMP)
	$(BIN)/postwatch evaluate pipeline/gold/dev.jsonl --misses
	$(BIN)/postwatch evaluate pipeline/gold/test.jsonl
	test ! -e $(SEEDS) || $(BIN)/postwatch evaluate $(SEEDS)
	test ! -e $(REAL_DEV) || $(BIN)/postwatch evaluate $(REAL_DEV)
	test ! -e $(PAGES) || $(BIN)/postwatch evaluate $(PAGES) --misses

bench-crawl: $(STAMP)
	$(BIN)/python -m spiders.bench

# Throughput table of issue #7 (about an hour at the default sizes 1000,10000);
# a quick look: make bench BENCH_ARGS="--sizes 100,300"
bench: $(STAMP) bench-crawl
	$(BIN)/python -m pipeline.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) postwatch.duckdb alerts.xml .pytest_cache
