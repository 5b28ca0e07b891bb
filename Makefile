# The two commands: `make demo` (Neo4j up, seed loaded, API and explorer served) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PKB := $(BIN)/pkb
INSTALLED := $(VENV)/.installed

.PHONY: demo test install explorer checks neo4j-stop clean

demo: install explorer
	$(PKB) neo4j start
	$(PKB) seed
	$(PKB) serve

test: install explorer checks
	@scripts/system-deps.sh --browser
	$(BIN)/pytest

checks: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/cog --check README.md

install: $(INSTALLED)

$(INSTALLED): pyproject.toml requirements.lock
	@scripts/system-deps.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $@

explorer:
	@if [ -f explorer/package.json ]; then \
	  cd explorer && { [ node_modules/.package-lock.json -nt package-lock.json ] \
	    || npm ci --no-audit --no-fund; } && npm run -s build; \
	fi

neo4j-stop: install
	$(PKB) neo4j stop

clean:
	rm -rf $(VENV) explorer/node_modules explorer/dist
