"""Hypothesis strategies for documents in the round trip's model (:mod:`.model`).

:func:`documents` draws a title, maybe an introduction, then one to five sections: a heading at
a level 1-4 (a level may be skipped), paragraphs of Dutch-looking sentences (diacritics, numbers,
abbreviations such as "bv." and "o.a."; emphasis, a bold initial as in **V**erbinding, links to
``http(s)``, ``mailto`` and relative targets, footnote references), nested ordered and unordered
lists (four levels at most), a table and a definition list. Whether a PDF numbers its headings
and loses a list's first bullets is drawn too.

The text is made so that a careful human reader of any export would see the document's
structure in it: paragraphs end their sentences, headings are short and do not, a list has two
items or more at its top, no paragraph or item is repeated word for word.
"""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st

from .model import (
    Block,
    Definitions,
    Doc,
    Heading,
    Inline,
    Item,
    ListBlock,
    Paragraph,
    Piece,
    Table,
    item_numbers,
    plain,
    section_numbers,
)

LOWER = [
    "zorg", "gezinnen", "cliënten", "buurt", "vrijwilligers", "coördinatie", "samenwerking", "ondersteuning",
    "begeleiding", "maatschappij", "jongeren", "ouders", "opvang", "werking", "ruimte", "toekomst", "welzijn",
    "netwerk", "café", "één", "reünie", "ideeën", "geïnteresseerden", "financiën", "kwetsbare", "eigen",
    "wij", "bieden", "samen", "met", "voor", "elke", "iedereen", "sterk", "warm", "open", "in", "de", "het",
    "een", "en", "of", "naar", "dag", "werken", "aan", "mensen", "thuis", "sociale", "respect", "vertrouwen",
    "zelfstandig", "wijk", "onze", "hun", "dat", "wordt", "veel", "aandacht", "scholen", "partners", "auto’s",
    "überhaupt", "naïef", "zeeën", "hoogte", "participatie", "toegankelijk", "wonen", "gezondheid",
]  # fmt: skip
CAPITAL = ["België", "Vlaanderen", "Nederland", "Gent", "Brussel", "Antwerpen", "Oost-Vlaanderen", "OCMW", "Émile"]
NUMBERS = ["2024", "12", "3,5", "100", "1e", "7%", "24/7"]
ABBREVIATIONS = ["bv.", "o.a.", "d.w.z.", "m.a.w.", "enz."]
HEADING_WORDS = [
    "missie", "visie", "waarden", "aanbod", "werking", "doelgroep", "samenwerking", "contact", "geschiedenis",
    "organisatie", "team", "vrijwilligers", "partners", "financiën", "ambities", "aanpak", "wijk", "zorg",
    "ondersteuning", "coördinatie", "ideeën", "toekomst", "kernwaarden", "beleid", "thuis", "participatie",
]  # fmt: skip
HEADING_LEADS = ["Onze", "Over", "Wat", "Hoe", "Waarom", "Samen", "Ons", "Eigen", "Open", "Warme"]
KEPT_HREFS = [
    "https://www.voorbeeld.be/missie",
    "http://example.org/jaarverslag-2024",
    "https://www.de-brug.nl/over-ons?taal=nl#team",
    "mailto:info@voorbeeld.be",
]
RELATIVE_HREFS = ["/contact", "../over-ons/", "missie.html", "#waarden", "./team/"]
LINK_TEXTS = ["onze website", "het jaarverslag", "info@voorbeeld.be", "meer lezen", "de werking", "ons team"]
NOTE_TEXTS = [
    "Via het Agentschap Opgroeien.",
    "Sinds 2019 erkend.",
    "Zie ook het jaarverslag van 2023.",
    "Oost-Vlaanderen, met uitzondering van Gent.",
    "Een maatschappelijk werker of een ervaren vrijwilliger.",
    "Cijfers van het OCMW.",
]


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


words = st.sampled_from(LOWER)
PIECE_KINDS = ("word",) * 8 + ("capital", "number", "abbreviation", "em", "strong", "initial")
LINKS = [(text, href) for text in LINK_TEXTS for href in KEPT_HREFS + RELATIVE_HREFS]


@st.composite
def heading_texts(draw: st.DrawFn) -> str:
    """A short heading: a capital, no punctuation at its end (as headings are set)."""
    lead = draw(st.sampled_from([*HEADING_LEADS, *(_capital(word) for word in HEADING_WORDS)]))
    rest = draw(st.lists(st.sampled_from([*HEADING_WORDS, "en", "de", "in", "voor", "met"]), max_size=3))
    return " ".join([lead, *rest])


@st.composite
def inline_pieces(draw: st.DrawFn, notes: bool, sentence: bool, min_size: int = 3, max_size: int = 12) -> Inline:
    """Words with some emphasis, links and (if *notes*) note references; a *sentence* starts with a
    capital and ends with a full stop (or another end mark)."""
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    pieces: list[Piece] = []
    for index in range(count):
        # One draw says the piece's kind and what follows it (a link, a note, a comma): a document
        # is hundreds of pieces, and each draw costs hypothesis a fraction of a millisecond.
        choice = draw(st.integers(0, len(PIECE_KINDS) * 10 * 12 * 8 - 1))
        choice, kind = divmod(choice, len(PIECE_KINDS))
        choice, link = divmod(choice, 10)
        punct, note = divmod(choice, 12)
        kind = PIECE_KINDS[kind]
        if index == 0 and kind in ("number", "abbreviation"):  # a number at a line's start reads as a list item
            kind = "word"
        if kind == "word":
            pieces.append(Piece("word", draw(words)))
        elif kind == "capital":
            pieces.append(Piece("word", draw(st.sampled_from(CAPITAL))))
        elif kind == "number":
            pieces.append(Piece("word", draw(st.sampled_from(NUMBERS))))
        elif kind == "abbreviation":
            pieces.append(Piece("word", draw(st.sampled_from(ABBREVIATIONS))))
        elif kind in ("em", "strong"):
            pieces.append(Piece(kind, " ".join(draw(st.lists(words, min_size=1, max_size=3)))))
        else:
            pieces.append(Piece("initial", _capital(draw(st.sampled_from(HEADING_WORDS)))))
        if link == 1:  # one piece in ten
            pieces.append(Piece("link", *draw(st.sampled_from(LINKS))))
        if notes and note == 1 and pieces[-1].kind == "word" and pieces[-1].text[-1:].isalpha():  # one in twelve
            pieces.append(Piece("note", "?"))
        if index < count - 1 and punct == 1 and pieces[-1].kind != "note":  # one in eight
            pieces.append(Piece("punct", ","))
    first = pieces[0]
    if sentence and first.kind in ("word", "em", "strong"):
        pieces[0] = Piece(first.kind, _capital(first.text), first.href)
    if sentence:
        if pieces[-1].kind == "punct":
            pieces.pop()
        pieces.append(Piece("punct", draw(st.sampled_from([".", ".", ".", "!", "?"]))))
    return tuple(pieces)


@st.composite
def paragraphs(draw: st.DrawFn) -> Paragraph:
    sentences = draw(st.lists(inline_pieces(notes=True, sentence=True), min_size=1, max_size=3))
    return Paragraph(tuple(piece for sentence in sentences for piece in sentence))


@st.composite
def lists(draw: st.DrawFn) -> ListBlock:
    """Items of nested lists, four levels at most; every sublist's items share whether they are numbered."""
    items: list[Item] = []
    ordered_at: list[bool] = [draw(st.booleans())]
    count = draw(st.integers(min_value=2, max_value=8))
    for index in range(count):
        depth = 0 if index == 0 else draw(st.integers(min_value=0, max_value=min(3, items[-1].depth + 1)))
        if index and depth > items[-1].depth:  # a new sublist
            del ordered_at[depth:]
            ordered_at.append(draw(st.booleans()))
        del ordered_at[depth + 1 :]
        text = draw(inline_pieces(notes=False, sentence=False, min_size=1, max_size=6))
        if draw(st.booleans()) and text[0].kind in ("word", "em", "strong"):
            text = (Piece(text[0].kind, _capital(text[0].text)), *text[1:])
        items.append(Item(depth, ordered_at[depth], text))
    if not any(item.depth == 0 for item in items[1:]):  # a list has two items at its top level
        items.append(Item(0, ordered_at[0], draw(inline_pieces(notes=False, sentence=False, min_size=1, max_size=4))))
    return ListBlock(tuple(items))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = draw(st.integers(min_value=2, max_value=3))
    cell = st.lists(words, min_size=1, max_size=3).map(lambda found: _capital(" ".join(found)))
    rows = draw(st.lists(st.lists(cell, min_size=columns, max_size=columns), min_size=2, max_size=4))
    return Table(tuple(tuple(row) for row in rows))


@st.composite
def definitions(draw: st.DrawFn) -> Definitions:
    terms = draw(st.lists(heading_texts(), min_size=1, max_size=3, unique=True))
    texts = [_capital(" ".join(draw(st.lists(words, min_size=2, max_size=8)))) + "." for _ in terms]
    return Definitions(tuple(zip(terms, texts, strict=True)))


@st.composite
def documents(draw: st.DrawFn) -> Doc:
    """A document: a title, maybe an introduction, then sections, each a heading and one to three blocks."""
    sections = draw(st.integers(min_value=1, max_value=5))
    titles = draw(st.lists(heading_texts(), min_size=sections + 1, max_size=sections + 1, unique_by=str.casefold))
    table_at = draw(st.integers(min_value=-1, max_value=sections))
    definitions_at = draw(st.integers(min_value=-1, max_value=sections))
    body = st.one_of(paragraphs(), paragraphs(), lists())
    blocks: list[Block] = list(draw(st.lists(body, max_size=2)))
    level = 0
    for index in range(sections):
        level = draw(st.integers(min_value=1, max_value=min(4, level + 2)))  # a level may be skipped
        blocks.append(Heading(level, titles[index + 1]))
        blocks += draw(st.lists(body, min_size=1, max_size=3))
        if index == table_at:
            blocks.append(draw(tables()))
        if index == definitions_at:
            blocks.append(draw(definitions()))
    # A document does not repeat a paragraph or a list item word for word (in a PDF's text, a line
    # repeated at the edge of two pages is a running header or footer); a generated one would, at its simplest.
    texts = [plain(inline) for inline in Doc("", tuple(blocks), ()).inlines()]
    assume(len(set(texts)) == len(texts))
    assume(not _heading_continues_a_list(blocks))
    blocks = _numbered_notes(blocks)
    count = sum(1 for inline in Doc("", tuple(blocks), ()).inlines() for piece in inline if piece.kind == "note")
    notes = tuple(draw(st.lists(st.sampled_from(NOTE_TEXTS), min_size=count, max_size=count)))
    return Doc(titles[0], tuple(blocks), notes, numbered=draw(st.booleans()), lost_glyphs=draw(st.booleans()))


def _heading_continues_a_list(blocks: list[Block]) -> bool:
    """Whether a section heading numbered "N." stands right after a numbered list whose last item
    at its top is N - 1: in plain text ("2. Gesprek" / "3. Onze visie") no reader can tell that
    heading from the list's next item, and a document that numbers its sections avoids it."""
    numbers = section_numbers(Doc("", tuple(blocks), ()))
    for index, block in enumerate(blocks[1:], start=1):
        before = blocks[index - 1]
        if isinstance(block, Heading) and block.level == 1 and isinstance(before, ListBlock):
            top = [
                (item, number)
                for item, number in zip(before.items, item_numbers(before.items), strict=True)
                if not item.depth
            ]
            if top[-1][0].ordered and top[-1][1] == int(numbers[index]) - 1:
                return True
    return False


def _numbered_notes(blocks: list[Block]) -> list[Block]:
    """Number the note references 1, 2, 3, ... in order of reference."""
    number = 0
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            pieces = []
            for piece in block.text:
                if piece.kind == "note":
                    number += 1
                    piece = Piece("note", str(number))
                pieces.append(piece)
            block = Paragraph(tuple(pieces))
        out.append(block)
    return out
