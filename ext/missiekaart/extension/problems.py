"""Every warning the extension gives, in one place: one type, a subtype per mistake.

Each subtype can be silenced with ``suppress_warnings = ["missiekaart.<subtype>"]``. The
contributor guide (``CONTRIBUTING.md``) explains each one; a test keeps the two in step.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)

WARNING_TYPE = "missiekaart"

#: subtype -> what it means, in one line (the guide says how to fix each).
SUBTYPES: dict[str, str] = {
    "unknown-concept": "a card or {concept} role names a concept that no concept page defines",
    "unknown-option": "a directive option that does not exist (often a typo)",
    "missing-option": "a card without its required :concepts: option",
    "empty-body": "a card or concept without text",
    "duplicate-concept": "two concepts share an id or alias",
    "duplicate-mission-card": "more than one mission card on a page",
    "card-outside-organisation": "a card on a page that is not an organisation page",
    "card-before-title": "a mission card above the page's # title",
    "unclosed-card": "a card that contains a heading or another card, or runs to the end of the page",
    "missing-mission-card": "a page among the organisations without a mission card",
    "card-not-verbatim": "a card's text is not found word for word in the organisation's source text",
    "missing-source": "an organisation page whose mk-source front matter names no existing source text",
    "unsafe-source": "an mk-source outside the folder of source texts, or not a regular text file of bounded size",
    "missing-source-words": "an organisation page that lacks words of its source text (what check-source finds)",
    "unreadable-source": "a source text that cannot be read or decoded (binary, control characters, UTF-16)",
    "too-few-concepts": "an organisation that shares fewer concepts than the configured minimum",
    "definition-length": "a concept definition of fewer than 3 or more than 6 sentences",
    "definition-names-organisation": "a concept definition that names an organisation (names go stale)",
    "missing-value-card": "an organisation page without a value card",
    "unshared-concept": "a concept that fewer organisations use than the configured minimum",
    "unknown-place": "a card's :country: or :province: that is not in the project's list of places",
    "unsafe-url": "a card field URL that is not http, https or mailto",
    "html-in-title": "HTML in a card title or name, shown as text",
    "html-in-page": "HTML in a page's Markdown, shown as text",
    "too-deep": "lists or quotes nested deeper than MyST parses, which would drop the rest of the page",
    "unsafe-file-name": "a page whose file name holds characters that break links to it",
    "front-matter": "front matter that is not valid YAML",
    "empty-page": "an empty page among the organisations",
    "draft-card": "a card proposed by the importer that a contributor has not confirmed yet",
    "added-date": "a mission card's :added: that is not a date written YYYY-MM-DD",
    "unlinked-concept": "running text names a concept without a {concept} role (opt-in)",
    "missing-graphviz": "the concept map cannot be drawn: Graphviz's dot is missing or failed",
    "list-page-clash": "a page that continues a long list would take the address of a document",
}


def warn(message: str, location: Any, subtype: str, *args: object) -> None:
    """Log a located ``missiekaart.<subtype>`` warning; *subtype* must be one of :data:`SUBTYPES`."""
    if subtype not in SUBTYPES:
        raise ValueError(f"unregistered warning subtype {subtype!r}")
    logger.warning(message, *args, location=location, type=WARNING_TYPE, subtype=subtype)


def repeat(message: str, location: str, type: str, subtype: str) -> None:
    """Give a warning an earlier build gave again, as it was: its type and subtype may be Sphinx's own."""
    logger.warning("%s", message, location=location or None, type=type or None, subtype=subtype or None)
