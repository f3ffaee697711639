"""The importer's rules, one fixture each: every fixture must build warning-free and keep every word."""

import re

import pytest
from bs4 import BeautifulSoup

from missiekaart.importer import analyse, escape, join_lines
from missiekaart.sourcefile import SourceText


def main_html(built) -> BeautifulSoup:
    soup = BeautifulSoup(built.html.read_text(encoding="utf-8"), "html.parser")
    return soup.find(attrs={"role": "main"})


def assert_clean(built):
    assert built.warnings == ""
    report = built.check()
    assert report.problems == [], report.problems
    return report


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
    built = build_text(f"De doelen zijn:\n\n{marker} groei realiseren met de werkplaats\n{second} kennis delen met partners\n")
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
    assert built.analysis.footnotes == []
    assert "Samen14" in main_html(built).get_text()


def test_page_numbers_and_running_headers_are_dropped_only_when_repeated(build_text):
    built = build_text(
        "Jaarverslag 2019\n\nEerste pagina met tekst die doorloopt naar\n\n1\n"
        "\fJaarverslag 2019\nde volgende pagina, zonder onderbreking.\n\n2\n"
        "\fJaarverslag 2019\nLaatste pagina.\n42\n\n3\n"
    )
    report = assert_clean(built)
    assert [(d.line, d.text, d.reason) for d in report.dropped] == [
        (5, "1", "page number"), (6, "Jaarverslag 2019", "running header"), (9, "2", "page number"),
        (10, "Jaarverslag 2019", "running header"), (14, "3", "page number"),
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
    built = build_text("Onze missie\n\nWij leren mensen Nederlands tot niveau A1.\n\n"
                       "1 op de 7 Vlamingen leeft in armoede.\n\nDaarom werken wij samen.\n")
    assert_clean(built)
    assert built.analysis.footnotes == []
    paragraphs = [p.get_text() for p in main_html(built).find_all("p")]
    assert paragraphs == ["Wij leren mensen Nederlands tot niveau A1.", "1 op de 7 Vlamingen leeft in armoede.",
                          "Daarom werken wij samen."]


def test_two_rules_in_a_row_after_a_heading_still_build(build_text):
    built = build_text("Titel\n\nInleiding\n\n---\n\n***\n\nTekst hier staat.\n\nSlot.\n")
    assert_clean(built)
