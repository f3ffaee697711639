"""What a single source line looks like: a list item's marker, a sentence end, a title.

Shared by the passes that need to recognise lines: footnotes (a list item ends a note),
blocks (headings, lists, paragraphs).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["BULLETS", "SENTENCE_END", "Marker", "forget_markers", "in_columns", "item_marker", "title_like"]

# Bullet glyphs: typographic ones, Markdown's, and the private-use glyphs PDF fonts export
# (Symbol and Wingdings bullets, squares, arrows, check marks).
PRIVATE_USE_BULLETS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf0a2\uf06e\uf071\uf0e8"
BULLETS = "•◦▪▫●○■□►▸‣⁃∙·*-–" + PRIVATE_USE_BULLETS
_BULLET = re.compile(rf"(\s*)([{re.escape(BULLETS)}])\s+(?=\S)")
_GLUED_BULLET = re.compile(rf"(\s*)([{PRIVATE_USE_BULLETS}])(?=\S)")  # PDF glyphs often lose their space
_LETTER_BULLET = re.compile(r"(\s*)(o)\s+(?=\S)")  # Word's second-level bullet, exported as "o"
_ENUMERATOR = re.compile(r"(\s*)(\d{1,3})([.)])\s+(?=\S)")
_LETTER = re.compile(r"(\s*)([a-z])([.)])\s+(?=\S)")

SENTENCE_END = re.compile(r"[.!?:;…”’\"')]\s*$")
_TERMINAL_PUNCTUATION = ".,;:!?…"
_INNER_SENTENCE_END = re.compile(r"[^\d\s][.?!]\s")
_QUOTES = "\"'“”‘’„«»"
_COLUMN_GAP = re.compile(r"\S(?:\t| {3,})\s*\S")  # words set apart in columns: a table row, tab stops


class Marker(NamedTuple):
    """A list item's marker: where it is, what kind of list it makes, and its number if any."""

    indent: int
    end: int  # where the item's text begins
    kind: str  # the glyph for bullets, "1." / "1)" for numbers, "a." / "a)" for letters
    number: int = 0
    delimiter: str = ""

    @property
    def ordered(self) -> bool:
        return self.number > 0


# All the markers in one expression: one match per line, not one per kind (a list of 40,000 items).
_MARKER = re.compile(
    rf"""(\s*)(?:
        (?P<number>\d{{1,3}})(?P<ndelim>[.)])\s+(?=\S)
      | (?P<letter>[a-z])(?P<ldelim>[.)])\s+(?=\S)
      | (?P<bullet>[{re.escape(BULLETS)}])\s+(?=\S)
      | (?P<glued>[{PRIVATE_USE_BULLETS}])(?=\S)
      | (?P<o>o)\s+(?=\S)
    )""",
    re.VERBOSE,
)


def item_marker(text: str, in_list: bool = False) -> Marker | None:
    """The list marker that starts *text*, if any; "o" counts only *in_list* (next to other items)."""
    marker = _marker(text)
    return None if marker is not None and marker.kind == "o" and not in_list else marker


@functools.cache
def _marker(text: str) -> Marker | None:
    """The marker :func:`item_marker` finds, an "o" included.

    Several passes ask this of the same lines (a list of 40,000 items: four times each), so the
    answers (frozen :class:`Marker` values) are kept, one per text whatever the caller asks, while
    one document is analysed: the importer forgets them after each (:func:`forget_markers`), so they
    grow with one input only."""
    match = _MARKER.match(text)
    if match is None:
        return None
    indent = len(match.group(1))
    if match.group("number") is not None:
        delimiter = match.group("ndelim")
        return Marker(indent, match.end(), f"1{delimiter}", int(match.group("number")), delimiter)
    if match.group("letter") is not None:
        return Marker(indent, indent, f"a{match.group('ldelim')}")
    glyph = match.group("bullet") or match.group("glued")
    return Marker(indent, match.end(), glyph if glyph is not None else "o")


def forget_markers() -> None:
    """Forget the markers :func:`item_marker` found: they were for one document's lines."""
    _marker.cache_clear()


def in_columns(text: str) -> bool:
    """Whether *text*'s words are set apart in columns (a tab, or three spaces or more between
    them): a table's row or tab stops, not a line of prose."""
    return bool(_COLUMN_GAP.search(text))


def title_like(text: str, max_words: int) -> bool:
    """A short line that starts with a capital or digit and ends without punctuation, not a quotation,
    a sentence or a row of columns."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > max_words or text[-1] in _TERMINAL_PUNCTUATION:
        return False
    if text[0] in _QUOTES and text[-1] in _QUOTES:  # a quoted motto
        return False
    if _INNER_SENTENCE_END.search(text):  # "Meer weten? Bel ons" is a sentence
        return False
    if in_columns(text):  # "Doelgroep    Aanbod" is a table's row (a PDF's page may end after it)
        return False
    first = next((char for char in text if char.isalnum()), "")
    return first.isupper() or first.isdigit()
