"""The missiekaart extension: cards, concepts, cross-links and their freshness."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup


def running_text_refs(page) -> list:
    return [a for a in page.select(".mk-concept-ref a") if a.find_parent(class_="mk-card") is None]


def main(app, docname: str) -> BeautifulSoup:
    html = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").find(attrs={"role": "main"})


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def anchors(app, href: str, docname: str) -> bool:
    """Whether *href*, relative to *docname*, points at an id that exists."""
    page, _, anchor = href.partition("#")
    target = (Path(app.outdir) / docname).parent / page
    return bool(BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find(id=anchor))


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_cards_have_the_same_fields_in_the_same_order_in_dutch(app):
    app.build()
    assert app.warning.getvalue() == ""
    cards = main(app, "orgs/a").select(".mk-mission-card") + main(app, "orgs/b").select(".mk-mission-card")
    assert len(cards) == 2
    for card in cards:
        assert "mk-card" in card["class"]
        assert [dt.get_text(strip=True).rstrip(":") for dt in card.select(".mk-card-fields dt")] == [
            "Regio", "Sector", "Doelgroep", "Website"]
        assert card.select_one(".mk-card-kind").get_text() == "Missie"
    a = main(app, "orgs/a").select_one(".mk-mission-card")
    assert a.select_one(".mk-card-title strong").get_text() == "Org A"  # default: the page title
    assert [dd.get_text(strip=True) for dd in a.select(".mk-card-fields dd")] == ["Oost-Vlaanderen", "—", "—", "—"]
    assert main(app, "orgs/b").select_one(".mk-card-title strong").get_text() == "Organisatie B"  # :name:
    value = main(app, "orgs/a").select_one(".mk-value-card")
    assert text(value.select_one(".mk-card-title")) == "Waarde Samenwerken"


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_card_concepts_and_ook_bij_link_to_the_exact_places(app):
    app.build()
    a = main(app, "orgs/a").select_one(".mk-mission-card")
    assert [x.get_text() for x in a.select(".mk-card-concepts .mk-concept-ref a")] == ["Sociaal netwerk", "Participatie"]
    backlinks = a.select_one(".mk-backlinks")
    assert text(backlinks) == "Ook bij: Organisatie B ( Sociaal netwerk , Participatie )"
    hrefs = [link["href"] for link in backlinks.select("a")]
    # The organisation, its paragraph that names 'netwerk', and its card that carries 'participatie'.
    assert hrefs == ["b.html#mission-Organisatie-B", "b.html#mk-ref-0", "b.html#mission-Organisatie-B"]
    assert all(anchors(app, href, "orgs/a") for href in hrefs)
    b = main(app, "orgs/b").select_one(".mk-mission-card .mk-backlinks")
    assert text(b) == "Ook bij: Org A ( Participatie )"


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_concept_page_lists_every_place_and_related_concepts(app):
    app.build()
    page = main(app, "concepts/netwerk")
    assert page.select_one(".mk-backlinks-title").get_text() == "Gedeeld door"
    items = [text(li) for li in page.select("ul.mk-backlinks > li")]
    assert items == ["Org A : kaart , kaart , tekst", "Organisatie B : tekst"]
    hrefs = [a["href"] for a in page.select("ul.mk-backlinks a")]
    assert all(anchors(app, href, "concepts/netwerk") for href in hrefs)
    assert "../orgs/a.html#value-Samenwerken" in hrefs
    assert text(page.select_one(".mk-related")) == "Participatie (1)"


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_role_matches_ids_and_aliases_case_insensitively(app):
    app.build()
    refs = running_text_refs(main(app, "orgs/b"))
    assert [(a.get_text(), a["href"]) for a in refs] == [("sterk netwerk", "../concepts/netwerk.html#concept-netwerk")]
    refs = running_text_refs(main(app, "orgs/a"))
    assert [a.get_text() for a in refs] == ["netwerken"]


def write(app, docname: str, content: str) -> None:
    (Path(app.srcdir) / f"{docname}.md").write_text(content, encoding="utf-8")


@pytest.mark.sphinx("html", testroot="missiekaart", srcdir="missiekaart-incremental")
def test_incremental_build_updates_backlinks_without_rereading_other_pages(app):
    app.build()
    read: list[str] = []
    app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    page = (Path(app.srcdir) / "orgs" / "b.md").read_text(encoding="utf-8")
    write(app, "orgs/b", page.replace("We werken aan", "We werken aan {concept}`participatie` en"))
    app.build()
    assert read == ["orgs/b"]
    assert [text(li) for li in main(app, "concepts/participatie").select("ul.mk-backlinks > li")] == [
        "Org A : kaart", "Organisatie B : kaart , tekst"]
    # Removing B's mission card removes B from A's "Ook bij" and from the concept pages.
    write(app, "orgs/b", "# Org B\n\nGeen kaart meer.\n")
    read.clear()
    app.build()
    assert read == ["orgs/b"]
    assert text(main(app, "orgs/a").select_one(".mk-mission-card .mk-backlinks")) == (
        "Ook bij: nog geen andere organisatie")
    assert [text(li) for li in main(app, "concepts/netwerk").select("ul.mk-backlinks > li")] == [
        "Org A : kaart , kaart , tekst"]


def build_pages(make_app, tmp_path, rootdir, parallel: int) -> dict[str, str]:
    import shutil
    srcdir = tmp_path / f"j{parallel}"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    app = make_app("html", srcdir=srcdir, parallel=parallel)
    app.build()
    assert app.warning.getvalue() == ""
    pages = {str(p.relative_to(app.outdir)): p.read_text(encoding="utf-8") for p in Path(app.outdir).rglob("*.html")}
    app.cleanup()  # docutils node registration is global: let the next app register afresh
    return pages


def test_parallel_and_serial_builds_give_the_same_html(make_app, tmp_path, rootdir):
    serial = build_pages(make_app, tmp_path, rootdir, 1)
    parallel = build_pages(make_app, tmp_path, rootdir, 2)
    assert sorted(serial) == sorted(parallel)
    for name in serial:
        assert serial[name] == parallel[name], name


MISTAKES = [
    ("orgs/c", "# C\n\n```{mission-card}\n:concepts: netwrk\n\nTekst.\n```\n", 3,
     "unknown concept 'netwrk'; did you mean 'netwerk', 'netwerken'?", "unknown-concept"),
    ("orgs/c", "# C\n\n```{mission-card}\n:concepts: netwerk\n```\n", 3,
     "the mission-card directive has an empty body", "empty-body"),
    ("orgs/c", "# C\n\n```{mission-card}\nTekst.\n```\n", 3,
     "the mission-card directive needs a ':concepts:' option", "missing-option"),
    ("orgs/c", "# C\n\n```{mission-card}\n:concepts: netwerk\n\nEen.\n```\n\n```{mission-card}\n:concepts: netwerk\n\n"
     "Twee.\n```\n", 9, "a second mission card on this page (the first is on line 3)", "duplicate-mission-card"),
    ("orgs/c", "# C\n\n```{value-card} Los\n:concepts: netwerk\n\nTekst.\n```\n", 3,
     "value card 'Los' is not on an organisation page", "card-outside-organisation"),
    ("concepts/z", "# Z\n\nIntro.\n\n```{concept} netwerken\n:title: Netwerken\n\nDubbel.\n```\n", 5,
     "concept id or alias 'netwerken' is already defined by concept 'netwerk'", "duplicate-concept"),
]


@pytest.mark.parametrize("parallel", [1, 2])
@pytest.mark.parametrize(("docname", "content", "line", "message", "subtype"), MISTAKES,
                         ids=[m[4] for m in MISTAKES])
def test_mistakes_are_located_warnings_with_a_type_and_the_build_goes_on(
        make_app, tmp_path, rootdir, docname, content, line, message, subtype, parallel):
    import shutil
    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    (srcdir / f"{docname}.md").write_text(content, encoding="utf-8")
    app = make_app("html", srcdir=srcdir, parallel=parallel)
    app.build()
    warnings = app.warning.getvalue()
    pattern = rf"{re.escape(str(srcdir / docname))}\.md:{line}: WARNING: {re.escape(message)}.*\[missiekaart\.{subtype}\]"
    assert re.search(pattern, warnings), warnings
    assert warnings.count("WARNING") == 1, warnings
    assert "Traceback" not in warnings
    assert (Path(app.outdir) / f"{docname}.html").exists()  # the build went on
    app.cleanup()
    # Each warning can be silenced on its own.
    quiet = make_app("html", srcdir=srcdir, freshenv=True,
                     confoverrides={"suppress_warnings": [f"missiekaart.{subtype}"]})
    quiet.build()
    assert "WARNING" not in quiet.warning.getvalue()
