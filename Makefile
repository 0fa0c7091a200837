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
# analysis.run reads them (--from-make).
export TITP_ARTICLE := $(value ARTICLE)
export TITP_OUT := $(value OUT)
export TITP_FROM := $(value FROM)
export TITP_CHECK := $(value CHECK)
# Every command goes through analysis.run, which repairs a broken environment once. It starts
# with Ctrl-C and SIGTERM held (GNU env), until its signal policy is in place: one that comes
# while Python itself starts is then raised where the command says so in one line, not as a
# traceback from inside Python's start-up (analysis.files.release_signals).
HOLD := $(shell env --block-signal=INT,TERM true 2>/dev/null && echo env --block-signal=INT,TERM)
RUN := $(HOLD) $(PY) -m analysis.run
# The environment's set-up (standard library only, so it runs before .venv exists). The check
# that it is current is done here in the shell first, as starting Python costs more than make.
# The stamp holds this folder, the SHA-256 of pyproject.toml + uv.lock, and the groups installed.
define ensure
@if [ -x $(PY) ] && [ "$$(head -n 2 .venv/.ready 2>/dev/null)" = \
	"$$(printf '%s\n%s' "$(CURDIR)" "$$(cat pyproject.toml uv.lock | sha256sum | cut -d' ' -f1)")" ] \
	$(if $(1),&& sed -n 3p .venv/.ready | grep -qw $(1)); then :; \
	else PYTHONPATH=src python3 -m analysis.environment ensure $(if $(1),--group $(1)); fi
endef

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
# since make reads it before the environment exists.
SRC := $(shell find src/analysis -name '*.py' 2>/dev/null | sort)
STATIC := $(shell find src/analysis/publish/site_static -type f 2>/dev/null | sort)
-include .build/make.mk
.build/make.mk: $(SRC) $(STATIC)
	@mkdir -p $(@D) && PYTHONPATH=src $(HOLD) python3 -m analysis.makefile > $@.tmp && mv $@.tmp $@

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

setup: ## Set up .venv from uv.lock (every target does this first; a no-op when current)
	$(call ensure)
setup-site:
	$(call ensure,site)
setup-dev:
	$(call ensure,dev)

data: .build/data.done ## Build and check data/processed/ and the generated sections of the README and docs/

# The build rewrites only the files whose bytes change, so a notebook re-runs only when a table
# it reads changed.
.build/data.done: $(RAW) $(DATA_SRC) uv.lock | setup
	@$(RUN) build
	@mkdir -p $(@D) && touch $@
$(PROCESSED) README.md docs/method.md docs/editors.md: .build/data.done ;

figures: .build/figures.done ## Run the notebooks whose inputs changed with papermill, all at once; write figures/

# A notebook's stamp is renewed when one of its own inputs changed; the driver then runs, at
# once, every notebook whose stamp is newer than its last run.
.build/%.want:
	@mkdir -p $(@D) && touch $@

.build/figures.done: $(WANTS) | setup
	@$(RUN) notebooks run --stale $(NOTEBOOKS)
	@touch $@
	@echo "make figures: the charts are in figures/ (PNG, SVG and the CSV of each); next, make report builds the site: site/index.html"

report: site/index.html ## Build the static site in site/ (open site/index.html)

# The site's source is docs/ (less what a build there generates); a swap of site/ that was cut
# short (.site.old/ or .site.new/ left beside it) makes the next run finish or roll it back.
site/index.html: .build/figures.done $(PROCESSED) $(SITE_SRC) \
		$(shell find docs -type f -not -path 'docs/_generated/*' -not -path 'docs/_build/*' \
			-not -name '[0-9][0-9]-*' -not -path '*/__pycache__/*' 2>/dev/null | sort) \
		$(if $(wildcard .site.old .site.new),setup-site) | setup-site
	@$(RUN) site

test: lint | setup-dev ## Every test: unit, doctest, property, notebooks (nbval), browser, hardening
	@$(PY) -m pytest -n 2 --dist loadfile tests src/analysis notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg -q -rs

# Plugins the fast tier does without (each costs start-up time and none of its tests needs them).
UNIT_PLUGINS_OFF := $(addprefix -p no:,nbval xdist typeguard anyio unraisableexception threadexception legacypath \
	junitxml pastebin stepwise)

test-unit: | setup-dev ## The fast tier: unit tests and doctests, no kernel, build or browser
	@$(PY) -m pytest -q -m "not slow" $(UNIT_PLUGINS_OFF) --hypothesis-profile fast tests src/analysis

lint: | setup-dev ## ruff: lint and format check
	@$(PY) -m ruff check --quiet src tests conftest.py
	@$(PY) -m ruff format --check --quiet src tests conftest.py

format: | setup-dev ## ruff: fix what can be fixed, and format
	@$(PY) -m ruff check --fix --quiet src tests conftest.py || true
	@$(PY) -m ruff format --quiet src tests conftest.py

lab: | setup ## Open the notebooks in JupyterLab with the project's kernel (offline, no pop-ups)
	$(PY) -m jupyterlab --notebook-dir=notebooks --LabApp.extension_manager=readonly \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(if $(filter 0,$(shell id -u)),--allow-root)

bench: | setup-dev ## Time the build against the naive route and make test; fails when a target is missed
	@$(RUN) bench

check-article: | setup ## Re-check a revision: make check-article ARTICLE=path [OUT=result.csv]
	@$(RUN) check-article --from-make

update-official: | setup ## Take in a new release of official statistics: make update-official FROM=folder [CHECK=1]
	@$(RUN) update-official --from-make

clean: ## Remove the environment, build state and site (never data/raw/ or tracked outputs)
	rm -rf .venv .build .tools site
