# gtna-workbench — everything a newcomer needs is `make reports` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STUDY     ?= data/raw
PROCESSED ?= data/processed
REPORTS   ?= reports
JOBS      ?= 2

.PHONY: help venv lock build reports test lint lab app bench notebooks clean

help:
	@echo "make reports   set up .venv, build the sample study, render every report into $(REPORTS)/"
	@echo "make test      set up .venv if needed and run the whole test suite"
	@echo "make lab       open JupyterLab on notebooks/ with the project kernel"
	@echo "make app       serve the explore workbench as a web page (Voila; APP_IP=0.0.0.0 to share on the LAN)"
	@echo "make bench     run the benchmarks (writes benchmarks/RESULTS.md)"
	@echo "make lint      ruff"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml (with uv, see requirements-uv.lock)"

# Installs the exact versions in requirements.lock (hash-checked) with uv: the uv on PATH, else uv installed into
# the venv first from requirements-uv.lock (hash-pinned) by the outer Python's pip; uv then installs in seconds
# where pip takes minutes. The venv is made without pip (ensurepip alone took over a minute on a loaded 2-core
# machine); only when uv cannot be had is pip added to the venv and used instead. The stamp depends on the lock
# files, so an unchanged lock is not installed again. `make lock` re-resolves the lock after a change to
# pyproject.toml's dependencies.
UV ?= $(shell command -v uv 2>/dev/null)
UV_RUN := $(if $(UV),$(UV),$(BIN)/python -m uv)
LOCK_FLAGS := --extra dev --universal --python-version 3.11.5 --generate-hashes --no-header

$(STAMP): pyproject.toml requirements.lock requirements-uv.lock
	$(PYTHON) -m venv --without-pip $(VENV)
ifeq ($(UV),)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --disable-pip-version-check --require-hashes \
		-r requirements-uv.lock || echo "note: uv did not install; installing with pip (slower)"
endif
	@if $(UV_RUN) --version >/dev/null 2>&1; then \
		echo "$(UV_RUN) pip install -r requirements.lock"; \
		$(UV_RUN) pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock && \
		$(UV_RUN) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e . ; \
	else \
		echo "$(BIN)/python -m pip install -r requirements.lock"; \
		$(BIN)/python -m ensurepip --default-pip >/dev/null && \
		$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock && \
		$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . ; \
	fi
	$(BIN)/python -m ipykernel install --sys-prefix --name gtna --display-name "Python (gtna)" >/dev/null
	touch $(STAMP)

lock:
	$(UV_RUN) pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock

venv: $(STAMP)

build: $(STAMP)
	$(BIN)/gtna build --study $(STUDY) --out $(PROCESSED)

# One command: the build runs while the report workers start (their kernels' imports take as long as the build)
reports: $(STAMP)
	$(BIN)/gtna report --all --build --study $(STUDY) --processed $(PROCESSED) --out $(REPORTS) --jobs $(JOBS)
	@echo "open $(REPORTS)/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check gtna_analysis tests benchmarks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The explore workbench without code cells, for colleagues without Python. The notebook reads the study from
# GTNA_STUDY / GTNA_PROCESSED (and the coder name from GTNA_CODER); decisions and memos go into the study folder.
# APP_FLAGS: the project's Voilà template (notebooks/jupyter/voila/templates/gtna: no CDN request, no Markdown
# cells) and no jupytext Lab extension (it does not load in Voilà's page); tests/explore/test_browser.py uses them.
APP_IP    ?= 127.0.0.1
APP_PORT  ?= 8866
APP_FLAGS := --theme=light --template=gtna "--VoilaConfiguration.extension_denylist=['jupyterlab-jupytext']"
app: $(STAMP)
	GTNA_STUDY=$(abspath $(STUDY)) GTNA_PROCESSED=$(abspath $(PROCESSED)) GTNA_CODER=$(CODER) \
	  JUPYTER_PATH=$(abspath notebooks/jupyter)$(if $(JUPYTER_PATH),:$(JUPYTER_PATH)) \
	  $(BIN)/voila notebooks/explore.ipynb --Voila.ip=$(APP_IP) --port=$(APP_PORT) $(APP_FLAGS)

# the bench extra (Hyperscan, the multi-pattern anchor) is optional: where it cannot install, the coding
# benchmark says so and skips that comparison.
bench: $(STAMP)
	$(UV_RUN) pip install --quiet --python $(BIN)/python \
		$$($(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bench"])') \
		|| echo "note: the bench extra (hyperscan) did not install; the Hyperscan comparison will be skipped"
	$(BIN)/python -m benchmarks.run

# regenerate the .ipynb files from their jupytext py:percent twins (outputs are never committed)
notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

clean:
	rm -rf $(PROCESSED)/CURRENT $(PROCESSED)/gen-* $(PROCESSED)/.gen-* $(PROCESSED)/*.parquet $(PROCESSED)/*.csv $(PROCESSED)/manifest.json $(PROCESSED)/.cache .pytest_cache
	find $(REPORTS) -mindepth 1 ! -name .gitkeep ! -name "example-*.png" -exec rm -rf {} +
	touch $(REPORTS)/.gitkeep

# Not part of `make test`. `golden` rewrites tests/golden/ from a fresh sample build (review `git diff tests/golden/`
# and commit it on purpose); `mutation` runs mutmut module by module, time-boxed (see benchmarks/MUTATION.md).
MUTATION_MODULES ?=
MUTATION_TIME_BOX ?= 1200
.PHONY: golden mutation
golden: $(STAMP)
	$(BIN)/python -m tests.golden update

mutation: $(STAMP)
	$(BIN)/python -m benchmarks.mutation $(MUTATION_MODULES) --time-box $(MUTATION_TIME_BOX)
