# Two commands on a fresh machine: `make demo` and `make test`. Both set up .venv first,
# from the pinned versions in requirements.lock; the stamp file makes the second call
# install nothing.
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed
BIN := $(VENV)/bin
LOCK := requirements.lock
# The lock is for the Python and platform CI runs on; uv resolves for them from any machine.
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-manylinux_2_28

.PHONY: demo test eval bench bench-crawl bench-startup bench-workers lock lock-upgrade clean

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-pin after a dependency was added to or removed from pyproject.toml: versions already
# in the lock stay as they are. `make lock-upgrade` moves every pin to the newest release
# that pyproject.toml allows (then run `make test` before committing the new lock).
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'uv>=0.4'
	$(BIN)/uv pip compile pyproject.toml --extra test $(LOCK_TARGET) --custom-compile-command 'make lock' \
		--quiet -o $(LOCK) $(LOCK_ARGS)

lock-upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

demo: $(STAMP)
	$(BIN)/postwatch demo

test: $(STAMP)
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || echo "browser tests will be skipped: install Chromium with 'sudo apt-get install -y chromium chromium-driver' to run them"
	$(BIN)/python -m pytest

# Real sets live beside the worktree (../shared); a missing one is skipped, not an error.
REAL_DEV ?= ../shared/corpus/real_dev.jsonl
PAGES ?= ../shared/pages/html
SEEDS ?= ../shared/corpus/seeds.jsonl

eval: $(STAMP)
	$(BIN)/postwatch evaluate pipeline/demo/gold/dev.jsonl --misses
	$(BIN)/postwatch evaluate pipeline/demo/gold/test.jsonl
	test ! -e $(SEEDS) || $(BIN)/postwatch evaluate $(SEEDS)
	test ! -e $(REAL_DEV) || $(BIN)/postwatch evaluate $(REAL_DEV)
	test ! -e $(PAGES) || $(BIN)/postwatch evaluate $(PAGES) --misses

bench-crawl: $(STAMP)
	$(BIN)/python -m tests.benchmarks.crawl

# How long --help, sql and a flow command take before any work (about a minute).
bench-startup: $(STAMP)
	$(BIN)/python -m tests.benchmarks.startup

# The default `postwatch ingest` against plain two-process nlp.pipe on 1,500 articles (about 10 min).
bench-workers: $(STAMP)
	$(BIN)/python -m tests.benchmarks.default_ingest

# Throughput table of issue #7 (about an hour at the default sizes 1000,10000);
# a quick look: make bench BENCH_ARGS="--sizes 100,300" BENCH_RESULTS=/tmp/quick.md
# (the table also goes to BENCH_RESULTS, the page the README links)
BENCH_RESULTS ?= tests/benchmarks/RESULTS.md
bench: $(STAMP) bench-crawl
	$(BIN)/python -m tests.benchmarks --results $(BENCH_RESULTS) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) postwatch.duckdb alerts.xml .pytest_cache
