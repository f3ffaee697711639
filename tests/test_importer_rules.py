"""The importer's rules, one fixture each: every fixture must build warning-free and keep every word."""

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from missiekaart.importer import analyse
from missiekaart.importer.inline import escape, join_lines, render_inline
from missiekaart.importer.sourcefile import SourceText


def main_html(built) -> BeautifulSoup:
    soup = BeautifulSoup(built.html.read_text(encoding="utf-8"), "html.parser")
    return soup.find(attrs={"role": "main"})


def assert_clean(built):
    assert built.warnings == ""
    report = built.check()
    assert report.problems == [], report.problems
    return report


def dropped_lines(built) -> list[tuple[int, str, str]]:
    """A clean build's dropped debris as (source line, text, reason)."""
    return [(d.line, d.text, d.reason) for d in assert_clean(built).dropped]


def headings(built) -> list[tuple[str, str]]:
    return [(h.name, h.get_text("", strip=True).rstrip("¶")) for h in main_html(built).find_all(re.compile("^h[1-6]$"))]


def test_headings_by_rule(build_text):
    built = build_text(
        "Missie en visie\n\n"
        "1 Onze missie\n\nWe werken samen met gezinnen.\n\n"
        "Kernwaarden van het werk\n\nDrie waarden volgen.\n\n"
        "3. Kernwaarden\n\nRespect en vertrouwen.\n\n"
        "3.1 Respect\n\nIedereen telt mee.\n\n"
        "Dit is een gewone zin.\n\nNog een alinea die eindigt zonder punt\n"
    )
    assert_clean(built)
    assert headings(built) == [
        ("h1", "Testorganisatie"),
        ("h2", "Missie en visie"),
        ("h3", "1 Onze missie"),
        ("h4", "Kernwaarden van het werk"),
        ("h3", "3. Kernwaarden"),
        ("h4", "3.1 Respect"),
    ]
    paragraphs = [p.get_text() for p in main_html(built).find_all("p")]
    assert "Dit is een gewone zin." in paragraphs
    assert "Nog een alinea die eindigt zonder punt" in paragraphs  # the last line is never a heading


def test_markdown_headings_and_level_jumps_are_consecutive(build_text):
    built = build_text("# Titel\n\nTekst.\n\n#### Diep\n\nMeer tekst.\n\n## Sectie\n\nSlot.\n")
    assert_clean(built)
    assert headings(built) == [("h1", "Testorganisatie"), ("h2", "Titel"), ("h3", "Diep"), ("h3", "Sectie")]


def test_wrapped_lines_are_reflowed_and_line_end_hyphens_join(build_text):
    built = build_text(
        "Deze zin is door de PDF over\nverschillende regels verdeeld en de draagkracht-\n"
        "draaglastverhouding blijft een woord.\n"
    )
    assert_clean(built)
    assert main_html(built).find("p").get_text() == (
        "Deze zin is door de PDF over verschillende regels verdeeld en de "
        "draagkracht-draaglastverhouding blijft een woord."
    )


@pytest.mark.parametrize("glyph", ["•", "*", "-", "–", "\uf0b7", "▪", "●", "◦"])
def test_bullet_glyphs_become_a_list(build_text, glyph):
    built = build_text(f"Wij bieden:\n\n{glyph} begeleiding aan huis\n{glyph} een sterk netwerk\n  dat blijft\n")
    assert_clean(built)
    items = [li.get_text(" ", strip=True) for li in main_html(built).select("ul > li")]
    assert items == ["begeleiding aan huis", "een sterk netwerk dat blijft"]


@pytest.mark.parametrize("marker", ["1)", "1."])
def test_enumerated_lines_become_an_ordered_list(build_text, marker):
    second = marker.replace("1", "2")
    built = build_text(
        f"De doelen zijn:\n\n{marker} groei realiseren met de werkplaats\n{second} kennis delen met partners\n"
    )
    assert_clean(built)
    items = [li.get_text(" ", strip=True) for li in main_html(built).select("ol > li")]
    assert items == ["groei realiseren met de werkplaats", "kennis delen met partners"]


def test_bold_and_italic_stay_emphasis(build_text):
    built = build_text("Met de **sociale werkplaats **willen we *duurzaam* groeien, stap voor **s**tap.\n")
    assert_clean(built)
    main = main_html(built)
    assert [b.get_text() for b in main.find_all("strong")] == ["sociale werkplaats", "s"]
    assert [i.get_text() for i in main.find_all("em")] == ["duurzaam"]
    assert main.find("p").get_text() == "Met de sociale werkplaats willen we duurzaam groeien, stap voor stap."


def test_pdf_footnotes_with_form_feeds(build_text):
    built = build_text(
        "Verslag\n\nDe dienst werd erkend door de overheid1 en werkt in de regio2 sinds\n"
        "lang.\n\n1 Door het Agentschap\n2 Oost-Vlaanderen, met\nuitzondering van Gent\n"
        "\fDe tekst gaat verder met werk voor gezinnen3.\n\n3 Sinds 2019\n"
    )
    assert_clean(built)
    assert [(note.label, note.marker.line) for note in built.analysis.footnotes] == [("1", 3), ("2", 3), ("3", 9)]
    assert "door de overheid[^1] en werkt in de regio[^2] sinds lang." in built.markdown
    assert "[^2]: Oost-Vlaanderen, met uitzondering van Gent" in built.markdown
    notes = [aside.find("p").get_text() for aside in main_html(built).select("aside.footnote")]
    assert notes == ["Door het Agentschap", "Oost-Vlaanderen, met uitzondering van Gent", "Sinds 2019"]


def test_numbers_that_are_not_footnotes_stay_text(build_text):
    # 'Samen14' has no note 14 after notes 1..13, and '2 Visie' is a heading, not note 2.
    built = build_text("Missie\n\nWe sluiten aan bij de Samen14 afspraken.\n\n2 Visie\n\nSamen verder.\n")
    assert_clean(built)
    assert built.analysis.footnotes == ()
    assert "Samen14" in main_html(built).get_text()


def test_page_numbers_and_running_headers_are_dropped_only_when_repeated(build_text):
    built = build_text(
        "Jaarverslag 2019\n\nEerste pagina met tekst die doorloopt naar\n\n1\n"
        "\fJaarverslag 2019\nde volgende pagina, zonder onderbreking.\n\n2\n"
        "\fJaarverslag 2019\nLaatste pagina.\n42\n\n3\n"
    )
    assert dropped_lines(built) == [
        (5, "1", "page number"),
        (6, "Jaarverslag 2019", "running header"),
        (9, "2", "page number"),
        (10, "Jaarverslag 2019", "running header"),
        (14, "3", "page number"),
    ]
    text = main_html(built).get_text(" ")
    assert "doorloopt naar de volgende pagina, zonder onderbreking." in " ".join(text.split())
    assert "42" in text  # a number that is not at a page edge is text
    assert "Jaarverslag 2019" in text  # the first page's first line is kept: it is the title


def test_an_edge_line_seen_once_is_not_debris(build_text):
    built = build_text("Titel\n\nTekst op pagina een.\n\nSlot van een\n\fTweede pagina begint.\n")
    report = assert_clean(built)
    assert report.dropped == []


HOSTILE = (
    "Veilig\n\n"
    "<script>alert('x')</script> en <b>vet</b> en &amp; en &#65;\n\n"
    "{{ x }} en {eval-rst}`x` en $x^2$ en \\emph en `code` en [link](javascript:alert(1))\n\n"
    "% text die geen commentaar is\n\n"
    ":::{note}\ngeen directive\n:::\n\n"
    "```{raw} html\n<i>nee</i>\n```\n\n"
    "(doel)=\n\n"
    "| a | b |\n|---|---|\n| c | d |\n\n"
    "+++\n\n"
    "> geen citaat en 1. geen lijst\n\n"
    "[^9]: geen voetnoot en ~~geen doorhaling~~ en snake_case_naam\n"
)


def test_hostile_input_is_shown_literally(build_text):
    built = build_text(HOSTILE)
    assert_clean(built)
    main = main_html(built)
    assert main.find("script") is None and main.find("b") is None and main.find("i") is None
    assert not main.select("div.admonition, pre, table, blockquote, aside.footnote, del, a.reference.external")
    text = main.get_text("")
    for literal in [
        "<script>alert('x')</script> en <b>vet</b> en &amp; en &#65;",
        "{{ x }} en {eval-rst}`x` en $x^2$ en \\emph en `code` en [link](javascript:alert(1))",
        "% text die geen commentaar is",
        ":::{note} geen directive :::",
        "```{raw} html <i>nee</i> ```",
        "(doel)=",
        "| a | b | |---|---| | c | d |",
        "+++",
        "> geen citaat en 1. geen lijst",
        "[^9]: geen voetnoot en ~~geen doorhaling~~ en snake_case_naam",
    ]:
        assert literal in text


def test_escape_and_join_helpers():
    assert escape("a*b_c {x} <y> $z `q` |t| [l] #h ~s \\") == (
        "a\\*b\\_c \\{x\\} \\<y> \\$z \\`q\\` \\|t\\| \\[l\\] \\#h \\~s \\\\"
    )
    assert join_lines(["op- ", "en afschalen"]) == "op- en afschalen"
    assert join_lines(["draagkracht-", "draaglast"]) == "draagkracht-draaglast"


def test_analysis_records_bullets_as_markup_not_text(tmp_path):
    source = SourceText(tmp_path / "x.txt", "utf-8", {}, [(1, "Lijst:"), (2, ""), (3, "• een"), (4, "• twee")])
    analysis = analyse(source)
    assert [(span.line, span.kind) for span in analysis.markup] == [(3, "bullet"), (4, "bullet")]
    assert [block.kind for block in analysis.blocks] == ["paragraph", "item", "item"]


def test_without_page_breaks_a_numbered_line_is_never_a_footnote(build_text):
    # 'A1' looks like a marker and '1 op de 7' like a note, but no page break proves a page bottom.
    built = build_text(
        "Onze missie\n\nWij leren mensen Nederlands tot niveau A1.\n\n"
        "1 op de 7 Vlamingen leeft in armoede.\n\nDaarom werken wij samen.\n"
    )
    assert_clean(built)
    assert built.analysis.footnotes == ()
    paragraphs = [p.get_text() for p in main_html(built).find_all("p")]
    assert paragraphs == [
        "Wij leren mensen Nederlands tot niveau A1.",
        "1 op de 7 Vlamingen leeft in armoede.",
        "Daarom werken wij samen.",
    ]


def test_two_rules_in_a_row_after_a_heading_still_build(build_text):
    built = build_text("Titel\n\nInleiding\n\n---\n\n***\n\nTekst hier staat.\n\nSlot.\n")
    assert_clean(built)


def body_paragraphs(built) -> list[str]:
    """The page's paragraphs outside footnotes, with whitespace normalised."""
    main = main_html(built)
    return [" ".join(p.get_text().split()) for p in main.find_all("p") if p.find_parent("aside") is None]


def test_body_text_after_a_footnote_on_the_same_page_is_not_swallowed(build_text):
    # After a note whose sentence is finished, a lowercase line continues the body's open sentence;
    # after a blank line, a line that does not start lowercase begins a new body block.
    built = build_text(
        "Verslag\n\nDe dienst werd erkend door de overheid1 en werkt\n\n"
        "1 Via het Agentschap Opgroeien.\nin de hele regio, al jaren.\n\n"
        "Een nieuwe alinea volgt hier.\n"
        "\fDe tweede pagina noemt de regio2 ook.\n\n2 Sinds 11 december 2019\n\n"
        "Daarna gaat de tekst verder.\n"
    )
    assert_clean(built)
    assert [(note.label, [line.no for line in note.lines]) for note in built.analysis.footnotes] == [
        ("1", [5]),
        ("2", [11]),
    ]
    assert "[^1]: Via het Agentschap Opgroeien.\n" in built.markdown
    assert "[^2]: Sinds 11 december 2019\n" in built.markdown
    assert body_paragraphs(built) == [
        "De dienst werd erkend door de overheid[1] en werkt in de hele regio, al jaren.",
        "Een nieuwe alinea volgt hier.",
        "De tweede pagina noemt de regio[2] ook.",
        "Daarna gaat de tekst verder.",
    ]


def test_a_footnote_continuation_line_stays_in_the_note(build_text):
    # Lines that continue a note's open sentence, even after a blank line, belong to the note.
    built = build_text(
        "Verslag\n\nDe dienst werd erkend door de overheid1 sinds lang.\n\n"
        "1 Via het Agentschap Opgroeien, met\n\nuitzondering van Gent. Zie ook\nDe Standaard.\n"
        "\fSlot van de tekst.\n"
    )
    assert_clean(built)
    assert "[^1]: Via het Agentschap Opgroeien, met uitzondering van Gent. Zie ook De Standaard.\n" in built.markdown


@pytest.mark.parametrize("page_numbers", [False, True])
def test_repeated_footnote_lines_at_page_bottoms_are_not_debris(build_text, page_numbers):
    # '1 Zie www.decocon.be' and '2 Zie www.decocon.be' repeat at the page bottom (digits aside),
    # but each is a note with its marker: a footnote line is never dropped as debris.
    number = "\n\n{}\n" if page_numbers else "\n"
    built = build_text(
        "Verslag\n\nDe dienst werd erkend door de overheid1 sinds jaren.\n\n1 Zie www.decocon.be"
        + number.format(1)
        + "\fHet werk gaat verder in de regio2 van vandaag.\n\n2 Zie www.decocon.be"
        + number.format(2)
    )
    report = assert_clean(built)
    assert [(d.text, d.reason) for d in report.dropped] == (
        [("1", "page number"), ("2", "page number")] if page_numbers else []
    )
    assert [note.label for note in built.analysis.footnotes] == ["1", "2"]
    assert "[^1]: Zie www.decocon.be\n\n[^2]: Zie www.decocon.be" in built.markdown
    assert len(main_html(built).select("aside.footnote")) == 2


def test_a_running_footer_under_a_footnote_is_still_debris(build_text):
    # The footer repeats on a page without notes too, so under a note it is the footer, not note text.
    built = build_text(
        "Verslag\n\nDe dienst werd erkend door de overheid1 sinds jaren.\n\n1 Via het Agentschap\n"
        "De Cocon vzw\n"
        "\fHet werk gaat verder in de regio.\n\nDe Cocon vzw\n"
        "\fLaatste pagina.\n\nDe Cocon vzw\n"
    )
    assert dropped_lines(built) == [
        (6, "De Cocon vzw", "running footer"),
        (9, "De Cocon vzw", "running footer"),
        (12, "De Cocon vzw", "running footer"),
    ]
    assert "[^1]: Via het Agentschap\n" in built.markdown


def test_ordered_lists_show_the_source_numbers(build_text):
    built = build_text(
        "De stappen:\n\n3) eerst dit\n1) dan dat\n7) tot slot\n\nEen gewone lijst:\n\n1. een\n2. twee\n3. drie\n"
    )
    assert_clean(built)
    numbers = []
    for ol in main_html(built).select("ol"):
        start = int(ol.get("start", 1))
        numbers += [(start + index, li.get_text(" ", strip=True)) for index, li in enumerate(ol.find_all("li"))]
    assert numbers == [(3, "eerst dit"), (1, "dan dat"), (7, "tot slot"), (1, "een"), (2, "twee"), (3, "drie")]
    assert len(main_html(built).select("ol")) == 4  # a consecutive run stays one list
    # Each list keeps the source's delimiter where it can; the other one separates two lists.
    assert "3) eerst dit\n1. dan dat\n7) tot slot\n" in built.markdown


def test_leading_whitespace_never_makes_a_code_block(build_text):
    built = build_text("**    Nadruk** aan het begin.\n\nTekst.\n\n    **Ook** hier.\n\n-     ** Punt** een\n")
    assert_clean(built)
    main = main_html(built)
    assert main.select("pre") == []
    assert [b.get_text() for b in main.find_all("strong")] == ["Nadruk", "Ook", "Punt"]
    body = built.markdown.split("# Testorganisatie\n", 1)[1]
    assert not [line for line in body.splitlines() if line.startswith(" ")]


def test_emphasis_follows_the_delimiter_runs_and_prints_no_stray_stars(build_text):
    built = build_text(
        'Wij zijn ***sterk*** samen, met **"wij"**gevoel en **echt**heid.\n\n'
        "Een ster * blijft staan, net als 2*3, een los **begin en *een einde.\n\n"
        "Erkend door de **overheid1** in Gent, **samen2**heid.\n\n1 Via het Agentschap\n2 Een woord\n"
        "\fSlot van de tekst.\n"
    )
    assert_clean(built)
    main = main_html(built)
    assert [b.get_text() for b in main.find_all("strong")] == ["sterk", '"wij"', "echt", "overheid[1]", "samen"]
    assert [(i.get_text(), i.find_parent("em") is None) for i in main.find_all("em")] == [("sterk", True)]
    assert main.find("strong").find_parent("em") is not None  # ***x*** is both
    assert main.find_all("strong")[3].find("a", class_="footnote-reference") is not None
    assert body_paragraphs(built) == [
        'Wij zijn sterk samen, met "wij"gevoel en echtheid.',
        "Een ster * blijft staan, net als 2*3, een los **begin en *een einde.",
        "Erkend door de overheid[1] in Gent, samen[2]heid.",
        "Slot van de tekst.",
    ]


@pytest.mark.parametrize(
    ("source", "markdown"),
    [
        ("Met de **sociale werkplaats **willen we", "Met de **sociale werkplaats** willen we"),
        ("een **vet ** woord", "een **vet**  woord"),
        ("** Punt** een", "**Punt** een"),
        ("*a **b **c*", "*a **b** c*"),
        ("x** y** z", "x **y** z"),
        ("**x** y** z", "**x** y\\*\\* z"),  # the run closed the stars before it: it opens no other
        ("**a **b**", "**a** b\\*\\*"),  # a run closes across whitespace or opens, not both
        ("5 * 3 en 2 ** 3 **", "5 \\* 3 en 2 \\*\\* 3 \\*\\*"),
        ('**"wij"**gevoel', '{strong}`"wij"`gevoel'),
        ("**samen\x002\x00**heid", "**samen**[^2]heid"),
    ],
)
def test_stars_pair_as_in_commonmark_with_whitespace_moved_out_of_bold(source, markdown):
    assert render_inline(source) == markdown


def test_a_footnote_reference_before_a_parenthesis_stays_a_reference(build_text):
    built = build_text(
        "Verslag\n\nErkend door de overheid1(2019) in Gent.\n\n1 Via het Agentschap\n\fSlot van de tekst.\n"
    )
    assert_clean(built)
    assert body_paragraphs(built)[0] == "Erkend door de overheid[1](2019) in Gent."


def test_a_markdown_heading_followed_directly_by_text_is_a_heading(build_text):
    built = build_text(
        "# Titel\nWij zijn er\n\nInleiding die doorloopt.\n## Sectie\nMeer tekst\nen nog meer.\n\nSlot.\n"
    )
    assert_clean(built)
    assert headings(built) == [("h1", "Testorganisatie"), ("h2", "Titel"), ("h3", "Sectie")]
    assert body_paragraphs(built) == ["Wij zijn er", "Inleiding die doorloopt.", "Meer tekst en nog meer.", "Slot."]


def test_front_matter_cannot_overwrite_the_importers_own_keys(build_text):
    built = build_text("---\nencoding: latin-9\nsource: elders\n---\nCliënt “zegt” het.\n".encode("cp1252"))
    assert_clean(built)
    front_matter = yaml.safe_load(built.markdown.split("---\n")[1])
    assert front_matter == {
        "mk-source": "source_texts/bron.txt",
        "mk-import-encoding": "cp1252",
        "mk-source-encoding": "latin-9",
        "mk-source-source": "elders",
    }


def test_running_headers_and_footers_of_several_lines_are_dropped(build_text):
    built = build_text(
        "Titel\n\nEerste pagina met tekst die doorloopt naar\n\nDe Cocon vzw\npagina 1\n"
        "\fJaarverslag 2019\nAfdeling Gent\nde volgende pagina, zonder onderbreking.\n\nDe Cocon vzw\npagina 2\n"
        "\fJaarverslag 2019\nAfdeling Gent\nLaatste pagina.\n\nDe Cocon vzw\npagina 3\n"
    )
    assert dropped_lines(built) == [
        (5, "De Cocon vzw", "running footer"),
        (6, "pagina 1", "page number"),
        (7, "Jaarverslag 2019", "running header"),
        (8, "Afdeling Gent", "running header"),
        (11, "De Cocon vzw", "running footer"),
        (12, "pagina 2", "page number"),
        (13, "Jaarverslag 2019", "running header"),
        (14, "Afdeling Gent", "running header"),
        (17, "De Cocon vzw", "running footer"),
        (18, "pagina 3", "page number"),
    ]
    assert body_paragraphs(built) == [
        "Eerste pagina met tekst die doorloopt naar de volgende pagina, zonder onderbreking.",
        "Laatste pagina.",
    ]


def test_a_line_repeated_further_from_the_edge_is_kept_when_the_edge_line_is_not_debris(build_text):
    built = build_text("Titel\n\nTekst een.\n\nSamen sterk.\nEinde een.\n\fTekst twee.\n\nSamen sterk.\nEinde twee.\n")
    report = assert_clean(built)
    assert report.dropped == []
    assert body_paragraphs(built).count("Samen sterk. Einde een.") == 1
