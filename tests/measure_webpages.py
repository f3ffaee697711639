"""How well each way of finding a web page's main content keeps the mission and leaves out the chrome.

Run with ``.venv/bin/python tests/measure_webpages.py [--seeds source_texts] [--mb 1 2]``.

Each seed text (the organisations' own missions in ``source_texts/``, Dutch and Flemish) is imported
as the project imports a plain text, its MyST page rendered to HTML by MyST's own parser, and that
HTML set as the main content of a page in each of six layouts of Dutch and Flemish organisation sites
(:data:`LAYOUTS`): a WordPress theme, a Bootstrap grid with a contact and news column, a short page
under a big menu, an old layout table, a page builder's sections with teasers and share links, an
ASP.NET page inside one ``<form>``. Every layout has a menu, and a header, footer, sidebar or
cookie banner with sentences of its own. So what is main content and what is chrome is known word by
word, without marking pages by hand.

For each way, the words it gives are compared with both as multisets: *main* is the share of the
main content's words it keeps, *chrome* the share of the chrome's words it lets in, *precision* the
share of its words that are main content. The ways: ``rules`` (the HTML reader alone, chrome left out
by tag), trafilatura 2.3.1 with its defaults, trafilatura as ``importer/webpage.py`` configures it,
readability (the port of readability-lxml inside trafilatura, ``Document.summary()``), jusText
(Dutch stoplist), ``importer`` (configured trafilatura mapped onto the page, as the import reads it)
and ``importer, readability`` (readability's text mapped onto the page the same way).
For the importer it also counts the page's words that are neither on the page nor itemised (must be
0) and the prose warnings (pieces with a run of 12 ordinary words left out).

With ``--mb``, it also times the import of a page of sections (headings, paragraphs with emphasis
and a link, list items) under a menu, of about that many megabytes, in processor seconds.

Not a test: pytest does not collect it; ``tests/importer/test_measure_webpages.py`` runs it on one page.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from missiekaart.importer import analyse, default_name, dropped_prose, import_text, webpage
from missiekaart.importer.html import html_blocks
from missiekaart.importer.htmltext import scan_text
from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN, Document
from missiekaart.importer.readerwords import reader_words, words_of
from missiekaart.importer.sourcefile import SourceText, read_source
from missiekaart.importer.webpage import extract_main_text
from missiekaart.importer.writer import Out

ROOT = Path(__file__).resolve().parent.parent
_MYST = create_md_parser(MdParserConfig(), RendererHTML)

# --------------------------------------------------------------------------- the pages

MENU = ["Home", "Over ons", "Missie en visie", "Ons aanbod", "Agenda", "Nieuws", "Vacatures", "Contact", "Doneren"]
NEWS = [
    "Op zaterdag 15 juni vieren we ons tienjarig bestaan met een groot feest voor de hele buurt.",
    "Vanaf september is ons onthaal ook op woensdagnamiddag open, zonder afspraak.",
    "We zoeken nog vrijwilligers die een paar uur per week willen helpen bij het huiswerk.",
]
COOKIES = (
    "Wij gebruiken cookies om je de beste ervaring op onze website te geven. "
    "Lees ons privacybeleid voor meer informatie."
)


def menu(items: list[str], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f'<li><a href="/{n}">{item}</a></li>' for n, item in enumerate(items)) + f"</{tag}>"


def wordpress(name: str, main: str) -> tuple[list[str], list[str]]:
    chrome = [
        '<a class="skip-link screen-reader-text" href="#content">Ga naar de inhoud</a>',
        f'<div id="cookie-notice" class="cookie-notice"><p>{COOKIES}</p><a href="#">Oké</a></div>',
        f'<header id="masthead" class="site-header"><p class="site-title"><a href="/">{name}</a></p>'
        f'<p class="site-description">Samen sterk in de buurt</p><nav class="main-navigation">{menu(MENU)}</nav>'
        "</header>",
    ]
    after = [
        '<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">'
        f'Recente berichten</h2>{menu(NEWS[:2])}</section><section class="widget"><h2>Nieuwsbrief</h2>'
        "<p>Schrijf je in voor onze maandelijkse nieuwsbrief en blijf op de hoogte van alles wat er gebeurt.</p>"
        '<form><input type="email"><button>Inschrijven</button></form></section></aside>',
        f'<footer id="colophon" class="site-footer"><p>© 2024 {name} · Kerkstraat 12, 9000 Gent</p>'
        "<p>Mogelijk gemaakt door WordPress</p></footer>",
    ]
    return chrome, after


def grid(name: str, main: str) -> tuple[list[str], list[str]]:
    chrome = [f'<div id="top"><div class="logo">{name}</div>{menu(MENU[:6])}</div>']
    after = [
        f'<div class="col-md-4"><div class="box"><h3>Contact</h3><p>{name}<br>Dorpsstraat 10<br>1093 BS Amsterdam'
        '<br>Telefoon: 020 123 45 67</p></div><div class="box"><h3>Nieuws</h3>'
        + "".join(f"<p><strong>Nieuw</strong> {item}</p>" for item in NEWS)
        + '</div></div></div></div><div id="footer">Privacy · Toegankelijkheid · © '
        + name
        + "</div>",
    ]
    return chrome, after


def short_page(name: str, main: str) -> tuple[list[str], list[str]]:
    mega = [f"{area} {item}" for area in ("Jeugd", "Gezin", "Werk", "Wonen") for item in ("info", "aanbod", "team")]
    chrome = [f'<div class="top">{menu(MENU + mega)}</div>']
    after = [f'<div class="bottom">{name} • Postbus 123, 8000 AA Zwolle • IBAN NL00 BANK 0123 4567 89</div>']
    return chrome, after


def layout_table(name: str, main: str) -> tuple[list[str], list[str]]:
    chrome = [f'<table width="100%"><tr><td class="links">{menu(MENU, "ul")}</td>']
    after = [
        f'</tr><tr><td colspan="2" class="onder">{name} - Heirnislaan 45 - 9000 Gent - tel. 09 123 45 67 - '
        "Laatst bijgewerkt op 3 maart 2023</td></tr></table>",
    ]
    return chrome, after


TEASER = '<article class="teaser"><h4>Nieuws</h4><p>{}</p><a href="/n">Lees meer</a></article>'


def page_builder(name: str, main: str) -> tuple[list[str], list[str]]:
    chrome = [
        f'<header class="elementor-location-header"><div class="elementor-widget"><img alt="{name}" src="l.png">'
        f"</div>{menu(MENU)}</header>",
        f'<div class="cc-window cc-banner">{COOKIES} <a>Akkoord</a></div>',
    ]
    after = [
        '<div class="share-buttons">Deel deze pagina: <a href="https://facebook.com">Facebook</a> '
        '<a href="https://x.com">X</a> <a href="mailto:?">E-mail</a></div>',
        '<section class="related-posts"><h3>Lees ook</h3>'
        + "".join(TEASER.format(item) for item in NEWS)
        + "</section>",
        f'<footer class="elementor-location-footer"><p>{name} vzw · Ondernemingsnummer 0123.456.789</p></footer>',
    ]
    return chrome, after


def webforms(name: str, main: str) -> tuple[list[str], list[str]]:
    chrome = [
        '<input type="hidden" name="__VIEWSTATE" value="dDwtMTA4NzA">',
        f'<div id="header"><a href="/">{name}</a>{menu(MENU[:5])}<div class="zoeken">Zoeken op de website</div></div>',
        '<div id="breadcrumb">U bent hier: <a href="/">Home</a> &gt; Over ons</div>',
    ]
    after = [f'<div id="footer">{name}, Markt 1 · Disclaimer · Privacyverklaring</div>']
    return chrome, after


Layout = Callable[[str, str], tuple[list[str], list[str]]]
BODY = ("<body>", "</body>")
#: Each layout: the chrome before and after the main content, the body's opening and closing, the main
#: content's wrapper.
LAYOUTS: dict[str, tuple[Layout, tuple[str, str], str]] = {
    "WordPress theme": (
        wordpress,
        BODY,
        '<main id="main"><article><div class="entry-content">{}</div></article></main>',
    ),
    "grid, contact column": (grid, BODY, '<div class="container"><div class="row"><div class="col-md-8">{}</div>'),
    "short page, big menu": (short_page, BODY, '<div class="inhoud">{}</div>'),
    "layout table": (layout_table, BODY, '<td class="inhoud">{}</td>'),
    "page builder": (
        page_builder,
        BODY,
        '<div class="elementor-section"><div class="elementor-container">{}</div></div>',
    ),
    "ASP.NET form": (
        webforms,
        ('<body><form method="post" id="aspnetForm">', "</form></body>"),
        '<div id="content">{}</div>',
    ),
}


def main_html(seed: Path) -> tuple[str, str]:
    """The organisation's name (from the file's) and its mission as HTML: the seed imported, its MyST page
    rendered (its title, the front matter's or the name, an ``h1``)."""
    page, _ = import_text(read_source(seed), None)
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    return default_name(seed), _MYST.render(body)


def web_page(layout: str, name: str, main: str) -> tuple[str, list[str], list[str]]:
    """The page, the words of its main content and those of its chrome."""
    make, (opening, closing), wrapper = LAYOUTS[layout]
    before, after = make(name, main)
    html = (
        f"<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Missie - {name}</title>"
        "<style>body{font-family:sans-serif}</style><script>window.dataLayer=[];</script></head>\n"
        + opening + "\n" + "\n".join(before) + "\n" + wrapper.format(main) + "\n" + "\n".join(after) + "\n"
        + closing + "</html>\n"
    )  # fmt: skip
    chrome = words_of(scan_text("\n".join(before + after)).casefold())
    return html, words_of(scan_text(main).casefold()), chrome


# --------------------------------------------------------------------------- the ways


def source_of(html: str) -> SourceText:
    return SourceText(Path("pagina.html"), "utf-8", {}, [(n, line) for n, line in enumerate(html.split("\n"), 1)])


def rules(html: str) -> str:
    out = Out(1)
    html_blocks(html, out, 1, whole=True)
    return " ".join(piece.text for block in out.blocks for piece in block.lines)


def trafilatura_defaults(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def readability(html: str) -> str:
    import lxml.html
    from trafilatura.readability_lxml import Document as Readable

    return scan_text(Readable(lxml.html.document_fromstring(html)).summary())


def justext_dutch(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("Dutch"))
    return "\n".join(paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate)


def importer_with(extract: Callable[[str], str | None]) -> Callable[[str], str]:
    """The importer's reading of a page, its main content found by *extract*: the words on its page."""

    def read(html: str) -> str:
        doc = webpage.web_page(Document(source_of(html), "Testorganisatie"), extract)
        return " ".join(piece.text for block in doc.blocks for piece in block.lines)

    return read


WAYS: dict[str, Callable[[str], str]] = {
    "rules": rules,
    "trafilatura": trafilatura_defaults,
    "configured": lambda html: extract_main_text(html) or "",
    "readability": readability,
    "jusText": justext_dutch,
    "importer": importer_with(extract_main_text),
    "importer, readability": importer_with(readability),
}


def score(output: str, main: list[str], chrome: list[str]) -> tuple[int, int, int]:
    """Main words kept, chrome words let in, words given, as multisets."""
    out, wanted = Counter(words_of(output.casefold())), Counter(main)
    kept = sum(min(count, wanted[word]) for word, count in out.items())
    rest = out - wanted
    let_in = sum(min(count, rest[word]) for word, count in Counter(chrome).items())
    return kept, let_in, sum(out.values())


def unaccounted(html: str) -> tuple[int, int]:
    """The importer's page: reader words neither on the page nor itemised, and the prose warnings."""
    doc = analyse(source_of(html))
    on_page = Counter(  # a block's MyST, where a styled initial is one word (else its pieces of text)
        word
        for block in doc.blocks
        for text in ([block.myst] if block.myst else [piece.text for piece in block.lines])
        for word in words_of(text)
    )
    dropped = Counter(word for item in doc.dropped if not item.reason.startswith("<") for word in words_of(item.text))
    read = Counter(word for word in reader_words(doc.source).texts if word not in (NOTE_OPEN, NOTE_CLOSE))
    missing = read - on_page - dropped
    return sum(missing.values()), len(dropped_prose(doc))


def measure(seeds: list[Path], ways: list[str]) -> list[str]:
    """The table: per layout and way, main kept / chrome let in (%), and the importer's checks."""
    totals: dict[tuple[str, str], list[int]] = {}
    times: dict[str, list[float]] = {way: [] for way in ways}
    checks = [0, 0]
    for seed in seeds:
        name, main = main_html(seed)
        for layout in LAYOUTS:
            html, main_words, chrome_words = web_page(layout, name, main)
            for way in ways:
                start = time.process_time()
                output = WAYS[way](html)
                times[way].append(time.process_time() - start)
                kept, let_in, given = score(output, main_words, chrome_words)
                for key in ((layout, way), ("all pages", way)):
                    total = totals.setdefault(key, [0, 0, 0, 0, 0])
                    total[0] += kept
                    total[1] += len(main_words)
                    total[2] += let_in
                    total[3] += len(chrome_words)
                    total[4] += given
            if "importer" in ways:
                missing, warnings = unaccounted(html)
                checks[0] += missing
                checks[1] += warnings
    rows = [
        f"{len(seeds)} seed texts x {len(LAYOUTS)} layouts; per cell: % of the main content's words kept / "
        "% of the chrome's words let in",
        "",
        "| layout | " + " | ".join(ways) + " |",
        "|---|" + "---|" * len(ways),
    ]
    for layout in [*LAYOUTS, "all pages"]:
        cells = []
        for way in ways:
            kept, main, let_in, chrome, _given = totals[layout, way]
            cells.append(f"{100 * kept / max(main, 1):.0f} / {100 * let_in / max(chrome, 1):.0f}")
        rows.append(f"| {layout} | " + " | ".join(cells) + " |")
    precision = [totals["all pages", way][0] / max(totals["all pages", way][4], 1) for way in ways]
    rows.append("| precision, all pages | " + " | ".join(f"{100 * value:.1f}" for value in precision) + " |")
    medians = [sorted(times[way])[len(times[way]) // 2] * 1000 for way in ways]
    rows.append("| CPU ms per page, median | " + " | ".join(f"{value:.0f}" for value in medians) + " |")
    if "importer" in ways:
        rows += ["", f"importer: {checks[0]} words neither on a page nor itemised; {checks[1]} prose warnings"]
    return rows


# --------------------------------------------------------------------------- large pages


SECTION_TEXT = (
    "wij begeleiden mensen met een beperking naar werk wonen en een zinvolle dagbesteding samen met hun "
    "netwerk vanuit respect voor ieders eigenheid draagkracht en talent"
)


def sections_page(megabytes: float, seed: int = 1) -> str:
    """A page of about *megabytes* of sections under a menu, as the importer's largest pages are."""
    rng = random.Random(seed)
    words = SECTION_TEXT.split()

    def said(count: int) -> str:
        return " ".join(rng.choice(words) for _ in range(count))

    parts = [f"<html><body><header><nav>{menu(MENU * 4)}</nav></header><main><article><h1>Missie</h1>\n"]
    size = len(parts[0])
    while size < megabytes * 1_000_000:
        part = (
            f"<h2>{said(3)}</h2>\n<p>{said(120)} <em>{said(3)}</em> <a href='https://example.org/'>{said(1)}</a></p>\n"
            f"<ul><li>{said(8)}</li></ul>\n"
        )
        parts.append(part)
        size += len(part)
    parts.append("</article></main><footer>Stichting Voorbeeld, Dorpsstraat 1</footer></body></html>\n")
    return "".join(parts)


def time_import(megabytes: float) -> str:
    html = sections_page(megabytes)
    source = source_of(html)
    start = time.process_time()
    _page, doc = import_text(source, "Testorganisatie")
    seconds = time.process_time() - start
    chosen = next((d.text for d in doc.decisions if "main content" in d.text or "read whole" in d.text), "")
    return f"{len(html.encode()) / 1_000_000:.1f} MB: {seconds:.1f} CPU s to import ({chosen})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "source_texts", help="a folder of seed texts (*.txt)")
    parser.add_argument("--ways", nargs="+", default=list(WAYS), choices=list(WAYS))
    parser.add_argument("--mb", nargs="*", type=float, default=[], help="also time the import of pages this large")
    args = parser.parse_args()
    print("\n".join(measure(sorted(args.seeds.glob("*.txt")), args.ways)))
    for megabytes in args.mb:
        print(time_import(megabytes))


if __name__ == "__main__":
    main()
