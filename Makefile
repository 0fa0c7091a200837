# TITP data: `make help` lists every target.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory
# Notebooks are independent: run them in parallel unless the caller chose -j themselves. One job
# more than cores, because part of each notebook run waits on its kernel rather than computing.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
endif

export PYTHONDONTWRITEBYTECODE := 1
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_PROJECT_ENVIRONMENT := .venv
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# uv from the PATH, or installed from PyPI into .tools/ on first use.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/uv/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
KERNEL := titp

SRC := $(wildcard src/analysis/*.py)
RAW := $(shell find data/raw -type f -not -name '.*' 2>/dev/null)
PROCESSED := $(addprefix data/processed/,article_figures.csv intern_counts.csv nationality_shares.csv \
	industry_shares.csv stages.csv official_series.csv official_stock.csv official_stock_by_nationality.csv \
	official_vietnamese.csv official_industry.csv official_other.csv official_events.csv reconciliation.csv datapackage.json)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
RUNS := $(patsubst notebooks/%.ipynb,.build/%.done,$(NOTEBOOKS))

# Tracked outputs are written atomically by the build itself; make must never delete them when
# interrupted (it would, for a target whose time stamp changed).
.PRECIOUS: $(PROCESSED) README.md site/index.html

.PHONY: help setup data figures report test lab bench clean

help: ## List the targets
	@echo "TITP data: clean, cited, checked figures on Japan's Technical Intern Training Program"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

setup: $(READY) ## Create .venv from uv.lock and register the notebook kernel (done by every target)

.tools/uv/bin/uv:
	python3 -m pip install --quiet --disable-pip-version-check --target .tools/uv uv

# The stamp holds the inputs it was made from, so a forced rebuild (-B) of a current
# environment costs nothing.
$(READY): pyproject.toml uv.lock | $(UV)
	@if cmp -s <(cat pyproject.toml uv.lock) $@ && [ -x $(PY) ]; then touch $@; else \
		echo "setting up .venv from uv.lock"; \
		$(UV) sync --frozen --quiet --python python3 && \
		$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (TITP)" >/dev/null && \
		cat pyproject.toml uv.lock > $@; fi

data: $(PROCESSED) ## Build and validate data/processed/ from data/raw/

$(PROCESSED) &: $(RAW) $(SRC) $(READY)
	$(PY) -m analysis.build
	@touch $(PROCESSED)

figures: $(RUNS) ## Run every notebook (papermill) and regenerate figures/ (incremental; -B for all)

.build/%.done: notebooks/%.ipynb $(PROCESSED) $(SRC) | $(READY)
	$(PY) -m analysis.notebooks run $<
	@mkdir -p $(@D) && touch $@

report: site/index.html ## Build the static site in site/ (findings, figures, every notebook as a page)

site/index.html: $(RUNS) README.md $(SRC) | $(READY)
	$(PY) -m analysis.report

test: $(READY) ## Every test: unit, doctest, property, nbval, report in a browser, interruption, offline
	$(PY) -m pytest -n 2 --dist loadfile tests src/analysis notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg

# Offline: no extension manager (it queries PyPI), no news feed, no update check.
LAB_FLAGS := --notebook-dir=notebooks --LabApp.extension_manager=readonly --LabApp.news_url=None \
	--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(READY) ## Open the notebooks in JupyterLab with the project's kernel (offline)
	$(VENV)/bin/jupyter lab $(LAB_FLAGS)

bench: $(READY) ## Time make figures against naive papermill runs, and make test
	$(PY) -m analysis.bench

clean: ## Remove the environment and build stamps (never data/raw/ or tracked outputs)
	rm -rf .venv .build .tools site
