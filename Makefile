# The two commands a fresh clone needs: `make repro` and `make test`.
# Both build .venv from the exact pins in requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# DVC stages call `python -m pipeline`; this makes that the project's interpreter.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install repro test lock clean-venv

install: $(INSTALLED)

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

repro: install
	$(BIN)/dvc repro

test: install
	$(BIN)/python -m pytest

# Refresh the lock after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra build --python-version 3.11 --no-header -q -o requirements.lock

clean-venv:
	rm -rf $(VENV)
