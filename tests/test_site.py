"""The real site: strict build, committed pages keep every source word, navigation by glob."""

import os
import re
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
    # Sphinx's own Dutch catalog leaves the permalink titles in English; ours fills them in.
    for page in html.rglob("*.html"):
        assert "Link to this" not in page.read_text(encoding="utf-8"), page
    assert 'title="Link naar deze titel"' in (html / "organisations" / "twerk.html").read_text(encoding="utf-8")
    # Sphinx 9.0 leaves aria-level off toctree captions (sphinx-doc/sphinx#14030); ours adds it.
    captions = soup.select('.caption[role="heading"]')
    assert len(captions) >= 6 and all(caption.get("aria-level") == "2" for caption in captions)


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


# ---------------------------------------------------------------- content (issue 4)

CONCEPTS = ROOT / "docs" / "concepts"


def normalise(text: str) -> str:
    return " ".join(text.replace("*", "").split())


@pytest.fixture(scope="module")
def export(built_site) -> dict:
    import json
    _, html = built_site
    return json.loads((html / "missiekaart.json").read_text(encoding="utf-8"))


def test_every_concept_is_shared_and_every_organisation_uses_five(export):
    assert len(export["concepts"]) >= 15
    for concept in export["concepts"]:
        assert len(concept["organisations"]) >= 2, concept["id"]
    assert sorted(org["id"] for org in export["organisations"]) == sorted(f"organisations/{s}" for s in SEED_NAMES)
    for organisation in export["organisations"]:
        assert len(organisation["concepts"]) >= 5, organisation["id"]
        assert organisation["mission"]["text"] and organisation["value_cards"], organisation["id"]
        assert organisation["name"] == SEED_NAMES[organisation["id"].rpartition("/")[2]]


def test_cards_quote_the_organisations_own_words(export):
    for organisation in export["organisations"]:
        source_text = read_source(ROOT / "source_texts" / f"{organisation['id'].rpartition('/')[2]}.txt")
        source = normalise(" ".join(line for _number, line in source_text.lines))
        for card in [organisation["mission"], *organisation["value_cards"]]:
            for paragraph in card["text"].split("\n\n"):
                assert normalise(paragraph) in source, (organisation["id"], card["title"], paragraph)


@pytest.mark.parametrize("page", sorted(p.stem for p in CONCEPTS.glob("*.md") if p.stem != "index"))
def test_every_concept_page_lists_at_least_two_organisations(built_site, page):
    _, html = built_site
    soup = BeautifulSoup((html / "concepts" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    shared = soup.select("ul.mk-backlinks > li")
    assert len(shared) >= 2
    definition = soup.select_one(".mk-concept > p").get_text(" ")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(definition.split())) if s]
    assert 3 <= len(sentences) <= 6, sentences
    # The definition says which organisations use the concept.
    named = [name for name in SEED_NAMES.values() if name in definition]
    assert len(named) >= 2, definition


def test_landing_and_comparison_pages_show_the_overviews(built_site, export):
    _, html = built_site
    landing = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    cards = landing.select(".mk-organisation-cards .mk-mission-card")
    assert sorted(card.select_one(".mk-card-title a").get_text() for card in cards) == sorted(SEED_NAMES.values())
    assert len(landing.select("ul.mk-concept-index > li")) == 5
    comparison = BeautifulSoup((html / "vergelijking.html").read_text(encoding="utf-8"), "html.parser")
    rows = comparison.select("table.mk-concept-matrix tbody tr")
    assert len(rows) == len(export["concepts"])
    assert len(comparison.select("svg.mk-concept-map a.mk-map-organisation")) == 5
    assert len(comparison.select("svg.mk-concept-map a.mk-map-concept")) == len(export["concepts"])
    assert len(comparison.select("ul.mk-concept-index > li")) == len(export["concepts"])


# ---------------------------------------------------------------- build correctness on the real site

def html_pages(outdir) -> dict[str, str]:
    from pathlib import Path
    pages = {str(p.relative_to(outdir)): p.read_text(encoding="utf-8") for p in Path(outdir).rglob("*.html")}
    pages["missiekaart.json"] = (Path(outdir) / "missiekaart.json").read_text(encoding="utf-8")
    return pages


def test_parallel_and_incremental_builds_match_a_clean_serial_build(tmp_path, make_app):
    """-j 2 from scratch, and an incremental rebuild after an edit, give the serial build's pages."""
    srcdir = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", srcdir)
    write_project(srcdir)
    incremental = make_app("html", srcdir=srcdir, builddir=tmp_path / "incremental", parallel=2)
    incremental.build()
    assert incremental.warning.getvalue() == ""
    incremental.cleanup()
    # A contributor removes one organisation's value cards and links a new phrase in its text.
    page = srcdir / "organisations" / "twerk.md"
    text = page.read_text(encoding="utf-8")
    start = text.index("```{value-card}")
    end = text.index("```\n", text.rindex("```{value-card}")) + 4
    text = text[:start] + text[end:]
    assert "{concept}" in text
    assert "integratie van de mensen" in text
    page.write_text(text.replace("integratie van de mensen", "{concept}`integratie <participatie>` van de mensen", 1),
                    encoding="utf-8")
    incremental = make_app("html", srcdir=srcdir, builddir=tmp_path / "incremental", parallel=2)
    incremental.build()
    incremental.cleanup()
    serial = make_app("html", srcdir=srcdir, builddir=tmp_path / "serial", freshenv=True)
    serial.build()
    expected, got = html_pages(serial.outdir), html_pages(incremental.outdir)
    assert sorted(expected) == sorted(got)
    for name in expected:
        assert expected[name] == got[name], name
    assert "value-Kenniscentrum-autisme" not in got["concepts/kennisdeling.html"]
    assert "twerk.html#mk-ref-" in got["concepts/participatie.html"]
