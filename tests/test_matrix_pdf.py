"""The comparison matrix in the PDF fits the page at any number of organisations.

For 6, 8, 12 and 30 generated organisations (tests/short_corpus.py: the project's own pages and
concepts, drawn names), the comparison chapter alone is written as LaTeX (``latex_documents``
narrowed to ``vergelijking``) and set once by pdflatex: a few seconds each, where the whole book of
30 organisations takes minutes. The organisations' chapters are not in that document, so the
headers print no page numbers; the real book's matrix, with page numbers, is checked by
tests/test_pdf.py. Each rule is read from pdflatex's log and from the PDF's text.
"""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest
from short_corpus import write_short_corpus
from test_pdf import require_tools

from conftest import ROOT

CHAPTER_ONLY = """
# The comparison chapter alone (tests/test_matrix_pdf.py).
latex_documents = [("vergelijking", "matrix.tex", "Vergelijking", author, "manual")]
missiekaart_latex_omit = []
"""


def build_matrix_pdf(root: Path, organisations: int) -> tuple[str, str, list[str]]:
    """(the .tex, pdflatex's log, the text of each page) of the comparison chapter."""
    require_tools()
    write_short_corpus(root, organisations)
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CHAPTER_ONLY)
    out = root / "_build"
    build = subprocess.run(
        [
            ROOT / ".venv/bin/sphinx-build",
            "-q",
            "-b",
            "latex",
            "-W",
            "--keep-going",
            "-n",
            "-c",
            root,
            root / "docs",
            out,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    latex = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "matrix.tex"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    log = (out / "matrix.log").read_text(encoding="utf-8", errors="replace")
    assert latex.returncode == 0, log[-3000:]
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", out / "matrix.pdf", "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]
    return (out / "matrix.tex").read_text(encoding="utf-8"), log, pages


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("organisations", [6, 8, 12, 30])
def test_the_matrix_fits_the_page_unhyphenated_at_any_number_of_organisations(tmp_path, organisations):
    tex, log, pages = build_matrix_pdf(tmp_path, organisations)
    # No line, row or header sticks out of the text width, anywhere in the chapter.
    assert re.findall(r"^Overfull \\[hv]box.*$", log, re.MULTILINE) == []
    tables = re.findall(r"\\begin\{missiekaartmatrix\}\{(\d+)\}", tex)
    columns = [int(count) for count in tables]
    assert sum(columns) == organisations and max(columns) - min(columns) <= 1  # groups of equal size
    assert len(columns) == math.ceil(organisations / 16)
    # Every name is printed whole: an organisation's on one turned line, a concept's broken
    # between words only (a hyphenated word would read "Opvoedings- ondersteuning").
    header = re.search(r"\\missiekaartmatrixconcepthead\{([^}]*)\}", tex)[1]
    matrix_pages = [page for page in pages if header in page.splitlines()]
    assert matrix_pages
    text = words(" ".join(matrix_pages))
    names = [
        re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.M)[1]
        for page in (tmp_path / "docs" / "organisations").glob("*.md")
    ]
    concepts = re.findall(r"\\missiekaartmatrixconcept\{(.*?)\} &", tex)
    assert len(names) == organisations and concepts
    for name in [*names, *concepts]:
        assert words(name) in text, f"{name!r} is not printed whole in the matrix"
    assert not re.search(r"[^\W\d_]-\n[^\W\d_]", "\n".join(matrix_pages)), "a word of the matrix is hyphenated"
    # Compact: a concept's row is a line or two, so a page holds many rows. At most one page
    # more than ten rows a page would need, for each group of columns.
    assert len(matrix_pages) <= len(columns) * math.ceil(len(concepts) / 10) + 1
