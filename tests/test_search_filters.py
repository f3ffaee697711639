"""Search filters take any value: a sector (free text) with commas, quotes, ``&``, ``<``, backslashes,
percent signs or any letter works from the search page's panel, from the address
(``search.html?sector=...``) and from the overview's links, and the panel shows it as the card does.
(Province and country are values from a list, :mod:`missiekaart.core.places`; tests/test_search.py.)

Each example builds a small site of its own (tests/roots/test-filters, with organisations written
here, one per generated sector) with its Pagefind index, serves it on 127.0.0.1 and
checks it in Debian's Chromium. Hypothesis is pinned and derandomized, with few examples: each is a
build.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp
from test_browser import browser, serving  # noqa: F401 - the fixture, shared

from missiekaart.extension.searchtext import normal_value

ROOT = Path(__file__).resolve().parent / "roots" / "test-filters"
# The characters a filter value is most likely to trip over, and letters from beyond ASCII.
NASTY = [*",\"'&<>\\%;:[]{}#=?+/|*_`$!", "&amp;", "%2C", "\\,", "é", "ß", "ø", "€", "ł", "Ж", "😀", " "]
VALUE = (
    st.lists(st.sampled_from(NASTY) | st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12)
    .map("".join)
    .map(normal_value)
    .filter(bool)
)
VALUES = st.lists(VALUE, min_size=2, max_size=4, unique_by=str.casefold)
FILTERS = {"sector": "Sector"}

RESULTS_JS = """() => [...document.querySelectorAll('.mk-search-results li > a')].map(a => new URL(a.href).pathname)"""
PANEL_JS = """name => [...document.querySelectorAll(`.mk-search-filters input[name="${name}"]`)].map(box => ({
  value: box.value, label: box.parentElement.textContent.trim(), checked: box.checked}))"""


def organisation(number: int, fields: dict[str, str]) -> str:
    """An organisation's page; every option value is a double-quoted string, so any value survives."""
    options = "".join(f":{option}: {json.dumps(value, ensure_ascii=False)}\n" for option, value in fields.items())
    text = f"Organisatie {number} werkt samen met de buurt."
    return (
        f"# Organisatie {number}\n\n```{{mission-card}}\n{options}:concepts: buurtwerk, weerbaarheid\n\n"
        f"{text}\n```\n\n{text}\n"
    )


def build(folder: Path, values: list[str]) -> tuple[Path, dict[str, dict[str, list[str]]]]:
    """The site with an organisation per value, as its sector (and its free-text region, shown but
    no filter); its output folder, and each filter's values -> the pages with it."""
    srcdir = folder / "root"
    shutil.copytree(ROOT, srcdir)
    (srcdir / "orgs").mkdir()
    expected: dict[str, dict[str, list[str]]] = {label: {} for label in FILTERS.values()}
    for number, value in enumerate(values):
        fields = {"region": value, "sector": value}
        (srcdir / "orgs" / f"org-{number}.md").write_text(organisation(number, fields), encoding="utf-8")
        expected["Sector"].setdefault(value, []).append(f"/orgs/org-{number}.html")
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        assert app.statuscode == 0, app.warning.getvalue()
    finally:
        app.cleanup()
    return Path(app.outdir), expected


def results(page) -> list[str]:
    page.wait_for_selector(".mk-search-status")
    return sorted(page.evaluate(RESULTS_JS))


def check(page, url: str, expected: dict[str, dict[str, list[str]]]) -> list[str]:
    problems = []
    for label, values in expected.items():
        name = label.casefold()
        for value, pages in values.items():
            # From the address, as a link or a reader would write it.
            page.goto(f"{url}search.html?{name}={quote(value, safe='')}")
            if results(page) != pages:
                problems.append(f"?{name}={value!r}: {results(page)}, not {pages}")
            panel = page.evaluate(PANEL_JS, name)
            if [box["value"] for box in panel if box["checked"]] != [value]:
                problems.append(f"?{name}={value!r}: the panel checks {panel}")
            # From the panel, after a search for a word every organisation says.
            page.goto(f"{url}search.html?q=buurt")
            page.wait_for_selector(".mk-search-filters")
            panel = page.evaluate(PANEL_JS, name)
            if sorted(box["label"] for box in panel) != sorted(values):
                problems.append(f"{label}: the panel shows {[box['label'] for box in panel]}, not {sorted(values)}")
            box = page.locator(f'.mk-search-filters input[name="{name}"]').nth(
                [entry["value"] for entry in panel].index(value)
            )
            box.locator("xpath=ancestor::details").evaluate("details => details.open = true")
            page.evaluate("() => document.querySelector('.mk-search-status').dataset.before = ''")
            box.check()
            page.wait_for_function("() => !('before' in document.querySelector('.mk-search-status').dataset)")
            if results(page) != pages:
                problems.append(f"panel {label}={value!r}: {results(page)}, not {pages}")
            if parse_qs(urlsplit(page.url).query).get(name) != [value]:
                problems.append(f"panel {label}={value!r}: the address says {page.url}")
    # From the overview: each card's sector links to the search page, filtered by it.
    page.goto(f"{url}index.html")
    for link in page.eval_on_selector_all(".mk-organisation-cards a.mk-facet", "links => links.map(a => a.href)"):
        page.goto(link)
        name, value = next(iter(parse_qs(urlsplit(link).query).items()))
        pages = expected[FILTERS_BY_NAME[name]][value[0]]
        if results(page) != pages:
            problems.append(f"overview link {link}: {results(page)}, not {pages}")
    return problems


FILTERS_BY_NAME = {label.casefold(): label for label in FILTERS.values()}


@settings(max_examples=1, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=VALUES)
@example(
    values=[
        "De Pinte, Deinze, Destelbergen, Gavere",
        'Het "Oude" Gent & <Zuid>',
        "C:\\pad\\, 100%",
        "Wijk-werken, tewerkstelling en sociale economie",
        "Zorg & welzijn; O'Neill",
        "Zoë's café, ‘t hoekje",
    ],
)
def test_every_filter_value_works_from_the_panel_the_address_and_the_overview(browser, values):  # noqa: F811
    with tempfile.TemporaryDirectory(prefix="mk-filters-") as folder:
        outdir, expected = build(Path(folder), values)
        with serving(outdir) as url:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            try:
                page = context.new_page()
                # Each card shows its values as they were written: the filters are what readers see.
                page.goto(f"{url}index.html")
                shown = page.eval_on_selector_all(
                    ".mk-organisation-cards a.mk-facet", "links => links.map(a => a.textContent)"
                )
                assert sorted(set(shown)) == sorted(set(values))
                assert check(page, url, expected) == []
            finally:
                context.close()
