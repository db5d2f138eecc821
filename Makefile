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
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || echo "browser tests will be skipped: install Chromium with 'sudo apt-get install -y chromium chromium-driver' to run them"
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/postwatch evaluate pipeline/gold/dev.jsonl --misses
	$(BIN)/postwatch evaluate pipeline/gold/test.jsonl
	$(BIN)/postwatch evaluate ../shared/corpus/seeds.jsonl

bench-crawl: $(STAMP)
	$(BIN)/python -m spiders.bench

# Throughput table of issue #7 (about an hour at the default sizes 1000,10000);
# a quick look: make bench BENCH_ARGS="--sizes 100,300"
bench: $(STAMP) bench-crawl
	$(BIN)/python -m pipeline.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) postwatch.duckdb alerts.xml .pytest_cache
