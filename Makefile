# The two commands of the README. Each sets up its own environment (.venv) on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader runs its helpers (alembic) by name, so the environment's scripts come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: demo test ci setup clean

demo: $(VENV)/.installed
	$(BIN)/grader demo

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The instructors' guard alone (release, solution, stubs, corpus, determinism); `make test` runs it too.
ci: $(VENV)/.installed
	$(BIN)/grader ci

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) build submitted autograded feedback gradebook.db .nbgrader.log
