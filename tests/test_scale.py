"""At scale, generated content stays bounded: a generated project of 60 organisations (the
benchmark's generator, tests/corpus.py), built once, checked against the limits in conf.py.

The thresholds are the extension's defaults: 5 related organisations, concept pages grouped by
region past 30 organisations, the matrix as counts past 30 organisations.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from corpus import write_corpus

from conftest import write_project

ORGANISATIONS = 60


@pytest.fixture(scope="module")
def site(tmp_path_factory, make_app_module):
    corpus = write_corpus(tmp_path_factory.mktemp("scale") / "project", ORGANISATIONS, seed=3)
    srcdir = corpus.root / "docs"
    write_project(srcdir, corpus.root)
    app = make_app_module("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    return app


@pytest.fixture(scope="module")
def make_app_module(request):
    from sphinx.testing.util import SphinxTestApp

    apps = []

    def make(*args, **kwargs):
        app = SphinxTestApp(*args, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.cleanup()


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")


def test_every_organisation_page_links_at_most_k_related_organisations(site):
    export = json.loads((Path(site.outdir) / "missiekaart.json").read_text(encoding="utf-8"))
    own = {organisation["page"]: len(organisation["concepts"]) for organisation in export["organisations"]}
    assert len(own) == ORGANISATIONS
    k = 5
    for name, concepts in own.items():
        main = page(site, name).find(attrs={"role": "main"})
        related = main.select("ul.mk-related-organisations > li")
        assert 1 <= len(related) <= k, name
        # Generated links, whatever the number of organisations: the related list (the k
        # organisations; the concepts they share are named, not linked) and the page's own map
        # (it, them and its concepts).
        links = main.select(".mk-generated a[href], svg.mk-concept-map a[href]")
        assert len(links) <= k + (k + 1 + concepts), name


def test_concept_pages_past_the_threshold_are_grouped_by_region(site):
    grouped = 0
    for path in sorted((Path(site.outdir) / "concepts").glob("*.html")):
        main = page(site, f"concepts/{path.name}").find(attrs={"role": "main"})
        entries = main.select("ul.mk-concordance > li")
        groups = main.select(".mk-backlinks-group")
        if len(entries) > 30:
            grouped += 1
            assert groups and all(len(entry.select(".mk-quote")) == 1 for entry in entries), path.name
        else:
            assert not groups, path.name
    assert grouped, "no concept is shared by more than 30 organisations in the generated project"


def test_the_matrix_becomes_counts_and_the_sidebar_stays_small(site):
    comparison = page(site, "vergelijking.html")
    matrix = comparison.select_one("table.mk-concept-matrix")
    assert [th.get_text(" ", strip=True) for th in matrix.select("thead th")] == ["Begrip", "Organisaties"]
    assert all("begrip=" in a["href"] for a in matrix.select("tbody td:nth-of-type(2) a"))
    for name in ("index.html", "vergelijking.html", "overzicht.html"):
        assert len(page(site, name).select(".sidebar-tree a")) < ORGANISATIONS / 2, name
