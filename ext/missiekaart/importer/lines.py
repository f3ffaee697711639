"""What a single source line looks like: a list item's marker, a sentence end, a title.

Shared by the passes that need to recognise lines: footnotes (a list item ends a note),
blocks (headings, lists, paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BULLETS", "SENTENCE_END", "Marker", "item_marker", "title_like"]

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


@dataclass(frozen=True)
class Marker:
    """A list item's marker: where it is, what kind of list it makes, and its number if any."""

    indent: int
    end: int  # where the item's text begins
    kind: str  # the glyph for bullets, "1." / "1)" for numbers, "a." / "a)" for letters
    number: int = 0
    delimiter: str = ""

    @property
    def ordered(self) -> bool:
        return self.number > 0


def item_marker(text: str, in_list: bool = False) -> Marker | None:
    """The list marker that starts *text*, if any; "o" counts only *in_list* (next to other items)."""
    if match := _ENUMERATOR.match(text):
        number = int(match.group(2))
        return Marker(len(match.group(1)), match.end(), f"1{match.group(3)}", number, match.group(3))
    if match := _LETTER.match(text):
        return Marker(len(match.group(1)), len(match.group(1)), f"a{match.group(3)}")
    if match := _BULLET.match(text) or _GLUED_BULLET.match(text) or (_LETTER_BULLET.match(text) if in_list else None):
        return Marker(len(match.group(1)), match.end(), match.group(2))
    return None


def title_like(text: str, max_words: int) -> bool:
    """A short line that starts with a capital or digit and ends without punctuation, not a quotation."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > max_words or text[-1] in _TERMINAL_PUNCTUATION:
        return False
    if text[0] in _QUOTES and text[-1] in _QUOTES:  # a quoted motto
        return False
    if _INNER_SENTENCE_END.search(text):  # "Meer weten? Bel ons" is a sentence
        return False
    first = next((char for char in text if char.isalnum()), "")
    return first.isupper() or first.isdigit()
