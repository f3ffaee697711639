"""Which HTML elements are what, and the text of HTML as a reader of the page sees it.

Shared by the HTML reader (:mod:`.html`), the choice of a web page's main content
(:mod:`.maincontent`) and the reader words ``check-source`` compares a page with
(:mod:`missiekaart.importer.readerwords`): blocks, what no reader sees, the site's chrome; the text of
markup read in one pass (:func:`scan_text`) and of a parsed element (:func:`shown_text`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from html import unescape

from lxml import etree

from missiekaart.importer.model import ordinary_words

__all__ = [
    "BANNER",
    "BLOCK",
    "CHROME",
    "INLINE",
    "NOT_TEXT",
    "PAGE_CHROME",
    "RAW_TEXT",
    "VOID",
    "Scanned",
    "StartTags",
    "hidden",
    "scan_elements",
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
#: Elements inside a line of text, whose tags part no words (``<strong>V</strong>erbinding``).
INLINE = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
        "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",
        "u", "var",
    }
)  # fmt: skip
#: Elements whose content HTML's parser reads as text, markup and all, to their closing tag (libxml2 2.14
#: tokenises as HTML5 does): a ``<b>`` in a ``<textarea>`` is text; only a textarea decodes ``&amp;``.
RAW_TEXT = frozenset({"textarea", "xmp", "iframe", "noembed", "noframes"})
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_TAG_END = re.compile(r"<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>")
_PARSER_END = re.compile(r"(?:</body>)?\s*(?:</html>)?\s*$")


def _pieces(html: str) -> Iterator[tuple[str, int, int, str]]:
    """HTML in pieces, in one pass: ``("text", start, end, "")`` to decode, ``("markup", start, end, name)``
    left out (a tag, with its name if it starts an element; a comment; the content of an element no reader
    sees), ``("raw", ...)`` text as it stands and ``("rcdata", ...)`` text to decode, what the parser reads
    as text, markup and all (see :func:`scan_text`)."""
    position = 0
    unclosed: set[str] = set()
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
        name = _HTML_TAG.match(html, at)
        element = name.group(2).lower() if name and not name.group(1) else ""
        yield "text", position, at, ""
        yield "markup", at, end, element
        position = end
        if element in NOT_TEXT - {"head", "meta", "link"} or element in RAW_TEXT:
            # Its text runs to its closing tag; with none after it, to the end (no later one has one either).
            close = None if element in unclosed else re.compile(rf"</{element}\s*>", re.I).search(html, end)
            if close is None:
                unclosed.add(element)
            if element in RAW_TEXT:  # what the parser reads as text, markup and all, up to the closing tag
                stop = close.start() if close else len(html)
                yield ("rcdata" if element == "textarea" else "raw"), end, stop, ""
            else:
                stop = close.end() if close else len(html)
                yield "markup", end, stop, ""
            position = stop
        elif element == "plaintext":  # the rest of the page is its text, as it stands
            yield "raw", end, len(html), ""
            position = len(html)
    yield "text", position, len(html), ""


def scan_text(html: str, keep_lines: bool = False) -> str:
    """The text of HTML in one pass: tags, comments and declarations out, and the elements no reader sees.

    Markup runs from a '<' that starts a tag, comment or declaration to the next '>' outside
    quotes (to '-->' for a comment); markup that never ends is text, as is everything after it
    that holds no '>'. Character references are decoded. The content of a :data:`RAW_TEXT` element,
    and everything after ``<plaintext>``, is text as it stands, as the parser reads it. A tag of an
    inline element (:data:`INLINE`) joins the text on either side, as a browser shows it
    (``<strong>V</strong>erbinding`` is one word); any other markup parts it. With *keep_lines*, what
    is left out leaves its line breaks, so the text keeps the source's lines. Linear in the text.
    """
    text: list[str] = []
    opened = ""  # the element the last tag started: a script's content is markup after it, never a tag
    for kind, start, end, name in _pieces(html):
        if kind == "markup":
            tag = _HTML_TAG.match(html, start) if opened not in NOT_TEXT else None
            space = "" if tag and tag.group(2).lower() in INLINE else " "
            text.append("\n" * html.count("\n", start, end) + space if keep_lines else space)
            opened = name
        elif kind == "raw":
            text.append(html[start:end])
        else:
            text.append(unescape(html[start:end]))
    return "".join(text)


VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass
class Scanned:
    """An element as :func:`scan_elements` finds it: offsets into the HTML, its parent's index."""

    name: str
    start: int  # its start tag's "<"
    inner: int  # after its start tag
    close: int  # its end tag's "<" (the text's end if it has none; *inner* if it is void)
    end: int  # after its end tag
    parent: int  # the index of the element it is in, -1 at the top
    id: str = ""
    href: str = ""


def scan_elements(html: str) -> list[Scanned]:
    """The elements of HTML in one pass, as :func:`scan_text` reads its markup, in document order.

    An end tag closes the elements opened after the open element it names (``</ul>`` closes
    its ``<li>``); an end tag that names no open element is ignored; an element no end tag
    closes runs to the end. Linear in the text.
    """
    elements: list[Scanned] = []
    stack: list[int] = []
    open_names: dict[str, int] = {}
    opened: Scanned | None = None  # an element whose content is no markup (a script): its content comes next
    for kind, start, end, _name in _pieces(html):
        if kind != "markup":
            continue
        if opened is not None:  # a script's or style's content, with its end tag
            opened.close = opened.end = end
            opened = None
            continue
        tag = _HTML_TAG.match(html, start)
        if tag is None:  # a comment, declaration or processing instruction
            continue
        name = tag.group(2).lower()
        if tag.group(1):
            if open_names.get(name):
                while stack:
                    element = elements[stack.pop()]
                    open_names[element.name] -= 1
                    element.close, element.end = start, end
                    if element.name == name:
                        break
            continue
        attributes = {
            match.group(1).lower(): unescape(match.group(2) or match.group(3) or match.group(4) or "")
            for match in _ATTRIBUTE.finditer(html, tag.end(), end - 1)
        }
        element = Scanned(
            name, start, end, end, end, stack[-1] if stack else -1, attributes.get("id", ""), attributes.get("href", "")
        )
        elements.append(element)
        if name in NOT_TEXT - {"head", "meta", "link"}:
            opened = element
        elif name not in VOID and not html.endswith("/>", start, end):
            stack.append(len(elements) - 1)
            open_names[name] = open_names.get(name, 0) + 1
    for index in stack:
        elements[index].close = elements[index].end = len(html)
    return elements


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


def shown_text(element: etree._Element, elsewhere: Collection[etree._Element] = ()) -> tuple[str, int]:
    """The text of *element* as the reader words have it: without the text of the elements in it that no
    reader sees (a script inside a menu), unless it is one of those itself, nor of those read *elsewhere*
    (a footnote, read at its reference); and the most ordinary words in one run of it (the text between
    two block boundaries or line breaks: a sentence, not a menu of one-word items), -1 for an element no
    reader sees. An inline element's tags part no words, as in :func:`scan_text`. Linear in the element."""
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
            longest = max(longest, ordinary_words("".join(parts[run:])))
            run = len(parts)

    for event, node in etree.iterwalk(element, events=("start", "end")):
        space = "" if tag_of(node) in INLINE else " "
        if event == "start":
            if skipping or tag_of(node) in NOT_TEXT or (node in elsewhere and node is not element):
                skipping += 1
                continue
            boundary(node)
            parts += [space, node.text or ""]
        else:
            if skipping:
                skipping -= 1
                if skipping:
                    continue
                space = " "  # what no reader sees parts the text around it, as its markup does
            else:
                boundary(node)
            if node is not element:
                parts += [space, node.tail or ""]
    longest = max(longest, ordinary_words("".join(parts[run:])))
    return " ".join("".join(parts).split()), longest


class StartTags:
    """Where the start tags of a parsed page's elements stand in its markup: the column on their line.

    lxml gives an element's line, not its column; on a page saved on one line (minified, as many
    sites serve them) that leaves ``check-source`` to guess which of the line's words a piece left
    out holds. An element is the k-th of its tag to start on its line (counted over the whole
    document, in order), so it stands at the k-th start tag of that name the scanner finds there
    (not in a comment or script). An element the parser implied, or a line that begins inside a
    script, can make that a wrong guess: a column is a hint, never more. Linear: one walk over the
    document, one scan of each line an element is looked up on.
    """

    def __init__(self, html: str, root: etree._Element) -> None:
        self.lines = html.split("\n")
        self.root = root
        self.rank: dict[etree._Element, int] | None = None
        self.found: dict[int, dict[str, list[int]]] = {}  # line: tag: columns of its start tags

    def _ranks(self) -> dict[etree._Element, int]:
        ranks: dict[etree._Element, int] = {}
        counts: dict[tuple[int, str], int] = {}
        for element in self.root.getroottree().getroot().iter():
            key = (element.sourceline or 0, tag_of(element))
            if key[1]:
                ranks[element] = counts.get(key, 0)
                counts[key] = ranks[element] + 1
        return ranks

    def column(self, element: etree._Element) -> int:
        """The column of *element*'s start tag on its line (0 when not found)."""
        if self.rank is None:
            self.rank = self._ranks()
        line, tag = element.sourceline or 0, tag_of(element)
        if not 0 < line <= len(self.lines) or element not in self.rank:
            return 0
        if line not in self.found:
            self.found[line] = {}
            for kind, start, _end, name in _pieces(self.lines[line - 1]):
                if kind == "markup" and name:
                    self.found[line].setdefault(name, []).append(start)
        places = self.found[line].get(tag, [])
        rank = self.rank[element]
        return places[rank] if rank < len(places) else 0
