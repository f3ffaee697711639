"""The crowded project's maps in the PDF (tests/crowded.py): every label apart and readable.

A file of its own because it builds a PDF of its own (about 25 s): the suite runs one test file per
worker at a time (``--dist loadfile``), so beside tests/test_pdf.py, whose ``make pdf`` takes as long,
it runs on the other worker instead of after it.
"""

from __future__ import annotations

import subprocess
import sys

from crowded import CROWDED_ORGANISATIONS, write_crowded_project
from test_pdf import require_tools, word_problems


def test_a_crowded_projects_maps_keep_their_labels_apart_in_the_pdf(tmp_path):
    """Long, near-duplicate and hostile names (tests/crowded.py): every label apart and 6 pt or more;
    a map too large for a page gives way to a sentence that points to its list."""
    require_tools()
    write_crowded_project(tmp_path / "src")
    out = tmp_path / "latex"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "latex", "-q", str(tmp_path / "src"), str(out)],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    name = next(out.glob("*.tex")).stem
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    pdf = out / f"{name}.pdf"
    assert result.returncode == 0, (out / f"{name}.log").read_text(encoding="latin-1")[-3000:]
    assert word_problems(pdf) == []
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
    tex = (out / f"{name}.tex").read_text(encoding="utf-8")
    assert tex.count(r"\missiekaartmap{") == 1 + CROWDED_ORGANISATIONS
    # The global map of 48 long names is over 1.5 times the text width: it gives way; each
    # organisation's own map is drawn, its name in it.
    assert text.count("Deze kaart is te groot voor een bladzijde") == 1
    assert "TWERK" in text and "Zorg & <welzijn>" in text
