# teipress — `make` builds the default edition into build/, `make test` runs the suite.
# Both set up everything they need on a fresh machine (virtual environment, pinned packages).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

# Reproducible builds: the date of the last commit unless the caller fixes it.
# Outside a git checkout it stays unset and teipress uses the newest revisionDesc/change date.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(strip $(SOURCE_DATE_EPOCH)),)
export SOURCE_DATE_EPOCH
endif

.PHONY: all build validate test system-deps npm-deps serve clean distclean bench deposit compiled

all: build

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# teipress's modules compiled once, as pip does for a wheel: where Python writes no bytecode
# as it imports (PYTHONDONTWRITEBYTECODE, a read-only checkout), every run compiled them again,
# 0.2 s of each build (stale files are never read: Python checks each against its source).
compiled: $(STAMP)
	$(BIN)/python -m compileall -q teipress

validate: compiled
	$(BIN)/teipress validate .

build: compiled
	$(BIN)/teipress build .

# The archival package: build/deposit/<id>-<version>/ (BagIt 1.0) and its reproducible .zip.
deposit: $(STAMP)
	$(BIN)/teipress deposit .

# Debian packages the tests need (browser, poppler, Java); installs only what is missing.
system-deps:
	bash scripts/install-system-deps.sh

# Test-only tools from npm (Nu HTML Checker, axe-core), pinned in package-lock.json.
NPM_STAMP := node_modules/.installed-stamp
$(NPM_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund --ignore-scripts
	touch $@

npm-deps: system-deps $(NPM_STAMP)

test: compiled system-deps $(NPM_STAMP)
	$(BIN)/pytest

# Preview the HTML edition on http://127.0.0.1:8000/, rebuilt and reloaded on every change.
serve: compiled
	$(BIN)/teipress serve .

bench: compiled
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV)
