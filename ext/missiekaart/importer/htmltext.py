"""Which HTML elements are what, and the text of HTML as a reader of the page sees it.

Shared by the HTML reader (:mod:`.html`), the choice of a web page's main content
(:mod:`.maincontent`) and the reader words ``check-source`` compares a page with
(:mod:`missiekaart.readerwords`): blocks, what no reader sees, the site's chrome; the text of
markup read in one pass (:func:`scan_text`) and of a parsed element (:func:`shown_text`).
"""

from __future__ import annotations

import re
from html import unescape

from lxml import etree

from .model import ordinary_words

__all__ = [
    "BANNER",
    "BLOCK",
    "CHROME",
    "NOT_TEXT",
    "PAGE_CHROME",
    "RAW_TEXT",
    "hidden",
    "scan_text",
    "shown_text",
    "tag_of",
]

NOT_TEXT = frozenset({"script", "style", "template", "noscript", "head", "title", "meta", "link"})
CHROME = frozenset(
    {"nav", "form", "button", "select", "option", "input", "textarea", "iframe", "svg", "canvas", "object", "embed"}
)
PAGE_CHROME = frozenset({"header", "footer", "aside"})  # the site's, outside an article
BANNER = re.compile(r"cookie|consent|gdpr|privacy-banner|cc-window|cc-banner", re.IGNORECASE)
BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: Elements whose content HTML's parser reads as text, markup and all, to their closing tag (libxml2 2.14
#: tokenises as HTML5 does): a ``<b>`` in a ``<textarea>`` is text; only a textarea decodes ``&amp;``.
RAW_TEXT = frozenset({"textarea", "xmp", "iframe", "noembed", "noframes"})
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_TAG_END = re.compile(r"<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>")
_PARSER_END = re.compile(r"(?:</body>)?\s*(?:</html>)?\s*$")


def scan_text(html: str, keep_lines: bool = False) -> str:
    """The text of HTML in one pass: tags, comments and declarations out, and the elements no reader sees.

    Markup runs from a '<' that starts a tag, comment or declaration to the next '>' outside
    quotes (to '-->' for a comment); markup that never ends is text, as is everything after it
    that holds no '>'. Character references are decoded. The content of a :data:`RAW_TEXT` element,
    and everything after ``<plaintext>``, is text as it stands, as the parser reads it. With
    *keep_lines*, what is left out leaves its line breaks, so the text keeps the source's lines.
    Linear in the text.
    """
    text: list[str] = []
    position = 0
    unclosed: set[str] = set()

    def cut(start: int, end: int) -> str:
        return "\n" * html.count("\n", start, end) + " " if keep_lines else " "

    while (start := _MARKUP_START.search(html, position)) is not None:
        at = start.start()
        if html.startswith("<!--", at):
            end = html.find("-->", at + 4)
            end = end + 3 if end >= 0 else -1
        else:
            tag = _TAG_END.match(html, at)
            end = tag.end() if tag else -1
        if end < 0:  # never ends: text from here on (a later '>' ends no tag that starts after this)
            break
        text += [unescape(html[position:at]), cut(at, end)]
        name = _HTML_TAG.match(html, at)
        position = end
        element = name.group(2).lower() if name and not name.group(1) else ""
        if element in NOT_TEXT - {"head", "meta", "link"} or element in RAW_TEXT:
            # Its text runs to its closing tag; with none after it, to the end (no later one has one either).
            close = None if element in unclosed else re.compile(rf"</{element}\s*>", re.I).search(html, end)
            if close is None:
                unclosed.add(element)
            if element in RAW_TEXT:  # what the parser reads as text, markup and all, up to the closing tag
                stop = close.start() if close else len(html)
                text.append(unescape(html[end:stop]) if element == "textarea" else html[end:stop])
            else:
                stop = close.end() if close else len(html)
                text.append(cut(position, stop))
            position = stop
        elif element == "plaintext":  # the rest of the page is its text, as it stands
            text.append(html[end:])
            position = len(html)
    text.append(unescape(html[position:]))
    return "".join(text)


def tag_of(element: etree._Element) -> str:
    """*element*'s tag in lower case ('' for a comment or processing instruction)."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def hidden(element: etree._Element) -> bool:
    """An element the page hides from its readers (``hidden``, ``aria-hidden``, ``display: none``)."""
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def shown_text(element: etree._Element) -> tuple[str, int]:
    """The text of *element* as the reader words have it: without the text of the elements in it that no
    reader sees (a script inside a menu), unless it is one of those itself; and the most ordinary words
    in one run of it (the text between two block boundaries or line breaks: a sentence, not a menu of
    one-word items), -1 for an element no reader sees. Linear in the element."""
    if tag_of(element) in NOT_TEXT:
        text = " ".join(element.itertext())
        if tag_of(element) in ("script", "style"):  # an unclosed one runs to the end, past the parser's own end tags
            text = _PARSER_END.sub("", text)
        return text, -1
    parts: list[str] = []
    run = 0  # where in *parts* the current run starts
    longest = 0
    skipping = 0  # open elements no reader sees

    def boundary(node: etree._Element) -> None:
        nonlocal run, longest
        if tag_of(node) in BLOCK or tag_of(node) == "br":
            longest = max(longest, ordinary_words(" ".join(parts[run:])))
            run = len(parts)

    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if skipping or tag_of(node) in NOT_TEXT:
                skipping += 1
                continue
            boundary(node)
            if node.text:
                parts.append(node.text)
        else:
            if skipping:
                skipping -= 1
                if skipping:
                    continue
            else:
                boundary(node)
            if node is not element and node.tail:
                parts.append(node.tail)
    longest = max(longest, ordinary_words(" ".join(parts[run:])))
    return " ".join(parts), longest
