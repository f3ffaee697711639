"""Regression cases: each ``cases/NAME.txt`` (or ``NAME.pdf``, ``NAME.docx``) imports to exactly ``cases/NAME.md``.

The PDF and Word cases are files as a contributor has them: ``tests/binary_sources.py`` says how
they were made.

To rewrite the expected pages on purpose (after a deliberate change of the importer), run
``MISSIEKAART_UPDATE_CASES=1 .venv/bin/python -m pytest tests/importer/test_cases.py`` and
review the diff before committing it.
"""

import os
from pathlib import Path

import pytest

from missiekaart.importer import import_text
from missiekaart.importer.sourcefile import read_source

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("MISSIEKAART_UPDATE_CASES") == "1"


SOURCES = sorted([*CASES.glob("*.txt"), *CASES.glob("*.html"), *CASES.glob("*.pdf"), *CASES.glob("*.docx")])


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_case_imports_to_its_expected_page(source):
    page, _ = import_text(read_source(source), "Testorganisatie", f"cases/{source.name}")
    expected = source.with_suffix(".md")
    if UPDATE:
        expected.write_text(page, encoding="utf-8")
    assert expected.exists(), f"no expected page; run with MISSIEKAART_UPDATE_CASES=1 to write {expected.name}"
    assert page == expected.read_text(encoding="utf-8")


def test_there_are_enough_cases_of_every_kind():
    stems = [path.stem for path in SOURCES]
    assert len(stems) >= 50  # issue 23
    for kind in ("pdf-", "web-", "word-", "md-", "html-"):
        assert sum(stem.startswith(kind) for stem in stems) >= 3, kind
    assert len(list(CASES.glob("*.pdf"))) >= 2 and len(list(CASES.glob("*.docx"))) >= 2
    assert len(list(CASES.glob("*.html"))) >= 3
