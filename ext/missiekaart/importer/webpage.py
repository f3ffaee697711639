"""A web page saved from a browser: its main content, chosen by trafilatura, read by the HTML reader.

The page's ``<title>`` is not reader text of the organisation's mission (the browser shows it in
its tab). Of its ``<body>``, trafilatura (2.x, a maintained extractor) finds the main content;
:mod:`.maincontent` maps the text it found back onto the page's own elements, and
:func:`.html.html_blocks` reads those with their structure and source lines. What lies outside the
main content (navigation, header, footer, sidebar, ...) is left out piece by piece and itemised in
the report with its line and kind, so every word of the page is on the imported page or in the
report. The reader's own rules still leave out what no reader sees and chrome inside the main
content (a form, a cookie banner). The extractor only chooses: its own HTML is not the page, since
it normalises text, drops inline pieces and, rarely, reorders (a sidebar teaser before the title).

When trafilatura finds no main content, keeps less than a third of a short page's words (a mission
of three paragraphs under a big menu), leaves out more words of prose (runs of 12 ordinary words or
more, what the report warns about) than it keeps (of a page nested 300 levels deep or more it kept
one menu item), fails, or the page has more elements than it is given, the whole body
is read as before (the chrome left out by rule), and the report says why.

Measured (issue 23) on ten saved pages, of which six are not in the repository (this table cannot
be run again from it; ``tests/measure_webpages.py`` below can): six of organisations and
associations from trafilatura's own evaluation set (German and English; no saved Dutch or Flemish
page turned up in public repositories) and four written for this project in the style of Dutch and Flemish organisation
sites, the regression cases ``html-*.html``. Each page's main content was marked by hand; a block
counts as kept when 60% of its word trigrams are in the output. Main / chrome: the percentage of
the words of the main content kept, and of the visible words outside it that got in:

==========================================  ======  ===========  ==========  ===========  =======  ========
page (words: main / chrome)                 before  trafilatura  configured  readability  jusText  importer
==========================================  ======  ===========  ==========  ===========  =======  ========
hundeverein-kreisunna.de (312 / 15)         100/20  100/0        100/0       100/0        100/0    100/0
die-partei.net, one post (58 / 45)          100/100 93/0         71/0        93/0         71/0     71/0
fairkom.eu/about, a mission (1006 / 96)     100/73  85/1         85/1        90/1         63/4     96/1
piratenpartei-mv.de, big sidebar (182/628)  98/0    97/0         97/0        97/0         48/72    100/0
creativecommons.at, 3 paragraphs (198/292)  100/99  100/8        100/8       98/0         98/0     100/0
mozilla.org, product page (295 / 117)       92/0    100/0        92/0        92/0         23/0     93/0
own: WordPress theme, nl-BE (138 / 84)      100/5   98/0         98/0        98/23        67/0     100/0
own: one column, 3 paragraphs (86 / 21)     100/100 98/71        98/0        100/0        0/0      100/0
own: div#content, no main (108 / 31)        100/100 100/0        100/0       100/0        97/0     100/0
own: two columns, contact, news (106 / 61)  100/100 70/20        100/0       100/0        0/0      100/0
all pages                                   99/38   92/3.7       92/1.7      94/1.4       62/33    97/0.1
headings / list items kept (of 51 / 34)     40/34   45/23        46/26       32/34        37/3     42/34
links / emphasis kept (of 28 / 12)          24/12   26/11        25/12       27/12        0/0      22/12
time per page, median (slowest)             7 (20)  9 (27)       7 (31)      6 (27)       5 (19)   14 (59) ms
==========================================  ======  ===========  ==========  ===========  =======  ========

"before" is the rule-based reader alone; "trafilatura" its defaults, "configured" as below;
readability-lxml 0.9 ``summary()``; jusText 3.0.2 with the page's stoplist (it gives paragraphs
and headings only); "importer" is this module: configured trafilatura mapped onto the page. With
readability-lxml mapped the same way the importer kept 95/0.6 and only 26 of 51 headings; jusText
finds nothing on a short page (the importer falls back). trafilatura is kept for recall of
headings and lists, precision on small pages once configured, and because it is maintained and
falls back to readability and jusText itself. Configured: ``favor_precision`` (a menu or footer
kept on the page cannot be taken off it again, check-source holds the page to its source; a
paragraph left out is itemised and can be added by hand), ``MIN_EXTRACTED_SIZE`` 10 instead of 250
(a short page otherwise goes to trafilatura's fallback, which lost the headings and the list of
the two-column page), links and images included (without links it lost them too).

Measured again, reproducibly (``tests/measure_webpages.py``): the five missions of ``source_texts/``
each in six layouts of Dutch and Flemish sites (a WordPress theme, a grid with a contact and news
column, a short page under a big menu, a layout table, a page builder's sections, an ASP.NET page
in one form), what is main content and what chrome known word by word. Main content's words kept
/ chrome's words let in, over the 30 pages: rules alone 100/64, trafilatura 95/20, configured 96/16,
readability 99/13, jusText 99/13, the importer 98/22 (readability mapped the same way: 100/16); no
page's word is neither on the page nor itemised. Where the importer loses main content, trafilatura
left it out (a grid's lists, a layout table's sections): each piece is itemised, prose with a warning.
Large pages, in CPU seconds for the whole import: 0.5 MB of sections (headings, paragraphs with
emphasis and a link, list items) 1.5 s, 1 MB 3.6 s, 2 MB 5.7 s (13,000 elements); a 4 MiB
paragraph 4.9 s; 49,000 elements are more than MAX_ELEMENTS and read whole, 3.2 s. Importing
trafilatura takes 0.3 s, once, when the first web page is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from lxml import etree

from missiekaart.importer.html import Outside, html_blocks
from missiekaart.importer.maincontent import choose, read_page, signature
from missiekaart.importer.model import Document
from missiekaart.importer.writer import Out

__all__ = ["MAX_ELEMENTS", "SHORT_PAGE", "SHORT_SHARE", "extract_main_text", "web_page"]

#: Elements given to the extractor; a larger page is read whole. trafilatura's time grows with the square of
#: the elements (libxml2 merges XPath unions pairwise): 20,000 of paragraphs with links took 5 s, 48,000 19 s.
MAX_ELEMENTS = 20_000
SHORT_PAGE = 400  # words: a page this short whose main content is less than SHORT_SHARE of it is read whole
SHORT_SHARE = 1 / 3
MIN_EXTRACTED_SIZE = 10  # characters; trafilatura's 250 sends a short mission to its fallback, which loses headings


@cache
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))
    return config


def extract_main_text(html: str) -> str | None:
    """The text of *html*'s main content as trafilatura finds it (None: none), a line per block and
    table cells apart; link targets are not text. No network is used."""
    import trafilatura  # imported when a web page is read: it takes a third of a second

    xml: str | None = trafilatura.extract(
        html,
        output_format="xml",
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,  # measured: without, trafilatura loses the headings and lists of a small two-column page
        include_formatting=True,
        deduplicate=False,
        with_metadata=False,
        config=_config(),
    )
    if not xml:
        return None
    main = etree.fromstring(xml.encode("utf-8"), parser=_XML).find("main")
    return _text(main) if main is not None else None


_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_UNITS = frozenset({"p", "head", "item", "list", "quote", "code", "table", "row", "lb", "div", "main"})


def _text(main: etree._Element) -> str:
    """The text of trafilatura's XML: each block on a line of its own, table cells apart."""
    parts: list[str] = []
    for event, element in etree.iterwalk(main, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        separator = "|" if tag == "cell" else "\n" if tag in _UNITS else ""
        if tag == "graphic":  # an image: its alternative text, a unit of its own
            separator = "\n" + (element.get("alt") or "") + "\n"
        if event == "start":
            parts += [separator, element.text or ""]
        else:
            parts += [separator, element.tail or "" if element is not main else ""]
    return "".join(parts)


def _outside(html: str, out: Out, first_line: int, extract: Callable[[str], str | None]) -> Outside:
    def outside(body: etree._Element) -> Mapping[etree._Element, str] | None:
        line = first_line + (body.sourceline or 1) - 1
        page = read_page(body)
        if not page.total:
            return None
        if page.elements > MAX_ELEMENTS:
            out.decide(
                line,
                f"page of {page.elements} elements (more than {MAX_ELEMENTS}): read whole, no main content chosen",
            )
            return None
        try:
            text = extract(html)
        except Exception as error:  # a heuristic third-party extractor: the whole page is the safe answer
            out.decide(line, f"main-content extraction failed ({type(error).__name__}): the whole page is read")
            return None
        choice = choose(body, text, page)
        if choice.fallback:
            out.decide(line, f"main-content extraction {choice.fallback}: the whole page is read")
            return None
        if choice.total < SHORT_PAGE and choice.kept < SHORT_SHARE * choice.total:
            out.decide(
                line,
                f"main content of {choice.kept} of the page's {choice.total} words is too little of a short page: "
                "the whole page is read",
            )
            return None
        if choice.prose_left_out > choice.kept:  # it kept a menu item of a page of paragraphs, say
            out.decide(
                line,
                f"main content of {choice.kept} of the page's {choice.total} words and {choice.prose_left_out} "
                "words of prose left out: the extractor chose wrong, the whole page is read",
            )
            return None
        for piece in choice.images:
            alts = ", ".join(repr(" ".join((image.get("alt") or "").split())) for image in piece.iter("img"))
            out.decide(
                first_line + (piece.sourceline or 1) - 1, f"image outside the page's main content left out: {alts}"
            )
        for wrapper in choice.wrappers:
            out.decide(
                first_line + (wrapper.sourceline or 1) - 1,
                f"{signature(wrapper)} read, not left out as chrome: it holds most of the page's main content",
            )
        pieces = len(choice.outside)
        out.decide(
            line,
            f"main content: {choice.kept} of the page's {choice.total} words (trafilatura); "
            f"{pieces} {'piece' if pieces == 1 else 'pieces'} outside it left out",
        )
        return {**choice.outside, **dict.fromkeys(choice.wrappers, "")}

    return outside


def web_page(doc: Document, extract: Callable[[str], str | None] | None = None) -> Document:
    """The page's main content as blocks; what lies outside it dropped, piece by piece."""
    if not doc.source.lines:
        return doc
    first_line = doc.source.lines[0][0]
    out = Out(first_line)
    html = "\n".join(text for _, text in doc.source.lines)
    html_blocks(
        html, out, first_line, whole=True, outside=_outside(html, out, first_line, extract or extract_main_text)
    )
    return replace(
        doc,
        blocks=doc.blocks + tuple(out.blocks),
        dropped=doc.dropped + tuple(out.dropped),
        decisions=doc.decisions + tuple(out.decisions),
    )
