"""The real site: strict build, committed pages keep every source word, navigation by glob.

The tests marked ``invariant`` state rules that hold for whatever organisations and concepts the
project has, found in its files and in the built ``missiekaart.json``, never a list of today's. They
check the project in ``MISSIEKAART_ROOT`` (see tests/project.py): by default a copy of this
repository with the organisations of tests/test_add_organisation.py added (tests/conftest.py).
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from missiekaart.core.ranking import is_date
from missiekaart.importer.checksource import check_source
from missiekaart.importer.manifest import MANIFEST
from missiekaart.importer.sourcefile import SOURCE_SUFFIXES, read_source

from conftest import ROOT, write_project
from project import (
    MIN_CONCEPTS_PER_ORGANISATION,
    ORGANISATIONS,
    PROJECT,
    SOURCE_TEXTS,
    concept_ids,
    concept_pages,
    front_matter,
    link_a_plain_word,
    organisation_pages,
)

invariant = pytest.mark.invariant


@pytest.fixture(scope="module")
def built_site(made_site):
    """``make html`` exactly as a contributor runs it (in the project under test): conftest.made_site."""
    return made_site


@pytest.fixture(scope="module")
def export(built_site) -> dict:
    _, html = built_site
    return json.loads((html / "missiekaart.json").read_text(encoding="utf-8"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def names(export: dict) -> dict[str, str]:
    """Organisation id (its docname) -> its name, as the export has them."""
    return {organisation["id"]: organisation["name"] for organisation in export["organisations"]}


@invariant
def test_make_html_is_strict_and_warning_free(built_site):
    result, _ = built_site
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "build succeeded" in result.stdout
    assert "sphinx-build -M html" in result.stdout and "-W --keep-going -n" in result.stdout


@invariant
def test_every_organisation_page_imports_a_source_text_and_every_text_has_a_page():
    pages = organisation_pages()
    assert pages, f"no organisation pages in {ORGANISATIONS}"
    sources = []
    for page in pages:
        source = front_matter(page).get("mk-source")
        # source_texts/<slug>.txt, or the file as sent: .md, .pdf, .docx (CONTRIBUTING.md, step 1)
        suffixes = [suffix for suffix in SOURCE_SUFFIXES if source == f"source_texts/{page.stem}{suffix}"]
        assert suffixes, f"{page.name}: mk-source is {source!r}"
        assert (PROJECT / source).is_file(), f"{page.name}: its source {source} does not exist"
        sources.append(source)
    # Every file in source_texts/ but the manifest is an organisation's text.
    texts = sorted(f"source_texts/{path.name}" for path in SOURCE_TEXTS.iterdir() if path.name != MANIFEST)
    assert sorted(sources) == texts, "a source text without an organisation page, or two pages for one text"


@invariant
def test_every_organisation_says_when_it_was_added():
    """Of related organisations that score the same, the one added first is listed (ranking.py): every
    mission card says when, as the importer writes it (``:added: YYYY-MM-DD``). A card without it would
    count as the oldest, and take the place of organisations listed before it came."""
    for page in organisation_pages():
        dates = re.findall(r"^:added:[ \t]*(\S*)", page.read_text(encoding="utf-8"), re.MULTILINE)
        assert len(dates) == 1 and is_date(dates[0]), f"{page.name}: :added: {dates}"


@invariant
@pytest.mark.parametrize("slug", [page.stem for page in organisation_pages()])
def test_organisation_page_keeps_every_word_and_is_titled_with_its_name(built_site, export, slug):
    _, html = built_site
    page = html / "organisations" / f"{slug}.html"
    source = read_source(PROJECT / front_matter(ORGANISATIONS / f"{slug}.md")["mk-source"])
    report = check_source(source, page)
    assert report.problems == []
    assert report.words > 0
    title = soup_of(page).find(attrs={"role": "main"}).find("h1").get_text(strip=True).rstrip("¶")
    assert title == names(export).get(f"organisations/{slug}"), f"{slug}: not an organisation in the export"


@invariant
def test_landing_page_is_dutch_and_lists_the_organisations(built_site, export):
    _, html = built_site
    soup = soup_of(html / "index.html")
    assert soup.html["lang"] == "nl"
    main = soup.find(attrs={"role": "main"})
    assert "missie- en visieteksten van sociale organisaties" in main.get_text(" ")
    # The landing page leads to the overview of every organisation instead of listing them all.
    overview = overview_page(html)
    assert any(a["href"].endswith(overview.name) for a in main.select("a[href]"))
    # Sphinx's own Dutch catalog leaves the permalink titles in English; ours fills them in.
    for page in html.rglob("*.html"):
        assert "Link to this" not in page.read_text(encoding="utf-8"), page
    for page in organisation_pages():
        text = (html / "organisations" / f"{page.stem}.html").read_text(encoding="utf-8")
        assert 'title="Link naar deze titel"' in text, page.name
    # Sphinx 9.0 leaves aria-level off toctree captions (sphinx-doc/sphinx#14030); ours adds it.
    # The sidebar's captions (the page itself does not repeat its toctrees: see html.without_root_toctrees).
    captions = soup.select('.caption[role="heading"]')
    assert len(captions) >= 3 and all(caption.get("aria-level") == "2" for caption in captions)


def overview_page(html: Path) -> Path:
    """The page that holds the organisation overview, whatever it is called."""
    pages = [
        page for page in sorted(html.rglob("*.html")) if 'class="mk-overview-list' in page.read_text(encoding="utf-8")
    ]
    assert len(pages) == 1, pages
    return pages[0]


def overview_names(page: Path) -> list[str]:
    return sorted(li.find("a").get_text(strip=True) for li in soup_of(page).select(".mk-overview-list li[data-facets]"))


@invariant
def test_the_overview_lists_every_organisation_and_no_sidebar_does(built_site, export):
    _, html = built_site
    assert overview_names(overview_page(html)) == sorted(names(export).values())
    # Bounded navigation: organisations and concepts grow with the project; no sidebar lists them,
    # so adding or renaming one re-writes its own pages and the overviews, not every page.
    pages = {f"organisations/{page.stem}" for page in organisation_pages()} | {
        f"concepts/{page.stem}" for page in concept_pages()
    }
    for page in html.rglob("*.html"):
        sidebar = soup_of(page).select(".sidebar-tree a[href]")
        linked = {urljoin(page.relative_to(html).as_posix(), a["href"]).partition(".html")[0] for a in sidebar}
        assert not linked & pages, page


def test_a_page_dropped_into_organisations_appears_in_the_overview(tmp_path, make_app):
    srcdir = tmp_path / "docs"
    shutil.copytree(PROJECT / "docs", srcdir)
    write_project(srcdir, PROJECT)
    concepts = ", ".join(concept_ids(PROJECT / "docs" / "concepts")[:5])
    (srcdir / "organisations" / "de-nieuwe.md").write_text(
        f"# De Nieuwe Organisatie\n\n```{{mission-card}}\n:concepts: {concepts}\n\nTekst.\n```\n\n"
        f"```{{value-card}} Samen\n:concepts: {concepts}\n\nSamen.\n```\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    assert "De Nieuwe Organisatie" in overview_names(overview_page(Path(app.outdir)))
    assert (Path(app.outdir) / "organisations" / "de-nieuwe.html").is_file()


def test_rerunning_make_does_not_reinstall():
    result = subprocess.run(
        ["make", "--question", ".venv/.installed"], cwd=ROOT, check=False, env={**os.environ, "MAKEFLAGS": ""}
    )
    assert result.returncode == 0


# ---------------------------------------------------------------- content rules (issue 4)


def normalise(text: str) -> str:
    return " ".join(text.replace("*", "").split())


@invariant
def test_every_concept_is_shared_and_every_organisation_uses_enough(export):
    assert sorted(names(export)) == sorted(f"organisations/{page.stem}" for page in organisation_pages())
    assert sorted(concept["id"] for concept in export["concepts"]) == concept_ids()
    for concept in export["concepts"]:
        assert len(concept["organisations"]) >= 2, concept["id"]
    for organisation in export["organisations"]:
        assert len(organisation["concepts"]) >= MIN_CONCEPTS_PER_ORGANISATION, organisation["id"]
        assert organisation["mission"]["text"] and organisation["value_cards"], organisation["id"]


@invariant
def test_cards_quote_the_organisations_own_words(export):
    for organisation in export["organisations"]:
        page = PROJECT / "docs" / f"{organisation['id']}.md"
        source_text = read_source(PROJECT / front_matter(page)["mk-source"])
        source = normalise(" ".join(line for _number, line in source_text.lines))
        for card in [organisation["mission"], *organisation["value_cards"]]:
            for paragraph in card["text"].split("\n\n"):
                assert normalise(paragraph) in source, (organisation["id"], card["title"], paragraph)


@invariant
@pytest.mark.parametrize("page", [page.stem for page in concept_pages()])
def test_every_concept_page_defines_its_concepts_and_lists_who_shares_them(built_site, export, page):
    _, html = built_site
    soup = soup_of(html / "concepts" / f"{page}.html")
    defined = [concept for concept in export["concepts"] if concept["page"].startswith(f"concepts/{page}.html#")]
    assert defined, f"concepts/{page}.md defines no concept"
    for concept in defined:
        box = soup.find(id=concept["page"].partition("#")[2])
        assert box is not None and "mk-concept" in box["class"], concept["id"]
        # "Gedeeld door" names exactly the organisations the export gives for the concept.
        shared = [li.find("a").get_text(strip=True) for li in box.select("ul.mk-concordance > li")]
        assert sorted(shared) == sorted(names(export)[docname] for docname in concept["organisations"]), concept["id"]
        # Each organisation is quoted: its own words, every quote with the words that name the idea
        # marked (the card's heading where its text does not name it).
        assert all(li.select(".mk-quote") for li in box.select("ul.mk-concordance > li")), concept["id"]
        unmarked = [quote.get_text() for quote in box.select("ul.mk-concordance .mk-quote") if not quote.mark]
        assert unmarked == [], concept["id"]
        assert len(shared) >= 2, concept["id"]
        definition = box.find("p", recursive=False).get_text(" ")
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(definition.split())) if s]
        assert 3 <= len(sentences) <= 6, sentences


@invariant
def test_landing_and_comparison_pages_show_the_overviews(built_site, export):
    _, html = built_site
    organisations = sorted(names(export).values())
    concepts = [concept["title"] for concept in export["concepts"]]
    landing = soup_of(html / "index.html")
    # The landing page shows the most shared concepts (its concept-index has ":limit: 5").
    top = [li.find("a").get_text() for li in landing.select("ul.mk-concept-index > li")]
    assert len(top) == min(5, len(concepts)) and set(top) <= set(concepts)
    counts = {concept["title"]: len(concept["organisations"]) for concept in export["concepts"]}
    assert min((counts[title] for title in top), default=0) >= max(
        (count for title, count in counts.items() if title not in top), default=0
    )
    comparison = soup_of(html / "vergelijking.html")
    matrix = comparison.select_one("table.mk-concept-matrix")
    columns = sorted(a.get_text() for a in matrix.select("thead a"))
    assert columns in (organisations, [])  # past the limit, counts instead of a column per organisation
    # (Long concept names carry soft hyphens, for the narrow column on a phone.)
    assert sorted(tr.find("a").get_text().replace("\u00ad", "") for tr in matrix.select("tbody tr")) == sorted(concepts)
    used = [concept["title"] for concept in export["concepts"] if concept["organisations"]]
    assert sorted(a.get_text() for a in comparison.select("svg.mk-concept-map .mk-map-concept a")) == sorted(used)
    assert sorted(li.find("a").get_text() for li in comparison.select("ul.mk-concept-index > li")) == sorted(concepts)


#: The parts of an organisation's page, by the bold words that name them in the reader's guide.
PARTS = {
    "missiekaart": ".mk-mission-card",
    "waardekaarten": ".mk-value-card",
    "oorspronkelijke tekst": "#oorspronkelijke-tekst",
}


@invariant
def test_the_reader_guide_tells_the_order_of_an_organisation_page(built_site):
    """ "Above" and "below" are true on the site: the guide (docs/over/) names the parts of an
    organisation's page (its bold words) in the order every organisation page shows them."""
    _, html = built_site
    guide_page = soup_of(html / "over" / "index.html").find(attrs={"role": "main"})
    bold = [strong.get_text().lower() for strong in guide_page.select("strong")]
    guide = [PARTS[term] for term in dict.fromkeys(bold) if term in PARTS]
    assert sorted(guide) == sorted(PARTS.values()), "the reader's guide no longer names the parts"
    for page in organisation_pages():
        soup = soup_of(html / "organisations" / f"{page.stem}.html")
        order = list(soup.find_all(True))
        first = {selector: order.index(soup.select_one(selector)) for selector in PARTS.values()}
        assert sorted(first, key=first.__getitem__) == guide, page.stem


# ---------------------------------------------------------------- build correctness on the real site


def html_pages(outdir) -> dict[str, str]:
    pages = {str(p.relative_to(outdir)): p.read_text(encoding="utf-8") for p in Path(outdir).rglob("*.html")}
    pages["missiekaart.json"] = (Path(outdir) / "missiekaart.json").read_text(encoding="utf-8")
    return pages


def test_parallel_and_incremental_builds_match_a_clean_serial_build(tmp_path, make_app):
    """-j 2 from scratch, and an incremental rebuild after an edit, give the serial build's pages."""
    srcdir = tmp_path / "docs"
    shutil.copytree(PROJECT / "docs", srcdir)
    write_project(srcdir, PROJECT)
    incremental = make_app("html", srcdir=srcdir, builddir=tmp_path / "incremental", parallel=2)
    incremental.build()
    assert incremental.warning.getvalue() == ""
    incremental.cleanup()
    before = html_pages(incremental.outdir)
    data = json.loads(before["missiekaart.json"])
    # A contributor removes one organisation's value cards and links a new phrase in its text to a
    # concept the organisation did not mention in its text yet.
    organisation = next(o for o in data["organisations"] if o["value_cards"])
    slug = organisation["id"].rpartition("/")[2]
    concept = next(c for c in data["concepts"] if f"{slug}.html#mk-ref-" not in before[c["page"].partition("#")[0]])
    concept_page = concept["page"].partition("#")[0]
    assert any(f"{slug}.html#value-" in text for name, text in before.items() if name.startswith("concepts/"))
    page = srcdir / "organisations" / f"{slug}.md"
    text = page.read_text(encoding="utf-8")
    start = text.index("```{value-card}")
    end = text.index("```\n", text.rindex("```{value-card}")) + 4
    text, _word = link_a_plain_word(text[:start] + text[end:], concept["id"])
    page.write_text(text, encoding="utf-8")
    incremental = make_app("html", srcdir=srcdir, builddir=tmp_path / "incremental", parallel=2)
    incremental.build()
    incremental.cleanup()
    serial = make_app("html", srcdir=srcdir, builddir=tmp_path / "serial", freshenv=True)
    serial.build()
    expected, got = html_pages(serial.outdir), html_pages(incremental.outdir)
    assert sorted(expected) == sorted(got)
    for name in expected:
        assert expected[name] == got[name], name
    assert not any(f"{slug}.html#value-" in text for name, text in got.items() if name.startswith("concepts/"))
    assert f"{slug}.html#mk-ref-" in got[concept_page]


def test_the_site_names_itself_with_an_icon_and_no_empty_index(built_site):
    """The footer names the project, not its tools (Furo's "@pradyunsg's Furo" line is English); every
    page has an icon that exists; there is no general index page, which would be empty."""
    _, html = built_site
    pages = sorted(html.rglob("*.html"))
    assert not (html / "genindex.html").exists()
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "pradyunsg" not in text and "genindex.html" not in text, path
    for path in (html / "index.html", next(html.glob("organisations/*.html"))):
        icon = soup_of(path).select_one('link[rel~="icon"]')
        assert icon is not None and (path.parent / icon["href"]).resolve().is_file(), path


def test_the_landing_page_shows_the_sidebar_once(built_site):
    """The landing page's toctrees make the sidebar; the page itself does not repeat them below its text."""
    _, html = built_site
    soup = soup_of(html / "index.html")
    assert [wrapper for wrapper in soup.select("article .toctree-wrapper") if wrapper.select("a")] == []
    sidebar = {a["href"] for a in soup.select(".sidebar-tree a.reference")}
    assert {"overzicht.html", "vergelijking.html", "over/index.html"} <= sidebar
