# The two commands of the README. Each sets up its own environment (.venv) on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader runs its helpers (alembic) by name, so the environment's scripts come first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: demo test ci setup browser clean

demo: $(VENV)/.installed
	$(BIN)/grader demo

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The instructors' guard alone (release, solution, stubs, corpus, determinism); `make test` runs it too.
ci: $(VENV)/.installed
	$(BIN)/grader ci

setup: $(VENV)/.installed browser

# Headless Chromium for the report's and the feedback page's browser tests: Debian's package, installed
# when missing and run as root; otherwise those tests skip and say how to install it.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "note: Chromium is missing and this is not root: the browser tests will skip." \
	  "Install Debian's package as root: apt-get install -y chromium"; fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) build submitted autograded feedback gradebook.db .nbgrader.log
