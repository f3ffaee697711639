"""The document model of the round trip: a document is a title, blocks and footnotes.

A block is a :class:`Heading` (levels 1-4 below the title), a :class:`Paragraph` or a list
item's text (an :data:`Inline`: a tuple of :class:`Piece`), a :class:`ListBlock` (items with
their nesting depth), a :class:`Table` or :class:`Definitions`. :func:`plain` is the text a reader
sees of an inline, :func:`inline_words` and :func:`block_words` its reader words, as
``check-source`` counts them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN
from missiekaart.importer.readerwords import words_of

#: How a text is cut into the words compared: :func:`words_of`, or :func:`hyphens_joined`.
Tokens = Callable[[str], list[str]]


@dataclass(frozen=True)
class Piece:
    """A piece of inline text.

    kind: "word" (a word, an abbreviation, a number), "punct" (punctuation glued to the piece
    before it), "em" and "strong" (emphasised words), "initial" (a word with its first letter
    bold: **V**erbinding), "link" (its text and *href*), "note" (a footnote reference, glued to
    the word before it; *text* is its number).
    """

    kind: str
    text: str
    href: str = ""


Inline = tuple[Piece, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 1-4 below the title
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: Inline


@dataclass(frozen=True)
class Item:
    depth: int  # 0 at the top
    ordered: bool  # the list this item is in is numbered
    text: Inline


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # the first is the header


@dataclass(frozen=True)
class Definitions:
    entries: tuple[tuple[str, str], ...]  # term, definition (a sentence)


Block = Heading | Paragraph | ListBlock | Table | Definitions


@dataclass(frozen=True)
class Doc:
    title: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]  # the text of footnote 1, 2, ... (referenced in that order)
    numbered: bool = False  # a PDF's headings carry section numbers ("1", "2.1")
    lost_glyphs: bool = False  # a PDF's text lost the bullets of a flat list's first two items

    @property
    def headings(self) -> list[Heading]:
        return [block for block in self.blocks if isinstance(block, Heading)]

    @property
    def items(self) -> list[Item]:
        return [item for block in self.blocks if isinstance(block, ListBlock) for item in block.items]

    @property
    def links(self) -> list[Piece]:
        return [piece for inline in self.inlines() for piece in inline if piece.kind == "link"]

    def inlines(self) -> list[Inline]:
        found: list[Inline] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                found.append(block.text)
            elif isinstance(block, ListBlock):
                found += [item.text for item in block.items]
        return found


def plain(inline: Inline, note: str = "") -> str:
    """The text a reader sees of *inline*: note references as *note* with its number in it ("{}")."""
    out: list[str] = []
    for piece in inline:
        if piece.kind == "punct":
            out.append(piece.text)
        elif piece.kind == "note":
            out.append(note.format(piece.text))
        else:
            out.append((" " if out else "") + piece.text)
    return "".join(out)


def inline_words(inline: Inline, notes: tuple[str, ...] | None, tokens: Tokens = words_of) -> list[str]:
    """The reader words of *inline*, each note's words at its reference (between the note brackets), if *notes*."""
    words: list[str] = []
    for piece in inline:
        if piece.kind == "note":
            if notes is not None:
                words += [NOTE_OPEN, *tokens(notes[int(piece.text) - 1]), NOTE_CLOSE]
        elif piece.kind != "punct":
            words += tokens(piece.text)
    return words


def block_words(block: Block, notes: tuple[str, ...] | None, tokens: Tokens = words_of) -> list[str]:
    """The reader words of *block* (see :func:`inline_words`)."""
    if isinstance(block, Heading):
        return tokens(block.text)
    if isinstance(block, Paragraph):
        return inline_words(block.text, notes, tokens)
    if isinstance(block, ListBlock):
        return [word for item in block.items for word in inline_words(item.text, notes, tokens)]
    if isinstance(block, Table):
        return [word for row in block.rows for cell in row for word in tokens(cell)]
    return [word for term, text in block.entries for word in tokens(term) + tokens(text)]


_INNER_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def hyphens_joined(text: str) -> list[str]:
    """Reader words with the hyphens between letters taken out first: "coördi-natie", a word a
    PDF hyphenated at a line's end and the page keeps so (the importer cannot tell it from
    "Oost-Vlaanderen"), is the word "coördinatie", and "Oost-Vlaanderen" is "OostVlaanderen"."""
    return words_of(_INNER_HYPHEN.sub("", text))


def item_numbers(items: tuple[Item, ...]) -> list[int]:
    """Each item's number in its own list."""
    numbers: list[int] = []
    counters: list[int] = []
    for item in items:
        del counters[item.depth + 1 :]
        while len(counters) <= item.depth:
            counters.append(0)
        counters[item.depth] += 1
        numbers.append(counters[item.depth])
    return numbers


def section_numbers(doc: Doc) -> dict[int, str]:
    """Each heading's section number by its index in the blocks: "1", "2.1", "1.0.1" for a skipped level."""
    counters = [0] * 4
    found: dict[int, str] = {}
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            counters[block.level - 1] += 1
            counters[block.level :] = [0] * (4 - block.level)
            found[index] = ".".join(str(number) for number in counters[: block.level])
    return found
