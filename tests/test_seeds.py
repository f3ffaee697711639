"""Each of the five original texts imports, builds without warnings and keeps every word."""

import pytest

from conftest import SEED_NAMES, SOURCE_TEXTS


@pytest.mark.parametrize("slug", sorted(SEED_NAMES))
def test_seed_imports_builds_and_keeps_every_word(build_source, slug):
    built = build_source(SOURCE_TEXTS / f"{slug}.txt", SEED_NAMES[slug])
    assert built.warnings == ""
    report = built.check()
    assert report.problems == []
    assert report.words > 200


def test_pdf_footnotes_become_myst_footnotes_at_their_markers(build_source):
    built = build_source(SOURCE_TEXTS / "de-cocon.txt", "De Cocon")
    assert [note.label for note in built.analysis.footnotes] == ["1", "2", "3", "4", "5", "6"]
    assert "## Missie en visietekst[^1]" in built.markdown
    assert "erkend en worden gesubsidieerd door de Vlaamse overheid[^2] als" in built.markdown
    assert "“Interdependence[^5]” is het" in built.markdown
    # The note text left the flow: the sentence cut by the footnote area is whole again.
    assert "tekortschiet, maar omdat er een beroep wordt gedaan" in built.markdown
    assert "[^6]: Dit handelingsprincipe wordt vaak vraaggericht werken genoemd, maar om verwarring te " \
           "vermijden met betrekking tot “u vraagt, wij draaien”, gebruiken we liever dialooggestuurd werken." \
           in built.markdown
    html = built.html.read_text(encoding="utf-8")
    assert html.count('class="footnote brackets"') == 6
    assert html.count('class="footnote-reference brackets"') == 6


def test_title_like_lines_and_numbered_sections_become_headings(build_source):
    built = build_source(SOURCE_TEXTS / "de-cocon.txt", "De Cocon")
    headings = [line for line in built.markdown.splitlines() if line.startswith("#")]
    assert headings[:4] == ["# De Cocon", "## Missie en visietekst[^1]", "### 1 Onze missie", "### 2 Onze opdrachten"]
    assert "#### Emancipatorisch en netwerkgericht werken" in headings
    assert "### 7 “Wij” als organisatie" in headings
    # A PDF bullet list whose item is hyphenated across lines keeps the hyphen.
    assert "- Gezinnen met kinderen in een acute en escalerende opvoedingscrisis waarbij de " \
           "draagkracht-draaglastverhouding in het gezin" in built.markdown


def test_front_matter_is_kept_as_prefixed_page_metadata(build_source, app_params):
    built = build_source(SOURCE_TEXTS / "twerk.txt", "TWERK")
    assert built.markdown.startswith("---\nmk-source: twerk.txt\n")
    assert "mk-source-title: Missie, visie en strategie\n" in built.markdown
    assert "mk-source-datePublished: '2016-05-11T08:23:32.031Z'\n" in built.markdown
    assert "mk-source-url: missie-visie-en-strategie/index.html\n" in built.markdown
    # The metadata is page metadata, not page text.
    assert "datePublished" not in built.html.read_text(encoding="utf-8")


def test_markdown_emphasis_in_the_source_stays_emphasis(build_source):
    built = build_source(SOURCE_TEXTS / "twerk.txt", "TWERK")
    html = built.html.read_text(encoding="utf-8")
    assert "<strong>sociale werkplaats</strong> willen" in html
    assert "<strong>coöperatieve vennootschap</strong>" in html
    built = build_source(SOURCE_TEXTS / "wijk-werk-leie-en-schelde.txt", "Wijk-werk")
    assert "<strong>W</strong>aardevol omgaan" in built.html.read_text(encoding="utf-8")
