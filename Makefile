# stationplan — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast fuzz check lab notebooks slides report-check docs data replication clean-venv

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH"; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "error: stationplan needs Python 3.11 or newer; $(PYTHON) is older"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,test]'
	@touch $(STAMP)

## make demo: set up .venv if needed and run the flagship scenario (Ganzhou)
demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/stationplan run scenarios/ganzhou.yaml

## make test: set up .venv if needed, run the checks, then the whole test suite (notebooks included)
test: check
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest

## make test-fast: the quick loop (tests not marked slow; under a minute)
test-fast: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -m "not slow" -q

## make fuzz: the fuzz suite's long variant (tests/fuzz with STATIONPLAN_FUZZ=long: 3,000 new
## examples a property instead of make test's 50 fixed ones; about an hour on two cores); a failure
## prints the @reproduce_failure line that replays it
fuzz: $(STAMP)
	STATIONPLAN_FUZZ=long PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests/fuzz -q

## make check: lint and format (ruff), types (mypy), and the import layers (import-linter)
check: $(STAMP)
	$(BIN)/ruff check model tests benchmarks tools
	$(BIN)/ruff format --check model tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports

## make lab: open JupyterLab on notebooks/
lab: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab notebooks/

## make notebooks: execute the notebooks top to bottom and save rendered HTML copies under results/notebooks/
notebooks: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter nbconvert --to html --execute --output-dir results/notebooks \
	  --ExecutePreprocessor.timeout=1200 notebooks/*.ipynb

## make slides: execute the workshop deck (notebook 04) and export it as reveal.js slides:
## results/slides/04_workshop.slides.html (open in a browser; no extension, no network: reveal.js
## and its loaders are copied beside it from tools/reveal/)
slides: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/stress_notebooks.py --save results/slides \
	  notebooks/04_workshop.ipynb
	$(BIN)/python tools/export_slides.py results/slides/04_workshop.ipynb results/slides

## make report-check: measure REPORT (default: the newest Ganzhou report; REPORT=results/x/latest for
## another run or experiment folder) in headless chromium at 1920×1080, 1366×768 and 1024×768 (a
## projector): no sideways scrolling, every figure loaded and inside the window, the run id in
## the footer; saves screenshots (first screen and whole page) in REPORT/screenshots/
## (Debian: apt-get install chromium)
REPORT ?= results/ganzhou/latest
report-check: $(STAMP)
	@command -v chromium >/dev/null || { echo "error: chromium not found; on Debian: apt-get install chromium"; exit 2; }
	@test -f $(REPORT)/report.html || { echo "error: no $(REPORT)/report.html; run make demo first"; exit 2; }
	$(BIN)/python tests/output/report_browser.py $(REPORT) $(REPORT)/screenshots
	@echo "look at $(REPORT)/screenshots/report-projector-full.png (and the other sizes)"

## make docs: regenerate docs/scenario-reference.md from the scenario schema
docs: $(STAMP)
	$(BIN)/python -m model.inputs.reference > docs/scenario-reference.md

## make data: rebuild the official division codes (model/inputs/data/divisions.csv, from the npm
## package china-division), then the maps' county seats (model/inputs/data/county_seats.csv, from
## the PyPI wheel cpca==0.5.5, MIT, fetched with `pip download`); synthetic township tables are
## `stationplan synth` output, not shipped
data: $(STAMP)
	@command -v npm >/dev/null || { echo "error: npm not found (Debian: apt-get install npm)"; exit 2; }
	$(BIN)/python tools/make_divisions.py
	$(BIN)/python tools/make_county_seats.py

## make replication: plan and simulate the shipped scenarios and rewrite the table of
## docs/replication.md (each published figure beside the model's; about two minutes)
replication: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/make_replication.py

clean-venv:
	rm -rf $(VENV)
