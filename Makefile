# Two commands do everything on a fresh machine: `make run` and `make test`.
# PYTHON=/path/to/python3.10 overrides the search for a Python 3.10 (see scripts/find-python310).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
STAMP     := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install run test lint validate train migrate bench crossval lock clean browser screenshots

help:
	@echo "make run    - install, migrate the database, train if the data changed, start the assistant"
	@echo "make test   - install, then run every check and test (REQUIRE_SERVICES=1 to require PostgreSQL/Redis)"
	@echo "make bench  - benchmarks (eligibility evaluations per second)"

# Creates .venv with Python 3.10 and installs the pinned dependencies; a no-op when nothing changed.
install: $(STAMP)

$(STAMP): requirements.txt constraints.txt scripts/find-python310
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
	  py310=$$(scripts/find-python310) || exit 1; \
	  echo "Creating $(VENV) with $$py310"; \
	  rm -rf $(VENV); "$$py310" -m venv $(VENV); \
	fi
	$(PY) -m pip install $(PIP_FLAGS) --upgrade "pip<25" "wheel<0.46"
	$(PY) -m pip install $(PIP_FLAGS) -r requirements.txt -c constraints.txt
	@touch $@

lint: install
	$(VENV)/bin/ruff check .

# `rasa data validate --fail-on-warnings`, counting responses that actions utter as used (see the script).
validate: install
	PYTHONPATH=$(CURDIR) $(PY) scripts/validate_data.py

migrate: install
	$(PY) -m bot.store upgrade

MODEL      := models/assistant.tar.gz
TRAIN_DATA := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)

# Trains only when the data or config changed (and Rasa's cache skips unchanged components).
train: $(MODEL)

$(MODEL): $(STAMP) $(TRAIN_DATA)
	$(RASA) train --fixed-model-name assistant --quiet
	@touch $@

# The web chat's tests (tests/web) drive Debian's Chromium through Playwright (pinned in requirements.txt);
# Playwright never downloads a browser here. Installed once, from apt, when it is missing, with Debian's
# Noto CJK fonts when no font covers Chinese (a bare Debian has none: the Chinese page would show boxes).
CHROMIUM := /usr/bin/chromium

browser:
	@missing=""; \
	if [ ! -x $(CHROMIUM) ]; then missing="chromium"; fi; \
	if ! command -v fc-list >/dev/null || [ -z "$$(fc-list :lang=zh family)" ]; then \
	  missing="$$missing fonts-noto-cjk"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then \
	    echo "The web tests need Debian's$$missing: run 'sudo apt-get install -y$$missing', or make test as root."; \
	    exit 1; \
	  fi; \
	  echo "Installing Debian's$$missing for the web tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Everything: lint, data validation, training (fixed seeds; skipped when nothing changed), then pytest,
# which also runs the real servers, `rasa test` on tests/test_stories.yml, the held-out NLU set, and the
# web chat in a real headless Chromium (tests/web).
test: install lint validate train browser
	@rc=0; $(PY) -m pytest || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; \
	exit $$rc

# The README's pictures (tests/artifacts/*.png) are refreshed on purpose, never by `make test`.
screenshots: install train browser
	$(PY) -m pytest -q tests/web/test_screenshots.py tests/console/test_browser.py
	cp results/screenshots/*.png tests/artifacts/

run: install migrate train
	scripts/run

# Both benchmarks always run; the exit code is the worst (1: a goal was missed, 2: a benchmark could not run).
# bench.run_all starts our assistant and a stock `rasa init` one on loopback ports 5205/5255/5305 (see bench/).
bench: install
	@rc=0; \
	$(PY) -m bench.eligibility || rc=$$?; \
	$(PY) -m bench.run_all || { r=$$?; [ $$r -gt $$rc ] && rc=$$r; }; \
	$(MAKE) --no-print-directory crossval || { [ 2 -gt $$rc ] && rc=2; }; \
	exit $$rc

# k-fold cross-validation of the NLU on its own training data (both languages; fixed seeds): trains FOLDS
# models, so it is part of `make bench`, not `make test`. Report: bench/results/crossval/.
FOLDS ?= 3
crossval: install
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds $(FOLDS) \
	  --out bench/results/crossval
	$(PY) scripts/check_nlu.py bench/results/crossval --name "cross-validation ($(FOLDS) folds)" --floor 0

# Re-pin everything requirements.txt pulls in, from a clean venv.
lock:
	rm -rf .venv-lock && "$$(scripts/find-python310)" -m venv .venv-lock
	.venv-lock/bin/pip install $(PIP_FLAGS) --upgrade "pip<25" "wheel<0.46"
	.venv-lock/bin/pip install $(PIP_FLAGS) -r requirements.txt
	.venv-lock/bin/pip freeze --exclude-editable | sort > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) models .pytest_cache .ruff_cache .hypothesis var
