"""End to end: every regression case and every source text imports, builds warning-free with the
project's configuration, and keeps every reader word.

What the importer makes of each kind of text is tested without Sphinx by the cases in
``tests/importer/``; this builds their pages for real, together with whatever texts (of any format)
``source_texts/`` of the project under test holds (tests/project.py).
"""

from pathlib import Path

from missiekaart.importer import import_text, manifest
from missiekaart.importer.checksource import check_source
from missiekaart.importer.sourcefile import read_source

from conftest import add_source, write_project
from project import SOURCE_TEXTS

CASES = Path(__file__).parent / "importer" / "cases"


def test_every_case_and_source_text_builds_warning_free_and_keeps_every_word(tmp_path, make_app):
    cases = [*CASES.glob("*.txt"), *CASES.glob("*.html"), *CASES.glob("*.pdf"), *CASES.glob("*.docx")]
    sources = sorted(cases) + manifest.sources(SOURCE_TEXTS)
    assert len(sources) > 25
    srcdir = tmp_path / "project"
    write_project(srcdir, source_root=srcdir)
    docnames = {}
    for path in sources:
        docname = f"{path.parent.name}-{path.stem}"
        page, _ = import_text(read_source(path), None, add_source(srcdir, path, f"{docname}{path.suffix}"))
        (srcdir / f"{docname}.md").write_text(page, encoding="utf-8")
        docnames[path] = docname
    (srcdir / "index.md").write_text("# Alles\n\n```{toctree}\n:glob:\n\n*-*\n```\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    problems = {
        docname: check_source(read_source(path), app.outdir / f"{docname}.html").problems
        for path, docname in docnames.items()
    }
    assert {docname: found for docname, found in problems.items() if found} == {}
    footnotes = (app.outdir / "cases-pdf-footnotes-at-page-bottoms.html").read_text(encoding="utf-8")
    assert footnotes.count('class="footnote-reference brackets"') == 3
