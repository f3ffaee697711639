"""A saved web page (issue 23): its main content chosen by trafilatura and read with its structure,
everything else left out piece by piece and itemised, and the whole page read when the choice fails."""

from __future__ import annotations

import random
import socket
from collections import Counter
from pathlib import Path

import pytest
from readback import lost_words

from missiekaart.importer import analyse, import_text, webpage
from missiekaart.importer.html import html_blocks
from missiekaart.importer.maincontent import align, choose, extracted_words, kind, read_page
from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN, Document
from missiekaart.importer.readerwords import reader_words, words_of
from missiekaart.importer.sourcefile import SourceText, read_source
from missiekaart.importer.writer import Out

CASES = Path(__file__).parent / "cases"
WEB_CASES = sorted(CASES.glob("html-*.html"))


def page_source(html: str, name: str = "pagina.html") -> SourceText:
    return SourceText(Path(name), "utf-8", {}, [(number, line) for number, line in enumerate(html.split("\n"), 1)])


def unaccounted(doc: Document) -> Counter[str]:
    """The source's reader words that are neither on the page (its blocks' MyST, where a styled initial,
    <b>V</b>erbinding, is one word; else their pieces of text) nor in what was dropped."""
    on_page = Counter(
        word
        for block in doc.blocks
        for text in ([block.myst] if block.myst else [piece.text for piece in block.lines])
        for word in words_of(text)
    )
    dropped = Counter(word for item in doc.dropped if not item.reason.startswith("<") for word in words_of(item.text))
    read = Counter(word for word in reader_words(doc.source).texts if word not in (NOTE_OPEN, NOTE_CLOSE))
    return read - on_page - dropped


def outside(doc: Document) -> list[tuple[int, str, str]]:
    return [
        (item.line, item.reason.removeprefix("outside the page's main content "), item.text[:30])
        for item in doc.dropped
        if item.reason.startswith("outside")
    ]


def decisions(doc: Document) -> list[str]:
    return [item.text for item in doc.decisions if "main content" in item.text or "whole page" in item.text]


@pytest.mark.parametrize("path", WEB_CASES, ids=lambda path: path.name)
def test_every_visible_word_of_a_case_is_on_the_page_or_dropped(path):
    page, doc = import_text(read_source(path), "Testorganisatie")
    assert unaccounted(doc) == Counter()
    assert lost_words(doc, page) == []  # and in order, as check-source reads the page


@pytest.mark.parametrize("path", WEB_CASES, ids=lambda path: path.name)
def test_a_case_saved_on_one_line_keeps_every_word_and_check_source_finds_each_piece_left_out(path):
    """Minified, as many sites serve pages: every piece left out is on line 1, and check-source took the
    first words of the line that matched a piece (the menu's 'Home' for the footer's) or none at all."""
    html = " ".join(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    page, doc = import_text(page_source(html), "Testorganisatie")
    assert {item.line for item in doc.dropped} == {1} and len(doc.dropped) > 1
    assert unaccounted(doc) == Counter()
    assert lost_words(doc, page) == []


def test_a_start_tag_is_found_at_its_column_not_in_a_script_or_comment():
    from missiekaart.importer.htmltext import StartTags

    html = "<html><body><!-- <p>oud --><script>w('<p>x</p>')</script><p>Een</p> <P class=x>Twee</P></body></html>"
    body = html_body(html)
    tags = StartTags(html, body)
    assert [html[tags.column(p) :][:6] for p in body.iter("p")] == ["<p>Een", "<P cla"]


def test_what_lies_outside_the_main_content_is_itemised_piece_by_piece_with_line_and_kind():
    doc = analyse(read_source(CASES / "html-wordpress-theme-with-sidebar.html"))
    assert outside(doc) == [
        (11, "(navigation)", "Ga naar de inhoud"),
        (12, "(cookie banner)", "Wij gebruiken cookies om je de"),
        (18, "(header)", "Vzw Het Anker Samen sterk in G"),
        (73, "(sidebar)", "Recente berichten Buurtfeest o"),
        (87, "(footer)", "© 2024 Vzw Het Anker · Sleepst"),
    ]
    assert decisions(doc) == ["main content: 138 of the page's 224 words (trafilatura); 5 pieces outside it left out"]
    headings = [(block.level, block.myst) for block in doc.blocks if block.kind == "heading"]
    assert headings == [(2, "Missie en visie"), (3, "Onze missie"), (3, "Onze visie"), (4, "Waar we voor staan")]


def test_a_second_column_of_contact_details_and_news_is_one_piece_left_out():
    doc = analyse(read_source(CASES / "html-two-columns-contact-and-news.html"))
    assert outside(doc) == [
        (10, "(header)", "Wijkteam Oost Home Missie Hulp"),
        (33, '<div class="col col-4 kolom-rechts">', "Contact Wijkteam Oost Dapperst"),
        (54, "(footer)", "Privacy · Toegankelijkheid · ©"),
    ]
    column = next(item for item in doc.dropped if item.line == 33)
    assert "Dapperstraat 10" in column.text and "Nieuw spreekuur in de bibliotheek" in column.text


def test_a_mission_in_a_content_div_loses_its_menu_and_banner_image_but_not_its_structure():
    page, doc = import_text(read_source(CASES / "html-mission-in-div-content.html"), "Testorganisatie")
    assert outside(doc) == [  # the banner has no text to itemise: the report names its image
        (11, "(navigation)", "Startpagina | Wie zijn wij | A"),
        (31, "(footer)", "Buurthuis De Kiem vzw - Heirni"),
    ]
    assert "image outside the page's main content left out: 'Buurthuis De Kiem'" in [d.text for d in doc.decisions]
    assert "- een taalcafé voor nieuwkomers;" in page and "**Onze missie** is eenvoudig" in page


def test_a_short_mission_of_three_paragraphs_keeps_them_all_and_its_heading():
    doc = analyse(read_source(CASES / "html-one-column-three-paragraphs.html"))
    assert [(block.kind, block.myst[:24]) for block in doc.blocks] == [
        ("heading", "Over ons"),
        ("myst", "Stichting De Vlinder ond"),
        ("myst", "Onze vrijwilligers komen"),
        ("myst", "Wij ontvangen geen subsi"),
    ]
    assert [item.reason for item in doc.dropped] == [
        'outside the page\'s main content <div class="top">',
        'outside the page\'s main content <div class="bottom">',
    ]


# ---------------------------------------------------------------------------- falling back to the whole page

SHORT_PAGE = """<html><body>
<div class="menu"><a href="/">Home</a> <a href="/over">Over ons</a> <a href="/contact">Contact</a></div>
<div class="inhoud">
<h1>Onze missie</h1>
<p>Wij geven kinderen in de wijk een veilige plek om te spelen en te leren.</p>
<p>Vrijwilligers uit de buurt maken dat elke woensdag mogelijk.</p>
</div>
<footer>Stichting Speelplek, Dorpsstraat 1</footer>
</body></html>"""


def read_whole(html: str) -> list[tuple[str, str]]:
    """The blocks of today's reader, without a choice of main content."""
    out = Out(1)
    html_blocks(html, out, 1, whole=True)
    return [(block.kind, block.myst) for block in out.blocks]


def blocks(doc: Document) -> list[tuple[str, str]]:
    return [(block.kind, block.myst) for block in doc.blocks]


def imported_with(html: str, extract=None) -> Document:
    """*html* read as a web page, its main content found by *extract* (None: trafilatura)."""
    return webpage.web_page(Document(page_source(html), "Testorganisatie"), extract)


def test_without_main_content_the_whole_page_is_read_and_the_report_says_so():
    doc = imported_with(SHORT_PAGE, lambda html: None)
    assert decisions(doc) == ["main-content extraction found no main content: the whole page is read"]
    assert blocks(doc) == read_whole(SHORT_PAGE)
    assert [item.reason for item in doc.dropped] == ["site chrome <footer>"]


def test_when_the_extractor_keeps_too_little_of_a_short_page_the_whole_page_is_read():
    doc = imported_with(SHORT_PAGE, lambda html: "Vrijwilligers uit de buurt maken dat elke woensdag mogelijk.")
    assert decisions(doc) == [
        "main content of 9 of the page's 34 words is too little of a short page: the whole page is read"
    ]
    assert blocks(doc) == read_whole(SHORT_PAGE)


def test_on_a_long_page_a_small_main_content_is_kept_and_the_rest_itemised():
    menu = "".join(f'<li><a href="/p{number}">Onderdeel nummer {number}</a></li>' for number in range(150))
    html = SHORT_PAGE.replace('<a href="/contact">Contact</a>', f"<ul>{menu}</ul>")
    doc = imported_with(html, lambda html: "Wij geven kinderen in de wijk een veilige plek om te spelen en te leren.")
    assert decisions(doc) == ["main content: 17 of the page's 483 words (trafilatura); 3 pieces outside it left out"]
    assert [(item.line, item.reason) for item in doc.dropped] == [
        (2, "outside the page's main content (navigation)"),
        (6, "outside the page's main content <p>"),
        (8, "outside the page's main content (footer)"),
    ]
    assert unaccounted(doc) == Counter()


def test_an_extractor_that_fails_leaves_the_whole_page_to_the_reader():
    def broken(html: str) -> str:
        raise RuntimeError("kapot")

    doc = imported_with(SHORT_PAGE, broken)
    assert decisions(doc) == ["main-content extraction failed (RuntimeError): the whole page is read"]
    assert blocks(doc) == read_whole(SHORT_PAGE)


def test_a_page_with_more_elements_than_the_extractor_is_given_is_read_whole(monkeypatch):
    monkeypatch.setattr(webpage, "MAX_ELEMENTS", 5)
    calls: list[str] = []
    doc = imported_with(SHORT_PAGE, calls.append)
    assert calls == []
    assert decisions(doc) == ["page of 10 elements (more than 5): read whole, no main content chosen"]
    assert blocks(doc) == read_whole(SHORT_PAGE)


def test_reading_a_web_page_uses_no_network(monkeypatch):
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the importer opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)  # not the class: modules imported now subclass it
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    doc = analyse(read_source(CASES / "html-wordpress-theme-with-sidebar.html"))
    assert decisions(doc)[0].startswith("main content: ")


WEBFORMS_PAGE = """<html><body><form method="post" action="./missie.aspx" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" value="dDwtMTA4NzA">
<div id="header"><a href="/">Gemeente Voorbeeld</a>
<ul class="menu"><li><a href="/a">Wonen</a></li><li>Welzijn</li></ul></div>
<div id="content">
<h1>Onze missie</h1>
<p>Het sociaal huis van de gemeente helpt elke inwoner die hulp nodig heeft, snel en dicht bij huis.</p>
<p>Wij werken samen met vrijwilligers, scholen en verenigingen, zodat niemand uit de boot valt.</p>
<form class="zoeken"><label>Zoek op de site</label><input name="q"><button>Zoeken</button></form>
</div>
<div id="footer">Gemeente Voorbeeld, Markt 1</div>
</form></body></html>"""


@pytest.mark.parametrize("extract", [None, lambda html: None], ids=["trafilatura", "no main content"])
def test_a_form_around_the_whole_page_is_read_and_a_search_form_in_it_left_out(extract):
    """ASP.NET WebForms put the whole body in one <form>: left out as chrome, the page was empty."""
    doc = imported_with(WEBFORMS_PAGE, extract)
    texts = [block.myst[:30] for block in doc.blocks]  # read whole, the page keeps the site's name and menu
    at = texts.index("Onze missie")
    assert texts[at : at + 3] == ["Onze missie", "Het sociaal huis van de gemeen", "Wij werken samen met vrijwilli"]
    search = [item.reason for item in doc.dropped if item.text == "Zoek op de site Zoeken"]
    assert search == ["site chrome <form>" if extract else "outside the page's main content (form)"]
    assert unaccounted(doc) == Counter()


def test_a_wrapper_whose_class_names_cookies_is_read_when_it_holds_the_main_content():
    html = WEBFORMS_PAGE.replace(
        '<form method="post" action="./missie.aspx" id="aspnetForm">', '<div class="cookies-ok">'
    )
    doc = imported_with(html.replace("</form></body>", "</div></body>"))
    assert '<div class="cookies-ok"> read, not left out as chrome: it holds most of the page\'s main content' in [
        decision.text for decision in doc.decisions
    ]
    assert [block.myst[:11] for block in doc.blocks] == ["Onze missie", "Het sociaal", "Wij werken "]


# ---------------------------------------------------------------------------- the parts


def test_runs_are_the_text_between_block_boundaries_without_what_no_reader_sees():
    body = html_body(
        "<body><p>Een <em>warme</em> buurt<img alt='Logo van de buurt'></p><script>var x = 1;</script>"
        "<div hidden>verborgen</div>los<h2>Kop <span>twee</span></h2></body>"
    )
    page = read_page(body)
    assert page.runs == [["een", "warme", "buurt"], ["logo", "van", "de", "buurt"], ["los"], ["kop", "twee"]]
    assert page.heading == [False, False, False, True]
    assert page.images == {1}
    assert page.total == 6


def html_body(html: str):
    import lxml.html

    return lxml.html.document_fromstring(html).find("body")


def test_align_keeps_runs_found_in_order_and_skips_short_runs_inside_longer_text():
    runs = [
        ["vzw", "het", "anker"],  # the site's name: the first words of a paragraph, not a line of their own
        ["home", "contact"],
        ["onze", "missie"],
        ["vzw", "het", "anker", "is", "een", "buurtwerking", "in", "gent"],
        ["lees", "meer"],  # far ahead of the last match: a menu item, not the line below
        ["wij", "brengen", "buren", "samen", "over", "grenzen", "heen"],
    ]
    text = extracted_words(
        "Onze missie\nVzw Het Anker is een buurtwerking in Gent\nWij brengen buren samen over (link) grenzen heen"
    )
    assert align(runs, text) == [False, False, True, True, False, True]


def test_a_run_whose_last_words_the_extractor_glued_does_not_take_the_next_runs_first_words():
    """trafilatura writes ``<em>samen</em> <a>sterk</a>`` as ``samensterk``: the paragraph's last word then
    matches the next item's first one, and the item must still be found (it was itemised as left out)."""
    runs = [["onze", "buurt", "is", "van", "iedereen", "samen", "sterk"], ["sterk", "staan", "we", "samen"]]
    assert align(runs, extracted_words("Onze buurt is van iedereen samensterk\nSterk staan we samen")) == [True, True]


def test_a_list_after_a_paragraph_that_ends_in_a_link_is_main_content():
    html = """<html><body><nav><a href="/">Home</a></nav>
<main>
<h1>Over ons</h1>
<p>Onze buurt is van iedereen die er woont en werkt, en dat maken we elke dag waar: <em>samen</em>
<a href="https://x.be/">sterk</a></p>
<ul><li>Sterk staan we samen</li><li>Iedereen doet mee</li></ul>
<p>Kom gerust eens langs in ons buurthuis aan de Kerkstraat.</p>
</main><footer>Buurthuis, Kerkstraat 1</footer></body></html>"""
    doc = analyse(page_source(html))
    assert [(line, reason) for line, reason, _ in outside(doc)] == [(1, "(navigation)"), (8, "(footer)")]


def test_a_piece_left_out_is_prose_by_its_longest_run_not_by_all_its_words():
    from missiekaart.importer.htmltext import shown_text

    menu = "".join(f"<li><a href='/{n}'>Onderdeel {n} hier</a></li>" for n in range(10))
    sentence = "Wij zijn een organisatie die al dertig jaar werkt voor mensen in armoede"
    body = html_body(
        f"<body><nav><ul>{menu}</ul></nav><footer>Straat 1<br>9000 Gent<br>Open van maandag tot vrijdag"
        f"<script>var een = 'twee drie vier vijf zes zeven acht negen tien elf twaalf dertien';</script></footer>"
        f"<aside><p>Nieuws: <em>{sentence}</em> en meer.</p></aside></body>"
    )
    assert [shown_text(element)[1] for element in body] == [2, 5, 16]
    assert shown_text(body[1])[0] == "Straat 1 9000 Gent Open van maandag tot vrijdag"


def test_a_short_run_belongs_to_the_main_content_next_to_it_not_to_the_same_words_before():
    """The site's name in the header and a menu item equal the page's title and first heading: looked for
    ahead, they took those lines of the extracted text and the header was kept."""
    runs = [["buurtkracht"], ["home"], ["missie", "en", "visie"], ["buurtkracht"], ["missie", "en", "visie"]]
    runs.append(["graag", "leg", "ik", "even", "uit", "waarvoor", "wij", "staan"])
    text = extracted_words("Buurtkracht\nMissie en visie\nGraag leg ik even uit waarvoor wij staan")
    assert align(runs, text) == [False, False, False, True, True, True]


def test_a_word_split_by_inline_markup_is_one_word_as_the_browser_and_the_extractor_show_it():
    page = read_page(html_body("<body><p>Een Hyper<b>link</b> en<br>nog<span hidden>x</span>wat</p></body>"))
    assert page.runs == [["een", "hyperlink", "en", "nogwat"]] and page.node_run == [0, 0, 0, 0, 0]


def test_kinds_of_chrome_by_tag_role_and_names():
    body = html_body(
        '<body><nav>a</nav><div role="contentinfo">b</div><div id="cookie-notice">c</div>'
        '<div class="widget-area">d</div><div class="col">e</div><header class="site-header">f</header></body>'
    )
    assert [kind(element) for element in body] == ["navigation", "footer", "cookie banner", "sidebar", "", "header"]


def test_choose_leaves_out_the_largest_elements_without_main_content():
    body = html_body(
        "<body><div id='top'><a href='/'>Home</a><ul><li>Over ons</li></ul></div>"
        "<div id='main'><h1>Missie</h1><p>Wij helpen mensen in de buurt met raad en daad.</p>"
        "<p>Deel deze pagina</p></div><div id='bottom'><p>Adres</p></div></body>"
    )
    choice = choose(body, "Wij helpen mensen in de buurt met raad en daad.")
    assert sorted((element.get("id") or element.tag, reason) for element, reason in choice.outside.items()) == [
        ("bottom", 'outside the page\'s main content <div id="bottom">'),
        ("p", "outside the page's main content <p>"),
        ("top", 'outside the page\'s main content <div id="top">'),
    ]
    assert (choice.total, choice.kept) == (18, 11)  # the heading right before the paragraph belongs to it


# ---------------------------------------------------------------------------- generated pages

WORDS = ("wij bouwen samen aan een warme buurt waar iedereen mee kan doen en niemand alleen staat").split()  # noqa: SIM905


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def generated_page(rng: random.Random) -> str:
    """A page of an organisation's site, its layout and chrome drawn at random."""
    parts = ["<!DOCTYPE html><html><head><title>Site</title><style>p{}</style></head><body>"]
    if rng.random() < 0.5:
        parts.append('<div class="cookie-banner">Wij gebruiken cookies. <button>Oké</button></div>')
    menu = "".join(f'<li><a href="/{n}">{rng.choice(WORDS).capitalize()}</a></li>' for n in range(rng.randint(2, 9)))
    parts.append(rng.choice([f"<header><nav><ul>{menu}</ul></nav></header>", f'<div id="menu"><ul>{menu}</ul></div>']))
    main = [f"<h1>{sentence(rng, 2)}</h1>"]
    for _ in range(rng.randint(1, 8)):
        main.append(
            rng.choice(
                [
                    f"<p>{sentence(rng, rng.randint(5, 40))} <em>{sentence(rng, 2)}</em></p>",
                    f"<h2>{sentence(rng, 3)}</h2>",
                    f"<ul><li>{sentence(rng, 6)}</li><li><strong>{sentence(rng, 3)}</strong></li></ul>",
                    f'<p>{sentence(rng, 8)}<script>var a = "{sentence(rng, 3)}";</script> {sentence(rng, 4)}</p>',
                    f'<p><img src="foto.jpg" alt="{sentence(rng, 3)}"></p>',
                    f'<p style="display:none">{sentence(rng, 5)}</p>',
                ]
            )
        )
    wrapper = rng.choice(
        ["<main><article>{}</article></main>", '<div id="content">{}</div>', '<div class="col">{}</div>']
    )
    parts.append(wrapper.format("\n".join(main)))
    if rng.random() < 0.7:
        parts.append(f'<aside class="sidebar"><h3>Nieuws</h3><p>{sentence(rng, 12)}</p></aside>')
    parts.append(f"<footer><p>{sentence(rng, 6)}</p><p>© 2024</p></footer></body></html>")
    return "\n".join(parts)


@pytest.mark.parametrize("seed", range(24))
def test_every_visible_word_of_a_generated_page_is_on_the_page_or_dropped(seed):
    html = generated_page(random.Random(seed))
    page, doc = import_text(page_source(html), "Testorganisatie")
    assert unaccounted(doc) == Counter()
    assert lost_words(doc, page) == []


def test_a_page_of_four_mebibytes_has_its_main_content_chosen_and_keeps_every_word():
    """The largest page the importer reads: the extractor, the alignment and the reader each take one pass
    (about ten seconds here); more elements than MAX_ELEMENTS would be read whole (tested above)."""
    rng = random.Random(4)
    sections = []
    size = 0
    while size < 4 * 1024 * 1024 - 4096:
        section = (
            f"<h2>{sentence(rng, 3)}</h2>\n<p>{sentence(rng, 120)}</p>\n"
            f"<p>{sentence(rng, 80)} <em>{sentence(rng, 4)}</em></p>\n"
        )
        sections.append(section)
        size += len(section)
    menu = "".join(f'<li><a href="/{number}">Pagina {number}</a></li>' for number in range(60))
    html = (
        f"<html><body><header><nav><ul>{menu}</ul></nav></header>\n<main><article><h1>Missie</h1>\n"
        + "".join(sections)
        + "</article></main>\n<aside><h2>Nieuws</h2><p>Buurtfeest op zaterdag.</p></aside>\n"
        "<footer><p>Stichting Voorbeeld, Dorpsstraat 1</p></footer></body></html>"
    )
    assert len(html.encode()) <= 4 * 1024 * 1024
    doc = analyse(page_source(html))
    lines = html.split("\n")
    assert [(item.line, item.reason) for item in doc.dropped] == [
        (1, "outside the page's main content (header)"),
        (len(lines) - 1, "outside the page's main content (sidebar)"),
        (len(lines), "outside the page's main content (footer)"),
    ]
    assert decisions(doc)[0].startswith("main content: ")
    assert unaccounted(doc) == Counter()


LAYOUT_TABLE = """<html><body>
<table>
<tr><td><ul id="navlist"><li><a href="/">Home</a></li><li><a href="/verein">Verein</a></li></ul></td>
<td><table><tr><td><p>Unser Verein bildet seit 1990 Hunde und ihre Menschen aus,
mit Geduld und viel Freude.</p></td></tr></table></td></tr>
<tr><td colspan="2"><table><tr><td><a href="/">zur Startseite</a></td></tr></table></td></tr>
</table>
<nav>Menü <script>var menu = "open";</script><a href="/">Start</a></nav>
</body></html>"""


def test_a_layout_table_loses_its_menu_cell_and_footer_row_and_reads_a_nested_table_once():
    page, doc = import_text(page_source(LAYOUT_TABLE), "Testorganisatie")
    assert [(item.line, item.reason, item.text) for item in doc.dropped if item.reason.startswith("outside")] == [
        (3, "outside the page's main content (navigation)", "Home Verein"),
        (6, "outside the page's main content <tr>", "zur Startseite"),
        (8, "outside the page's main content (navigation)", "Menü Start"),  # not the script's text
    ]
    assert page.count("Unser Verein bildet seit 1990") == 1
    assert unaccounted(doc) == Counter()
    assert lost_words(doc, page) == []
