"""How deep the importer nests what it writes: never deeper than MyST renders, so no word is lost.

markdown-it-py, and so MyST, stops reading a block that is nested ``maxNesting`` levels deep
(20 in the CommonMark preset MyST uses) and drops it, and the rest of the text around it,
without a word. Each level of a list costs two (the list and its item), each quote one. The
importer writes nothing deeper: deeper list items are placed at the deepest level, deeper
quotes and lists of a Markdown source are written flat, each time with a decision in the report.
"""

from __future__ import annotations

__all__ = [
    "MAX_INLINE_DEPTH",
    "MAX_LIST_DEPTH",
    "MYST_MAX_NESTING",
    "PARSER_MAX_NESTING",
    "fits",
]

#: MyST's markdown-it ``maxNesting`` (its CommonMark preset): a block at this level is not read.
MYST_MAX_NESTING = 20
#: The levels of a list MyST reads (a list and its item are two levels each): 9.
MAX_LIST_DEPTH = (MYST_MAX_NESTING - 1) // 2
#: Emphasis, strikethrough and links inside each other: deeper stays text (renderers recurse).
MAX_INLINE_DEPTH = 8
#: The importer's own parser reads Markdown sources this deep, to see what MyST would drop;
#: deeper text is kept as plain paragraphs. Bounded: markdown-it-py recurses per level.
PARSER_MAX_NESTING = 100


def fits(level: int, cost: int) -> bool:
    """Whether a block of *cost* levels (a quote 1, a list 2) opened at *level* is still read by MyST."""
    return level + cost < MYST_MAX_NESTING
