"""The importer's document model: source lines, the blocks made of them, and what was decided.

Every pass takes a :class:`Document` and returns a new one (``dataclasses.replace``); no pass
changes the document it was given, so each can be run and tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from missiekaart.importer.sourcefile import SourceText

__all__ = [
    "NOTE_CLOSE",
    "NOTE_OPEN",
    "PROSE_WORDS",
    "Block",
    "Decision",
    "Document",
    "Dropped",
    "Footnote",
    "Line",
    "Span",
    "ordinary_words",
]

#: Around a footnote's words where ``check-source`` reads them: at the note's reference, on both sides.
NOTE_OPEN, NOTE_CLOSE = "\u2045", "\u2046"

#: A run of this many ordinary words (two letters or more) is prose, not debris: left out, it is warned about.
PROSE_WORDS = 12
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")


def ordinary_words(text: str) -> int:
    """How many ordinary words *text* holds: two letters or more, no digits (not ``2024``, ``a``, ``x1``)."""
    return len(_LETTER_WORD.findall(text))


class Line(NamedTuple):
    """A piece of a source line: its 1-based line number, column offset and text. (A named tuple,
    as :class:`Span`: a list of 40,000 items makes one of each per line, three times faster than a
    frozen dataclass; compare them only with their own kind.)"""

    no: int
    col: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


class Span(NamedTuple):
    """Characters of a source line that became structure rather than text."""

    line: int
    start: int
    end: int
    kind: str  # "bullet", "enumerator", "heading-mark", "footnote-ref"
    label: str = ""


@dataclass(frozen=True, slots=True)
class Dropped:
    """Source text the importer left out because a reader never saw it, and why."""

    line: int
    text: str
    reason: str
    start: int = 0  # the columns it spans on its line (a plain text); for HTML, where its start tag stands
    end: int = 0
    prose: int = -1  # the most ordinary words in one run of it (a paragraph, an item); -1: the text is one run

    @property
    def prose_words(self) -> int:
        """The most ordinary words in one run of the piece: what tells prose from a menu of short items."""
        return self.prose if self.prose >= 0 else ordinary_words(self.text)


@dataclass(frozen=True, slots=True)
class Footnote:
    label: str
    marker: Span
    lines: tuple[Line, ...]  # the text after the number, then continuation lines


class Block(NamedTuple):
    """A block of the page: "heading", "paragraph", "item", "rule", "myst" (already MyST text), or
    "footnote" (a MyST footnote definition, after the text). (A named tuple, as :class:`Line`: a
    list of 40,000 items makes as many blocks, each three times faster than a frozen dataclass;
    a pass that changes one makes a new one with ``_replace``.)"""

    kind: str
    lines: tuple[Line, ...]
    level: int = 0  # a heading's level on the page; the source's level before levels are assigned
    ordered: bool = False
    number: int = 0
    delimiter: str = "."  # an ordered item's enumerator delimiter in the source: "." or ")"
    depth: int = 0  # an item's nesting depth, 0 for a top-level item
    numbered_heading: bool = False
    myst: str = ""  # the MyST text of a "myst" or "footnote" block

    @property
    def line(self) -> int:
        return self.lines[0].no if self.lines else 0


@dataclass(frozen=True, slots=True)
class Decision:
    """A choice a contributor may want to review, e.g. a link kept as text only."""

    line: int
    text: str


@dataclass(frozen=True)
class Document:
    """A source text on its way to a page; each pass fills in or replaces some fields."""

    source: SourceText
    title: str  # the page title: the organisation's name
    pages: tuple[tuple[Line, ...], ...] = ()
    debris: Mapping[Line, str] = field(default_factory=dict)  # repeated page-edge lines, and why
    flow: tuple[Line | None, ...] = ()  # body lines; None is a page break, later a block break
    blocks: tuple[Block, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    markup: tuple[Span, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    moved: tuple[Line, ...] = ()  # source pieces that became footnote text
    decisions: tuple[Decision, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(block.kind != "rule" for block in self.blocks) and not self.footnotes
