# Executable Kubernetes: `make book` builds the book, `make test` runs every test. Both set up .venv first.
SHELL := /bin/bash
# Debian's own Python 3.11 (/usr/bin/python3.11) where there is one: Debian builds it with profile-guided and
# link-time optimisation and a static libpython, and the model runs ~15 % faster on it than on a plain source build
# (pyenv's default: no PGO, a shared libpython); measured with callgrind and benchmarks/ (see README). Else python3.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Python's bytecode goes to one cache inside .venv, not beside the sources (chapters import k8smodel from the
# editable install: no __pycache__ in chapters/ or k8smodel/), and is kept: a process that imports the model, pandas
# and plotly starts in ~0.7 s instead of ~2.2 s compiling them all again (every kernel, test worker, book chapter).
export PYTHONPYCACHEPREFIX := $(abspath $(VENV))/pycache
unexport PYTHONDONTWRITEBYTECODE
# tests/test_native.py: make builds the compiled modules first, so the tests must find them in use
export K8SMODEL_EXPECT_NATIVE := 1
STAMP := $(VENV)/.installed
# K8SMODEL_BOOK_BUILD: a kernel-only widget (the dashboard) shows a note in the rendered book (k8smodel/views/widgets.py)
JB := K8SMODEL_BOOK_BUILD=1 $(BIN)/jupyter-book build . --config book/_config.yml --toc book/_toc.yml
PIP_VERSION := 26.3
# uv installs the pinned packages (parallel downloads: about 40 s on a fresh machine where pip takes about 110 s).
UV_VERSION := 0.13.9

.PHONY: help install native static book test lint pytest pytest-without-browser pytest-browser lab execute lock clean

help:
	@echo "make book     build the book (HTML in _build/html)"
	@echo "make test     lint, unit tests, nbval over every chapter, browser tests"
	@echo "make lab      open JupyterLab on the chapters"
	@echo "make execute  re-execute every chapter in place, refreshing its stored outputs"
	@echo "make lock     re-pin requirements/constraints.txt from the current .venv"
	@echo "make clean    remove the build and caches (keeps .venv)"

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION) uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c requirements/constraints.txt -e '.[native,book,test]'
	@touch $@

install: $(STAMP)

# The hottest modules compiled by mypyc into .venv/k8smodel-native (k8smodel/_native.py), again whenever a source
# changed: the package loads them only while they match the sources (else it runs the sources as they are).
NATIVE := $(VENV)/k8smodel-native/manifest.json
$(NATIVE): $(STAMP) $(shell find k8smodel -name '*.py')
	$(BIN)/python -c 'from k8smodel import _native; print("compiled into", _native.build())'

native: $(NATIVE)

static: $(STAMP) book/vendor.toml book/fetch_static.py
	$(BIN)/python book/fetch_static.py

book: static $(NATIVE)
	$(JB) -W -n --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Unit tests, nbval over every chapter and the browser tests, in one pytest run, on every core (pytest-xdist): a
# file's tests stay on one worker (--dist loadfile, in pyproject.toml), so a notebook's cells run in order in one kernel.
pytest: $(NATIVE)
	$(BIN)/python -m pytest -n auto tests chapters --nbval --nbval-sanitize-with tests/nbval-sanitize.cfg

# make test: the book build uses about one core (one chapter runs at a time), so the tests that need no book (unit
# tests, nbval) run beside it; the browser tests, which open the built book, run once both are done. Each part's
# output is printed whole when it ends (--output-sync).
test: lint native
	$(MAKE) --no-print-directory -j2 --output-sync=target book pytest-without-browser
	$(MAKE) --no-print-directory pytest-browser

pytest-without-browser: $(NATIVE)
	$(BIN)/python -m pytest -n auto -m "not browser" tests chapters --nbval --nbval-sanitize-with tests/nbval-sanitize.cfg

pytest-browser: $(NATIVE)
	$(BIN)/python -m pytest -n auto -m browser tests/browser

# JupyterLab refuses to run as root unless told to (containers, CI machines).
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(NATIVE)
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=chapters $(LAB_ROOT)

execute: $(NATIVE)
	$(BIN)/python book/execute.py chapters/*.ipynb

lock: $(STAMP)
	@(echo "# Exact versions of every package the book, the model and the tests use (pip freeze of a working .venv)."; \
	  echo "# Installed with: pip install -c requirements/constraints.txt -e '.[native,book,test]'. Regenerate with 'make lock'."; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -v -E '^(-e|pip==|uv==)' | sort -f) > requirements/constraints.txt

clean:
	rm -rf _build .cache book/_static/vendor .pytest_cache .hypothesis
