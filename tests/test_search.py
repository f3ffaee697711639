"""Search in a real browser: Pagefind's index of a small site of its own (tests/roots/test-reader),
served on a free port of 127.0.0.1 by the test, queried in Debian's Chromium.

The rules: an inflected form of a concept's name finds the concept's page in the top 3, although
the page never writes that form; an alias finds it first; a name that other pages only repeat in
generated lists ("Gedeeld door", "Ook bij", the overview) finds only its own page; the theme's
search box leads to search.html?q=..., which shows results with the term highlighted; the cards'
region, sector and concepts are filters; every excerpt is the found page's own running text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_browser import browser, serving  # noqa: F401 - the fixture, shared

# Pagefind with every bundle of the index merged, as the search page loads it (missiekaart-search.js).
LOAD_JS = """async () => {
  if (window.mkPagefind) return window.mkPagefind;
  const base = new URL('pagefind/', document.baseURI);
  const manifest = await (await fetch(new URL('bundles.json', base))).json();
  const bundle = name => new URL(`${name}/`, base).href;
  const others = Object.keys(manifest.bundles).filter(name => name !== manifest.primary).map(bundle);
  const pagefind = await import(`${bundle(manifest.primary)}pagefind.js`);
  await pagefind.options({baseUrl: '/'});
  for (const bundle of others) await pagefind.mergeIndex(bundle, {baseUrl: '/'});
  return (window.mkPagefind = pagefind);
}"""
SEARCH_JS = f"""async query => {{
  const pagefind = await ({LOAD_JS})();
  const search = await pagefind.search(query);
  return Promise.all(search.results.map(async result => (await result.data()).url));
}}"""


@pytest.fixture(scope="module")
def served(reader_site):
    """The built test site on http://127.0.0.1:<free port>/, stopped after the module."""
    with serving(Path(reader_site.outdir)) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, served):  # noqa: F811 - the browser fixture
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(served + "index.html")
    yield page
    context.close()


def ranked(page, query: str) -> list[str]:
    """The pages Pagefind finds for *query*, best first, as paths without ".html"."""
    return [url.strip("/").removesuffix(".html") for url in page.evaluate(SEARCH_JS, query)]


def rank(page, query: str, expected: str) -> int | None:
    found = ranked(page, query)
    return found.index(expected) + 1 if expected in found else None


def test_an_inflected_form_finds_the_concept(page, reader_site):
    # The concept page says "Weerbaarheid"; the reader types the adjective, inflected.
    html = (Path(reader_site.outdir) / "concepts/weerbaarheid.html").read_text(encoding="utf-8")
    assert "weerbare" not in BeautifulSoup(html, "html.parser").get_text().casefold()
    assert (rank(page, "weerbare", "concepts/weerbaarheid") or 99) <= 3, ranked(page, "weerbare")


def test_an_alias_finds_the_concept_first(page):
    assert rank(page, "veerkracht", "concepts/weerbaarheid") == 1, ranked(page, "veerkracht")
    assert rank(page, "wijkwerking", "concepts/buurtwerk") == 1, ranked(page, "wijkwerking")


def test_generated_lists_do_not_make_a_page_found(page):
    # "Zonnebloem" stands on the concept pages, the other organisation's page and the landing page
    # only in generated lists: only the organisation's own page is found.
    assert ranked(page, "Zonnebloem") == ["orgs/zonnebloem"]


def test_filters_are_the_cards_province_country_sector_and_concepts(page):
    filters = page.evaluate(f"""async () => (await ({LOAD_JS})()).filters()""")
    assert "Regio" not in filters  # free text, shown on the card: a filter of one organisation per value
    assert filters["Provincie"] == {"Oost-Vlaanderen": 1}
    assert filters["Land"] == {"België": 1}  # the province names its country
    assert filters["Sector"] == {"Buurtwerk": 1}
    assert set(filters["Begrip"]) == {"Weerbaarheid", "Buurtwerk"}


def test_the_theme_search_box_leads_to_highlighted_results(page, served, reader_site):
    from missiekaart.build.searchindex import INDEX_FOLDER, MERGED_BUNDLE_FILES, SITE_BUNDLE, UNUSED_BUNDLE_FILES

    # The search below works without the parts of Pagefind's bundles that the site does not load:
    # the merged bundles have no script, worker or WebAssembly of their own.
    bundles = [path for path in (Path(reader_site.outdir) / INDEX_FOLDER).iterdir() if path.is_dir()]
    assert len(bundles) >= 2 and (Path(reader_site.outdir) / INDEX_FOLDER / SITE_BUNDLE / "pagefind.js").is_file()
    assert not [path for bundle in bundles for name in UNUSED_BUNDLE_FILES for path in bundle.glob(name)]
    merged = [bundle for bundle in bundles if bundle.name != SITE_BUNDLE]
    assert not [path for bundle in merged for name in MERGED_BUNDLE_FILES for path in bundle.glob(name)]
    page.goto(served + "orgs/horizon.html")
    box = page.locator("input.sidebar-search")
    box.fill("weerbare")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=weerbare*")
    page.wait_for_selector(".mk-search-results li")
    results = page.evaluate("""() => [...document.querySelectorAll('.mk-search-results li')].map(r => ({
      href: r.querySelector('a').getAttribute('href'), marks: [...r.querySelectorAll('mark')].map(m => m.textContent)}))""")
    hrefs = [result["href"].strip("/").removesuffix(".html") for result in results]
    assert "concepts/weerbaarheid" in [href.rpartition("root/")[2] or href for href in hrefs][:3], results
    # The words found are marked where the pages say them ("weerbaar"); the form typed is matched
    # among a page's words to match, which no excerpt shows.
    assert any(mark.casefold().startswith("weerba") for result in results for mark in result["marks"]), results
    # The links work from where the site is served.
    page.locator(".mk-search-results a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(served) and page.title() != ""


def test_the_overview_s_province_country_and_sector_lead_to_the_same_filters(page, served):
    page.goto(served + "index.html")
    facets = page.locator(".mk-organisation-cards a.mk-facet")
    assert facets.count() >= 2
    value = facets.first.inner_text()
    facets.first.click()
    page.wait_for_selector(".mk-search-results li")
    found = [
        href.strip("/").removesuffix(".html")
        for href in page.eval_on_selector_all(
            ".mk-search-results li > a", "links => links.map(a => new URL(a.href).pathname)"
        )
    ]
    assert found == ["orgs/zonnebloem"], found  # the one organisation with that province, country or sector
    checked = page.eval_on_selector_all(".mk-search-filters input:checked", "boxes => boxes.map(b => b.value)")
    assert checked == [value]


# Every query, typed into the search page's form and sent, one after the other: the results' pages,
# their excerpts' text (the marks are part of it) and marked words.
EXCERPTS_JS = """async queries => {
  const form = document.querySelector('.mk-search-form'), input = document.getElementById('mk-search-input');
  const answered = () => new Promise(resolve => {
    const poll = () => { const s = document.querySelector('.mk-search-status');
                         s && !('before' in s.dataset) ? resolve() : requestAnimationFrame(poll); };
    poll();
  });
  const found = {};
  for (const query of queries) {
    const status = document.querySelector('.mk-search-status');
    if (status) status.dataset.before = '';
    input.value = query;
    form.requestSubmit();
    await answered();
    found[query] = [...document.querySelectorAll('.mk-search-results li')].map(item => ({
      url: new URL(item.querySelector('a').href).pathname,
      excerpt: item.querySelector('.mk-search-excerpt')?.textContent ?? '',
      marks: [...item.querySelectorAll('mark')].map(mark => mark.textContent)}));
  }
  return found;
}"""
ROLE = re.compile(r"\{[\w:-]+\}`([^`]*?)(?:\s*<[^`<>]*>)?`")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def running_words(markdown: str) -> list[str]:
    """The words of a page's running text, from its source alone: its headings and paragraphs
    outside directives, and a concept's definition (the concept directive's text), without options
    and markup. Cards, labels, aliases and all that the extension adds are not in it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    found: list[str] = []
    for token in MarkdownIt("commonmark").use(front_matter_plugin).parse(markdown):
        if token.type == "inline":
            found += words(LINK.sub(r"\1", ROLE.sub(r"\1", token.content)))
        elif token.type == "fence" and token.info.startswith("{concept}"):
            definition = "\n".join(line for line in token.content.splitlines() if not line.startswith(":"))
            found += running_words(definition)
    return found


def source_of(srcdir: Path, url: str) -> Path:
    """The source file of the page at *url* (as Pagefind names it: "/", "/orgs/a.html")."""
    path = url.strip("/")
    return srcdir / (f"{path.removesuffix('.html')}.md" if path.endswith(".html") else f"{path}/index.md".lstrip("/"))


def contiguous(part: list[str], whole: list[str]) -> bool:
    return any(whole[start : start + len(part)] == part for start in range(len(whole) - len(part) + 1))


def test_every_excerpt_is_the_page_s_own_running_text(page, served, reader_site):
    """For every word a reader may type (each concept's title, aliases and generated forms, every
    word any page shows, cards, labels and lists included), every result's excerpt is a run of the
    found page's running text as its source file holds it, marking the words found when that text
    has them: never a generated form, an alias list, a card or the page's chrome."""
    srcdir, outdir = Path(reader_site.srcdir), Path(reader_site.outdir)
    queries: dict[str, None] = {}
    for path in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article")
        for text in [
            article.get_text(" ") if article else "",
            *(n["data-mk-terms"] for n in soup.select("[data-mk-terms]")),
        ]:
            queries.update((word, None) for word in words(text) if len(word) >= 3)
    for concept in sorted((srcdir / "concepts").glob("*.md")):
        for names in re.findall(r"^:(?:title|aliases): (.+)$", concept.read_text(encoding="utf-8"), re.MULTILINE):
            queries.update((name.strip().casefold(), None) for name in names.split(","))
    assert len(queries) > 50
    page.goto(served + "search.html")
    found = page.evaluate(EXCERPTS_JS, list(queries))
    running = {
        url: running_words(source_of(srcdir, url).read_text(encoding="utf-8"))
        for url in {result["url"] for results in found.values() for result in results}
    }
    problems = []
    for query, results in found.items():
        for result in results:
            own, excerpt = running[result["url"]], words(result["excerpt"])
            if not excerpt or not contiguous(excerpt, own):
                problems.append(f"{query!r}: {result['url']}: {result['excerpt']!r}")
            elif set(words(query)) <= set(own) and not result["marks"]:
                problems.append(f"{query!r}: {result['url']}: nothing marked in {result['excerpt']!r}")
    assert sum(map(len, found.values())) > len(found), "few queries found anything"
    assert problems == []


def test_the_index_holds_each_page_s_running_text_whole_and_then_its_words_to_match(reader_site):
    """What Pagefind keeps of each page, up to the words to match, is exactly its running text (as
    its source file holds it): nothing of it is lost, nothing else comes before the anchor."""
    import gzip
    import json

    from missiekaart.build.searchindex import INDEX_FOLDER
    from missiekaart.extension.searchtext import TERMS_ANCHOR

    srcdir = Path(reader_site.srcdir)
    fragments = sorted(Path(reader_site.outdir, INDEX_FOLDER).glob("*/fragment/*.pf_fragment"))
    assert len(fragments) >= 5
    for fragment in fragments:
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        anchor = next(anchor["location"] for anchor in data["anchors"] if anchor["id"] == TERMS_ANCHOR)
        indexed = words(" ".join(data["content"].split()[:anchor]))
        assert indexed == running_words(source_of(srcdir, data["url"]).read_text(encoding="utf-8")), data["url"]
