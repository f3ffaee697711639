"""The site in a real browser: layout from 360 px to wide screens, light and dark mode, links, a11y.

The site is built once for this module with ``make html`` into a temporary BUILDDIR, served over
http://127.0.0.1 from a thread, and opened in Debian's Chromium (package ``chromium``, at
/usr/bin/chromium) through Playwright; Playwright never downloads a browser of its own. CI
(.ci/run) installs the package. Without it these tests fail, naming the package; they never skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin

import pytest
from crowded import CROWDED_HOSTILE, CROWDED_ORGANISATIONS, write_crowded_project
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from missiekaart.views.orgpage import published_bytes

from project import DOCS, PROJECT, REPOSITORY, front_matter

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get install --no-install-recommends chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Shared memory in /tmp, not /dev/shm: a container's /dev/shm is often 64 MB, and with the
    # suite on every core two browsers may run at once.
    "--disable-dev-shm-usage",
]
NARROW, WIDE = 360, 1280
HEIGHT = 800

# Wide content may scroll sideways inside these boxes, never the page: Furo's table wrapper, our
# concept map's wrapper, and code blocks (the directive reference on over/directives.html).
SCROLL_BOXES = (".table-wrapper", ".mk-concept-map-wrapper", "pre")


# ---------------------------------------------------------------- fixtures


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # The browser closes connections it no longer needs (a page left mid-load): not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """*directory* served on http://127.0.0.1:<a free port>/ (that URL), stopped on leaving."""
    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Site:
    url: str
    html: Path

    def pages(self) -> list[str]:
        """Every HTML page of the site, relative to its root (index, organisations, concepts, ...)."""
        return sorted(
            p.relative_to(self.html).as_posix()
            for p in self.html.rglob("*.html")
            if "_sources" not in p.parts and "_static" not in p.parts
        )

    @functools.cached_property
    def export(self) -> dict:
        """The build's missiekaart.json: the organisations and concepts the site has, whatever they are."""
        return json.loads((self.html / "missiekaart.json").read_text(encoding="utf-8"))

    def organisation_page(self) -> str:
        """One organisation's page with value cards (the first such in the export)."""
        return next(o["page"] for o in self.export["organisations"] if o["value_cards"])

    def concept_page(self) -> str:
        """The page of the concept most organisations share."""
        concept = max(self.export["concepts"], key=lambda concept: len(concept["organisations"]))
        return concept["page"].partition("#")[0]


@pytest.fixture(scope="module")
def site(made_site):
    """``make html`` of the project under test (conftest.made_site), served on a free port of 127.0.0.1."""
    result, html = made_site
    assert result.returncode == 0, f"make html failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    with serving(html) as url:
        yield Site(url, html)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"the browser tests need Chromium at {CHROMIUM}, from Debian's package 'chromium'. "
            f"Install it with: sudo {INSTALL}",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, site: Site, width: int = WIDE, color_scheme: str = "light", theme: str | None = None):
    """A page in a fresh context; *theme* is stored as Furo's choice ("light", "dark") before load.

    ``page.foreign`` lists the requests the page made outside the site (it must need none), and
    ``page.missing`` the site's files it asked for and did not get.
    """
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, color_scheme=color_scheme)
    if theme is not None:
        context.add_init_script(f"window.localStorage.setItem('theme', {theme!r})")
    page = context.new_page()
    page.foreign, page.missing = [], []
    page.on("request", lambda request: request.url.startswith((site.url, "data:")) or page.foreign.append(request.url))
    page.on(
        "response",
        lambda response: (
            response.status < 400
            or response.url.endswith("/favicon.ico")
            or page.missing.append(f"{response.url}: HTTP {response.status}")
        ),
    )
    return page


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"


# ---------------------------------------------------------------- colours (WCAG 2)

RGBA = tuple[float, float, float, float]


def parse_colour(value: str) -> RGBA:
    match = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", value.strip())
    assert match, f"not an rgb() colour: {value!r}"
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), 1.0 if alpha is None else float(alpha)


def over(top: RGBA, bottom: RGBA) -> RGBA:
    """*top* painted over the opaque colour *bottom*."""
    alpha = top[3]
    return (*(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], bottom[:3], strict=False)), 1.0)


def backdrop(backgrounds: list[str]) -> RGBA:
    """The colour behind an element: its and its ancestors' backgrounds (innermost first) on white."""
    colour: RGBA = (255.0, 255.0, 255.0, 1.0)
    for value in reversed(backgrounds):
        colour = over(parse_colour(value), colour)
    return colour


def luminance(colour: RGBA) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, backgrounds: list[str]) -> float:
    back = backdrop(backgrounds)
    lighter, darker = sorted((luminance(over(parse_colour(foreground), back)), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula():
    assert contrast("rgb(0, 0, 0)", ["rgb(255, 255, 255)"]) == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", ["rgba(0, 0, 0, 0)"]) == pytest.approx(4.54, abs=0.01)
    assert contrast("rgba(0, 0, 0, 0.5)", ["rgb(255, 255, 255)"]) < 4.5


# ---------------------------------------------------------------- 1. no sideways scrolling

OVERFLOW_JS = """scrollBoxes => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + ((e.getAttribute('class') || '').trim() ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : '');
  const inScrollBox = e => scrollBoxes.some(s => e.parentElement && e.parentElement.closest(s));
  const scrolling = [], outside = [];
  for (const e of document.querySelectorAll('*')) {
    const x = getComputedStyle(e).overflowX;
    if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1 && !scrollBoxes.some(s => e.matches(s)))
      scrolling.push(`${name(e)} (${e.clientWidth} px wide, content ${e.scrollWidth} px)`);
  }
  for (const e of document.querySelectorAll('article *')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.left < -0.5 || r.right > window.innerWidth + 0.5) && !inScrollBox(e))
      outside.push(`${name(e)} (x ${Math.round(r.left)} to ${Math.round(r.right)})`);
  }
  const boxes = [...document.querySelectorAll(scrollBoxes.join(','))].map(e => ({
    name: name(e), overflowX: getComputedStyle(e).overflowX, right: e.getBoundingClientRect().right,
    clientWidth: e.clientWidth, scrollWidth: e.scrollWidth}));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          scrolling, outside: outside.slice(0, 5), boxes};
}"""


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_no_page_scrolls_sideways(site, browser, width):
    """Every page fits the viewport; only tables, the concept map and code scroll, in their own box.

    Furo sets ``overflow-x: hidden`` on <html> and lets ``.content`` scroll, so the page's own
    scrollWidth alone would never show a too-wide element: every scroll box is checked as well.
    """
    page = new_page(browser, site, width)
    pages = site.pages()
    # Every page of docs/ (organisations, concepts, overviews, guide) is checked.
    expected = {
        p.relative_to(DOCS).with_suffix(".html").as_posix() for p in DOCS.rglob("*.md") if p.name != "README.md"
    }
    assert {"index.html", "vergelijking.html"} <= expected <= set(pages)
    problems = []
    boxes = {}
    for name in pages:
        open_page(page, site.url + name)
        found = page.evaluate(OVERFLOW_JS, list(SCROLL_BOXES))
        if found["scrollWidth"] > found["innerWidth"]:
            problems.append(f"{name}: the page is {found['scrollWidth']} px wide in a {found['innerWidth']} px window")
        problems += [f"{name}: {box} scrolls sideways" for box in found["scrolling"]]
        problems += [f"{name}: {element} sticks out of the {width} px window" for element in found["outside"]]
        boxes[name] = found["boxes"]
    page.context.close()
    assert problems == []
    assert page.foreign == [] and page.missing == []
    # The wide content of the comparison page scrolls inside its own box, which fits the window.
    wrappers = {box["name"].split(".")[1]: box for box in boxes["vergelijking.html"]}
    assert set(wrappers) == {"table-wrapper", "mk-concept-map-wrapper"}, boxes["vergelijking.html"]
    for box in wrappers.values():
        assert box["overflowX"] == "auto", box
        assert box["right"] <= width, box
    if width == NARROW:
        # The matrix is wider than a phone and scrolls in its box; the map scales to fit it.
        table, graph = wrappers["table-wrapper"], wrappers["mk-concept-map-wrapper"]
        assert table["scrollWidth"] > table["clientWidth"], wrappers
        assert graph["scrollWidth"] <= graph["clientWidth"], wrappers


# ---------------------------------------------------------------- 2. the landing page's grid

CARDS_JS = """() => [...document.querySelectorAll('.mk-organisation-cards .mk-summary-card')].map(card => {
  const r = card.getBoundingClientRect();
  return {left: Math.round(r.left), top: Math.round(r.top), right: r.right, bottom: r.bottom,
          name: card.querySelector('.mk-card-title strong').textContent.trim(),
          links: [...card.querySelectorAll('a[href]')].map(a => a.href),
          external: [...card.querySelectorAll('a.reference.external')].map(a => a.href)};
})"""


def check_links(page, hrefs: list[str], base: str, site: Site) -> list[str]:
    """Open every page *hrefs* (relative to *base*) point to, each once; return the problems:
    links out of the site, pages not found, fragments that are no element's id."""
    assert hrefs
    problems = []
    wanted: dict[str, set[str]] = defaultdict(set)
    for href in hrefs:
        url, fragment = urldefrag(urljoin(base, href))
        if not url.startswith(site.url):
            problems.append(f"{href}: leaves the site")
            continue
        wanted[url].add(unquote(fragment))
    for url, fragments in sorted(wanted.items()):
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(f"{url}: HTTP {response and response.status}")
            continue
        for fragment in sorted(fragments - {""}):
            count = page.evaluate('id => document.querySelectorAll(`[id="${CSS.escape(id)}"]`).length', fragment)
            if count != 1:
                problems.append(f"{url}#{fragment}: {count} elements with this id")
    return problems


LANDING_CARDS = 3  # the landing page shows a few organisations' cards (docs/index.md, :limit:)


def test_landing_grid_is_one_column_on_a_phone_and_several_on_a_wide_screen(site, browser):
    layouts = {}
    for width in (NARROW, WIDE):
        page = new_page(browser, site, width)
        open_page(page, site.url + "index.html")
        cards = page.evaluate(CARDS_JS)
        assert len(cards) == min(LANDING_CARDS, len(site.export["organisations"]))
        for card in cards:
            assert card["left"] >= 0 and card["right"] <= width, (width, card)
        for i, a in enumerate(cards):  # no two cards overlap
            for b in cards[i + 1 :]:
                assert (
                    a["right"] <= b["left"] + 1
                    or b["right"] <= a["left"] + 1
                    or a["bottom"] <= b["top"] + 1
                    or b["bottom"] <= a["top"] + 1
                ), (width, a, b)
        layouts[width] = cards
        page.context.close()
    narrow_lefts = {card["left"] for card in layouts[NARROW]}
    assert len(narrow_lefts) == 1, f"at {NARROW} px the cards are not in one column: left x {sorted(narrow_lefts)}"
    wide_lefts = {card["left"] for card in layouts[WIDE]}
    assert len(wide_lefts) >= 2, f"at {WIDE} px the cards are in one column: left x {sorted(wide_lefts)}"
    rows = defaultdict(int)
    for card in layouts[WIDE]:
        rows[card["top"]] += 1
    assert max(rows.values()) >= 2, rows
    # In reading order, left to right and then down, the cards are the organisations by name.
    for cards in layouts.values():
        read = sorted(cards, key=lambda card: (round(card["top"]), card["left"]))
        assert read == cards, [card["name"] for card in read]
    names = sorted((o["name"] for o in site.export["organisations"]), key=str.casefold)[:LANDING_CARDS]
    assert [card["name"] for card in layouts[WIDE]] == names


def test_every_landing_card_link_leads_to_an_existing_element(site, browser):
    page = new_page(browser, site)
    open_page(page, site.url + "index.html")
    cards = page.evaluate(CARDS_JS)
    # Each card links its organisation and at least one concept; an organisation's website (the
    # only link out of the site) is not followed: the tests run offline.
    hrefs = []
    for card in cards:
        internal = [href for href in card["links"] if href not in card["external"]]
        assert len(internal) >= 2, card
        assert all(href.startswith("https://") for href in card["external"]), card
        hrefs += internal
    assert check_links(page, hrefs, site.url + "index.html", site) == []
    page.context.close()


# ---------------------------------------------------------------- 3. light and dark mode

# (stored theme, the OS's colour scheme, the scheme Furo should show)
MODES = {
    "light": ("light", "dark", "light"),
    "dark": ("dark", "light", "dark"),
    "auto": (None, "dark", "dark"),  # a first visit on a dark system: Furo follows it
}


def theme_pages(site: Site) -> list[str]:
    """The landing page, an organisation's page, a concept's page and the comparison page."""
    return ["index.html", site.organisation_page(), site.concept_page(), "vergelijking.html"]


THEME_JS = """() => {
  const name = e => e.tagName.toLowerCase()
    + ((e.getAttribute('class') || '').trim() ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : '');
  const backgrounds = e => { const r = []; for (let n = e; n; n = n.parentElement) r.push(getComputedStyle(n).backgroundColor); return r; };
  const ownText = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const shown = e => e.getBoundingClientRect().width > 0;
  const texts = [...document.querySelectorAll('.mk-card, .mk-card *, .mk-backlinks, .mk-backlinks *')]
    .filter(e => ownText(e) && shown(e))
    .map(e => ({name: name(e), text: e.textContent.trim().slice(0, 40), colour: getComputedStyle(e).color,
                backgrounds: backgrounds(e), body: !!e.closest('.mk-card-body')}));
  const map = [...document.querySelectorAll('svg.mk-concept-map text')].map(e => ({
    name: name(e), text: e.textContent.trim(), colour: getComputedStyle(e).fill, backgrounds: backgrounds(e)}));
  const cards = {};
  for (const kind of ['mk-mission-card', 'mk-value-card', 'mk-summary-card']) {
    const card = document.querySelector('.' + kind);
    if (card) { const s = getComputedStyle(card);
      cards[kind] = {background: s.backgroundColor, colour: s.color,
                     border: [parseFloat(s.borderLeftWidth), parseFloat(s.borderTopWidth)]}; }
  }
  return {theme: document.body.dataset.theme, texts, map, cards,
          page: getComputedStyle(document.body).backgroundColor};
}"""


@pytest.fixture(scope="module")
def themed(site, browser) -> dict[str, dict[str, dict]]:
    """For each mode, for each page in theme_pages(site): the colours THEME_JS measures."""
    measured = {}
    for mode, (stored, system, _shown) in MODES.items():
        page = new_page(browser, site, color_scheme=system, theme=stored)
        measured[mode] = {}
        for name in theme_pages(site):
            open_page(page, site.url + name)
            measured[mode][name] = page.evaluate(THEME_JS)
        page.context.close()
    return measured


@pytest.mark.parametrize("mode", MODES)
def test_card_text_is_readable(site, themed, mode):
    """Every text in a card (and in the concept pages' "Gedeeld door" lists) has contrast >= 4.5."""
    stored, _system, _shown = MODES[mode]
    low = []
    body_paragraphs = 0
    for name, found in themed[mode].items():
        assert found["theme"] == (stored or "auto"), (name, found["theme"])
        if name != "vergelijking.html":
            assert found["texts"], f"{name}: no card text found"
        for text in found["texts"]:
            ratio = contrast(text["colour"], text["backgrounds"])
            body_paragraphs += text["body"] and text["name"] == "p"
            if ratio < 4.5:
                low.append(
                    f"{name}: {text['name']} {text['text']!r}: {text['colour']} on "
                    f"{backdrop(text['backgrounds'])[:3]}, contrast {ratio:.2f}"
                )
    assert body_paragraphs >= LANDING_CARDS, "too few card body paragraphs were measured"
    assert low == []


@pytest.mark.parametrize("mode", MODES)
def test_concept_map_labels_are_readable(site, themed, mode):
    found = themed[mode]["vergelijking.html"]
    used = [concept for concept in site.export["concepts"] if concept["organisations"]]
    assert len(found["map"]) == len(used)  # the global map: every used concept, labelled
    assert themed[mode][site.organisation_page()]["map"], "the organisation page has no map"
    low = [
        f"{name}: {text['text']!r}: fill {text['colour']} on {backdrop(text['backgrounds'])[:3]}, "
        f"contrast {contrast(text['colour'], text['backgrounds']):.2f}"
        for name, page in themed[mode].items()
        for text in page["map"]
        if contrast(text["colour"], text["backgrounds"]) < 4.5
    ]
    assert low == []


def test_cards_follow_furos_light_and_dark_mode(site, themed):
    kinds = set()
    for name in theme_pages(site)[:3]:
        light, dark, auto = (themed[mode][name] for mode in ("light", "dark", "auto"))
        assert light["page"] != dark["page"], name
        kinds |= set(light["cards"])
        for kind, card in light["cards"].items():
            # Our stylesheet is applied: the left border is the broad, coloured one.
            assert card["border"][0] >= 3 * card["border"][1] > 0, (name, kind, card)
            assert card["background"] != dark["cards"][kind]["background"], (name, kind)
            assert card["colour"] != dark["cards"][kind]["colour"], (name, kind)
            # A card stands out from the page in both modes.
            assert card["background"] != light["page"], (name, kind)
            assert dark["cards"][kind]["background"] != dark["page"], (name, kind)
        # "auto" on a dark system looks exactly like the dark mode.
        assert auto["cards"] == dark["cards"] and auto["page"] == dark["page"], name
    assert kinds == {"mk-mission-card", "mk-value-card", "mk-summary-card"}
    light_map, dark_map = (themed[mode]["vergelijking.html"]["map"] for mode in ("light", "dark"))
    assert light_map[0]["colour"] != dark_map[0]["colour"]


# ---------------------------------------------------------------- 4. the comparison page's links


def test_concept_map_and_matrix_links_resolve(site, browser):
    page = new_page(browser, site)
    url = site.url + "vergelijking.html"
    open_page(page, url)
    map_links = page.evaluate("""() => [...document.querySelectorAll('svg.mk-concept-map a')]
        .map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))""")
    matrix_links = page.evaluate(
        "() => [...document.querySelectorAll('table.mk-concept-matrix a')].map(a => a.getAttribute('href'))"
    )
    nodes = len(site.export["organisations"]) + len(site.export["concepts"])
    used = [concept for concept in site.export["concepts"] if concept["organisations"]]
    assert len(map_links) == len(used) and all(map_links), map_links
    assert len(matrix_links) >= nodes and all(matrix_links), matrix_links
    # Every link leads to a page of the site, and a fragment to one element (a link to the top of a
    # page, a concept page's concept or an organisation's mission, has none).
    assert check_links(page, map_links + matrix_links, url, site) == []
    page.context.close()


def test_clicking_the_concept_map_follows_its_links(site, browser):
    page = new_page(browser, site)
    # The global map links concepts; an organisation's own map links organisations too.
    for url, selector in (
        (site.url + site.organisation_page(), "svg.mk-concept-map .mk-map-organisation a"),
        (site.url + "vergelijking.html", "svg.mk-concept-map .mk-map-concept a"),
    ):
        open_page(page, url)
        link = page.locator(selector).first
        target = urljoin(url, link.get_attribute("href"))
        link.locator("text").click()
        page.wait_for_url(target)
        fragment = unquote(urldefrag(target)[1])
        assert not fragment or page.evaluate("id => !!document.getElementById(id)", fragment), target
        assert page.locator("h1").count() == 1, target  # it landed on a page of the site
    page.context.close()


# ---------------------------------------------------------------- 5. axe-core

# Furo's own page structure: its two navigation drawers share the landmark role, and its
# "skip to content" link sits outside every landmark.
ALLOWED_AXE_RULES = {"landmark-unique", "region"}
AXE_PAGES = {
    kind: (lambda site, kind=kind: reader_pages(site)[kind])
    for kind in ("landing", "organisation", "concept", "concepts", "comparison", "about", "search")
}


def serious_axe_violations(page) -> list:
    """axe-core's serious and critical findings on *page*, less Furo's own (ALLOWED_AXE_RULES),
    each as its rule and the elements it found."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in ALLOWED_AXE_RULES
    ]


def sideways_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0 or less: none)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("kind", AXE_PAGES)
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_accessibility_violations(site, browser, kind, mode):
    from axe_playwright_python.sync_playwright import Axe

    name = AXE_PAGES[kind](site)
    page = new_page(browser, site, theme=mode)
    open_page(page, site.url + name)
    if kind == "search":
        page.wait_for_selector(".mk-search-results li")
    violations = Axe().run(page).response["violations"]
    page.context.close()
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(n['target'][-1] for n in v['nodes'])}"
        for v in violations
        if v["id"] not in ALLOWED_AXE_RULES
    ]
    assert found == []


# ---------------------------------------------------------------- 6. the reader's pages (issue 14)

PHONE = 390
# Screenshots for review: in the repository's build folder, which stays after the test (the site
# itself is built into a temporary one, of the project under test).
SCREENSHOTS = REPOSITORY / "_build" / "screenshots"

# Labels of Furo, Sphinx and Pagefind that a reader of the Dutch site must never see in English.
ENGLISH_LABELS = (
    "Next",
    "Previous",
    "Back to top",
    "On this page",
    "Skip to content",
    "Made with",
    "Hide navigation sidebar",
    "Toggle",
    "Light mode",
    "Dark mode",
    "Auto light/dark",
    "Contents",
    "Expand",
    "Collapse",
    "Search",
    "Copyright",
    "View this page",
    "Edit this page",
    "View source",
    "Show source",
    "Home",
    "Reset",
    "Clear",
    "Link to this",
    "Last updated",
    "Error",
    "Please activate JavaScript",
    "results for",
    "Load more",
    "Table of contents",
    "navigation",
    "sidebar",
    "theme",
)


def reader_pages(site: Site) -> dict[str, str]:
    """One page of every kind a reader meets; the search page with a concept's title as query."""
    concept = site.export["concepts"][0]["title"]
    return {
        "landing": "index.html",
        "organisation": site.organisation_page(),
        "concept": site.concept_page(),
        "concepts": "concepts/index.html",
        "comparison": "vergelijking.html",
        "about": "over/index.html",
        "search": f"search.html?q={concept}",
    }


CHROME_JS = """() => {
  const texts = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    const parent = n.parentElement;
    if (n.textContent.trim() && !parent.closest('script, style, [data-pagefind-body]')) texts.push(n.textContent.trim());
  }
  const attributes = [];
  for (const e of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
    for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
      if (e.hasAttribute(name) && !e.closest('[data-pagefind-body]')) attributes.push(`${name}="${e.getAttribute(name)}"`);
  return {lang: document.documentElement.lang, texts, attributes};
}"""

PADDING_JS = """() => [...document.querySelectorAll('.mk-card')].filter(card => card.getBoundingClientRect().width).map(card => {
  const r = card.getBoundingClientRect(), s = getComputedStyle(card);
  const inner = {left: r.left + parseFloat(s.borderLeftWidth), right: r.right - parseFloat(s.borderRightWidth),
                 top: r.top + parseFloat(s.borderTopWidth), bottom: r.bottom - parseFloat(s.borderBottomWidth)};
  let least = Infinity, where = '';
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    if (!n.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    for (const b of range.getClientRects()) {
      if (!b.width) continue;
      const gap = Math.min(b.left - inner.left, inner.right - b.right, b.top - inner.top, inner.bottom - b.bottom);
      if (gap < least) { least = gap; where = n.textContent.trim().slice(0, 30); }
    }
  }
  return {card: card.id || card.className, least, where, stretched: inner.bottom - Math.max(...[...card.children].map(c => c.getBoundingClientRect().bottom))};
})"""

TITLE_WORDS_JS = """() => {
  const broken = [];
  for (const title of document.querySelectorAll('article h1, article h2, article h3, .mk-card-title')) {
    const box = title.getBoundingClientRect();
    if (!box.width) continue;
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode()); ) {
      // A word may wrap after its own hyphen ("Wijk-werkorganisatie"), nowhere else.
      for (const m of n.textContent.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
        const range = document.createRange(); range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(b => b.width).map(b => Math.round(b.top)));
        const right = range.getBoundingClientRect().right;
        if (lines.size > 1) broken.push(`${m[0]} (across ${lines.size} lines)`);
        if (right > window.innerWidth + 0.5) broken.push(`${m[0]} (sticks out to x ${Math.round(right)})`);
      }
    }
  }
  return broken;
}"""


def english(found: dict) -> list[str]:
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(label) for label in ENGLISH_LABELS) + r")\b")
    return [text for text in found["texts"] + found["attributes"] if pattern.search(text)]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_reader_pages_are_dutch_padded_and_fit(site, browser, width, mode):
    """Every kind of page, on a phone and a laptop, light and dark: Dutch chrome (``lang="nl"``, no
    English label in text or attributes), nothing wider than the window, at least 12 px between a
    card's edge and its text, cards as tall as their own text, and no title word broken or cut.
    A screenshot of each goes to _build/screenshots/."""
    shots = SCREENSHOTS
    shots.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, site, width, theme=mode)
    problems = []
    for kind, name in reader_pages(site).items():
        open_page(page, site.url + name)
        if kind == "search":
            page.wait_for_selector(".mk-search-results li")
        page.screenshot(path=str(shots / f"{kind}-{width}-{mode}.png"), full_page=True)
        chrome = page.evaluate(CHROME_JS)
        if chrome["lang"] != "nl":
            problems.append(f"{name}: <html lang={chrome['lang']!r}>")
        problems += [f"{name}: English label {text!r}" for text in english(chrome)]
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            problems.append(f"{name}: {widths[0]} px wide in a {widths[1]} px window")
        for card in page.evaluate(PADDING_JS):
            if card["least"] < 12 - 0.5:
                problems.append(f"{name}: {card['card']}: text {card['where']!r} {card['least']:.1f} px from the edge")
            if card["stretched"] > 24:  # padding (12 px) and a margin at most: not stretched to its row
                problems.append(f"{name}: {card['card']}: {card['stretched']:.0f} px empty below its text")
        problems += [f"{name}: title word {word}" for word in page.evaluate(TITLE_WORDS_JS)]
    page.context.close()
    assert page.foreign == [] and page.missing == []
    assert problems == []


def organisation_pages(site: Site) -> list[str]:
    return [organisation["page"] for organisation in site.export["organisations"]]


@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_the_original_text_is_one_link_from_the_top(site, browser, width):
    """On every organisation's page, a link above the cards leads to the original text's section,
    which follows the summary (the value cards and the related organisations) and links the verbatim
    text file (byte for byte the source)."""
    page = new_page(browser, site, width)
    for name in organisation_pages(site):
        open_page(page, site.url + name)
        jump = page.evaluate("""() => {
          const first = document.querySelector('article .mk-card');
          const target_of = a => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
          const link = [...document.querySelectorAll('article a[href^="#"]:not(.headerlink)')].find(a =>
            a.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING && a.getAttribute('href').length > 1
            && target_of(a) && target_of(a).querySelector('a.mk-source-file'));
          if (!link) return null;
          const target = target_of(link);
          const file = target.querySelector('a.mk-source-file');
          const summary = [...document.querySelectorAll('article .mk-value-card, article .mk-related')];
          return {href: link.getAttribute('href'), linkTop: link.getBoundingClientRect().top,
                  heading: target.querySelector('h2, h3').textContent, file: file.href,
                  before: summary.every(e => !!(target.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING))};
        }""")
        assert jump is not None and jump["file"], f"{name}: no link to the original text above the cards"
        assert jump["linkTop"] < HEIGHT, (name, jump)
        assert jump["before"], f"{name}: a value card or the related organisations come after the original text"
        response = page.request.get(jump["file"])
        assert response.ok, jump["file"]
        docname = next(o["id"] for o in site.export["organisations"] if o["page"] == name)
        source = PROJECT / front_matter(DOCS / f"{docname}.md")["mk-source"]
        # The text as it is, or (a Windows-1252 text) the same characters in UTF-8.
        assert response.body() == (published_bytes(source) or source.read_bytes()), name
        page.click(f'article a[href="{jump["href"]}"]')
        where = "id => document.getElementById(id).getBoundingClientRect().top"
        with contextlib.suppress(PlaywrightTimeout):  # smooth scrolling takes a moment; the assert says where it ended
            page.wait_for_function(
                f"id => Math.abs(({where})(id)) < {HEIGHT / 2}", arg=unquote(jump["href"][1:]), timeout=3000
            )
        top = page.evaluate(where, unquote(jump["href"][1:]))
        assert abs(top) < HEIGHT / 2, f"{name}: the link did not bring the text into view (top {top})"
    page.context.close()


def test_reading_and_navigation_work_without_javascript(site, browser):
    """Without JavaScript every page shows its text and its navigation; on a phone the navigation
    drawer opens with its (CSS-only) button."""
    for width in (PHONE, WIDE):
        context = browser.new_context(viewport={"width": width, "height": HEIGHT}, java_script_enabled=False)
        page = context.new_page()
        for name in [*organisation_pages(site)[:1], "index.html", site.concept_page()]:
            open_page(page, site.url + name)
            assert len(page.inner_text("article")) > 200, name
            if width == PHONE:
                page.click("label.nav-overlay-icon")
            links = page.locator(".sidebar-tree a.reference")
            assert links.count() > 0, name
            assert links.first.is_visible(), (name, width)
        context.close()


LAYOUT_SHIFT_JS = """() => new Promise(resolve => {
  let total = 0; const moved = [];
  // From the end of parsing on: what scripts (and late styles) move. Before it, a long table laid
  // out while its rows still stream in may move on a busy machine; that is the parser, not us.
  const parsed = performance.getEntriesByType('navigation')[0].domInteractive;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput || entry.startTime < parsed) continue;
      total += entry.value;
      for (const source of entry.sources) moved.push(source.node ? source.node.nodeName + '.' + source.node.className : '?');
    }
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({total, moved}), 1000);
})"""


@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_nothing_shifts_on_load(site, browser, width):
    """With JavaScript, no page moves once it is parsed (cumulative layout shift at most 0.01): the
    theme's scripts, the search page's results and filters."""
    page = new_page(browser, site, width)
    shifts = {}
    for kind, name in reader_pages(site).items():
        open_page(page, site.url + name)
        shifts[kind] = page.evaluate(LAYOUT_SHIFT_JS)
    page.context.close()
    assert {kind: shift for kind, shift in shifts.items() if shift["total"] > 0.01} == {}


# ---------------------------------------------------------------- 9. the maps, measured

# For every concept map on a page: is it shown; each label's text, font size on screen (its CSS
# size times the SVG's scale) and box; the box of everything drawn and the SVG's own; and, where the
# map gives way, whether its note and the list the note links to are shown.
MAPS_JS = """() => [...document.querySelectorAll('.mk-concept-map-wrapper')].map(wrapper => {
  const svg = wrapper.querySelector('svg.mk-concept-map');
  const visible = e => !!e && e.getClientRects().length > 0 && e.getBoundingClientRect().height > 0;
  const shown = visible(svg);
  const note = wrapper.querySelector('.mk-map-note');
  const target = note && note.querySelector('a') ? decodeURIComponent(note.querySelector('a').getAttribute('href').slice(1)) : '';
  const list = target ? document.getElementById(target) : null;
  const box = r => [r.left, r.top, r.right, r.bottom];
  const scale = shown ? svg.getScreenCTM().a : 0;
  const labels = shown ? [...svg.querySelectorAll('text')].map(t => ({
    text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale, box: box(t.getBoundingClientRect())})) : [];
  const drawn = shown ? [...svg.querySelectorAll('text, circle, rect, path')].map(e => e.getBoundingClientRect()) : [];
  const union = drawn.length ? [Math.min(...drawn.map(r => r.left)), Math.min(...drawn.map(r => r.top)),
                                Math.max(...drawn.map(r => r.right)), Math.max(...drawn.map(r => r.bottom))] : null;
  return {shown, labels, count: svg ? svg.querySelectorAll('text').length : 0, union,
          svg: shown ? box(svg.getBoundingClientRect()) : null, scale,
          note: visible(note), list: visible(list), target};
})"""

MAP_WIDTHS = [PHONE, WIDE]


def meeting_labels(labels: list[dict]) -> list[str]:
    """Every two labels whose boxes on screen overlap (by more than a hundredth of a pixel)."""
    e = 0.01
    return [
        f"{a['text']!r} and {b['text']!r}"
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["box"][0] + e < b["box"][2]
        and b["box"][0] + e < a["box"][2]
        and a["box"][1] + e < b["box"][3]
        and b["box"][1] + e < a["box"][3]
    ]


def map_problems(name: str, found: list[dict], width: int) -> list[str]:
    """The rules every map keeps at every width: shown, its labels at 11 px or more, no two meeting,
    no empty border; or, on a narrow screen, hidden behind a note that links to its list, shown."""
    problems = []
    for number, found_map in enumerate(found):
        where = f"{name} map {number + 1} at {width} px"
        if not found_map["shown"]:
            if width == WIDE:
                problems.append(f"{where}: hidden on a wide screen")
            if not (found_map["note"] and found_map["list"]):
                problems.append(f"{where}: hidden, but its note or list #{found_map['target']} is not shown")
            continue
        if len(found_map["labels"]) != found_map["count"] or not found_map["labels"]:
            problems.append(f"{where}: {len(found_map['labels'])} of {found_map['count']} labels measured")
        problems += [
            f"{where}: {label['text']!r} at {label['px']:.1f} px"
            for label in found_map["labels"]
            if label["px"] < 11 - 1e-6
        ]
        problems += [f"{where}: {pair} overlap" for pair in meeting_labels(found_map["labels"])]
        # Empty space: the drawing reaches every side of the SVG but for its margin, and the slack of
        # label boxes measured with wide font metrics: at most 8 px and 5% of the SVG's size.
        svg, union = found_map["svg"], found_map["union"]
        gaps = [union[0] - svg[0], union[1] - svg[1], svg[2] - union[2], svg[3] - union[3]]
        allowed = [8 + 0.05 * (svg[2] - svg[0]), 8 + 0.05 * (svg[3] - svg[1])] * 2
        if any(gap > most for gap, most in zip(gaps, allowed, strict=True)):
            problems.append(f"{where}: empty border of {[round(gap) for gap in gaps]} px (left, top, right, bottom)")
    return problems


def measure_maps(browser, site: Site, pages: list[str], width: int, mode: str = "light") -> dict[str, list[dict]]:
    page = new_page(browser, site, width, color_scheme=mode, theme=mode)
    found = {}
    for name in pages:
        open_page(page, site.url + name)
        found[name] = page.evaluate(MAPS_JS)
    page.context.close()
    assert page.foreign == [] and page.missing == []
    return found


@pytest.mark.parametrize("width", MAP_WIDTHS)
def test_every_map_is_readable_without_collisions_or_gives_way_to_its_list(site, browser, width):
    """Every map on every page (the comparison page's concept map, each organisation's own map), at
    390 and 1280 px: labels of 11 CSS px or more whose boxes never overlap, no empty border around
    the drawing; or, on the phone, the map hidden and its list shown."""
    found = measure_maps(browser, site, site.pages(), width)
    with_maps = {name for name, maps in found.items() if maps}
    related = {o["page"] for o in site.export["organisations"]}
    assert "vergelijking.html" in with_maps
    assert with_maps & related, "no organisation page has a map"
    problems = [problem for name, maps in found.items() for problem in map_problems(name, maps, width)]
    assert problems == []


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """The crowded project, built (sphinx-build, HTML) and served like the site."""
    root = tmp_path_factory.mktemp("crowded")
    write_crowded_project(root / "src")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(root / "src"), str(root / "html")],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    html = root / "html"
    with serving(html) as url:
        yield Site(url, html)


# Both widths in the light mode, and the dark one (where only the colours differ) at the wide one.
@pytest.mark.parametrize(("width", "mode"), [(PHONE, "light"), (WIDE, "light"), (WIDE, "dark")])
def test_crowded_maps_are_readable_without_collisions_or_give_way(crowded, browser, width, mode):
    pages = ["index.html", *(f"orgs/o{n}.html" for n in range(CROWDED_ORGANISATIONS))]
    found = measure_maps(browser, crowded, pages, width, mode)
    assert all(len(found[name]) == 1 for name in pages), {name: len(maps) for name, maps in found.items()}
    problems = [problem for name, maps in found.items() for problem in map_problems(name, maps, width)]
    assert problems == []
    if width == WIDE:
        labels = sorted(label["text"] for label in found["index.html"][0]["labels"])
        used = sorted(concept["title"] for concept in crowded.export["concepts"] if concept["organisations"])
        assert labels == used and set(CROWDED_HOSTILE) <= set(labels)
