# Missiekaart. "make html" sets up .venv from the pinned constraints and builds the site;
# "make test" runs the test suite. Set SPHINXOPTS and BUILDDIR on the command line, e.g.
#   make html SPHINXOPTS="-j 2" BUILDDIR=/tmp/out

PYTHON      ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV        ?= .venv
SPHINXOPTS  ?=
BUILDDIR    ?= _build
SOURCEDIR    = docs
SPHINXBUILD  = $(VENV)/bin/sphinx-build
STRICT       = -W --keep-going -n
STAMP        = $(VENV)/.installed

.PHONY: help test clean venv Makefile

help: $(STAMP)
	@$(SPHINXBUILD) -M help "$(SOURCEDIR)" "$(BUILDDIR)" -c . $(SPHINXOPTS)
	@echo "Missiekaart targets: html, test, clean"

# The virtual environment is made once and remade only when the pins change.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Missiekaart needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=constraints.txt $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $@

venv: $(STAMP)

# Files, not builders: without this the catch-all rule below would try to "build" them.
pyproject.toml constraints.txt: ;

test: $(STAMP)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf "$(BUILDDIR)"

# Every other target is a Sphinx builder, run strictly: a warning fails the build.
%: $(STAMP)
	$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" -c . $(STRICT) $(SPHINXOPTS)
