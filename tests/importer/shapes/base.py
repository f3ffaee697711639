"""What every export shape is: :class:`Shape` writes a document as a file and says what of it the
file can express; :class:`Written` is what it wrote."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from missiekaart.importer.readerwords import words_of

from .model import Doc, Heading, Item, ListBlock, block_words, inline_words, item_numbers


@dataclass
class Written:
    """What a shape wrote: the file, and the words of what is no reader text of the document (site
    chrome, page debris, template code), which the import must report as dropped."""

    path: Path
    chrome: list[str] = field(default_factory=list)


class Shape:
    """An export shape: a file suffix, what it can express, and a writer."""

    name = ""
    suffix = ".txt"
    #: "levels" (heading levels), "depth" (list nesting), "ordered", "emphasis", "links", "footnotes",
    #: "tables", "definitions"
    expresses: frozenset[str] = frozenset()
    #: where a heading right before a list whose first item starts in lower case stays a heading:
    #: in plain text it reads as a lead-in whose items go on with its sentence ("Wij bieden" / "• hulp")
    lead_ins_are_ambiguous = False

    def words(self, text: str) -> list[str]:
        """The words of *text* as the checks compare them (a shape that hyphenates joins them)."""
        return words_of(text)

    def write(self, doc: Doc, folder: Path) -> Written:
        raise NotImplementedError

    def features(self, doc: Doc) -> frozenset[str]:
        """What this shape expresses of *doc*."""
        return self.expresses

    def numbers(self, doc: Doc) -> dict[int, str]:
        """The section number written before each heading (by its index in the blocks), if any."""
        return {}

    def heading_words(self, doc: Doc) -> list[list[str]]:
        """The words of each heading as written, section numbers included."""
        numbers = self.numbers(doc)
        return [
            self.words(numbers.get(index, "") + " " + block.text)
            for index, block in enumerate(doc.blocks)
            if isinstance(block, Heading)
        ]

    def item_label(self, item: Item, number: int) -> str:
        """Text written before a list item that the page keeps as its text (Word's letters), if any."""
        return ""

    def item_words(self, doc: Doc) -> list[list[str]]:
        """The words of each list item's own text as written (without its notes)."""
        return [
            self.words(self.item_label(item, number)) + inline_words(item.text, None, self.words)
            for block in doc.blocks
            if isinstance(block, ListBlock)
            for item, number in zip(block.items, item_numbers(block.items), strict=True)
        ]

    def expected_words(self, doc: Doc) -> list[str]:
        """The document's reader words in the order the page must show them."""
        notes = doc.notes if "footnotes" in self.features(doc) else None
        numbers = self.numbers(doc)
        found = self.words(doc.title)
        for index, block in enumerate(doc.blocks):
            found += self.words(numbers.get(index, ""))
            if isinstance(block, ListBlock):
                for item, number in zip(block.items, item_numbers(block.items), strict=True):
                    found += self.words(self.item_label(item, number)) + inline_words(item.text, notes, self.words)
            else:
                found += block_words(block, notes, self.words)
        if notes is None:
            found += [word for note in doc.notes for word in self.words(note)]
        return found

    def __repr__(self) -> str:
        return self.name
