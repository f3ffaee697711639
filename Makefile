# Missiekaart. "make html" sets up .venv from the pinned constraints and builds the site;
# "make pdf" builds $(BUILDDIR)/latex/missiekaart.pdf (needs TeX Live); "make test" runs the
# test suite. Set SPHINXOPTS and BUILDDIR on the command line, e.g.
#   make html SPHINXOPTS="-j 2" BUILDDIR=/tmp/out

PYTHON      ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV        ?= .venv
SPHINXOPTS  ?=
BUILDDIR    ?= _build
SOURCEDIR   ?= docs
CONFDIR     ?= .
SPHINXBUILD  = $(VENV)/bin/sphinx-build
STRICT       = -W --keep-going -n
STAMP        = $(VENV)/.installed

# The Debian packages "make pdf" needs (also in README.md and .ci/run), and one file each of them
# provides, to say exactly what is missing before LaTeX fails halfway with a traceback.
TEXLIVE_PACKAGES = latexmk texlive-latex-recommended texlive-fonts-recommended texlive-latex-extra tex-gyre texlive-lang-european
TEXLIVE_FILES    = cmap.sty t1txtt.fd fncychap.sty tgtermes.sty dutch.ldf
# pdflatex without questions: stop at the first error instead of waiting for input.
PDF_LATEXOPTS   ?= -interaction=nonstopmode -halt-on-error -file-line-error

# "make live": serve the site on 127.0.0.1, rebuild on save and reload the browser.
LIVEHOST    ?= 127.0.0.1
LIVEPORT    ?= 8000

.PHONY: help test clean venv html pdf lint live check-texlive Makefile

help: $(STAMP)
	@$(SPHINXBUILD) -M help "$(SOURCEDIR)" "$(BUILDDIR)" -c "$(CONFDIR)" $(SPHINXOPTS)
	@echo "Missiekaart targets: html, pdf, lint, live, test, clean"

# The virtual environment is made once and remade only when the pins change.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Missiekaart needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=constraints.txt $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,live,lint]"
	@# An editable install leaves the extension uncompiled: compile it once, for a machine that sets
	@# PYTHONDONTWRITEBYTECODE (every build would compile it again, 0.2 s).
	$(VENV)/bin/python -m compileall -q ext
	@touch $@

venv: $(STAMP)

# Files, not builders: without this the catch-all rule below would try to "build" them.
pyproject.toml constraints.txt: ;

# The suite runs on every core (pytest-xdist), one test file per worker at a time, so a file's
# module fixtures (a built site, a browser) are made once. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: $(STAMP)
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)

# The site, strictly, with a one-line summary instead of Sphinx's progress lines (-q): every warning
# still shows in full, "file:line: WARNING: ...", on stderr, and is also written to
# $(BUILDDIR)/html-warnings.log to be counted. The exit status is sphinx-build's.
html: $(STAMP)
	$(SPHINXBUILD) -M html "$(SOURCEDIR)" "$(BUILDDIR)" -c "$(CONFDIR)" $(STRICT) -q -w "$(BUILDDIR)/html-warnings.log" $(SPHINXOPTS); \
	$(VENV)/bin/python -m missiekaart.buildsummary html "$(BUILDDIR)/html" "$(BUILDDIR)/html-warnings.log" $$?

# The PDF: the latex builder (strict and quiet, like "make html"), then latexmk with pdflatex in
# the output folder. TeX Live is checked first, so a machine without it gets the list of packages,
# not a LaTeX traceback. LaTeX's thousands of lines go to $(BUILDDIR)/latex/latexmk.out; a failed
# run prints its first error with file and line instead.
pdf: check-texlive $(STAMP)
	$(SPHINXBUILD) -M latex "$(SOURCEDIR)" "$(BUILDDIR)" -c "$(CONFDIR)" $(STRICT) -q $(SPHINXOPTS)
	@echo "latexmk (pdflatex) in $(BUILDDIR)/latex; its output: $(BUILDDIR)/latex/latexmk.out"
	@$(MAKE) --no-print-directory -C "$(BUILDDIR)/latex" all-pdf LATEXOPTS="$(PDF_LATEXOPTS)" \
	  > "$(BUILDDIR)/latex/latexmk.out" 2>&1 </dev/null; \
	$(VENV)/bin/python -m missiekaart.buildsummary latex "$(BUILDDIR)/latex" "$(BUILDDIR)/latex/latexmk.out" $$?

# Lint and types: the configuration is in pyproject.toml, the versions pinned in the "lint" extra.
# All three checks run, then it fails if any did.
lint: $(STAMP)
	@status=0; \
	echo "ruff check ext tests conf.py"; $(VENV)/bin/ruff check ext tests conf.py || status=1; \
	echo "ruff format --check ext tests conf.py"; $(VENV)/bin/ruff format --check ext tests conf.py || status=1; \
	echo "mypy ext/missiekaart"; $(VENV)/bin/mypy ext/missiekaart || status=1; \
	exit $$status

# Live preview while editing: sphinx-autobuild rebuilds what changed (docs/, conf.py, the extension,
# the source texts) and reloads the open page. Not strict, so a warning shows without stopping it.
# Quiet like "make html": after each rebuild, every outstanding warning of the project in full, then
# one line that counts them.
live: $(STAMP)
	@mkdir -p "$(BUILDDIR)"
	$(VENV)/bin/sphinx-autobuild "$(SOURCEDIR)" "$(BUILDDIR)/live" -c "$(CONFDIR)" --keep-going -q \
	  -w "$(BUILDDIR)/live-warnings.log" \
	  --post-build "$(VENV)/bin/python -m missiekaart.buildsummary live $(BUILDDIR)/live $(BUILDDIR)/live-warnings.log" \
	  --host $(LIVEHOST) --port $(LIVEPORT) --watch conf.py --watch ext/missiekaart --watch source_texts \
	  --ignore "*.mo" --ignore "$(abspath $(BUILDDIR))/*" $(SPHINXOPTS)

check-texlive:
	@missing=""; \
	for tool in latexmk pdflatex kpsewhich; do \
	  command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; \
	done; \
	if [ -z "$$missing" ]; then \
	  for file in $(TEXLIVE_FILES); do \
	    [ -n "$$(kpsewhich $$file)" ] || missing="$$missing $$file"; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "make pdf needs TeX Live, which is missing or incomplete here (not found:$$missing)." >&2; \
	  echo "Install it (Debian/Ubuntu) with:" >&2; \
	  echo "  sudo apt-get install --no-install-recommends $(TEXLIVE_PACKAGES)" >&2; \
	  exit 1; \
	fi

clean:
	rm -rf "$(BUILDDIR)"

# Every other target is a Sphinx builder, run strictly: a warning fails the build.
%: $(STAMP)
	$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" -c "$(CONFDIR)" $(STRICT) $(SPHINXOPTS)
