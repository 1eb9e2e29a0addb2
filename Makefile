# gtna-workbench — everything a newcomer needs is `make reports` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STUDY     ?= data/raw
PROCESSED ?= data/processed
REPORTS   ?= reports
JOBS      ?= 2

.PHONY: help venv build reports test lint lab app bench notebooks clean

help:
	@echo "make reports   set up .venv, build the sample study, render every report into $(REPORTS)/"
	@echo "make test      set up .venv if needed and run the whole test suite"
	@echo "make lab       open JupyterLab on notebooks/ with the project kernel"
	@echo "make app       serve the explore workbench as a web page (Voila; APP_IP=0.0.0.0 to share on the LAN)"
	@echo "make bench     run the benchmarks (writes benchmarks/RESULTS.md)"
	@echo "make lint      ruff"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name gtna --display-name "Python (gtna)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

build: $(STAMP)
	$(BIN)/gtna build --study $(STUDY) --out $(PROCESSED)

reports: build
	$(BIN)/gtna report --all --study $(STUDY) --processed $(PROCESSED) --out $(REPORTS) --jobs $(JOBS)
	@echo "open $(REPORTS)/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check gtna_analysis tests benchmarks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The explore workbench without code cells, for colleagues without Python. The notebook reads the study from
# GTNA_STUDY / GTNA_PROCESSED (and the coder name from GTNA_CODER); decisions and memos go into the study folder.
APP_IP   ?= 127.0.0.1
APP_PORT ?= 8866
app: $(STAMP)
	GTNA_STUDY=$(abspath $(STUDY)) GTNA_PROCESSED=$(abspath $(PROCESSED)) GTNA_CODER=$(CODER) \
	  $(BIN)/voila notebooks/explore.ipynb --Voila.ip=$(APP_IP) --port=$(APP_PORT) --theme=light

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# regenerate the .ipynb files from their jupytext py:percent twins (outputs are never committed)
notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

clean:
	rm -rf $(PROCESSED)/*.parquet $(PROCESSED)/*.csv $(PROCESSED)/manifest.json $(PROCESSED)/.cache .pytest_cache
	find $(REPORTS) -mindepth 1 ! -name .gitkeep ! -name "example-*.png" -exec rm -rf {} +
	touch $(REPORTS)/.gitkeep
