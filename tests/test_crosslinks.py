"""Cross-links that stay bounded: related organisations, the concordance, the overview, the matrix.

Each test builds a copy of the ``missiekaart`` test root grown with a few organisations of its own,
with the thresholds set low, so the behaviour at 1,000 organisations shows at six.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from missiekaart.build.digests import page_digests
from missiekaart.extension.domain import get_domain

# (region, province, country) of C, D, E and F: the region free text, the province from the list.
PLACES = [
    ("Gent", "Oost-Vlaanderen", ""),
    ("Merelbeke", "Oost-Vlaanderen", ""),
    ("Enschede", "Overijssel", ""),
    ("Hasselt", "Limburg", "België"),
]


def grown(tmp_path: Path, rootdir: Path) -> Path:
    """The test root with four more organisations: C and D share only the rare concept 'zorg'."""
    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    (srcdir / "concepts" / "zorg.md").write_text(
        "# Zorg\n\n```{concept} zorg\n:title: Zorg\n\nZorg.\n```\n", encoding="utf-8"
    )
    for number, (name, (region, province, country)) in enumerate(zip("CDEF", PLACES, strict=True)):
        concepts = "zorg, participatie" if name in "CD" else "participatie, netwerk"
        place = f":region: {region}\n:province: {province}\n" + (f":country: {country}\n" if country else "")
        (srcdir / "orgs" / f"{name.lower()}.md").write_text(
            f"# Org {name}\n\n```{{mission-card}}\n{place}:sector: Sector {number % 2}\n"
            f":concepts: {concepts}\n\nWij zorgen voor participatie in {region}.\n```\n",
            encoding="utf-8",
        )
    return srcdir


def main(app, docname: str) -> BeautifulSoup:
    html = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").find(attrs={"role": "main"})


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_related_organisations_are_ranked_by_rare_shared_concepts_and_bounded(make_app, tmp_path, rootdir):
    app = make_app("html", srcdir=grown(tmp_path, rootdir), confoverrides={"missiekaart_related": 2})
    app.build()
    assert app.warning.getvalue() == ""
    for page in ("a", "b", "c", "d", "e", "f"):
        assert len(main(app, f"orgs/{page}").select("ul.mk-related-organisations > li")) <= 2, page
    # C shares 'zorg' (2 of 6 organisations) and 'participatie' (6 of 6) with D: D comes first;
    # ties after it are broken by name, the same in every build.
    related = [li.find("a").get_text() for li in main(app, "orgs/c").select("ul.mk-related-organisations > li")]
    assert related == ["Org D", "Org A"]
    assert (
        text(main(app, "orgs/c").select_one("ul.mk-related-organisations > li")) == "Org D — deelt Zorg, Participatie"
    )


def related_names(app, docname: str) -> list[str]:
    return [li.find("a").get_text() for li in main(app, docname).select("ul.mk-related-organisations > li")]


def test_among_equal_scores_the_organisation_added_first_stays_listed(make_app, tmp_path, rootdir):
    """Ties go to seniority (the mission card's :added:, none being the oldest), then the name: a
    newcomer that only scores as much as the last one listed enters no list, in a clean build as in an
    incremental one, where the pages of the lists it did not enter keep the digest of what they show of
    other pages (freshness.py re-writes a page when it changes; here the toctree in every page's sidebar
    re-writes them all anyway)."""
    srcdir = grown(tmp_path, rootdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:  # as the next build has it
        conf.write('html_theme = "furo"\nextensions.append("sphinx_design")\n')
    page = srcdir / "orgs" / "a.md"
    page.write_text(page.read_text(encoding="utf-8").replace(":concepts:", ":added: 2025-01-10\n:concepts:", 1))
    first = make_app("html", srcdir=srcdir, confoverrides={"missiekaart_related": 2})
    first.build()
    assert first.warning.getvalue() == ""
    # C shares only 'participatie' with A, B, E and F: E, first by name of the undated ones, before A.
    assert related_names(first, "orgs/c") == ["Org D", "Org E"]
    digest = page_digests(get_domain(first.env))["orgs/c"]
    first.cleanup()
    (srcdir / "orgs" / "aa.md").write_text(  # a name before every other, the same score for C
        "# Org 0\n\n```{mission-card}\n:added: 2025-06-01\n:concepts: participatie, netwerk\n\nWij doen mee.\n```\n",
        encoding="utf-8",
    )
    again = make_app("html", srcdir=srcdir, confoverrides={"missiekaart_related": 2})
    again.build()
    assert again.warning.getvalue() == ""
    assert related_names(again, "orgs/c") == ["Org D", "Org E"]
    assert page_digests(get_domain(again.env))["orgs/c"] == digest
    assert related_names(again, "orgs/aa") == ["Org E", "Org F"]  # it scores most with those sharing both
    again.cleanup()
    clean = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"missiekaart_related": 2})
    clean.build()
    assert related_names(clean, "orgs/c") == ["Org D", "Org E"]


def test_a_concept_page_groups_by_province_past_the_threshold(make_app, tmp_path, rootdir):
    app = make_app("html", srcdir=grown(tmp_path, rootdir), confoverrides={"missiekaart_group_above": 3})
    app.build()
    page = main(app, "concepts/participatie")
    groups = [text(rubric) for rubric in page.select(".mk-backlinks-group")]
    assert groups == ["Limburg (België) (1)", "Oost-Vlaanderen (2)", "Overijssel (1)", "Provincie niet vermeld (2)"]
    assert text(page.select_one(".mk-backlinks-count")).startswith("6 organisaties gebruiken dit begrip")
    for item in page.select("ul.mk-concordance > li"):
        # grouped: one link per organisation, its name and one quote, to the quote's place
        (only,) = item.select("a")
        assert only.strong and only.get_text().startswith(only.strong.get_text() + ": “") and only.select(".mk-quote")
        assert only["href"].startswith("../orgs/")  # a card or a place in the text ("#mk-ref-...")


def test_the_matrix_becomes_counts_that_link_to_the_filtered_overview(make_app, tmp_path, rootdir):
    app = make_app("html", srcdir=grown(tmp_path, rootdir), confoverrides={"missiekaart_matrix_limit": 3})
    app.build()
    matrix = main(app, "overview").select_one("table.mk-concept-matrix")
    assert [text(th) for th in matrix.select("thead th")] == ["Begrip", "Organisaties"]
    # A concept's name may carry soft hyphens (where a narrow column may break it): not its text.
    counts = {
        text(row.select("td")[0]).replace("\u00ad", ""): row.select("td")[1].find("a")
        for row in matrix.select("tbody tr")
    }
    assert text(counts["Participatie"]) == "6"
    url = urlsplit(counts["Zorg"]["href"])
    assert url.path in ("", "overview.html")  # the overview is on this very page here
    assert parse_qs(url.query) == {"begrip": ["zorg"]}


def facets_of(form: Tag, item: Tag) -> dict[str, list[str]]:
    """An overview item's values per control, read from ``data-facets`` as the script reads them."""
    selects = form.select("select[data-facet]")
    fields = item["data-facets"].split("|")
    assert len(fields) == len(selects)
    return {
        select["data-facet"]: [select.select("option")[int(n) + 1]["value"] for n in field.split(",") if n]
        for select, field in zip(selects, fields, strict=True)
    }


def test_the_overview_has_labelled_facets_and_every_organisation_grouped_without_javascript(
    make_app, tmp_path, rootdir
):
    app = make_app("html", srcdir=grown(tmp_path, rootdir))
    app.build()
    page = main(app, "overview")
    form = page.select_one("form.mk-facets")
    assert form.has_attr("hidden")  # shown by the script; without it, the list below is the overview
    labels = {label["for"]: text(label) for label in form.select("label")}
    assert labels == {
        "mk-facet-province": "Provincie",
        "mk-facet-country": "Land",
        "mk-facet-sector": "Sector",
        "mk-facet-concept": "Begrip",
        "mk-facet-sort": "Sorteer op",
    }  # no target group given: no control; the free-text region is shown, not a filter
    provinces = [option["value"] for option in form.select("#mk-facet-province option")]
    assert provinces == ["", "Limburg (België)", "Oost-Vlaanderen", "Overijssel"]
    countries = [option["value"] for option in form.select("#mk-facet-country option")]
    assert countries == ["", "België", "Nederland"]  # each province names its country
    assert form.select_one(".mk-facets-count")["aria-live"] == "polite"
    items = page.select(".mk-overview-list li[data-facets]")
    assert len(items) == 6
    c = next(item for item in items if item.find("a").get_text() == "Org C")
    assert facets_of(form, c) == {
        "province": ["Oost-Vlaanderen"],
        "country": ["België"],
        "sector": ["Sector 0"],
        "concept": ["participatie", "zorg"],
    }
    groups = [text(rubric) for rubric in page.select(".mk-overview-group .rubric")]
    assert groups == ["Limburg (België) (1)", "Oost-Vlaanderen (2)", "Overijssel (1)", "Provincie niet vermeld (2)"]


def test_the_overview_is_a_plain_list_in_other_builders(make_app, tmp_path, rootdir):
    app = make_app("text", srcdir=grown(tmp_path, rootdir))
    app.build()
    output = (Path(app.outdir) / "overview.txt").read_text(encoding="utf-8")
    assert "Filter" not in output and "Oost-Vlaanderen (2)" in output and "Org C" in output


@pytest.mark.parametrize("parallel", [1, 2])
def test_removing_an_organisation_removes_its_page_and_every_link_to_it(make_app, tmp_path, rootdir, parallel):
    srcdir = grown(tmp_path, rootdir)
    app = make_app("html", srcdir=srcdir, parallel=parallel)
    app.build()
    assert (Path(app.outdir) / "orgs" / "c.html").is_file()
    app.cleanup()
    (srcdir / "orgs" / "c.md").unlink()
    again = make_app("html", srcdir=srcdir, parallel=parallel)
    again.build()
    assert not (Path(again.outdir) / "orgs" / "c.html").exists()
    for page in Path(again.outdir).rglob("*.html"):
        assert 'href="c.html' not in page.read_text(encoding="utf-8") and "orgs/c.html" not in page.read_text(
            encoding="utf-8"
        ), page


def test_an_unchanged_rebuild_reports_no_configuration_change_and_writes_nothing(make_app, tmp_path, rootdir):
    srcdir = tmp_path / "furo"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('html_theme = "furo"\nextensions.append("sphinx_design")\n')
    first = make_app("html", srcdir=srcdir)
    first.build()
    first.cleanup()
    again = make_app("html", srcdir=srcdir)
    written: list[str] = []
    again.connect("html-page-context", lambda _app, pagename, *_args: written.append(pagename))
    again.build()
    assert "configuration has changed" not in again.status.getvalue()
    assert [name for name in written if name not in ("genindex", "search")] == []
