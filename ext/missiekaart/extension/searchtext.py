"""What Pagefind reads of a page: its running text, words to match, and filter values.

Pagefind builds a result's excerpt from the text it indexed, so whatever is indexed may be shown.
A page therefore marks its *running text* for Pagefind, block by block (``data-pagefind-body`` on
each, :func:`mark_running_text`): the paragraphs, headings, list items and table cells the page's
source file holds, outside cards and generated content. Nothing else is indexed as text: not the
theme, not the cards' labels, the jump links or the origin of an organisation's text, not the
lists made from other pages, whatever markup a later feature adds without a source line.

What should find a page without being shown goes last, in one element of its own
(:func:`terms_element`): a concept's aliases and every Dutch form of its names, a card's title,
fields and text. It starts with the anchor :data:`TERMS_ANCHOR`, which Pagefind reports with its
word position, so the search page (``static/missiekaart-search.js``) builds each excerpt from the
words before it only.

Filter values (:func:`filter_value`) are written inline (``label:value``) and may hold any
character. Pagefind 1.5 takes an inline value literally up to the end of the attribute (commas
included), collapses runs of white space, and decodes HTML entities once more after the
attribute's own decoding: so white space is collapsed here and ``&`` is written ``&amp;``. Its
search looks a value up by the raw text of the JSON string it is sent, escapes included, so a
value holding ``\\`` or ``"`` (which JSON escapes) would never be found: such characters, ``%``
and control characters are stored percent-encoded (:func:`stored_value`), and the search page
decodes what it shows and encodes what it asks for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from docutils import nodes

from missiekaart.extension.nodes import mk_card

__all__ = [
    "TERMS_ANCHOR",
    "filter_value",
    "mark_running_text",
    "matching_text",
    "normal_value",
    "stored_value",
    "terms_element",
]

#: The id of the element that starts a page's words to match; excerpts end before it.
TERMS_ANCHOR = "mk-zoektermen"
#: The node attribute that puts an element into the search index (``data-pagefind-body``).
INDEXED = "mk_indexed"
#: Classes of what is shown but never part of a page's running text, and never worth matching:
#: the labels of cards and fields.
LABELS = frozenset({"mk-card-kind", "mk-label"})
#: The characters that Pagefind's search cannot look up as they are (see the module's docstring).
_ENCODED = re.compile(r'[%\\"\x00-\x1f\x7f]')
_SPACE = re.compile(r"\s+")


def normal_value(value: str) -> str:
    """*value* with its white space as Pagefind keeps a filter value: runs as one space, none at
    either end. The overview's links to the search page use this form too."""
    return _SPACE.sub(" ", value).strip()


def stored_value(value: str) -> str:
    """The filter value as the index holds it: :func:`normal_value`, with ``%``, ``\\``, ``"`` and
    control characters as ``%XX`` (two upper-case hexadecimal digits)."""
    return _ENCODED.sub(lambda match: f"%{ord(match.group()):02X}", normal_value(value))


def filter_value(label: object, value: str) -> str:
    """``data-pagefind-filter`` for one value of the filter *label*; the translator escapes it
    once more as an attribute. *label* is one of the extension's own (no ``:``, ``,`` or ``[``)."""
    return f"{label}:{stored_value(value).replace('&', '&amp;')}"


def _generated(node: nodes.Element, generated: frozenset[str]) -> bool:
    return isinstance(node, mk_card) or not generated.isdisjoint(node.get("classes", ()))


def running_blocks(document: nodes.Element, generated: frozenset[str]) -> Iterator[nodes.TextElement]:
    """The blocks of *document*'s running text, in order: text elements that are not inline and
    come from a line of the source, outside cards and the classes *generated*. The extension's
    own chrome is made without a source line, so it is never among them."""
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        if not isinstance(node, nodes.Element) or _generated(node, generated):
            continue
        if isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline):
            if node.line:
                yield node
            continue  # its children are inline: none is a block of its own
        stack.extend(reversed(node.children))


def mark_running_text(document: nodes.Element, generated: frozenset[str]) -> int:
    """Put the running text into the search index (the translator writes ``data-pagefind-body``
    on each block); the number of blocks."""
    blocks = list(running_blocks(document, generated))
    for block in blocks:
        block[INDEXED] = True
    return len(blocks)


def matching_text(node: nodes.Element, generated: frozenset[str]) -> str:
    """*node*'s text without its labels (a card's kind, a field's name) and generated parts."""
    parts: list[str] = []
    stack: list[nodes.Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, nodes.Text):
            parts.append(str(current))
            continue
        if not isinstance(current, nodes.Element) or isinstance(current, nodes.field_name):
            continue
        classes: set[str] = set(current.get("classes", ()))
        if current is not node and (classes & LABELS or classes & generated):
            continue
        if isinstance(current, nodes.TextElement) and parts:
            parts.append(" ")  # blocks and fields do not run into each other
        stack.extend(reversed(current.children))
    return normal_value("".join(parts))


def terms_element(terms: Iterable[str], filters: Iterable[str]) -> nodes.container:
    """The last element of a page's indexed content: the anchor, carrying *terms* in an indexed
    attribute, and an empty element per filter value (``data-pagefind-filter``)."""
    element = nodes.container(classes=["mk-search-terms"])
    element[INDEXED] = True
    words = " ".join(dict.fromkeys(term for term in terms if term))
    anchor = nodes.inline(ids=[TERMS_ANCHOR])
    if words:
        anchor["mk_terms"] = words
    element += anchor
    for value in dict.fromkeys(filters):
        element += nodes.inline(mk_filter=value)
    return element
