"""The mechanisms that made a pass super-linear (issue 22), each on an input of the class that showed it.

Every test states what the importer makes of the input; none measures time. The inputs are large
enough that the old mechanism took seconds to minutes on them, so a regression shows as a slow test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from readback import lost_words

from missiekaart.core.vocabulary import Vocabulary
from missiekaart.importer import blocks, import_text, inline, pages, templates
from missiekaart.importer.checksource import NOTE_CLOSE, NOTE_OPEN, read_page, source_words
from missiekaart.importer.draft import draft_cards
from missiekaart.importer.html import scan_text
from missiekaart.importer.model import Document, Line, Span
from missiekaart.importer.nesting import MAX_LIST_DEPTH, PARSER_MAX_NESTING
from missiekaart.importer.sourcefile import SourceText


def source(text: str, name: str = "bron.txt") -> SourceText:
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1)]
    return SourceText(Path(name), "utf-8", {}, lines)


def imported(text: str, name: str = "bron.txt") -> tuple[str, Document]:
    return import_text(source(text, name), "Testorganisatie")


def body(page: str) -> str:
    """The page after its metadata and title."""
    return page.split("# Testorganisatie\n\n", 1)[1]


# pages.py: _debris_reason


def test_a_long_footer_of_number_marks_and_a_name_is_a_running_footer():
    """One regular expression with a run of marks on either side of an optional word tried every split."""
    footer = "12.34 / 56-78 " * 1700 + "Stichting Voorbeeld"
    numbers = "12.34 / 56-78 " * 1700
    _, doc = imported(f"Eerste pagina.\n\n{footer}\n{numbers}\n\fTweede pagina.\n\n{footer}\n{numbers}\n")
    assert [(item.line, item.reason) for item in doc.dropped] == [
        (3, "running footer"),
        (4, "page number"),
        (7, "running footer"),
        (8, "page number"),
    ]
    assert pages._debris_reason("# - pagina #" + " #" * 5000, top=True) == "page number"
    assert pages._debris_reason("# - pagina #" + " #" * 5000 + "x", top=False) == "running footer"


# footnotes.py: _parse_area, _last_area


def test_paragraphs_numbered_like_footnotes_are_read_once_each():
    """Each candidate note area copied and searched all the text before it for its marker."""
    paragraphs = "\n\n".join("1 Een genummerde paragraaf met wat tekst erin." for _ in range(3000))
    page, doc = imported(f"Inleiding zonder noten.\n\f{paragraphs}\n")
    assert doc.footnotes == ()
    assert body(page).count("1 Een genummerde paragraaf") == 3000
    # With a marker, the lowest area that starts with note 1 is the note: the last paragraph.
    page, doc = imported(f"Inleiding over de overheid1 en meer.\n\f{paragraphs}\n")
    assert [(note.label, note.marker.line, [line.no for line in note.lines]) for note in doc.footnotes] == [
        ("1", 1, [6000])
    ]
    assert body(page).count("1 Een genummerde paragraaf") == 2999
    assert page.endswith("[^1]: Een genummerde paragraaf met wat tekst erin.\n")


def letters(number: int) -> str:
    """A word made of *number*'s digits as letters: pages that differ in more than their numbers."""
    return "".join(chr(ord("a") + int(digit)) for digit in str(number))


def test_many_footnotes_on_many_pages_are_each_linked():
    pages_text = [
        f"Een zin over {letters(number)} en de overheid{number} en verder.\n\n{number} Via {letters(number)}."
        for number in range(1, 901)
    ]
    page, doc = imported("\n\f".join(pages_text) + "\n")
    assert [note.label for note in doc.footnotes] == [str(number) for number in range(1, 901)]
    assert body(page).count("overheid[^") == 900


# blocks.py: md_heading (was _MD_HEADING), with_markers, drop passes, _Lists


def test_a_heading_with_a_long_run_of_spaces_is_read_in_one_scan():
    """'^(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$' tried every split of the spaces: 200,000 took minutes."""
    spaces = " " * 200_000
    page, doc = imported(f"Inleiding.\n\n# a{spaces}b\n\nTekst.\n\n## c{spaces}##{spaces}\n\nMeer tekst.\n")
    headings = [
        (block.level, block.lines[0].text, block.lines[0].col) for block in doc.blocks if block.kind == "heading"
    ]
    assert headings == [(2, f"a{spaces}b", 2), (3, "c", 3)]
    assert f"## a{spaces}b\n" in page


@pytest.mark.parametrize(
    "line",
    ["# Titel", "## Titel ##", "###### a #", "####### te diep", "#geen", "# #", "#  a  ##  ", "## C#", "# \u3000x"],
)
def test_md_heading_reads_a_line_as_the_expression_did(line):
    match = re.match(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$", line)
    expected = (len(match.group(1)), line.index(match.group(2), len(match.group(1))), match.group(2)) if match else None
    assert blocks.md_heading(line) == (expected if expected and expected[2] else None)


def test_forty_thousand_bullets_each_find_their_footnote_markers_by_line():
    """with_markers went through the whole markup for every line: 1.6 billion span checks."""
    items = "".join(f"• punt {number} van de overheid\n" for number in range(40_000))
    page, doc = imported(f"Wij bieden:\n\n{items}")
    assert sum(block.kind == "item" for block in doc.blocks) == 40_000
    assert body(page).count("\n- punt ") == 40_000
    spans = (Span(1, 4, 5, "footnote-ref", "2"), Span(1, 1, 2, "footnote-ref", "1"), Span(2, 1, 2, "footnote-ref", "3"))
    line = Line(1, 0, "a1 b2 c")
    assert blocks.with_markers(line, spans) == "a\x001\x00 b\x002\x00 c"
    assert blocks.with_markers(line, blocks.note_markers(spans), sentinels=False) == "a b c"
    assert blocks.with_markers(Line(1, 3, "b2 c"), spans) == "b\x002\x00 c"  # the line's piece after a form feed


def test_many_misplaced_rules_and_repeated_titles_are_each_dropped_once():
    rules = "".join("Kop\n\n---\n\n" for _ in range(5000))
    _, doc = imported(f"Testorganisatie\n\n{rules}Tekst.\n")
    reasons = [item.reason for item in doc.dropped]
    assert reasons.count("thematic break where none may stand") == 5000
    assert reasons.count("repeated title") == 5000  # the title, then each heading that repeats the one before


# inline.py: _loosen, _paired, _peel


def test_bold_with_whitespace_inside_is_loosened_run_by_run():
    """_loosen paired the whole text before each run of stars again: 4,000 runs took 43 s."""
    text = "**sociale werkplaats **willen " * 3000
    assert inline._loosen(text.strip()) == ("**sociale werkplaats** willen " * 3000).strip()
    some = "**sociale werkplaats **willen " * 400  # 800 runs: below the cap, paired and loosened
    assert inline.render_inline(some) == ("**sociale werkplaats** willen " * 400).strip()
    runs = "*w **w " * 4000
    assert inline.render_inline(runs) == inline.escape(runs.strip())  # stars that never close stay stars


def test_a_paragraph_of_more_star_runs_than_prose_has_shows_its_stars_and_says_so():
    notes: list[str] = []
    text = "**vet** " * (inline.MAX_STAR_RUNS // 2 + 1)
    assert inline.render_inline(text, notes) == inline.escape(text.strip())
    assert notes == [
        f"{inline.MAX_STAR_RUNS + 2} runs of stars in one paragraph shown as they are, not read as emphasis"
    ]


def test_emphasis_at_the_edge_of_a_long_span_moves_out_one_unit():
    """_peel re-cut the whole edge of the span into characters for every character it moved."""
    long = "x" * 100_000
    assert inline.render_inline(f'*a **b** {long}"*d') == f'*a **b** {long}*"d'
    assert inline.render_inline('**"wij"**gevoel') == '{strong}`"wij"`gevoel'


def test_emphasis_nested_deeper_than_myst_renders_stays_text_and_is_reported():
    depth = 400
    text = "*a " * depth + "kern" + " a*" * depth
    notes: list[str] = []
    rendered = inline.render_inline(text, notes)
    assert notes == [f"emphasis nested deeper than {inline.MAX_EMPHASIS_DEPTH} levels written as text, with its stars"]
    assert rendered.count("kern") == 1 and rendered.count("a") >= 2 * depth
    page, doc = imported(f"{text}\n")
    assert [decision.line for decision in doc.decisions] == [1]
    assert not lost_words(doc, page)


# templates.py: strip_templates


def test_template_openings_without_an_end_are_searched_for_once():
    """_TEMPLATE's lazy '.*?' looked for the end again from every opening: 66,000 took 48 s."""
    opens = "{{ " * 66_000
    text, dropped = templates.strip_templates(f"{opens}regel\n{{% if x %}}\n{{# c #}}", 3)
    assert text == f"{opens}regel\n\n"
    assert [(item.line, item.text) for item in dropped] == [(4, "{% if x %}"), (5, "{# c #}")]
    text, dropped = templates.strip_templates("{{ a {{ b }}\n}}{{ c\n}}", 1)  # each to its first end
    assert (text, [(item.line, item.text) for item in dropped]) == ("\n}}\n", [(1, "{{ a {{ b }}"), (2, "{{ c }}")])
    page, _ = imported(f"{opens}\n", "bron.md")
    assert body(page).count("\\{\\{") == 66_000


# Nesting: the importer writes nothing deeper than MyST reads, and loses no word to a nesting limit


def test_a_plain_text_list_nested_fifteen_levels_is_capped_and_keeps_every_word():
    items = "".join("  " * depth + f"- niveau{depth} tekst\n" for depth in range(15))
    page, doc = imported(f"Onze diensten\n\n{items}\nDe zin na de lijst.\n")
    assert [block.depth for block in doc.blocks if block.kind == "item"] == [*range(MAX_LIST_DEPTH), *[8] * 6]
    assert [(decision.line, decision.text) for decision in doc.decisions] == [
        (12, "list items nested deeper than 9 levels placed at level 9 (MyST reads no deeper): lines 12-17")
    ]
    assert not lost_words(doc, page)


def test_a_deep_markdown_quote_and_list_are_written_flat_with_a_decision():
    quote = ">" * 30 + " diep citaat\n\nerna\n"
    page, doc = imported(quote, "bron.md")
    assert "> " * 19 + "diep citaat" in page and "> " * 20 not in page
    assert [decision.text for decision in doc.decisions] == ["quotes nested deeper than 19 levels written without '>'"]
    assert not lost_words(doc, page, quote)
    items = "".join("  " * depth + f"- niveau{depth}\n" for depth in range(15)) + "\nerna\n"
    page, doc = imported(items, "bron.md")
    assert [(decision.line, decision.text) for decision in doc.decisions] == [
        (10, "lists nested deeper than 9 levels written as paragraphs")
    ]
    assert not lost_words(doc, page, items)


def test_markdown_deeper_than_the_importer_parses_is_kept_as_plain_paragraphs():
    quote = ">" * 150 + " heel *diep*\n> nog\n\nerna\n"
    page, doc = imported(quote, "bron.md")
    assert f"Markdown nested deeper than {PARSER_MAX_NESTING} levels: lines 1-2 kept as plain paragraphs" in [
        decision.text for decision in doc.decisions
    ]
    assert not lost_words(doc, page, quote)
    items = "".join("  " * depth + f"- niveau{depth}\n" for depth in range(60)) + "\n  terug\n- top\n\nerna\n"
    page, doc = imported(items, "bron.md")
    assert not lost_words(doc, page, items)


def test_markdown_emphasis_nested_hundreds_deep_is_written_as_text():
    text = " ".join("*a" for _ in range(400)) + " kern " + " ".join("a*" for _ in range(400)) + "\n"
    page, doc = imported(text, "bron.md")
    assert [decision.text for decision in doc.decisions] == [
        "emphasis or links nested deeper than 8 levels written as their text"
    ]
    assert not lost_words(doc, page, text)


def test_the_text_of_an_inline_script_or_style_is_dropped_and_reported():
    text = "Tekst <script>var geheim = 1;</script> zichtbaar <style>p{}</style> ook.\n\nVerder <script>open\n"
    page, doc = imported(text, "bron.md")
    assert "geheim" not in page and "p{}" not in page and "Verder" in page
    # A browser hides what follows an unclosed <script>: the rest of its paragraph, reported.
    assert [(item.line, item.text, item.reason) for item in doc.dropped] == [
        (1, "var geheim = 1;", "<script> (not shown to readers)"),
        (1, "p{}", "<style> (not shown to readers)"),
        (3, "open", "<script> (not shown to readers)"),
    ]


def test_a_heading_without_reader_text_is_left_out(tmp_path):
    page, doc = imported("## <b></b>\n\nTekst.\n", "bron.md")
    assert "##" not in body(page)
    assert ("empty heading left out") in [decision.text for decision in doc.decisions]
    path = tmp_path / "bron.md"
    path.write_text('---\ntitle: "<b></b>"\n---\nTekst.\n', encoding="utf-8")
    from missiekaart.importer.sourcefile import read_source

    page, doc = import_text(read_source(path), "Testorganisatie")
    assert body(page) == "Tekst.\n"
    assert [(decision.line, decision.text) for decision in doc.decisions if "empty" in decision.text] == [
        (2, "empty heading left out: title '<b></b>'")
    ]


# draft.py and checksource.py


def test_a_draft_card_quotes_a_paragraph_of_unclosed_footnote_brackets():
    """FOOTNOTE_REFERENCE scanned the rest of a '[^[^[^...' run again from each '[^' (the paragraph stays
    within the draft scope, DRAFT_CHARS)."""
    run = "[^" * 15_000
    page, _ = imported(f"Wij zijn een organisatie die mensen helpt met {run} en meer tekst.\n")
    _, cards = draft_cards(page, Vocabulary([]))
    escaped = run.replace("[", "\\[")
    assert cards[0].body == f"Wij zijn een organisatie die mensen helpt met {escaped} en meer tekst."


def test_check_source_reads_pages_with_many_unclosed_elements_and_long_noted_lines():
    html = "<main><h1>T</h1>" + "<p>woord <span>" * 30_000 + "</div></main>"
    title, words = read_page(html)
    assert title == "T" and words == ["T", *["woord"] * 30_000]
    notes = "".join(f"woord{number} " for number in range(1, 901))
    pages_text = f"{notes}\n\n" + "\n".join(f"{number} Noot." for number in range(1, 901)) + "\n\fEinde.\n"
    _, doc = imported(pages_text)
    expected = source_words(doc)
    assert expected.texts.count(NOTE_OPEN) == expected.texts.count(NOTE_CLOSE) == 900


def test_a_long_raw_html_block_of_unfinished_tags_is_read_in_one_pass():
    """html.parser read each tag it could not finish on to the end of the block: 20,000 took minutes."""
    block = "<div>\n" + "<a x='>' " * 20_000 + "\n"
    page, doc = imported(block, "bron.md")
    assert not lost_words(doc, page, block)
    sane = "<div><p>Wij &amp; <b>zij</b></p><script>var x = '<b>';</script><!-- c --><br>samen</div>\n" * 40
    assert " ".join(scan_text(sane).split()) == " ".join(["Wij & zij samen"] * 40)


# html.py: find_notes; readerwords.py: html_notes


def test_five_thousand_footnotes_of_a_web_page_are_each_found_once():
    text = " ".join(f'Zin{n}<sup id="fnref:{n}"><a href="#fn:{n}">{n}</a></sup>.' for n in range(1, 5001))
    notes = "".join(f'<li id="fn:{n}"><p>Noot{n}. <a href="#fnref:{n}">↩</a></p></li>' for n in range(1, 5001))
    html = f'<html><body><main><p>{text}</p><div class="footnotes"><ol>{notes}</ol></div></main></body></html>'
    page, doc = imported(html, "bron.html")
    assert page.count("]: Noot") == 5000 and "[^5000]" in page
    assert source_words(doc).texts.count(NOTE_OPEN) == 5000
    assert not lost_words(doc, page)


def test_many_links_of_one_id_to_one_note_are_read_in_one_pass():
    """Each reference's links back were looked for among every link to its id: 10,000 squared."""
    html = (
        '<p id="x">Noot.' + '<a href="#r">↩</a>' * 10_000 + "</p><p>" + '<a id="r" href="#x">1</a> ' * 10_000 + "</p>"
    )
    page, doc = imported(html, "bron.html")
    assert page.count("[^1]") == 10_001  # every reference, and the note
    assert source_words(doc).texts.count(NOTE_OPEN) == 10_000
    # Unclosed, nested past what libxml2 reads: the page keeps the HTML as its text, in the source's
    # order, while the reader words have the note at its reference; every word is there.
    unclosed = '<p id="x">Noot <a href="#r">↩</a></p>' + '<span><a id="r" href="#x">1 ' * 10_000
    page, doc = imported(unclosed, "bron.html")
    assert [decision.text for decision in doc.decisions] == ["HTML the parser could not read whole kept as its text"]
    assert not [problem for problem in lost_words(doc, page) if problem.kind == "missing"]


def test_the_collector_is_paused_while_a_text_is_analysed_and_as_it_was_after():
    import gc

    from missiekaart.importer import collector_paused

    seen: list[bool] = []

    @collector_paused()
    def analysed(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("a pass failed")

    assert gc.isenabled()
    analysed(False)
    with pytest.raises(ValueError):
        analysed(True)
    assert seen == [False, False] and gc.isenabled()  # paused while it ran, back on after, also after an error
    gc.disable()  # a caller that paused it (the build, while it loads the environment) keeps it paused
    try:
        analysed(False)
        assert not gc.isenabled()
    finally:
        gc.enable()
