"""The site in a real browser: layout from 360 px to wide screens, light and dark mode, links, a11y.

The site is built once for this module with ``make html`` into a temporary BUILDDIR, served over
http://127.0.0.1 from a thread, and opened in Debian's Chromium (package ``chromium``, at
/usr/bin/chromium) through Playwright; Playwright never downloads a browser of its own. CI
(.ci/run) installs the package. Without it these tests fail, naming the package; they never skip.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin

import pytest

from project import DOCS, PROJECT

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get install --no-install-recommends chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
NARROW, WIDE = 360, 1280
HEIGHT = 800

# Wide content may scroll sideways inside these boxes, never the page: Furo's table wrapper, our
# concept map's wrapper, and code blocks (the directive reference on over/directives.html).
SCROLL_BOXES = (".table-wrapper", ".mk-concept-map-wrapper", "pre")


# ---------------------------------------------------------------- fixtures


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # The browser closes connections it no longer needs (a page left mid-load): not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Site:
    url: str
    html: Path

    def pages(self) -> list[str]:
        """Every HTML page of the site, relative to its root (index, organisations, concepts, ...)."""
        return sorted(p.relative_to(self.html).as_posix() for p in self.html.rglob("*.html")
                      if "_sources" not in p.parts and "_static" not in p.parts)

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
def site(tmp_path_factory):
    """``make html`` (of the project under test, tests/project.py) into a temporary BUILDDIR, served on
    a free port of 127.0.0.1."""
    builddir = tmp_path_factory.mktemp("browser-site")
    result = subprocess.run(
        ["make", "--no-print-directory", "html", f"BUILDDIR={builddir}"],
        cwd=PROJECT, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"make html failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    html = builddir / "html"
    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_address[1]}/", html)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}, from Debian's package 'chromium'. "
                    f"Install it with: sudo {INSTALL}", pytrace=False)
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
    page.on("response", lambda response: response.status < 400 or response.url.endswith("/favicon.ico")
            or page.missing.append(f"{response.url}: HTTP {response.status}"))
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
    return (*(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], bottom[:3])), 1.0)


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
    expected = {p.relative_to(DOCS).with_suffix(".html").as_posix() for p in DOCS.rglob("*.md") if p.name != "README.md"}
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
        # The matrix and the map are wider than a phone: without their wrapper they would overflow.
        assert all(box["scrollWidth"] > box["clientWidth"] for box in wrappers.values()), wrappers


# ---------------------------------------------------------------- 2. the landing page's grid

CARDS_JS = """() => [...document.querySelectorAll('.mk-organisation-cards .mk-summary-card')].map(card => {
  const r = card.getBoundingClientRect();
  return {left: Math.round(r.left), top: Math.round(r.top), right: r.right, bottom: r.bottom,
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
            count = page.evaluate("id => document.querySelectorAll(`[id=\"${CSS.escape(id)}\"]`).length", fragment)
            if count != 1:
                problems.append(f"{url}#{fragment}: {count} elements with this id")
    return problems


def test_landing_grid_is_one_column_on_a_phone_and_several_on_a_wide_screen(site, browser):
    layouts = {}
    for width in (NARROW, WIDE):
        page = new_page(browser, site, width)
        open_page(page, site.url + "index.html")
        cards = page.evaluate(CARDS_JS)
        assert len(cards) == len(site.export["organisations"])
        for card in cards:
            assert 0 <= card["left"] and card["right"] <= width, (width, card)
        for i, a in enumerate(cards):  # no two cards overlap
            for b in cards[i + 1:]:
                assert (a["right"] <= b["left"] + 1 or b["right"] <= a["left"] + 1
                        or a["bottom"] <= b["top"] + 1 or b["bottom"] <= a["top"] + 1), (width, a, b)
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
                low.append(f"{name}: {text['name']} {text['text']!r}: {text['colour']} on "
                           f"{backdrop(text['backgrounds'])[:3]}, contrast {ratio:.2f}")
    assert body_paragraphs >= len(site.export["organisations"]), "too few card body paragraphs were measured"
    assert low == []


@pytest.mark.parametrize("mode", MODES)
def test_concept_map_labels_are_readable(site, themed, mode):
    found = themed[mode]["vergelijking.html"]
    assert len(found["map"]) >= len(site.export["organisations"]) + len(site.export["concepts"])
    low = [f"{text['text']!r}: fill {text['colour']} on {backdrop(text['backgrounds'])[:3]}, "
           f"contrast {contrast(text['colour'], text['backgrounds']):.2f}"
           for text in found["map"] if contrast(text["colour"], text["backgrounds"]) < 4.5]
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
    matrix_links = page.evaluate("() => [...document.querySelectorAll('table.mk-concept-matrix a')].map(a => a.getAttribute('href'))")
    nodes = len(site.export["organisations"]) + len(site.export["concepts"])
    assert len(map_links) >= nodes and all(map_links), map_links
    assert len(matrix_links) >= nodes and all(matrix_links), matrix_links
    assert all("#" in href for href in map_links + matrix_links)
    assert check_links(page, map_links + matrix_links, url, site) == []
    page.context.close()


def test_clicking_the_concept_map_follows_its_links(site, browser):
    page = new_page(browser, site)
    url = site.url + "vergelijking.html"
    for selector in ("svg.mk-concept-map a.mk-map-organisation", "svg.mk-concept-map a.mk-map-concept"):
        open_page(page, url)
        link = page.locator(selector).first
        target = urljoin(url, link.get_attribute("href"))
        link.locator("text").click()
        page.wait_for_url(target)
        fragment = unquote(urldefrag(target)[1])
        assert page.evaluate("id => !!document.getElementById(id)", fragment), target
    page.context.close()


# ---------------------------------------------------------------- 5. axe-core

# Furo's own page structure: its two navigation drawers share the landmark role, and its
# "skip to content" link sits outside every landmark.
ALLOWED_AXE_RULES = {"landmark-unique", "region"}
AXE_PAGES = {"landing": lambda site: "index.html", "organisation": Site.organisation_page,
             "comparison": lambda site: "vergelijking.html"}


@pytest.mark.parametrize("kind", AXE_PAGES)
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_accessibility_violations(site, browser, kind, mode):
    from axe_playwright_python.sync_playwright import Axe

    name = AXE_PAGES[kind](site)
    page = new_page(browser, site, theme=mode)
    open_page(page, site.url + name)
    violations = Axe().run(page).response["violations"]
    page.context.close()
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(n['target'][-1] for n in v['nodes'])}"
             for v in violations if v["id"] not in ALLOWED_AXE_RULES]
    assert found == []
