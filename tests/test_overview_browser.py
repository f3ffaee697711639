"""The organisation overview in Chromium: facets filter the list, the count is announced, the
state lives in the URL, and the page is accessible and fits a phone.

Whatever organisations the site has: the values to filter on come from its own JSON export.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from test_browser import browser, new_page, open_page, serious_axe_violations, sideways_overflow, site  # noqa: F401

from missiekaart.core.places import province_label

NARROW, WIDE = 390, 1280


def overview_url(site) -> str:  # noqa: F811 - the fixture's value
    pages = [
        page for page in site.pages() if 'class="mk-overview-list' in (site.html / page).read_text(encoding="utf-8")
    ]
    assert len(pages) == 1, pages
    return site.url + pages[0]


def shown(page) -> list[str]:
    return page.eval_on_selector_all(
        ".mk-overview-list li[data-facets]",
        "items => items.filter(item => item.offsetParent !== null).map(item => item.querySelector('a').textContent)",
    )


def label(fields: dict[str, str], facet: str) -> str:
    """The overview's option for an organisation's province ("Limburg (België)") or country."""
    if facet == "province" and fields.get("province"):
        return province_label(fields.get("country", ""), fields["province"])
    return fields.get(facet, "")


def count_text(page) -> str:
    return page.inner_text(".mk-facets-count")


def test_filtering_by_province_country_and_concept_changes_the_list_and_the_announced_count(site, browser):  # noqa: F811
    export = site.export
    page = new_page(browser, site)
    open_page(page, overview_url(site))
    everyone = sorted(organisation["name"] for organisation in export["organisations"])
    assert sorted(shown(page)) == everyone
    assert count_text(page).startswith(f"{len(everyone)} organisatie")
    assert page.get_attribute(".mk-facets-count", "aria-live") == "polite"

    # Provinces and countries are controlled values: one option finds every organisation that gives it,
    # whatever municipalities its free-text region lists.
    for facet, parameter in (("province", "provincie"), ("country", "land")):
        given = sorted({label(o["fields"], facet) for o in export["organisations"] if o["fields"].get(facet)})
        assert given, f"no organisation gives a {facet}"
        value = given[0]
        matching = sorted(o["name"] for o in export["organisations"] if label(o["fields"], facet) == value)
        page.select_option(f"#mk-facet-{facet}", value)
        assert sorted(shown(page)) == matching
        assert count_text(page).startswith(f"{len(matching)} organisatie")
        assert parse_qs(urlsplit(page.url).query) == {parameter: [value]}
        page.select_option(f"#mk-facet-{facet}", "")

    concept = min(export["concepts"], key=lambda concept: (len(concept["organisations"]), concept["id"]))
    page.select_option("#mk-facet-concept", concept["id"])
    names = {o["id"]: o["name"] for o in export["organisations"]}
    assert sorted(shown(page)) == sorted(names[docname] for docname in concept["organisations"])
    assert parse_qs(urlsplit(page.url).query) == {"begrip": [concept["id"]]}
    page.context.close()


def test_a_filtered_url_opens_the_filtered_view(site, browser):  # noqa: F811
    export = site.export
    concept = max(export["concepts"], key=lambda concept: len(concept["organisations"]))
    page = new_page(browser, site)
    open_page(page, f"{overview_url(site)}?begrip={concept['id']}&sorteer=name")
    assert page.input_value("#mk-facet-concept") == concept["id"]
    names = {o["id"]: o["name"] for o in export["organisations"]}
    expected = [names[docname] for docname in concept["organisations"]]
    # Sorted by name: the visual order (CSS order) follows the names.
    order = page.eval_on_selector_all(
        ".mk-overview-list li[data-facets]",
        "items => items.filter(i => i.offsetParent !== null).sort((a, b) => a.getBoundingClientRect().top"
        " - b.getBoundingClientRect().top).map(i => i.querySelector('a').textContent)",
    )
    assert order == sorted(expected, key=str.casefold)
    page.context.close()


def test_without_javascript_the_full_list_is_there_and_no_control_shows(site, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": NARROW, "height": 800})
    page = context.new_page()
    open_page(page, overview_url(site))
    assert not page.is_visible("form.mk-facets")
    assert sorted(shown(page)) == sorted(o["name"] for o in site.export["organisations"])
    context.close()


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_the_overview_fits_the_screen_and_has_no_serious_accessibility_problem(site, browser, width):  # noqa: F811
    page = new_page(browser, site, width=width)
    open_page(page, overview_url(site))
    assert sideways_overflow(page) <= 0
    assert serious_axe_violations(page) == []
    page.context.close()
