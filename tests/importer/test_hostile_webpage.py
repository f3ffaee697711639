"""Hostile web pages (issue 23): deep nesting, entity bombs, scripts inside text, ``javascript:`` links, more
elements than the extractor is given. Each test states what the importer makes of the page: no traceback,
every word on the page or itemised. None measures time (``tests/measure_webpages.py`` does); the inputs are
large enough that a super-linear pass shows as a slow test.
"""

from __future__ import annotations

from collections import Counter

from readback import lost_words
from test_webpage import decisions, imported_with, page_source, unaccounted

from missiekaart.importer import import_text, webpage

SENTENCE = "Wij bouwen samen aan een warme buurt waar iedereen mee kan doen en niemand alleen staat."


def paragraphs(count: int) -> str:
    return "".join(f"<p>{SENTENCE} Dat is regel {number}.</p>\n" for number in range(count))


def imported(html: str) -> tuple[str, list[str]]:
    """The page and the report's decisions; every word of *html* is on the page or itemised, in order."""
    page, doc = import_text(page_source(html), "Testorganisatie")
    assert unaccounted(doc) == Counter()
    assert lost_words(doc, page) == []
    return page, [decision.text for decision in doc.decisions]


def test_a_page_nested_ten_thousand_levels_deep_is_kept_as_its_text():
    """libxml2 stops reading 2,048 levels deep: the words it lost send the page to plain text."""
    html = "<html><body><nav>Home</nav>" + "<div>" * 10_000 + paragraphs(50) + "</div>" * 10_000 + "</body></html>"
    page, report = imported(html)
    assert "HTML the parser could not read whole kept as its text" in report
    assert page.count("Dat is regel") == 50


def test_an_extractor_that_keeps_one_menu_item_of_a_deeply_nested_page_is_not_trusted():
    """trafilatura gives up on a page nested 300 levels deep and keeps the menu's 'Home'; left out, the
    paragraphs would have been itemised, but the page would hold one word."""
    html = "<html><body><nav>Home</nav>" + "<div>" * 300 + paragraphs(20) + "</div>" * 300 + "</body></html>"
    page, report = imported(html)
    assert (
        "main content of 1 of the page's 401 words and 400 words of prose left out: "
        "the extractor chose wrong, the whole page is read"
    ) in report
    assert page.count("Dat is regel") == 20 and "Home" not in page


def test_an_extractor_that_keeps_a_menu_item_and_leaves_out_the_paragraphs_is_not_trusted():
    html = f"<html><body><div class='menu'><a href='/'>Home</a></div><div>{paragraphs(30)}</div></body></html>"
    doc = imported_with(html, lambda html: "Home")
    assert decisions(doc) == [
        "main content of 1 of the page's 601 words and 600 words of prose left out: "
        "the extractor chose wrong, the whole page is read"
    ]
    assert doc.dropped == ()


def test_entities_declared_in_the_page_are_not_expanded():
    bomb = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "lol"}">' for n in range(8))
    html = f"<!DOCTYPE html [{bomb}]><html><body><main><h1>Missie</h1><p>{SENTENCE} &e7;&e7;</p></main></body></html>"
    page, _ = imported(html)
    assert "lol" not in page and len(page) < 1000


def test_many_character_references_are_decoded_once():
    html = "<html><body><main><p>" + "caf&eacute; &amp; &#x41;&#65; " * 30_000 + "</p></main></body></html>"
    page, _ = imported(html)
    assert page.count("café & AA") == 30_000


def test_a_script_inside_a_paragraph_is_left_out_and_its_markup_never_reaches_the_page():
    html = (
        f"<html><body><main><p>{SENTENCE}</p>\n"
        "<p>Tekst <script>document.write('<p>verborgen tekst</p>')</script> en meer tekst </script> over ons.</p>\n"
        "<p>Een <script>var x = '</p><h1>kop</h1>';</script> zin <style>p { color: red }</style>hier.</p>\n"
        "<p>Open <script>var y = 1; en nooit gesloten</p></main></body></html>"
    )
    page, _ = imported(html)
    assert "Tekst en meer tekst over ons." in page and "Een zin hier." in page
    assert "verborgen" not in page and "kop" not in page and "nooit" not in page and "<" not in page


def test_javascript_and_data_links_keep_only_their_text():
    links = (
        "<a href='javascript:alert(1)'>kinderen</a>, <a href=' JaVaScRiPt:alert(1)'>ouders</a>, "
        "<a href='jav&#x09;ascript:alert(1)'>buren</a>, <a href='data:text/html,<script>alert(1)</script>'>scholen</a>"
        " en <a href='vbscript:msgbox(1)'>verenigingen</a>"
    )
    html = f"<html><body><main><p>{SENTENCE}</p><p>Wij werken met {links} in de wijk.</p></main></body></html>"
    page, report = imported(html)
    assert "Wij werken met kinderen, ouders, buren, scholen en verenigingen in de wijk." in page
    assert "script" not in page.lower() and "data:" not in page
    assert sum(text.endswith("kept as its text only") for text in report) == 5


def test_a_page_of_more_elements_than_the_extractor_is_given_is_read_whole():
    """trafilatura's time grows with the square of the elements: 20,000 and more are not given to it."""
    item = "<p>{} <a href='javascript:x()'>lees meer</a> <a href='/deel'>deel</a></p>\n"
    html = "<html><body><nav>Home</nav><main>" + item.format(SENTENCE) * 7_000 + "</main></body></html>"
    page, report = imported(html)
    assert f"page of 21003 elements (more than {webpage.MAX_ELEMENTS}): read whole, no main content chosen" in report
    assert page.count("lees meer deel") == 7_000


def test_markup_inside_a_textarea_or_xmp_is_text_to_the_reader_words_as_to_the_parser():
    """libxml2 reads ``<textarea>`` and ``<xmp>`` content as text, tags and all: the reader words did not,
    and a menu's ``<xmp>`` or a form's ``<textarea>`` left out made check-source report its words missing."""
    html = (
        "<html><body><nav><xmp>Menu <b>vet</b> &amp; zo</xmp></nav>\n"
        f"<main><h1>Missie</h1><p>{SENTENCE} Schrijf ons <textarea>Uw <i>bericht</i> &amp; naam</textarea> gerust.</p>"
        "<p>Een <iframe src='https://x.be'>Uw browser <b>toont</b> geen frames</iframe> kaart.</p></main>\n"
        "<footer><noframes>Geen frames</noframes> Adres 1</footer></body></html>"
    )
    page, _ = imported(html)
    assert "Schrijf ons gerust." in page and "Een kaart." in page


def test_a_script_or_menu_inside_a_block_in_a_table_cell_is_left_out_and_blocks_there_keep_apart():
    """A block inside inline content (a cell) was read as its whole text: a script's code and hidden text
    reached the page, and a list's items ran together ('EenTwee')."""
    html = (
        "<html><body><table><tr><td><div>Tekst <script>var geheim = 1;</script><span hidden>weg</span> meer</div>"
        "<ul><li>Een</li><li>Twee</li></ul><p>Eerste.</p><p>Tweede.</p></td></tr></table></body></html>"
    )
    doc = imported_with(html, lambda html: None)
    assert [block.myst for block in doc.blocks] == ["| Tekst meer Een Twee Eerste. Tweede. |\n|---|"]
    assert [item.reason for item in doc.dropped] == ["<script> (not shown to readers)", "hidden element"]
