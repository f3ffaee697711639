"""The real site: strict build, committed pages keep every source word, navigation by glob."""

import os
import shutil
import subprocess

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, SEED_NAMES, write_project
from missiekaart.checksource import check_source
from missiekaart.sourcefile import read_source

ORGANISATIONS = ROOT / "docs" / "organisations"


def front_matter(page) -> dict:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """``make html`` exactly as a contributor runs it, into a temporary BUILDDIR."""
    builddir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        ["make", "--no-print-directory", "html", f"BUILDDIR={builddir}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    return result, builddir / "html"


def test_make_html_is_strict_and_warning_free(built_site):
    result, _ = built_site
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "build succeeded" in result.stdout
    assert "sphinx-build -M html" in result.stdout and "-W --keep-going -n" in result.stdout


def test_every_organisation_page_is_an_import_of_a_source_text():
    pages = sorted(ORGANISATIONS.glob("*.md"))
    assert [page.stem for page in pages] == sorted(SEED_NAMES)
    for page in pages:
        assert front_matter(page)["mk-source"] == f"source_texts/{page.stem}.txt"


@pytest.mark.parametrize("slug", sorted(SEED_NAMES))
def test_committed_page_keeps_every_word_of_its_source(built_site, slug):
    _, html = built_site
    source = read_source(ROOT / front_matter(ORGANISATIONS / f"{slug}.md")["mk-source"])
    report = check_source(source, html / "organisations" / f"{slug}.html")
    assert report.problems == []
    soup = BeautifulSoup((html / "organisations" / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find(attrs={"role": "main"}).find("h1").get_text(strip=True).rstrip("¶") == SEED_NAMES[slug]


def test_landing_page_is_dutch_and_lists_the_organisations(built_site):
    _, html = built_site
    soup = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "nl"
    main = soup.find(attrs={"role": "main"})
    assert "missie- en visieteksten van sociale organisaties" in main.get_text(" ")
    linked = {a.get_text(strip=True) for a in main.select(".toctree-wrapper a")}
    assert set(SEED_NAMES.values()) <= linked


def test_a_page_dropped_into_organisations_appears_in_the_navigation(tmp_path, make_app):
    srcdir = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", srcdir)
    write_project(srcdir)
    (srcdir / "organisations" / "de-nieuwe.md").write_text("# De Nieuwe Organisatie\n\nTekst.\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "De Nieuwe Organisatie" in {a.get_text(strip=True) for a in soup.select(".sidebar-tree a")}


def test_rerunning_make_does_not_reinstall():
    result = subprocess.run(["make", "--question", ".venv/.installed"], cwd=ROOT, check=False,
                            env={**os.environ, "MAKEFLAGS": ""})
    assert result.returncode == 0
