"""The missiekaart extension: cards, concepts, cross-links and their freshness."""

import json
import math
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup


def running_text_refs(page) -> list:
    return [a for a in page.select("a.mk-concept-ref") if a.find_parent(class_="mk-card") is None]


def main(app, docname: str) -> BeautifulSoup:
    html = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").find(attrs={"role": "main"})


def text(element) -> str:
    """The words a reader sees (soft hyphens, which only show where a line breaks, left out)."""
    return " ".join(element.get_text(" ").replace("\u00ad", "").split())


def anchors(app, href: str, docname: str) -> bool:
    """Whether *href*, relative to *docname*, points at an id that exists."""
    page, _, anchor = href.partition("#")
    target = (Path(app.outdir) / docname).parent / page
    if not anchor:  # the top of the page (MissiekaartDomain.landing)
        return target.is_file()
    return bool(BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find(id=anchor))


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_cards_show_the_fields_given_in_a_fixed_order_in_dutch(app):
    app.build()
    assert app.warning.getvalue() == ""
    cards = main(app, "orgs/a").select(".mk-mission-card") + main(app, "orgs/b").select(".mk-mission-card")
    assert len(cards) == 2
    for card in cards:
        assert "mk-card" in card["class"]
        assert card.select_one(".mk-card-kind").get_text() == "Missie"
    a = main(app, "orgs/a").select_one(".mk-mission-card")
    assert a.select_one(".mk-card-title strong").get_text() == "Org A"  # default: the page title
    # Only the fields the organisation gives: no "—" for the others.
    assert [dt.get_text(strip=True).rstrip(":") for dt in a.select(".mk-card-fields dt")] == ["Regio"]
    assert [dd.get_text(strip=True) for dd in a.select(".mk-card-fields dd")] == ["Oost-Vlaanderen"]
    b = main(app, "orgs/b").select_one(".mk-mission-card")
    assert b.select_one(".mk-card-title strong").get_text() == "Organisatie B"  # :name:
    assert b.select_one(".mk-card-fields") is None
    value = main(app, "orgs/a").select_one(".mk-value-card")
    assert text(value.select_one(".mk-card-title")) == "Waarde Samenwerken"


def test_every_field_in_its_order(make_app, tmp_path, rootdir):
    import shutil

    srcdir = tmp_path / "fields"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    write_to(
        srcdir,
        "orgs/b",
        "# Org B\n\n```{mission-card}\n:website: https://b.example\n:target-group: Jongeren\n"
        ":sector: Welzijn\n:country: België\n:region: Gent\n:concepts: participatie\n\nMee.\n```\n",
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    card = main(app, "orgs/b").select_one(".mk-mission-card")
    assert [dt.get_text(strip=True).rstrip(":") for dt in card.select(".mk-card-fields dt")] == [
        "Regio",
        "Land",
        "Sector",
        "Doelgroep",
        "Website",
    ]


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_cards_link_their_concepts_and_the_page_ends_with_related_organisations(app):
    app.build()
    a = main(app, "orgs/a")
    assert [x.get_text() for x in a.select(".mk-mission-card .mk-card-concepts a.mk-concept-ref")] == [
        "Sociaal netwerk",
        "Participatie",
    ]
    assert a.select(".mk-card .mk-backlinks") == []  # no per-card list of every other organisation
    related = a.select_one("ul.mk-related-organisations")
    assert a.select_one("#verwante-organisaties h2").get_text(strip=True).startswith("Verwante organisaties")
    assert [text(li) for li in related.select("li")] == ["Organisatie B — deelt Sociaal netwerk, Participatie"]
    hrefs = [link["href"] for link in related.select("a")]
    # The shared concepts are named (the cards link them); the link is the page, whose top is the mission.
    assert hrefs == ["b.html"]
    assert all(anchors(app, href, "orgs/a") for href in hrefs)
    # The related section follows the cards (see orgpage.py).
    marked = [e["class"] for e in a.find_all(True) if {"mk-card", "mk-verwante-organisaties"} & set(e.get("class", []))]
    assert "mk-mission-card" in marked[0] and "mk-verwante-organisaties" in marked[-1]


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_concept_page_quotes_what_each_organisation_says_and_links_the_place(app):
    app.build()
    page = main(app, "concepts/netwerk")
    assert text(page.select_one(".mk-aliases")) == "Ook genoemd: sociaal netwerk, netwerken"
    assert page.select_one(".mk-backlinks-title").get_text() == "Gedeeld door"
    assert text(page.select_one(".mk-backlinks-count")) == (
        "2 organisaties gebruiken dit begrip op hun kaarten of in hun tekst:"
    )
    items = [text(li) for li in page.select("ul.mk-concordance > li")]
    # A card whose text does not name the idea is quoted led by its title ("Samenwerken"), marked.
    assert items == [
        "Org A “ We bouwen een netwerk . ” “ Samenwerken : Samen. ” “ Tekst over netwerken hier. ”",
        "Organisatie B “ We werken aan een sterk netwerk . ”",
    ]
    assert [mark.get_text() for mark in page.select("ul.mk-concordance mark")] == [
        "netwerk",
        "Samenwerken",
        "netwerken",
        "sterk netwerk",
    ]
    # The name stands apart from the quotes: strong, in a paragraph of its own.
    for item in page.select("ul.mk-concordance > li"):
        name, *quotes = item.find_all("p", recursive=False)
        assert name.strong and "mk-concordance-name" in name["class"]
        assert quotes and all(
            "mk-concordance-quote" in quote["class"] and quote.select(".mk-quote") for quote in quotes
        )
    hrefs = [a["href"] for a in page.select("ul.mk-concordance a")]
    assert all(anchors(app, href, "concepts/netwerk") for href in hrefs)
    assert {
        "../orgs/a.html#value-Samenwerken",
        "../orgs/a.html#mk-ref-netwerken-0",
        "../orgs/b.html#mk-ref-sociaal-netwerk-0",
    } <= set(hrefs)
    assert text(page.select_one("ul.mk-related")) == "Participatie — samen op 1 kaart"


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_role_matches_ids_and_aliases_case_insensitively(app):
    app.build()
    refs = running_text_refs(main(app, "orgs/b"))
    assert [(a.get_text(), a["href"]) for a in refs] == [("sterk netwerk", "../concepts/netwerk.html")]
    refs = running_text_refs(main(app, "orgs/a"))
    assert [a.get_text() for a in refs] == ["netwerken"]


def write(app, docname: str, content: str) -> None:
    write_to(Path(app.srcdir), docname, content)


def write_to(srcdir: Path, docname: str, content: str) -> None:
    (srcdir / f"{docname}.md").write_text(content, encoding="utf-8")


@pytest.mark.sphinx("html", testroot="missiekaart", srcdir="missiekaart-incremental")
def test_incremental_build_updates_generated_content_without_rereading_other_pages(app):
    app.build()
    read: list[str] = []
    app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    page = (Path(app.srcdir) / "orgs" / "b.md").read_text(encoding="utf-8")
    write(app, "orgs/b", page.replace("We werken aan", "We werken aan {concept}`participatie` en"))
    app.build()
    assert read == ["orgs/b"]
    assert [text(li) for li in main(app, "concepts/participatie").select("ul.mk-concordance > li")] == [
        "Org A “ Missie : We bouwen een netwerk. ”",
        "Organisatie B “ Missie : Iedereen doet mee. ” “ We werken aan participatie en een sterk netwerk. ”",
    ]
    # Removing B's mission card removes B from A's related organisations and from the concept pages.
    write(app, "orgs/b", "# Org B\n\nGeen kaart meer.\n")
    read.clear()
    app.build()
    assert read == ["orgs/b"]
    assert text(main(app, "orgs/a").select_one(".mk-related")) == (
        "Nog geen andere organisatie deelt een begrip met deze."
    )
    assert [text(li) for li in main(app, "concepts/netwerk").select("ul.mk-concordance > li")] == [
        "Org A “ We bouwen een netwerk . ” “ Samenwerken : Samen. ” “ Tekst over netwerken hier. ”"
    ]


@pytest.mark.sphinx("html", testroot="missiekaart", srcdir="missiekaart-parents")
def test_a_toctree_parent_is_rewritten_when_a_page_it_lists_changes_its_headings_and_only_then(app):
    """Sphinx re-writes every page whose toctree lists a page it writes; the extension leaves out
    those whose toctree shows nothing new (freshness.write_retitled_parents_only)."""
    from missiekaart.extension.domain import get_domain

    app.build()
    page = (Path(app.srcdir) / "orgs" / "a.md").read_text(encoding="utf-8")
    write(app, "orgs/a", page + "\n## Een nieuwe kop\n\nMeer tekst.\n")
    app.build()
    assert "index" in get_domain(app.env).data["written"]
    assert "Een nieuwe kop" in text(main(app, "index"))  # the toctree shows the page's headings
    write(app, "orgs/a", page + "\n## Een nieuwe kop\n\nAndere tekst.\n")
    app.build()
    assert get_domain(app.env).data["written"] == ["orgs/a"]  # its headings, all the index shows, are the same
    assert "index" in app.env.files_to_rebuild["orgs/a"]  # Sphinx's own map is back after the build


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
    (
        "orgs/c",
        "# C\n\n```{mission-card}\n:region: Gent\n:concepts: netwrk\n\nTekst.\n```\n",
        5,  # the line of the :concepts: option
        "unknown concept 'netwrk'; did you mean 'netwerk', 'netwerken'?",
        "unknown-concept",
    ),
    (
        "orgs/c",
        "# C\n\n```{mission-card}\n:concepts: netwerk\n```\n",
        3,
        "the mission-card directive has an empty body",
        "empty-body",
    ),
    (
        "orgs/c",
        "# C\n\n```{mission-card}\nTekst.\n```\n",
        3,
        "the mission-card directive needs a ':concepts:' option",
        "missing-option",
    ),
    (
        "orgs/c",
        "# C\n\n```{mission-card}\n:concepts: netwerk\n\nEen.\n```\n\n```{mission-card}\n:concepts: netwerk\n\n"
        "Twee.\n```\n",
        9,
        "a second mission card on this page (the first is on line 3)",
        "duplicate-mission-card",
    ),
    (
        "concepts/y",
        "# Y\n\n```{value-card} Los\n:concepts: netwerk\n\nTekst.\n```\n",
        3,
        "value card 'Los' is not on an organisation page",
        "card-outside-organisation",
    ),
    (
        "orgs/c",
        "# C\n\n```{mission-card}\n:concepts: netwerk\n:added: 2025-02-30\n\nTekst.\n```\n",
        5,  # the line of the :added: option
        "the :added: '2025-02-30' is not a date written YYYY-MM-DD",
        "added-date",
    ),
    (
        "orgs/c",
        "# C\n\n```{mission-card}\n:concepts: netwerk\n:regio: Gent\n\nTekst.\n```\n",
        5,
        "unknown option ':regio:' for the mission-card directive; did you mean ':region:'? (allowed: :added:, "
        ":concepts:, :country:, :draft:, :name:, :province:, :region:, :sector:, :target-group:, :website:)",
        "unknown-option",
    ),
    (
        "concepts/z",
        "# Z\n\nIntro.\n\n```{concept} netwerk\n:title: Netwerken\n\nDubbel.\n```\n",
        5,
        "concept id or alias 'netwerk' is already defined by concept 'netwerk'",
        "duplicate-concept",
    ),
]


@pytest.mark.parametrize("parallel", [1, 2])
@pytest.mark.parametrize(("docname", "content", "line", "message", "subtype"), MISTAKES, ids=[m[4] for m in MISTAKES])
def test_mistakes_are_located_warnings_with_a_type_and_the_build_goes_on(
    make_app, tmp_path, rootdir, docname, content, line, message, subtype, parallel
):
    import shutil

    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    (srcdir / f"{docname}.md").write_text(content, encoding="utf-8")
    app = make_app("html", srcdir=srcdir, parallel=parallel)
    app.build()
    warnings = app.warning.getvalue()
    pattern = (
        rf"{re.escape(str(srcdir / docname))}\.md:{line}: WARNING: {re.escape(message)}.*\[missiekaart\.{subtype}\]"
    )
    assert re.search(pattern, warnings), warnings
    assert warnings.count("WARNING") == 1, warnings
    assert "Traceback" not in warnings
    assert (Path(app.outdir) / f"{docname}.html").exists()  # the build went on
    app.cleanup()
    if parallel == 2:
        return  # the warning is the serial build's; silencing it is tested once, below
    # Each warning can be silenced on its own.
    quiet = make_app(
        "html", srcdir=srcdir, freshenv=True, confoverrides={"suppress_warnings": [f"missiekaart.{subtype}"]}
    )
    quiet.build()
    assert "WARNING" not in quiet.warning.getvalue()


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_organisation_cards_are_a_responsive_grid_of_every_mission(app):
    app.build()
    grid = main(app, "overview").select_one(".mk-organisation-cards")
    row = grid.select_one(".sd-row")
    assert {"sd-row-cols-1", "sd-row-cols-md-2", "sd-row-cols-lg-3"} <= set(row["class"])
    cards = row.select(".sd-col > .mk-card.mk-mission-card")
    assert [text(card.select_one(".mk-card-title")) for card in cards] == ["Missie Org A", "Missie Organisatie B"]
    assert [text(card.select_one(".mk-card-body")) for card in cards] == [
        "We bouwen een netwerk.",
        "Iedereen doet mee.",
    ]
    assert [dd.get_text(strip=True) for dd in cards[0].select(".mk-card-fields dd")] == ["Oost-Vlaanderen"]
    hrefs = [card.select_one(".mk-card-title a")["href"] for card in cards]
    assert hrefs == ["orgs/a.html", "orgs/b.html"]
    assert all(anchors(app, href, "overview") for href in hrefs)
    assert [a.get_text() for a in cards[0].select(".mk-card-concepts a")] == ["Sociaal netwerk", "Participatie"]


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_concept_matrix_links_every_cell_to_its_places(app):
    """A key says what the marks mean; each cell with a place is one mark, a full dot for a card and
    an open dot for the text only, linking to the card (or else the text) and saying where in
    words for screen readers and as a tooltip."""
    app.build()
    overview = main(app, "overview")
    key = overview.select_one("p.mk-matrix-key")
    assert text(key) == "● de organisatie draagt het begrip op een kaart; ○ ze spreekt er alleen in haar tekst over."
    table = overview.select_one("table.mk-concept-matrix")
    assert key.find_next("table") is table  # the key comes first
    rows = [[text(cell) for cell in row.select("th, td")] for row in table.select("tr")]
    assert rows == [
        ["Begrip", "Org A", "Organisatie B", "Aantal"],
        [
            "Participatie",
            "● Participatie bij Org A: op een kaart",
            "● Participatie bij Organisatie B: op een kaart",
            "2",
        ],
        [
            "Sociaal netwerk",
            "● Sociaal netwerk bij Org A: op 2 kaarten, in de tekst",
            "○ Sociaal netwerk bij Organisatie B: in de tekst",
            "2",
        ],
    ]
    marks = table.select("td .mk-presence")
    assert [mark["class"][-1] for mark in marks] == [f"mk-presence-{kind}" for kind in ("card", "card", "card", "text")]
    for mark in marks:  # the dot is only seen; its words are read, and shown on hover
        assert mark.select_one("[aria-hidden=true]").get_text() in "●○"
        assert mark["title"] == mark.select_one(".mk-visually-hidden").get_text()
    hrefs = [a["href"] for a in table.select("td a")]
    assert hrefs == [
        "concepts/participatie.html",  # the top of a page (a concept page, a mission card): no anchor
        "orgs/a.html",
        "orgs/b.html",
        "concepts/netwerk.html",
        "orgs/a.html",  # a card, though the text names it too
        "orgs/b.html#mk-ref-sociaal-netwerk-0",
    ]
    assert all(anchors(app, href, "overview") for href in hrefs)


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_concept_index_counts_organisations_and_can_be_limited(app):
    app.build()
    lists = main(app, "overview").select("ul.mk-concept-index")
    assert [[text(li) for li in ul.select("li")] for ul in lists] == [
        ["Participatie — gebruikt door 2 organisaties", "Sociaal netwerk — gebruikt door 2 organisaties"],
        ["Participatie — gebruikt door 2 organisaties"],
    ]


@pytest.mark.sphinx("html", testroot="missiekaart", confoverrides={"language": "en"})
def test_labels_follow_the_language(app):
    app.build()
    card = main(app, "orgs/a").select_one(".mk-mission-card")
    assert card.select_one(".mk-card-kind").get_text() == "Mission"
    assert [dt.get_text(strip=True).rstrip(":") for dt in card.select(".mk-card-fields dt")] == ["Region"]
    assert text(main(app, "orgs/a").select_one("#verwante-organisaties h2")).startswith("Related organisations")
    assert text(main(app, "overview").select_one("ul.mk-concept-index li")) == "Participatie — used by 2 organisations"


def export(app) -> dict:
    import json

    return json.loads((Path(app.outdir) / "missiekaart.json").read_text(encoding="utf-8"))


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_json_export_has_organisations_and_concepts(app):
    app.build()
    data = export(app)
    assert [org["id"] for org in data["organisations"]] == ["orgs/a", "orgs/b"]
    a = data["organisations"][0]
    assert a["name"] == "Org A" and a["page"] == "orgs/a.html"
    assert a["mission"] == {
        "title": "Org A",
        "url": "orgs/a.html#mission-Org-A",
        "text": "We bouwen een netwerk.",
        "concepts": ["netwerk", "participatie"],
    }
    assert a["fields"] == {"region": "Oost-Vlaanderen"}
    assert a["value_cards"] == [
        {"title": "Samenwerken", "url": "orgs/a.html#value-Samenwerken", "text": "Samen.", "concepts": ["netwerk"]}
    ]
    assert a["concepts"] == ["netwerk", "participatie"]
    netwerk = next(concept for concept in data["concepts"] if concept["id"] == "netwerk")
    assert netwerk["title"] == "Sociaal netwerk"
    assert netwerk["aliases"] == ["sociaal netwerk", "netwerken"]
    assert netwerk["page"] == "concepts/netwerk.html#concept-netwerk"
    assert netwerk["organisations"] == ["orgs/a", "orgs/b"]
    assert netwerk["references"] == [
        {"organisation": "orgs/a", "cards": ["mission-Org-A", "value-Samenwerken"], "text": ["mk-ref-netwerken-0"]},
        {"organisation": "orgs/b", "cards": [], "text": ["mk-ref-sociaal-netwerk-0"]},
    ]


@pytest.mark.sphinx("html", testroot="missiekaart", srcdir="missiekaart-incremental-overviews")
def test_incremental_build_updates_overviews_and_json(app):
    app.build()
    read: list[str] = []
    app.connect("source-read", lambda _app, docname, _source: read.append(docname))
    write(
        app,
        "orgs/b",
        "# Org B\n\n```{mission-card}\n:name: Organisatie B\n:region: Twente\n"
        ":concepts: participatie, netwerk\n\nIedereen doet mee, samen.\n```\n",
    )
    app.build()
    assert read == ["orgs/b"]
    card = main(app, "overview").select(".mk-summary-card")[1]
    assert text(card.select_one(".mk-card-body")) == "Iedereen doet mee, samen."
    assert card.select_one(".mk-card-fields dd").get_text(strip=True) == "Twente"
    rows = [[text(c) for c in row.select("td")] for row in main(app, "overview").select("table.mk-concept-matrix tr")]
    assert [cell.split(" ")[0] for cell in rows[2]] == ["Sociaal", "●", "●", "2"]  # B carries it on its card now
    b = export(app)["organisations"][1]
    assert b["fields"] == {"region": "Twente"} and b["mission"]["concepts"] == ["participatie", "netwerk"]
    # Removing a concept page: the overviews and the export drop it. Only the page with the
    # glob toctree is re-read (Sphinx does that when files come or go); no organisation page is.
    (Path(app.srcdir) / "concepts" / "participatie.md").unlink()
    read.clear()
    app.build()
    assert read == ["index"]
    assert [text(li) for li in main(app, "overview").select("ul.mk-concept-index")[0].select("li")] == [
        "Sociaal netwerk — gebruikt door 2 organisaties"
    ]
    assert [concept["id"] for concept in export(app)["concepts"]] == ["netwerk"]


@pytest.mark.sphinx("text", testroot="missiekaart")
def test_text_builder_frames_cards_as_readable_plain_text(app):
    app.build()
    output = (Path(app.outdir) / "orgs" / "a.txt").read_text(encoding="utf-8")
    rule = "-" * 72
    block = output.split(rule)[1]
    assert "Missie **Org A**" in block
    assert "Regio:\n     Oost-Vlaanderen" in block
    assert "We bouwen een netwerk." in block
    assert "Begrippen: Sociaal netwerk, Participatie" in block
    assert output.count(rule) == 4  # two cards, each between two rules
    assert "Verwante organisaties" in output and "Organisatie B — deelt Sociaal netwerk, Participatie" in output
    overview = (Path(app.outdir) / "overview.txt").read_text(encoding="utf-8")
    assert "● de organisatie draagt het begrip op een kaart; ○ ze spreekt er alleen in haar tekst" in " ".join(
        overview.split()
    )
    assert re.search(r"\| Sociaal netwerk +\| ● +\| ○ +\| 2 +\|", overview)


@pytest.mark.parametrize("builder", ["man", "texinfo", "xml", "singlehtml"])
def test_other_builders_get_the_cards_and_overviews(make_app, tmp_path, rootdir, builder):
    import shutil

    srcdir = tmp_path / builder
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    app = make_app(builder, srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    output = "".join(
        p.read_text(encoding="utf-8")
        for p in Path(app.outdir).rglob("*")
        if p.is_file() and p.suffix in {".1", ".texi", ".xml", ".html"}
    )
    for words in (
        "We bouwen een netwerk.",
        "Iedereen doet mee.",
        "Verwante organisaties",
        "Gedeeld door",
        "gebruikt door 2 organisaties",
    ):
        assert words in output, words


def test_another_project_links_to_concepts_and_organisations_with_intersphinx(make_app, tmp_path, rootdir):
    import shutil

    srcdir = tmp_path / "missiekaart"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    inventory = Path(app.outdir) / "objects.inv"
    app.cleanup()
    other = tmp_path / "other"
    other.mkdir()
    (other / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx.ext.intersphinx"]\n'
        f'intersphinx_mapping = {{"mk": ("https://missiekaart.example/", {str(inventory)!r})}}\n'
        "nitpicky = True\n",
        encoding="utf-8",
    )
    (other / "index.md").write_text(
        "# Elders\n\nOver <inv:mk:mk:concept#netwerk>, bij <inv:mk:mk:organisation#orgs/b>"
        " en [meedoen](inv:mk:mk:concept#participatie).\n",
        encoding="utf-8",
    )
    linking = make_app("html", srcdir=other)
    linking.build()
    assert linking.warning.getvalue() == ""
    links = [(a.get_text(), a["href"]) for a in main(linking, "index").select("a.reference.external")]
    assert links == [
        ("Sociaal netwerk", "https://missiekaart.example/concepts/netwerk.html#concept-netwerk"),
        ("Organisatie B", "https://missiekaart.example/orgs/b.html#mission-Organisatie-B"),
        ("meedoen", "https://missiekaart.example/concepts/participatie.html#concept-participatie"),
    ]


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_concept_map_is_an_svg_of_concepts_with_working_links_and_the_same_data_as_a_list(app):
    app.build()
    overview = main(app, "overview")
    svg = overview.select_one("svg.mk-concept-map")
    assert svg["aria-label"] == "De begrippen en hoe vaak organisaties ze combineren"
    # Its natural size, the drawing's own (html.parser lowercases "viewBox"); it shrinks with its
    # container down to labels of 11 px (min-width), the width 11/13 of the natural one.
    width, height = int(svg["width"]), int(svg["height"])
    assert svg["viewbox"] == f"0 0 {width} {height}"
    assert svg["style"] == f"min-width: {math.ceil(width * 11 / 13)}px"
    assert svg.select_one("title").get_text() == svg["aria-label"] and svg.select_one("desc").get_text()
    assert sorted(a.get_text() for a in svg.select(".mk-map-concept a")) == ["Participatie", "Sociaal netwerk"]
    assert svg.select(".mk-map-organisation a") == []  # the global map shows concepts only
    edges = "".join(path["d"] for path in svg.select(".mk-map-edges path"))
    assert edges.count("M") == edges.count("L") == 1  # both organisations combine the two concepts
    hrefs = [a["href"] for a in svg.select("a")]
    assert all(anchors(app, href, "overview") for href in hrefs)
    listing = [text(li) for li in overview.select("ul.mk-concept-map-list > li")]
    assert listing == [
        "Participatie — gebruikt door 2 organisaties; vaak samen met Sociaal netwerk (2)",
        "Sociaal netwerk — gebruikt door 2 organisaties; vaak samen met Participatie (2)",
    ]


@pytest.mark.sphinx("html", testroot="missiekaart")
def test_an_organisation_page_has_its_own_small_map(app):
    app.build()
    svg = main(app, "orgs/a").select_one("svg.mk-concept-map")
    assert [a.get_text() for a in svg.select(".mk-map-organisation a")] == ["Org A", "Organisatie B"]
    assert sorted(a.get_text() for a in svg.select(".mk-map-concept a")) == ["Participatie", "Sociaal netwerk"]
    assert all(anchors(app, a["href"], "orgs/a") for a in svg.select("a") if not a["href"].startswith("#"))


def test_the_global_map_drops_unused_concepts_and_sizes_by_use(make_app, tmp_path, rootdir):
    import shutil

    from missiekaart.extension.domain import get_domain
    from missiekaart.views.conceptmap import concept_graph

    srcdir = tmp_path / "map"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    (srcdir / "concepts" / "los.md").write_text("# Los\n\n```{concept} los\n\nNiemand.\n```\n", encoding="utf-8")
    (srcdir / "orgs" / "b.md").write_text(
        "# Org B\n\n```{mission-card}\n:concepts: participatie\n\nMee.\n```\n", encoding="utf-8"
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    graph = concept_graph(get_domain(app.env))
    assert [(point.label, point.count) for point in graph.nodes] == [("Participatie", 2), ("Sociaal netwerk", 1)]
    assert graph.nodes[0].size > graph.nodes[1].size
    assert graph.edges == [(0, 1, 1)]


@pytest.mark.sphinx("latex", testroot="missiekaart")
def test_latex_gets_the_concept_map_as_tikz_and_the_matrix_as_longtable(app):
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\usepackage{tikz}" in tex
    overview_tex = tex[tex.index(r"\chapter{Overzicht}") :]
    picture = overview_tex[overview_tex.index(r"\begin{tikzpicture}") : overview_tex.index(r"\end{tikzpicture}")]
    assert picture.count(r"\draw") == 1
    assert r"\hyperref[\detokenize{concepts/netwerk:concept-netwerk}]{Sociaal netwerk}" in picture
    assert r"\begin{missiekaartmatrix}{2}" in tex  # a longtable of missiekaart.sty
    # The organisation-cards grid becomes a sequence of framed boxes, one per organisation.
    overview = tex[tex.index(r"\chapter{Overzicht}") :]
    grid = overview[: overview.index(r"\begin{missiekaartmatrix}")]
    assert grid.count(r"\begin{missiekaartmission}") == 2


@pytest.mark.sphinx("text", testroot="missiekaart")
def test_text_builder_lists_the_concept_map(app):
    app.build()
    overview = (Path(app.outdir) / "overview.txt").read_text(encoding="utf-8")
    assert "* Participatie — gebruikt door 2 organisaties; vaak samen met Sociaal\n  netwerk (2)" in overview


def test_a_duplicate_concept_shows_only_its_first_definition_everywhere(make_app, tmp_path, rootdir):
    import shutil

    srcdir = tmp_path / "dup"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    (srcdir / "concepts" / "z.md").write_text(
        "# Z\n\n```{concept} netwerk\n:title: Dubbel\n\nTwee.\n```\n", encoding="utf-8"
    )
    app = make_app("html", srcdir=srcdir, confoverrides={"suppress_warnings": ["missiekaart.duplicate-concept"]})
    app.build()
    overview = main(app, "overview")
    titles = [text(row.select_one("td")) for row in overview.select("table.mk-concept-matrix tbody tr")]
    assert titles == ["Participatie", "Sociaal netwerk"]
    assert [text(li) for li in overview.select("ul.mk-concept-index")[0].select("li")] == [
        "Participatie — gebruikt door 2 organisaties",
        "Sociaal netwerk — gebruikt door 2 organisaties",
    ]
    assert [concept["title"] for concept in export(app)["concepts"]] == ["Sociaal netwerk", "Participatie"]
    assert "Dubbel" not in str(overview.select_one("svg.mk-concept-map"))


def test_an_incremental_build_of_known_words_loads_no_dictionary(make_app, tmp_path, rootdir, monkeypatch):
    """The lemmas a build looked up are kept beside the doctrees: re-building a page whose words
    are all known does not load simplemma's dictionary (a second or two at every save)."""
    import simplemma

    from missiekaart.core import vocabulary

    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    first = make_app("html", srcdir=srcdir)
    first.build()
    saved = json.loads((Path(first.doctreedir) / "missiekaart-lemmas.json").read_text(encoding="utf-8"))
    assert saved["version"] == vocabulary.LEMMATIZER_VERSION
    assert saved["table"]["netwerken"] == "netwerk"  # a word of the text, looked up while writing

    def no_dictionary(*args: object, **kwargs: object) -> str:
        raise AssertionError("simplemma's dictionary was consulted for a known word")

    vocabulary.LEMMAS.clear()  # as in a new process
    monkeypatch.setattr(simplemma, "lemmatize", no_dictionary)
    page = srcdir / "orgs" / "a.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nTekst over {concept}`netwerken` hier.\n", encoding="utf-8")
    second = make_app("html", srcdir=srcdir)
    second.build()
    assert second.statuscode == 0 and "orgs/a" in second.env.all_docs
    assert "mk-ref-netwerken-1" in (Path(second.outdir) / "orgs" / "a.html").read_text(encoding="utf-8")


def test_related_organisations_are_computed_again_only_when_their_input_changes(
    make_app, tmp_path, rootdir, monkeypatch
):
    """Relating every organisation to every other is the one quadratic step; it is kept with the
    environment, so an edited text does not pay for it, and a changed concept set does."""
    from missiekaart.extension import domain

    calls: list[int] = []
    compute = domain.related_organisations

    def counted(*args, **kwargs):
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(domain, "related_organisations", counted)
    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    make_app("html", srcdir=srcdir).build()
    assert len(calls) == 1
    page = srcdir / "orgs" / "a.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNog een zin over ons werk.\n", encoding="utf-8")
    edited = make_app("html", srcdir=srcdir)
    edited.build()
    assert "orgs/a" in edited.env.all_docs and len(calls) == 1  # the same concepts: kept
    assert [r.docname for r in domain.get_domain(edited.env).related_organisations()["orgs/a"]] == ["orgs/b"]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(":concepts: netwerk, participatie\n", ":concepts: netwerk\n"), encoding="utf-8")
    make_app("html", srcdir=srcdir).build()
    assert len(calls) == 2  # the organisation no longer names participatie: computed again


def test_card_quotes_are_kept_until_their_page_or_the_vocabulary_changes(make_app, tmp_path, rootdir, monkeypatch):
    """The sentence a concept page quotes from each card is found once and kept with the
    environment: an edited page has its own cards searched again, no other page's; a changed alias
    has every card searched again (the quotes may differ), and the concept pages show the same."""
    from missiekaart.extension import domain

    searched: list[str] = []
    quote = domain.card_quote

    def counted(text, concept, vocabulary):
        searched.append(text)
        return quote(text, concept, vocabulary)

    monkeypatch.setattr(domain, "card_quote", counted)

    def quoted_cards(app) -> list[str]:
        html = (Path(app.outdir) / "concepts" / "participatie.html").read_text(encoding="utf-8")
        return [text(mark) for mark in BeautifulSoup(html, "html.parser").select(".mk-concordance .mk-quote")]

    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    cards = {card.text: card.docname for card in domain.get_domain(app.env).all_cards()}
    assert {cards[body] for body in searched} == {"orgs/a", "orgs/b"}
    quoted = quoted_cards(app)
    assert quoted  # the concept page quotes both organisations' cards

    searched.clear()
    page = srcdir / "orgs" / "a.md"
    source = page.read_text(encoding="utf-8") + "\nWij werken aan {concept}`participatie` in de wijk.\n"
    page.write_text(source, encoding="utf-8")
    edited = make_app("html", srcdir=srcdir)
    edited.build()  # the concept page is written again, with the new place and both cards' quotes
    assert "in de wijk" in (Path(edited.outdir) / "concepts" / "participatie.html").read_text(encoding="utf-8")
    assert set(quoted) < set(quoted_cards(edited))  # the cards still quoted, the new place too
    assert searched and {cards[body] for body in searched} == {"orgs/a"}

    searched.clear()
    concept = srcdir / "concepts" / "netwerk.md"
    concept.write_text(
        concept.read_text(encoding="utf-8").replace(":aliases: ", ":aliases: buurtnetwerk, "), encoding="utf-8"
    )
    make_app("html", srcdir=srcdir).build()
    assert {cards[body] for body in searched} == {"orgs/a", "orgs/b"}


def test_what_lives_through_the_build_is_left_out_of_garbage_collection_until_it_ends(make_app, tmp_path, rootdir):
    """missiekaart.build.memory: while pages are written, what was alive after reading sits in the
    collector's permanent generation (not scanned at each full collection); after the build
    nothing is left there."""
    import gc

    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    app = make_app("html", srcdir=srcdir)
    frozen: list[int] = []
    app.connect("html-page-context", lambda *args: frozen.append(gc.get_freeze_count()))
    app.build()
    assert app.statuscode == 0
    assert frozen and min(frozen) > 10_000  # the environment and its doctrees, at least
    assert gc.get_freeze_count() == 0


def test_the_garbage_of_reading_a_page_is_collected_not_frozen(make_app, tmp_path, rootdir):
    """missiekaart.build.memory: what is frozen after a page is read is what lives on, not the
    garbage of reading it (a parser's objects in reference cycles), which would otherwise stay in
    memory until the build ends (150 MB of 800 at 1,000 organisations)."""
    import gc
    import weakref

    class Garbage:
        pass

    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    app = make_app("html", srcdir=srcdir)
    left: list[weakref.ref[Garbage]] = []

    def make_garbage(app, doctree):  # before the extension's freeze (priority 900)
        cycle = Garbage()
        cycle.me = cycle  # type: ignore[attr-defined]
        left.append(weakref.ref(cycle))

    alive_when_written: list[int] = []
    app.connect("doctree-read", make_garbage, priority=100)
    app.connect("html-page-context", lambda *args: alive_when_written.append(sum(r() is not None for r in left)))
    app.build()
    assert app.statuscode == 0 and len(left) > 5
    assert alive_when_written and max(alive_when_written) == 0
    assert gc.get_freeze_count() == 0


def test_the_collector_pauses_while_the_saved_environment_is_loaded(make_app, tmp_path, rootdir, monkeypatch):
    """missiekaart.build.memory: an incremental build loads the pickled environment with the garbage
    collector paused (a million objects that all live on), and runs with it on again."""
    import gc

    import sphinx.application

    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    make_app("html", srcdir=srcdir).build()
    collecting: list[bool] = []
    load = sphinx.application.Sphinx._load_existing_env

    def loading(self, filename):
        collecting.append(gc.isenabled())
        return load(self, filename)

    monkeypatch.setattr(sphinx.application.Sphinx, "_load_existing_env", loading)
    app = make_app("html", srcdir=srcdir)
    assert collecting == [False] and gc.isenabled() and gc.get_freeze_count() > 0
    app.build()
    assert app.statuscode == 0 and gc.isenabled() and gc.get_freeze_count() == 0


def test_a_build_process_ends_without_collecting_what_it_leaves_alive(tmp_path, rootdir):
    """missiekaart.build.memory: after the build nothing is frozen, and at exit everything alive is, so
    the collection Python runs while it shuts down (1.7 s at 1,000 organisations) skips it."""
    import subprocess
    import sys

    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    script = (
        "import atexit, gc, sys\n"
        # Registered first, so it runs last: after the extension's own handler.
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count()))\n"
        "from sphinx.cmd.build import main\n"
        f"status = main(['-b', 'html', '-q', {str(srcdir)!r}, {str(tmp_path / 'out')!r}])\n"
        "print('frozen after the build:', gc.get_freeze_count())\n"
        "sys.exit(status)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    after = int(re.search(r"frozen after the build: (\d+)", run.stdout).group(1))
    at_exit = int(re.search(r"frozen at exit: (\d+)", run.stdout).group(1))
    assert after == 0 and at_exit > 10_000, run.stdout
