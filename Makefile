# TITP data: `make help` lists every target.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory

# The project's own modules are compiled once and the bytecode kept (in __pycache__, ignored by
# git), whatever the shell says: every run imports them, in several processes at once.
unexport PYTHONDONTWRITEBYTECODE

PY := .venv/bin/python
# ARTICLE, OUT, FROM and CHECK reach the commands through the environment exactly as written:
# make does not expand them ($) and no shell splits or runs them (a space, a quote, a ;).
# analysis.cli reads them (--from-make).
export TITP_ARTICLE := $(value ARTICLE)
export TITP_OUT := $(value OUT)
export TITP_FROM := $(value FROM)
export TITP_CHECK := $(value CHECK)
# Every command starts with Ctrl-C and SIGTERM held (GNU env), until its signal policy is in
# place (analysis.cli): one that comes while Python itself starts is then raised where the
# command says so in one line, not as a traceback from inside Python's start-up.
HOLD := $(shell env --block-signal=INT,TERM true 2>/dev/null && echo env --block-signal=INT,TERM)
RUN := $(HOLD) $(PY) -m

# --- The environment: .venv, made by uv from uv.lock ----------------------------------------------
# uv from the PATH, or installed into .tools/ with pip the first time (the one way that works on a
# machine with neither). It is a prerequisite only while it is missing, so make -B never reinstalls it.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/uv/bin/uv)
NEED_UV := $(if $(wildcard $(UV)),,$(UV))
.tools/uv/bin/uv:
	@echo "setting up: installing uv into .tools/ with pip (once; after that nothing is downloaded)"
	@mkdir -p .tools && python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
		--target .tools/uv uv > .tools/pip.log 2>&1 || { tail -n 1 .tools/pip.log >&2; echo "make: uv is not on the PATH, and installing it into .tools/ with pip needs the network, once: connect \
		and run the command again, or put uv on the PATH" >&2; exit 1; }

# uv sync from the lock with a system Python (never a download), every package's bytecode compiled
# (PYTHONDONTWRITEBYTECODE is set on some machines, and pandas then imports several times slower),
# adding groups and never removing any; uv's cache makes every later set-up offline.
SYNC := env -u VIRTUAL_ENV UV_PROJECT_ENVIRONMENT=.venv UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system \
	UV_COMPILE_BYTECODE=1 $(UV) sync --frozen --inexact --quiet
# The project's code is put on the path by a path relative to site-packages, and the kernel names
# 'python' (the interpreter that starts it): a checkout copied with its .venv runs its own code.
# JupyterLab asks for no news and no updates; git stores notebooks through nbstripout (below).
define after_sync
	@for d in .venv/lib/python3*/site-packages; do echo ../../../../src > $$d/_titp_src.pth; done
	@mkdir -p .venv/share/jupyter/kernels/titp .venv/share/jupyter/lab/settings
	@echo '{"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python (TITP)", "language": "python"}' \
		> .venv/share/jupyter/kernels/titp/kernel.json
	@echo '{"@jupyterlab/apputils-extension:notification": {"checkForUpdates": false, "fetchNews": "false"}}' \
		> .venv/share/jupyter/lab/settings/overrides.json
	@if [ -e .git ]; then git config filter.nbstripout.clean "$(NOTEBOOK_FILTER)" && \
		git config filter.nbstripout.smudge cat && git config filter.nbstripout.extrakeys "$(NOTEBOOK_EXTRA_KEYS)"; fi
endef
# nbstripout as git's clean filter for notebooks/ (.gitattributes): outputs, counts and cell ids
# stay (the notebooks are committed executed, and nbval compares them); run metadata goes. The same
# settings as analysis.notebooks.STRIP, which cleans what make figures runs (a test holds them
# together). Without .venv (after make clean) the filter says how to restore it and stores the
# notebook as it is, which git does anyway when a filter fails (after two lines of errors).
NOTEBOOK_EXTRA_KEYS := metadata.papermill cell.metadata.papermill cell.metadata.jupyter cell.metadata.trusted
NOTEBOOK_FILTER := if [ -x .venv/bin/python ]; then exec .venv/bin/python -m nbstripout --keep-output --keep-count \
	--keep-id; fi; echo 'notebooks/: the git filter that cleans notebooks needs .venv, which is missing (make clean \
	removes it); run make setup to restore it. Until then a notebook is stored as it is.' >&2; exec cat

# One stamp per group (default, site, dev), newer than pyproject.toml and uv.lock once that group
# is synced (dev includes site: pyproject.toml). make -B would remake it too: it is a prerequisite
# only while it is missing or older than them, so a forced rebuild neither syncs nor needs uv.
.venv/ready-%: pyproject.toml uv.lock $(NEED_UV)
	@echo "setting up .venv from uv.lock ($*)"
	@$(SYNC) $(if $(filter-out default,$*),--group $*)
	$(after_sync)
	@touch $@ $(if $(filter dev,$*),.venv/ready-site)
venv = $(shell [ .venv/ready-$(1) -nt pyproject.toml ] && [ .venv/ready-$(1) -nt uv.lock ] || echo .venv/ready-$(1))

# Kernels and Jupyter tools (papermill, nbval, JupyterLab) read the project's Jupyter
# configuration (.jupyter/: kernels over Unix sockets) and keep their state under .build/, never
# in HOME or /tmp. The same as analysis.paths.TOOL_DIRS (a test holds them together).
export JUPYTER_CONFIG_DIR := $(CURDIR)/.jupyter
export JUPYTER_DATA_DIR := $(CURDIR)/.build/jupyter/data
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.build/jupyter/runtime
export JUPYTERLAB_SETTINGS_DIR := $(CURDIR)/.build/jupyter/lab/user-settings
export JUPYTERLAB_WORKSPACES_DIR := $(CURDIR)/.build/jupyter/lab/workspaces
export IPYTHONDIR := $(CURDIR)/.build/ipython
export MPLCONFIGDIR := $(CURDIR)/.build/matplotlib

# What the declarations say: the processed files, and each notebook's own inputs: the tables its
# chart declares (src/analysis/publish/charts/<name>.py, held to the notebook by a test), its chart
# module, and the modules every chart shares. Written by the system python3 from src/analysis/,
# since make reads it before the environment exists. It depends on the modules alone, so make -B
# rewrites it only when one is newer (the file is then unchanged, and make does not read itself again).
SRC := $(shell find src/analysis -name '*.py' 2>/dev/null | sort)
STATIC := $(shell find src/analysis/publish/site_static -type f 2>/dev/null | sort)
-include .build/make.mk
.build/make.mk: $(SRC) $(STATIC)
	@if [ ! -e $@ ] $(if $^,|| [ -n "$$(find $^ -newer $@ -print -quit)" ]); then \
		mkdir -p $(@D) && PYTHONPATH=src $(HOLD) python3 -m analysis.makefile > $@.tmp && mv $@.tmp $@; fi

# Raw files and their folders (a file added or removed changes its folder's time), hidden names
# left out; a name make would split (a space, a newline, any character but letters, digits, '.', '_'
# and '-') is left out too, so that make still runs and the build refuses the file by name.
RAW := $(shell LC_ALL=C find data/raw -name '.*' -prune -o -name '*[!A-Za-z0-9._-]*' -prune -o -print 2>/dev/null | LC_ALL=C sort)
WANTS := $(patsubst notebooks/%.ipynb,.build/%.want,$(NOTEBOOKS))

# Tracked outputs are written atomically by the build itself; make must never delete them when
# interrupted (it would, for a target whose time stamp changed).
.PRECIOUS: $(PROCESSED) README.md docs/method.md docs/editors.md site/index.html

.PHONY: help setup setup-site setup-dev data figures report test test-unit lint format lab bench \
	check-article update-official clean

help: ## List the targets
	@echo "TITP data: clean, cited, checked figures on Japan's Technical Intern Training Program"
	@echo
	@grep -hE '^[a-z-]+:.*## ' Makefile | sort | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(NEED_UV) ## Set up .venv from uv.lock again, every package reinstalled from uv's cache (what a broken .venv needs)
	@echo "setting up .venv from uv.lock, reinstalling every package"
	@$(SYNC) --reinstall $(patsubst .venv/ready-%,--group %,$(filter-out .venv/ready-default,$(wildcard .venv/ready-*)))
	$(after_sync)
	@touch .venv/ready-default $(wildcard .venv/ready-*)
setup-site: | $(call venv,site) ; @:
setup-dev: | $(call venv,dev) ; @:

data: .build/data.done ; @: ## Build and check data/processed/ and the generated sections of the README and docs/

# The build rewrites only the files whose bytes change, so a notebook re-runs only when a table
# it reads changed.
.build/data.done: $(RAW) $(DATA_SRC) uv.lock | $(call venv,default)
	@$(RUN) analysis.build
	@mkdir -p $(@D) && touch $@
$(PROCESSED) README.md docs/method.md docs/editors.md: .build/data.done ;

figures: .build/figures.done ; @: ## Run the notebooks whose inputs changed with papermill, all at once; write figures/

# A notebook's stamp is renewed when one of its own inputs changed; the driver then runs, at
# once, every notebook whose stamp is newer than its last run.
.build/%.want:
	@mkdir -p $(@D) && touch $@

.build/figures.done: $(WANTS) | $(call venv,default)
	@$(RUN) analysis.notebooks run --stale $(NOTEBOOKS)
	@touch $@
	@echo "make figures: the charts are in figures/ (PNG, SVG and the CSV of each); next, make report builds the site: site/index.html"

report: site/index.html ; @: ## Build the static site in site/ (open site/index.html)

# The site's source is docs/ (less what a build there generates); a swap of site/ that was cut
# short (.site.old/ or .site.new/ left beside it) makes the next run finish or roll it back.
site/index.html: .build/figures.done $(PROCESSED) $(SITE_SRC) \
		$(shell find docs -type f -not -path 'docs/_generated/*' -not -path 'docs/_build/*' \
			-not -name '[0-9][0-9]-*' -not -path '*/__pycache__/*' 2>/dev/null | sort) \
		$(if $(wildcard .site.old .site.new),setup-site) | $(call venv,site)
	@$(RUN) analysis.publish.site

test: lint | $(call venv,dev) ## Every test: unit, doctest, property, notebooks (nbval), browser, hardening
	@$(PY) -m pytest -n 2 --dist loadfile tests src/analysis notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg -q -rs

# The fast tier loads no installed plugin but hypothesis's, and leaves out pytest's own plugins
# that none of its tests needs: each costs start-up time.
UNIT_PLUGINS := -p _hypothesis_pytestplugin $(addprefix -p no:,unraisableexception threadexception legacypath \
	junitxml pastebin stepwise)

# The fast tier runs as two pytest processes at once, each over every other test file (the
# doctests with the second), each report printed whole. pytest-xdist would not serve: each of its
# workers imports and collects every test file, and two workers took as long as one process.
UNIT_HALF = $(shell ls tests/test_*.py | awk 'NR % 2 == $(1)') $(if $(filter 0,$(1)),src/analysis)

test-unit: | $(call venv,dev) ## The fast tier: unit tests and doctests, no kernel, build or browser
	@$(MAKE) -j2 --output-sync=target unit-half-1 unit-half-0
unit-half-%:
	@PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(PY) -m pytest -q -m "not slow" $(UNIT_PLUGINS) --hypothesis-profile fast \
		$(call UNIT_HALF,$*)

lint: | $(call venv,dev) ## ruff: lint and format check
	@$(PY) -m ruff check --quiet src tests conftest.py
	@$(PY) -m ruff format --check --quiet src tests conftest.py

format: | $(call venv,dev) ## ruff: fix what can be fixed, and format
	@$(PY) -m ruff check --fix --quiet src tests conftest.py || true
	@$(PY) -m ruff format --quiet src tests conftest.py

lab: | $(call venv,default) ## Open the notebooks in JupyterLab with the project's kernel (offline, no pop-ups)
	$(PY) -m jupyterlab --notebook-dir=notebooks --LabApp.extension_manager=readonly \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(if $(filter 0,$(shell id -u)),--allow-root)

bench: | $(call venv,dev) ## Time the build against the naive route and make test; fails when a target is missed
	@$(RUN) analysis.bench

check-article: | $(call venv,default) ## Re-check a revision: make check-article ARTICLE=path [OUT=result.csv]
	@$(RUN) analysis.revisions --from-make

update-official: | $(call venv,default) ## Take in a new release of official statistics: make update-official FROM=folder [CHECK=1]
	@$(RUN) analysis.update --from-make

clean: ## Remove the environment, build state and site (never data/raw/ or tracked outputs)
	rm -rf .venv .build .tools site
