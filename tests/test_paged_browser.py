"""A paged overview in Chromium: its filters still find every organisation, from the whole list
they load (missiekaart/views/overviewlist.py's filter data), and its pages fit a phone and pass axe.

The site is tests/roots/test-paged with 20 generated organisations and an overview page size of 3
(tests/test_paging.py writes it); the values to filter on come from its JSON export.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from test_browser import browser, serious_axe_violations, serving, sideways_overflow  # noqa: F401
from test_overview_browser import count_text, label, shown
from test_paging import build, write_site

ORGANISATIONS = 20
PAGE_SIZE = 3  # about four organisations a province: two pages each


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory):
    srcdir, _users = write_site(tmp_path_factory.mktemp("paged-browser"), ORGANISATIONS, 4, seed=5)
    outdir = build(srcdir, overview=PAGE_SIZE, concept=3, index=2)
    export = json.loads((outdir / "missiekaart.json").read_text(encoding="utf-8"))
    with serving(outdir) as url:
        yield url, outdir, export


def test_filters_of_a_paged_overview_find_every_organisation_and_reset_to_its_page(paged_site, browser):  # noqa: F811
    url, _outdir, export = paged_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "overzicht.html")
    page.wait_for_selector("form.mk-facets:not([hidden])")
    on_page = shown(page)
    assert 0 < len(on_page) <= PAGE_SIZE
    assert count_text(page).startswith(f"{ORGANISATIONS} organisaties")

    provinces = sorted({label(o["fields"], "province") for o in export["organisations"] if o["fields"].get("province")})
    for province in provinces:
        matching = sorted(o["name"] for o in export["organisations"] if label(o["fields"], "province") == province)
        page.select_option("#mk-facet-province", province)
        page.wait_for_selector(".mk-overview-whole")
        assert sorted(shown(page)) == matching, province
        assert count_text(page).startswith(f"{len(matching)} organisatie")
        assert parse_qs(urlsplit(page.url).query) == {"provincie": [province]}
        # Every name links to the organisation's own page.
        hrefs = page.eval_on_selector_all(
            ".mk-overview-whole li:not([hidden]) a", "links => links.map(a => new URL(a.href).pathname)"
        )
        pages = {o["name"]: "/" + o["page"] for o in export["organisations"]}
        assert sorted(hrefs) == sorted(pages[name] for name in matching)

    page.click("button[type=reset]")
    page.wait_for_function("() => document.querySelector('.mk-overview-whole').hidden")
    assert shown(page) == on_page and urlsplit(page.url).query == ""
    context.close()


def test_a_filtered_address_of_a_paged_overview_opens_the_filtered_whole_list(paged_site, browser):  # noqa: F811
    url, _outdir, export = paged_site
    concept = max(export["concepts"], key=lambda concept: (len(concept["organisations"]), concept["id"]))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}overzicht.html?begrip={concept['id']}&sorteer=name")
    page.wait_for_selector(".mk-overview-whole")
    names = {o["id"]: o["name"] for o in export["organisations"]}
    order = page.eval_on_selector_all(
        ".mk-overview-whole li[data-facets]",
        "items => items.filter(i => i.offsetParent !== null).sort((a, b) => a.getBoundingClientRect().top"
        " - b.getBoundingClientRect().top).map(i => i.querySelector('a').textContent)",
    )
    assert order == sorted((names[docname] for docname in concept["organisations"]), key=str.casefold)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("address", ["overzicht.html", "overzicht/{}.html"])
def test_paged_pages_fit_the_screen_and_have_no_serious_accessibility_problem(paged_site, browser, width, address):  # noqa: F811
    url, outdir, _export = paged_site
    if "{}" in address:  # a second page of a province: with a pager
        address = f"overzicht/{min(path.stem for path in (outdir / 'overzicht').glob('*-2.html'))}.html"
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url + address)
    assert sideways_overflow(page) <= 0
    assert serious_axe_violations(page) == []
    context.close()
