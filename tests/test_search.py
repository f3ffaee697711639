"""Search in a real browser: Pagefind's index of a small site of its own (tests/roots/test-reader),
served on a free port of 127.0.0.1 by the test, queried in Debian's Chromium.

The rules: an inflected form of a concept's name finds the concept's page in the top 3, although
the page never writes that form; an alias finds it first; a name that other pages only repeat in
generated lists ("Gedeeld door", "Ook bij", the overview) finds only its own page; the theme's
search box leads to search.html?q=..., which shows results with the term highlighted; the cards'
region, sector and concepts are filters.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_browser import QuietHandler, Server, browser  # noqa: F401 - the fixture, shared

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
    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(reader_site.outdir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


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


def test_filters_are_the_cards_region_sector_and_concepts(page):
    filters = page.evaluate(f"""async () => (await ({LOAD_JS})()).filters()""")
    assert filters["Regio"] == {"Gent": 1}
    assert filters["Sector"] == {"Buurtwerk": 1}
    assert set(filters["Begrip"]) == {"Weerbaarheid", "Buurtwerk"}


def test_the_theme_search_box_leads_to_highlighted_results(page, served, reader_site):
    from missiekaart.searchindex import INDEX_FOLDER, MERGED_BUNDLE_FILES, SITE_BUNDLE, UNUSED_BUNDLE_FILES

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
    assert any("weerbare" in " ".join(result["marks"]).casefold() for result in results), results
    # The links work from where the site is served.
    page.locator(".mk-search-results a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(served) and page.title() != ""


def test_the_overview_s_region_and_sector_lead_to_the_same_filters(page, served):
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
    assert found == ["orgs/zonnebloem"], found  # the one organisation with that region or sector
    checked = page.eval_on_selector_all(".mk-search-filters input:checked", "boxes => boxes.map(b => b.value)")
    assert checked == [value]
