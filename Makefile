# Quarter Node: the two commands are `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3.11
BIN := $(VENV)/bin
QN := $(BIN)/quarter-node
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# Built-in plugins with their own gettext domain (plugins/<name>/translations, babel.cfg).
PLUGIN_CATALOGS := $(notdir $(patsubst %/babel.cfg,%,$(wildcard plugins/*/babel.cfg)))
# Both cores; tests of one module stay on one worker (they share live node processes).
PYTEST_ARGS ?= -n 2 --dist loadscope

.PHONY: run test test-sqlite test-postgresql lint format install translations \
        extract-messages bench demo clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e ".[test,dev,postgresql,redis]"
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations --statistics
	$(foreach p,$(PLUGIN_CATALOGS),$(BIN)/pybabel compile -D $(p) -d plugins/$(p)/translations --statistics &&) true

## Start a node on SQLite under instance/ at http://127.0.0.1:5000 with its worker.
run: install
	QN_DEV_MODE=$${QN_DEV_MODE:-1} $(QN) run

## The whole suite, on SQLite and on PostgreSQL.
test: install test-sqlite test-postgresql

test-sqlite: install
	QN_TEST_DATABASE=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgresql: install
	QN_TEST_DATABASE=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS)

## Delivery, inbox and network-scale benchmarks, loopback only (figures: docs/benchmarks.md).
bench: install
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test_bench'" \
	  2>/dev/null | grep -q 1 || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE test_bench" \
	  2>/dev/null || echo "No PostgreSQL at 127.0.0.1: run with QN_BENCH_POSTGRES= to skip its figure"
	$(BIN)/python -m tests.bench

## A coordination node and two quarter nodes with German sample content on loopback ports
## (fresh SQLite databases in a temporary folder); addresses and log-ins are printed.
demo: install
	$(BIN)/python -m quarter_node.demo $(DEMO_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 -o translations/messages.pot --no-location --sort-output --project "Quarter Node" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(foreach p,$(PLUGIN_CATALOGS),$(BIN)/pybabel extract -F plugins/$(p)/babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 -o plugins/$(p)/translations/$(p).pot --no-location --sort-output --project "Quarter Node $(p)" plugins/$(p) && $(BIN)/pybabel update -D $(p) -i plugins/$(p)/translations/$(p).pot -d plugins/$(p)/translations --no-fuzzy-matching --ignore-obsolete &&) true

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache test-artifacts
