# The two set-up commands are `make book` and `make test`; both create the virtual
# environment on first use. PYTHON may name another Python 3.11 interpreter.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD_FLAGS := -W -n --keep-going
# axe-core (npm), which the browser tests inject into the built pages.
NODE_STAMP := node_modules/.installed

.PHONY: book test pdf validate data-readme clean lock bench lint lab lighthouse

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## book: build the HTML edition into _build/html (strict: any warning fails), and the PDF edition
##       beside it where TeX is installed (the landing page links to the PDF only then)
book: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	@if $(BIN)/python -c "import sys; from hanoi_evidence.edition import missing_tex; sys.exit(bool(missing_tex()))"; \
	  then $(MAKE) --no-print-directory pdf; \
	  else echo "TeX is not installed: no PDF edition, and the HTML does not link to one"; fi

## test: run the test suite (it builds its own copy of the book)
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

## lint: ruff's lint and format checks on the package, tests and benchmarks; the lint rules on the
##       chapters' code cells (each chapter converted to a notebook by jupytext in _build/lint). The
##       chapters' layout is not reformatted: through jupytext, ruff format would rewrite the cells'
##       metadata and drop the semicolons that keep a figure from being shown twice.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	rm -rf _build/lint && mkdir -p _build/lint
	for page in $$(grep -l '^kernelspec:' chapters/*.md); do \
	  $(BIN)/jupytext --quiet --to ipynb -o _build/lint/$$(basename $$page .md).ipynb $$page || exit 1; done
	$(BIN)/ruff check --config pyproject.toml _build/lint/*.ipynb

## lab: JupyterLab on the project, from its environment, at http://127.0.0.1:8888 or the next free
##      port (the URL with its token is printed; no browser is opened). jupytext's contents manager
##      opens the chapters (chapters/*.md) as notebooks, and jupyterlab-myst renders their Markdown.
##      Ctrl-C stops it. (--allow-root: containers, such as CI's, often run as root.)
lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --allow-root --ServerApp.root_dir=. \
	  --ServerApp.contents_manager_class=jupytext.TextFileContentsManager

## validate: check the data in data/ and list every problem
validate: $(STAMP)
	$(BIN)/python -m hanoi_evidence validate

## data-readme: regenerate data/README.md (the data dictionary) from the schemas
data-readme: $(STAMP)
	$(BIN)/python -m hanoi_evidence dictionary > data/README.md

## pdf: the PDF edition into _build/latex/hanoi-convention-evidence.pdf, copied into _build/html
##      (xelatex via latexmk; strict: a Sphinx warning or an unresolved reference or missing glyph in
##      the LaTeX log fails it). It reuses the HTML build's execution cache in _build/.jupyter_cache.
##      Without TeX it names the Debian packages to install and builds nothing.
pdf: $(STAMP)
	$(BIN)/python -m hanoi_evidence.edition build-pdf .

## bench: time the builds and the evidence checks (benchmarks/README.md); builds in a temporary folder
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

## lighthouse: Lighthouse (mobile, simulated throttling) on every page of _build/html, served
##             gzip-compressed (benchmarks/lighthouse.sh; the table is in benchmarks/README.md)
lighthouse: $(NODE_STAMP)
	bash benchmarks/lighthouse.sh _build/html

## clean: remove the build and the execution cache (the virtual environment stays)
clean:
	rm -rf _build .jupyter_cache

## lock: re-resolve requirements.txt from the direct dependencies
lock:
	rm -rf /tmp/hanoi-lock && $(PYTHON) -m venv /tmp/hanoi-lock
	/tmp/hanoi-lock/bin/pip install --quiet -r requirements.in
	(echo "# Exact versions resolved and tested on Python 3.11 (a lock). Update with: make lock"; \
	 /tmp/hanoi-lock/bin/pip freeze) > requirements.txt
