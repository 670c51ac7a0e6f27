# 金财 jincai — one entry point for people and CI.
#   make demo      set up, generate the sample province, validate it, print a summary (embedded store)
#   make test      set up (venv, PostgreSQL) and run the whole test suite
#   make generate  rebuild every generated artifact from standards/
#   make bench     run the benchmarks, results in benchmarks/results/
#   make fuzz      a long fuzzing campaign (5,000 mutated inputs), results in benchmarks/results/fuzz.json
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JINCAI := $(VENV)/bin/jincai
DEMO   := demo-out

.PHONY: setup demo test test-fast generate check-generated bench fuzz clean pg-start pg-stop java

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

demo: setup
	$(PY) -m jincai.demo --out $(DEMO)

generate: setup
	$(PY) -m jincai.generate

check-generated: setup
	$(PY) -m jincai.generate --check

test: setup pg-start java
	. ./.pg/env && $(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not postgres and not spark"

bench: setup java
	$(PY) -m benchmarks.run

fuzz: setup
	$(PY) -m benchmarks.fuzz --count $${FUZZ_COUNT:-5000}

pg-start:
	bash tools/pg.sh start

java:
	bash tools/java.sh

pg-stop:
	bash tools/pg.sh stop

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .hypothesis
