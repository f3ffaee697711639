"""Each pass on its own: a document in, the document the pass makes out."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missiekaart.importer import MARKDOWN, PLAIN_TEXT, analyse, blocks, footnotes, frontmatter, markdown, pages
from missiekaart.importer.lines import item_marker, title_like
from missiekaart.importer.model import Block, Document, Line
from missiekaart.importer.ruler import Ruler
from missiekaart.importer.sourcefile import SourceText, read_source


def source(text: str, name: str = "bron.txt", front_matter: dict | None = None) -> SourceText:
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1)]
    return SourceText(Path(name), "utf-8", front_matter or {}, lines)


def document(text: str, title: str = "Testorganisatie") -> Document:
    return Document(source(text), title)


def run(chain: Ruler[Document], until: str, doc: Document) -> Document:
    """Run *chain* up to and including the rule *until*."""
    names = chain.names
    return chain.without(*names[names.index(until) + 1 :])(doc)


def kinds(doc: Document) -> list[tuple[str, str]]:
    return [(block.kind, " ".join(line.text.strip() for line in block.lines)) for block in doc.blocks]


def test_the_chains_name_their_passes_in_order():
    assert PLAIN_TEXT.names == [
        "split-pages",
        "find-debris",
        "extract-footnotes",
        "settle-debris",
        "join-pages",
        "make-blocks",
        "drop-misplaced-rules",
        "drop-repeated-title",
        "assign-levels",
    ]
    assert MARKDOWN.names == [
        "front-matter-text",
        "markdown-body",
        "drop-misplaced-rules",
        "drop-repeated-title",
        "assign-levels",
    ]


def test_ruler_inserts_and_removes_rules_by_name():
    ruler: Ruler[list[str]] = Ruler([("a", lambda s: [*s, "a"]), ("c", lambda s: [*s, "c"])])
    ruler.before("c", "b", lambda s: [*s, "b"])
    ruler.after("c", "d", lambda s: [*s, "d"])
    assert ruler([]) == ["a", "b", "c", "d"]
    assert ruler.without("b", "d")([]) == ["a", "c"]
    with pytest.raises(KeyError, match="no rule named 'x'"):
        ruler.before("x", "y", lambda s: s)


def test_passes_do_not_change_the_document_they_are_given():
    doc = pages.split_pages(document("Titel\n\nTekst.\n\x0cMeer tekst.\n"))
    before = (doc.pages, doc.debris, doc.flow)
    footnotes.extract_footnotes(pages.find_debris(doc))
    assert (doc.pages, doc.debris, doc.flow) == before


def test_split_pages_at_form_feeds_and_after_page_labels():
    doc = pages.split_pages(document("Een\n\x0cTwee\nPagina 2 van 3\nDrie"))
    assert [[line.text for line in page] for page in doc.pages] == [["Een"], ["Twee", "Pagina 2 van 3"], ["Drie"]]


@pytest.mark.parametrize("label", ["Pagina 3 van 12", "pagina 3", "Page 3 of 12", "p. 3", "3/12", "- 3 -", "blz. 4"])
def test_a_page_label_is_debris_even_once(label):
    doc = pages.find_debris(pages.split_pages(document(f"Tekst.\n{label}\nMeer.")))
    assert list(doc.debris.values()) == ["page number"]


@pytest.mark.parametrize("line", ["24/7", "12 van 3", "0/4"])
def test_a_number_over_a_smaller_count_is_no_page_label(line):
    # "hulp, dag en nacht," / "24/7" / "bereikbaar.": a wrapped line, not the end of page 24 of 7
    doc = pages.find_debris(pages.split_pages(document(f"Tekst.\n{line}\nMeer.")))
    assert not doc.debris and len(doc.pages) == 1


@pytest.mark.parametrize(
    ("after", "joined"),
    [
        ("Oost-Vlaanderen en Gent.", True),  # it would not have fit on the line before the break
        ("Oost.", False),  # it would have: the line before ended where it did by choice
    ],
)
def test_a_paragraph_line_filled_to_the_measure_goes_on_after_a_page_break(after, joined):
    line = "Wij werken samen met scholen, huisartsen en buurtwerkers in heel"  # 64 characters
    text = f"Titel\n\nEen zin van de volle breedte, met genoeg woorden om te laten zien hoe.\n{line}\n\f{after}\n"
    flow = [piece.text if piece else None for piece in run(PLAIN_TEXT, "join-pages", document(text)).flow]
    assert (flow[flow.index(line) + 1] is not None) is joined  # the widest line is 70 characters


@pytest.mark.parametrize(
    "text",
    [
        "Titel\n\nOnze partners en vrijwilligers\n\fZorg voor elkaar.\n",  # no wrapped line: no measure
        "Titel\n\nEen zin van de volle breedte, met genoeg woorden om te laten zien hoe.\nHet gaat verder.\n\n"
        "Doelgroep ouders en kinderen    Aanbod    Wijk en buurt en stad\n\fZorg aanpak\n",  # a table's row
    ],
)
def test_a_page_break_after_a_short_text_or_a_table_row_ends_the_paragraph(text):
    flow = [piece.text if piece else None for piece in run(PLAIN_TEXT, "join-pages", document(text)).flow]
    last = next(index for index, line in enumerate(flow) if line and line.startswith(("Onze", "Doelgroep")))
    assert flow[last + 1] is None


def test_repeated_edge_lines_are_debris_and_the_first_line_is_kept():
    doc = run(
        PLAIN_TEXT,
        "find-debris",
        document("Verslag\nTekst een.\n1\n\x0cVerslag\nTekst twee.\n2\n\x0cVerslag\nDrie.\n3"),
    )
    assert sorted((line.no, reason) for line, reason in doc.debris.items()) == [
        (3, "page number"),
        (4, "running header"),
        (6, "page number"),
        (7, "running header"),
        (9, "page number"),
    ]


def test_footnotes_are_moved_to_their_markers():
    doc = run(
        PLAIN_TEXT,
        "extract-footnotes",
        document("Titel\n\nErkend door de overheid1 sinds lang.\n\n1 Via het Agentschap\n\x0cSlot."),
    )
    assert [(note.label, note.marker.line, [line.text for line in note.lines]) for note in doc.footnotes] == [
        ("1", 3, ["Via het Agentschap"])
    ]
    assert [line.no for line in doc.moved] == [5]


def test_a_footnote_area_ends_where_body_text_begins():
    doc = run(
        PLAIN_TEXT,
        "extract-footnotes",
        document("Titel\n\nHulp aan huis1.\n\n1 Zie het decreet.\nOnze visie\n\nTekst.\n\x0cSlot."),
    )
    assert [line.text for line in doc.footnotes[0].lines] == ["Zie het decreet."]
    assert "Onze visie" in [line.text for line in doc.flow if line]


def test_join_pages_joins_a_sentence_cut_by_a_page_break():
    doc = run(PLAIN_TEXT, "join-pages", document("Tekst die doorloopt naar\n\x0cde volgende pagina.\n\x0cNieuw."))
    assert [line.text if line else None for line in doc.flow] == [
        "Tekst die doorloopt naar",
        "de volgende pagina.",
        None,
        "Nieuw.",
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("• een", "•"),
        ("\uf0b7een", "\uf0b7"),
        ("\uf0a7 een", "\uf0a7"),
        ("\uf0d8 een", "\uf0d8"),
        ("\uf076 een", "\uf076"),
        ("– een", "–"),
        ("▪ een", "▪"),
        ("1. een", "1."),
        ("1) een", "1)"),
        ("a. een", "a."),
        ("b) een", "a)"),
    ],
)
def test_item_markers(text, kind):
    marker = item_marker(text)
    assert marker is not None and marker.kind == kind


def test_o_is_a_bullet_only_next_to_other_items():
    assert item_marker("o een") is None
    assert item_marker("o een", in_list=True).kind == "o"


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Onze missie", True),
        ("Wij bieden:", False),
        ("“Samen sterk”", False),
        ("Meer weten? Bel ons", False),
        ("hier begint iets", False),
        ("Een zin die veel te lang is om een titel te zijn echt", False),
        ("Doelgroep    Aanbod", False),  # a table's row, its cells set apart
        ("Doelgroep\tAanbod", False),
        ("Onze  missie", True),
    ],
)
def test_title_like(text, heading):
    assert title_like(text, 8) is heading


def test_make_blocks_nests_lists_by_indent_and_by_marker():
    doc = run(PLAIN_TEXT, "make-blocks", document("Lijst:\n\n• a\n  ◦ b\n• c\n– d\n• e\n\nSlot."))
    assert [(block.kind, block.depth) for block in doc.blocks] == [
        ("paragraph", 0),
        ("item", 0),
        ("item", 1),
        ("item", 0),
        ("item", 1),
        ("item", 0),
        ("paragraph", 0),
    ]


def test_make_blocks_ends_an_item_at_a_line_that_does_not_continue_it():
    doc = run(PLAIN_TEXT, "make-blocks", document("Lijst:\n- een netwerk\n  dat blijft\n- de draag-\nlast\nDaarom.\n"))
    assert kinds(doc) == [
        ("paragraph", "Lijst:"),
        ("item", "een netwerk dat blijft"),
        ("item", "de draag- last"),
        ("paragraph", "Daarom."),
    ]


def test_a_lead_in_line_before_a_lowercase_list_is_a_paragraph():
    doc = run(PLAIN_TEXT, "make-blocks", document("Wij bieden\n\n• hulp\n• raad\n\nPartners\n\n• Het OCMW\n"))
    assert [kind for kind, _ in kinds(doc)] == ["paragraph", "item", "item", "heading", "item"]


def test_drop_repeated_title():
    doc = document("")
    doc = Document(
        doc.source,
        "De Brug",
        blocks=(
            Block("heading", (Line(1, 0, "De  brug"),)),
            Block("heading", (Line(3, 0, "Missie"),)),
            Block("heading", (Line(5, 0, "Missie"),)),
            Block("paragraph", (Line(7, 0, "Tekst."),)),
            Block("heading", (Line(9, 0, "Missie"),)),
        ),
    )
    out = blocks.drop_repeated_title(doc)
    assert [block.line for block in out.blocks] == [3, 7, 9]
    assert [(item.line, item.reason) for item in out.dropped] == [(1, "repeated title"), (5, "repeated title")]


def test_assign_levels_never_skips_a_level():
    doc = run(PLAIN_TEXT, "assign-levels", document("Titel\n\nTekst.\n\n2.1 Diep\n\nTekst.\n\n1 Sectie\n\nTekst.\n"))
    assert [block.level for block in doc.blocks if block.kind == "heading"] == [2, 3, 3]


def test_assign_levels_keeps_siblings_at_one_level_when_the_first_was_placed_higher():
    # "0.1" has to be placed right under the title (no level is skipped); "0.2" is its sibling, "0.2.1" their child
    text = "Titel\n\n0.1 Eerste\n\nTekst.\n\n0.2 Tweede\n\nTekst.\n\n0.2.1 Derde\n\nTekst.\n\n1 Vierde\n\nSlot.\n"
    doc = run(PLAIN_TEXT, "assign-levels", document(text))
    assert [block.level for block in doc.blocks if block.kind == "heading"] == [2, 3, 3, 4, 3]


def test_a_text_whose_title_is_the_organisations_name_has_its_headings_as_sections():
    """The name at the top is dropped as a repeat of the page title; the headings after it are its
    sections, siblings at level 2 (they were placed under the first, as if it were a subtitle)."""
    text = "Testorganisatie\n\nOnze missie\n\nWij helpen mensen.\n\nOnze waarden\n\n- Respect: iedereen telt mee.\n"
    doc = run(PLAIN_TEXT, "assign-levels", document(text))
    assert [(block.lines[0].text, block.level) for block in doc.blocks if block.kind == "heading"] == [
        ("Onze missie", 2),
        ("Onze waarden", 2),
    ]
    subtitle = run(PLAIN_TEXT, "assign-levels", document(text.replace("Testorganisatie", "Jaarverslag 2024")))
    assert [block.level for block in subtitle.blocks if block.kind == "heading"] == [2, 3, 3]


HEADING_WORDS = ["Onze", "missie", "Visie", "waarden", "Aanbod", "Werking", "Doelgroep", "Partners"]
SECTION = st.tuples(
    st.lists(st.sampled_from(HEADING_WORDS), min_size=1, max_size=3).map(" ".join).map(str.capitalize),
    st.sampled_from(["paragraph", "bullets", "numbers"]),
)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(sections=st.lists(SECTION, min_size=1, max_size=5), name_first=st.booleans())
def test_sections_after_the_name_are_siblings_and_after_a_subtitle_below_it(sections, name_first):
    """The class of the example above: any run of plain headings, each followed by a paragraph or a
    list, under a first line that is the organisation's name (dropped: the headings are sections,
    all at level 2) or another title (kept at 2: the headings are at 3)."""
    bodies = {
        "paragraph": "Wij werken samen met de buurt aan een warm netwerk.",
        "bullets": "- Respect: iedereen telt mee.\n- Verbinding: we zoeken elkaar op.",
        "numbers": "1. Eerst luisteren wij.\n2. Dan helpen wij.",
    }
    title = "Testorganisatie" if name_first else "Jaarverslag 2024"
    text = title + "\n\n" + "".join(f"{heading}\n\n{bodies[kind]}\n\n" for heading, kind in sections)
    doc = run(PLAIN_TEXT, "assign-levels", document(text))
    levels = [block.level for block in doc.blocks if block.kind == "heading"]
    assert levels == ([] if name_first else [2]) + [2 if name_first else 3] * len(sections), (text, levels)


def test_assign_levels_keeps_markdown_siblings_at_one_level_without_a_title():
    doc = run(MARKDOWN, "assign-levels", document("### Een\n\nTekst.\n\n### Twee\n\nTekst.\n\n#### Drie\n\nSlot.\n"))
    assert [block.level for block in doc.blocks if block.kind == "heading"] == [2, 2, 3]


def test_another_bullet_glyph_at_one_indent_nests_only_when_the_first_comes_back():
    text = "Tekst:\n\n• a\n– b\n• c\n\nMeer:\n\n– d\n• e\n\nEn:\n\n• f\no g\n\n1. h\n"
    doc = run(PLAIN_TEXT, "make-blocks", document(text))
    items = [(block.lines[0].text, block.depth) for block in doc.blocks if block.kind == "item"]
    # "o" is Word's second level; a list after a blank line is a new list, not a sublist
    assert items == [("a", 0), ("b", 1), ("c", 0), ("d", 0), ("e", 0), ("f", 0), ("g", 1), ("h", 0)]


def test_lines_where_the_text_of_the_bullets_after_them_stands_are_items_whose_bullet_was_lost():
    text = "Ons aanbod:\n\n    Begeleiding\n    Vorming\n  • huiswerk\n\n  Wij bieden:\n  • opvang\n"
    doc = run(PLAIN_TEXT, "make-blocks", document(text))
    assert kinds(doc)[1:] == [
        ("item", "Begeleiding"),
        ("item", "Vorming"),
        ("item", "huiswerk"),
        ("paragraph", "Wij bieden:"),
        ("item", "opvang"),
    ]
    assert [decision.text for decision in doc.decisions] == [
        "list items whose bullet was lost (indented as the items after them): lines 3-4"
    ]


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("• hulp\n• zorg\n\n1. Onze missie\n\n1. Gezinnen\n2. Buurt\n", True),  # a bullet is no item "0."
        ("  1. Aanmelden\n\n  2. Gesprek\n  3. Begeleiding\n", False),  # item 2 follows it
        ("Stappen:\n\n  1. Aanmelden\n\n      – via de website\n", False),  # indented, an item below it
    ],
)
def test_a_numbered_line_is_a_heading_unless_a_numbered_list_goes_on_around_it(text, heading):
    doc = run(PLAIN_TEXT, "make-blocks", document(f"Titel\n\n{text}\nSlot.\n"))
    assert any(block.kind == "heading" and "1." in block.lines[0].text for block in doc.blocks) is heading


def test_a_numbered_line_after_item_one_and_its_sublist_is_item_two():
    # a page ended after item 1's sublist: "  2. Toekomst" stands alone, a table's row after it
    text = "Titel\n\n  1. Aanmelden\n      1. via de website\n      2. aan de balie\n\n  2. Gesprek\n\nRij    Kolom\n"
    doc = run(PLAIN_TEXT, "make-blocks", document(text))
    assert [(kind, text) for kind, text in kinds(doc) if kind != "paragraph"][1:] == [
        ("item", "Aanmelden"),
        ("item", "via de website"),
        ("item", "aan de balie"),
        ("item", "Gesprek"),
    ]
    assert [block.depth for block in doc.blocks if block.kind == "item"] == [0, 1, 1, 0]


def test_an_indented_item_one_after_a_list_and_a_page_break_is_its_sublist():
    # "      1. Buurt" stood at the top of the next page: the first item of the last item's sublist
    text = "Titel\n\n  • Gezinnen\n  • Scholen\n\n      1. Buurt\n\nTekst.\n\n1. Onze visie\n\nSlot.\n"
    doc = run(PLAIN_TEXT, "make-blocks", document(text))
    items = [(block.lines[0].text.strip(), block.depth) for block in doc.blocks if block.kind == "item"]
    assert items == [("Gezinnen", 0), ("Scholen", 0), ("Buurt", 1)]
    assert [block.lines[0].text for block in doc.blocks if block.kind == "heading"] == ["Titel", "1. Onze visie"]


def test_a_number_that_a_paragraph_wrapped_to_a_line_start_stays_in_the_paragraph():
    text = "Titel\n\nWij openen een huis met plaats voor\n12. Daarna volgt een tweede.\n\n1. Stap een\n2. Stap twee\n"
    doc = run(PLAIN_TEXT, "make-blocks", document(text))
    assert kinds(doc)[1:] == [
        ("paragraph", "Wij openen een huis met plaats voor 12. Daarna volgt een tweede."),
        ("item", "Stap een"),
        ("item", "Stap twee"),
    ]


def test_misplaced_rules_are_dropped():
    doc = run(PLAIN_TEXT, "drop-misplaced-rules", document("Titel\n\n---\n\nTekst.\n\n***\n\nMeer.\n\n---\n"))
    assert [kind for kind, _ in kinds(doc)] == ["heading", "paragraph", "rule", "paragraph"]
    assert [item.line for item in doc.dropped] == [3, 11]


def test_template_code_is_stripped_with_its_line():
    text, dropped = markdown.strip_templates("Een {{ site.name }}\n{% if x %}\nmeer\n{% endif %}", 5)
    assert text == "Een \n\nmeer\n"
    assert [(item.line, item.text, item.reason) for item in dropped] == [
        (5, "{{ site.name }}", "template code"),
        (6, "{% if x %}", "template code"),
        (8, "{% endif %}", "template code"),
    ]


def test_markdown_links_keep_absolute_targets_only(tmp_path):
    path = tmp_path / "bron.md"
    path.write_text("Zie [a](https://x.be), [b](/c/), [c](mailto:i@x.be) en [d](ftp://x.be).\n", encoding="utf-8")
    doc = analyse(read_source(path))
    assert doc.blocks[0].myst == "Zie [a](<https://x.be>), b, [c](<mailto:i@x.be>) en d."
    assert [decision.text for decision in doc.decisions] == [
        "link to '/c/' kept as its text only",
        "link to 'ftp://x.be' kept as its text only",
    ]


def test_front_matter_text_takes_reader_fields_in_order_and_skips_configuration(tmp_path):
    path = tmp_path / "bron.txt"
    path.write_text(
        "---\nlayout: x\ntitle: Missie\nbg: dark\nsections:\n- type: a\n  title: Een\n  content: Tekst.\n"
        "seo:\n  title: Niet\n---\n",
        encoding="utf-8",
    )
    doc = frontmatter.front_matter_text(Document(read_source(path), "Org"))
    assert [
        (block.kind, block.level, [line.text for line in block.lines], block.lines[0].no) for block in doc.blocks
    ] == [("heading", 1, ["Missie"], 3), ("heading", 2, ["Een"], 7), ("myst", 0, ["Tekst."], 8)]


def test_markdown_reader_text_keeps_its_source_lines(tmp_path):
    path = tmp_path / "bron.md"
    path.write_text("Een *nadruk\nover twee* regels\nen [een\nlink](/x/) tot\nhier.\n", encoding="utf-8")
    doc = analyse(read_source(path))
    assert [(line.no, line.text) for line in doc.blocks[0].lines] == [
        (1, "Een "),
        (1, "nadruk"),
        (2, "over twee"),
        (2, " regels"),
        (3, "en "),
        (3, "een"),
        (4, "link"),
        (4, " tot"),
        (5, "hier."),
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \\`*_{}[]<|$~#&;x1é"), max_size=600))
def test_escape_writes_what_translating_every_special_character_writes(text):
    """escape() skips translating a short text with nothing to escape; whatever the text and its
    length (either side of where it stops looking), it writes what translating every character
    MyST reads as markup does."""
    import re

    from missiekaart.importer.inline import _ESCAPES, escape

    translated = text.translate(_ESCAPES)
    expected = re.sub(r"&(?=#?\w+;)", r"\\&", translated) if "&" in translated else translated
    assert escape(text) == expected


@given(st.lists(st.text(alphabet="ab -\n", max_size=20), min_size=1, max_size=3))
def test_join_lines_of_one_line_is_that_line_stripped_as_of_several(texts):
    from missiekaart.importer.inline import join_lines

    if len(texts) == 1:
        assert join_lines(texts) == join_lines([texts[0], ""]) == texts[0].strip()
    else:
        assert join_lines(texts) == join_lines([*texts, ""])
