"""A web page's main content, as a maintained extractor finds it, mapped back onto the page's own markup.

The extractor (trafilatura, see :mod:`.webpage` for why and how it was chosen) reads the page and
gives the text of its main content. That text is not the page: an extractor normalises, reorders
rarely, and drops an inline span or a heading here and there. So it only *chooses*: its words are
aligned, in order, with the page's own runs of text (the text between two block boundaries, as
the HTML reader makes paragraphs of it), and each run it holds counts as main content. A heading
right before main content belongs to it (extractors often drop a page title that stands outside
the article's container), and so does an inline element in the text beside main content (an
extractor may keep a list item's text and not its bold first word). Inside the page's own main
element (its one ``<main>``, else its one ``<article>``, when that holds most of the main content)
the page says what its content is: only what it marks as chrome there (a sidebar, sharing links)
is left out, not what the extractor's precision left (a paragraph of links). Everything else with
text is outside: each largest element without any main content in it is left out as one piece,
with the kind of chrome it is (navigation, footer, sidebar, ...), so that the HTML reader itemises
it and every word of the page is either on the imported page or in the report.

All of it is linear in the page: one walk over the tree, one pass of the alignment
(:mod:`.runalign`), one more walk to find the pieces left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from missiekaart.importer.htmltext import BANNER, BLOCK, CHROME, NOT_TEXT, hidden
from missiekaart.importer.htmltext import tag_of as _tag
from missiekaart.importer.model import PROSE_WORDS, ordinary_words
from missiekaart.importer.runalign import Extracted, align, extracted_words, words

__all__ = ["Choice", "Extracted", "Page", "align", "choose", "extracted_words", "read_page", "signature", "words"]

_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_TAG_KINDS = {"nav": "navigation", "header": "header", "footer": "footer", "aside": "sidebar", "form": "form"}
_ROLE_KINDS = {
    "navigation": "navigation",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "sidebar",
    "search": "search",
}
#: What a piece left out is by its id and classes, when its tag and role do not tell (the first that fits).
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("navigation", r"nav|menu|breadcrumb|skip-?link"),
        ("search", r"search|zoek"),
        ("comments", r"comment|respond|reacti"),
        ("sharing links", r"share|sharing|social"),
        ("sidebar", r"sidebar|widget|aside|secondary"),
        ("footer", r"footer|colophon|copyright|voettekst"),
        ("header", r"header|masthead|branding|banner|logo"),
        ("related links", r"related|gerelateerd|teaser"),
    )
)


@dataclass
class Page:
    """A page's ``<body>`` as runs of text, and which runs each element holds."""

    runs: list[list[str]] = field(default_factory=list)  # the words of each run, in document order
    heading: list[bool] = field(default_factory=list)  # a run inside a heading
    node_run: list[int] = field(default_factory=list)  # the run of each text node with words (or image), in order
    images: set[int] = field(default_factory=set)  # runs that are an image's alternative text
    spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)  # nodes [from, to) inside
    elements: int = 0

    @property
    def total(self) -> int:
        """The page's words (an image's alternative text is not one)."""
        return sum(len(run) for number, run in enumerate(self.runs) if number not in self.images)


def read_page(body: etree._Element) -> Page:
    """The runs of text of *body* and the text nodes under each element, in one walk (no recursion:
    a page may nest 2,048 levels). What no reader sees (scripts, hidden elements) holds no text. A
    run's words are those of its text nodes put together, as a browser shows them: ``Hyper<b>link</b>``
    is one word (and so it is in the extractor's text), ``<br>`` parts two."""
    page = Page()
    current: list[str] = []  # the text of the open run (none open: empty)
    stack: list[tuple[etree._Element, bool]] = []  # open elements and whether their text is shown

    def close() -> None:
        if current:
            page.runs[-1] = words("".join(current))
            current.clear()

    def text(value: str | None, shown: bool, in_heading: bool) -> None:
        if not shown or not value:
            return
        has_words = bool(words(value))
        if not current:
            if not has_words:
                return  # white space before a run: no run of its own
            page.runs.append([])
            page.heading.append(in_heading)
        current.append(value)
        page.heading[-1] = page.heading[-1] and in_heading
        if has_words:
            page.node_run.append(len(page.runs) - 1)

    headings = 0  # open heading elements
    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = _tag(element)
        if event == "start":
            page.elements += 1
            shown = (not stack or stack[-1][1]) and bool(tag) and tag not in NOT_TEXT and not hidden(element)
            if tag in BLOCK:
                close()
            headings += tag in _HEADING
            stack.append((element, shown))
            page.spans[element] = (len(page.node_run), -1)
            if shown and tag == "img" and words(element.get("alt") or ""):
                close()  # an image is a run of its own: the extractor keeps it or not
                text(element.get("alt"), True, False)
                page.images.add(len(page.runs) - 1)
                close()
            elif shown and tag == "br" and current:
                current.append(" ")
            text(element.text, shown, headings > 0)
        else:
            stack.pop()
            start, _ = page.spans[element]
            page.spans[element] = (start, len(page.node_run))
            headings -= tag in _HEADING
            if tag in BLOCK:
                close()
            if stack and element is not body:
                text(element.tail, stack[-1][1], headings > 0)
    close()
    return page


def _with_headings(page: Page, kept: list[bool]) -> list[bool]:
    """*kept*, and each heading right before main content (nothing with text in between)."""
    kept = list(kept)
    following = False  # the next run with text is main content
    for number in range(len(page.runs) - 1, -1, -1):
        if not page.runs[number]:
            continue
        if page.heading[number] and following:
            kept[number] = True
        following = kept[number]
    return kept


def kind(element: etree._Element) -> str:
    """The kind of chrome a piece of the page is, by its classes and id (a cookie banner), its tag, its
    role, then its classes and id again, or else those of the one element it wraps ('' when nothing tells)."""
    for _ in range(4):  # a cell or wrapper that only holds one element is what that element is
        names = f"{element.get('id', '')} {element.get('class', '')}"
        if BANNER.search(names):
            return "cookie banner"
        by_tag = _TAG_KINDS.get(_tag(element)) or _ROLE_KINDS.get((element.get("role") or "").strip().lower())
        found = by_tag or next((name for name, pattern in _KINDS if pattern.search(names)), "")
        children = [child for child in element if _tag(child)]
        if found or len(children) != 1 or (element.text or "").strip():
            return found
        element = children[0]
    return ""


def signature(element: etree._Element) -> str:
    """How the report names an element: its tag, id and class."""
    shown = [_tag(element)]
    for name in ("id", "class"):
        value = " ".join((element.get(name) or "").split())
        if value:
            shown.append(f'{name}="{value[:40]}"')
    return "<" + " ".join(shown) + ">"


@dataclass(frozen=True)
class Choice:
    """What the extractor chose: the pieces outside the main content (each largest element without any
    of it, and why), the page's words and the words kept, or why the whole page is read instead."""

    outside: dict[etree._Element, str]
    total: int
    kept: int
    fallback: str = ""  # why the whole page is read: no choice is made
    images: list[etree._Element] = field(default_factory=list)  # pieces outside with images and no text
    #: Elements with most of the main content that the reader's rules would leave out as chrome (a form
    #: around the whole page, as ASP.NET writes it; a wrapper whose class names a cookie consent).
    wrappers: list[etree._Element] = field(default_factory=list)
    prose_left_out: int = 0  # words in runs of prose (PROSE_WORDS ordinary words or more) in the pieces left out


def choose(body: etree._Element, extracted: str | None, page: Page | None = None) -> Choice:
    """The pieces of *body* outside the main content whose text an extractor found (None: none)."""
    page = page or read_page(body)
    main = extracted_words(extracted or "")
    if not main.words:
        return Choice({}, page.total, 0, "found no main content")
    kept_runs = _with_headings(page, align(page.runs, main))
    kept_nodes = [0]
    for run in page.node_run:
        kept_nodes.append(kept_nodes[-1] + kept_runs[run])
    kept_words = sum(
        len(run) for number, run in enumerate(page.runs) if kept_runs[number] and number not in page.images
    )

    def holds(element: etree._Element, main: bool) -> bool:
        start, end = page.spans[element]
        return end > start and ((kept_nodes[end] - kept_nodes[start] > 0) == main)

    def wraps(element: etree._Element) -> bool:
        start, end = page.spans[element]
        names = f"{element.get('id', '')} {element.get('class', '')}"
        chrome = _tag(element) in CHROME or bool(BANNER.search(names))
        return chrome and 2 * (kept_nodes[end] - kept_nodes[start]) > kept_nodes[-1]

    if not holds(body, True):
        return Choice({}, page.total, 0, "found no main content in the page's text")
    own = _own_main(body, page, kept_nodes)
    outside: dict[etree._Element, str] = {}
    images: list[etree._Element] = []
    wrappers: list[etree._Element] = []
    todo = [body]
    while todo:  # the largest elements without main content, under elements with some and with blocks in them
        element = todo.pop()
        if not any(_tag(child) in BLOCK for child in element):
            continue  # a paragraph with main content is kept whole, with what the extractor left of it
        for child in element:
            if not _tag(child):
                continue
            if holds(child, False):
                piece = kind(child)
                if not piece and (_tag(child) not in BLOCK or (own is not None and _within(page, child, own))):
                    # Text beside main content stays with it, and so does an inline element in that text
                    # ("<li><b>Zorg</b> op maat<ul>..."); inside the page's own main element, the page's word
                    # counts over the extractor's precision: only what it marks as chrome is left out.
                    continue
                outside[child] = "outside the page's main content " + (f"({piece})" if piece else signature(child))
                start, end = page.spans[child]
                if all(run in page.images for run in page.node_run[start:end]):
                    images.append(child)
            elif holds(child, True):
                todo.append(child)
                if wraps(child):
                    wrappers.append(child)
    prose = _prose_left_out(page, outside)
    return Choice(outside, page.total, kept_words, images=images, wrappers=wrappers, prose_left_out=prose)


def _own_main(body: etree._Element, page: Page, kept_nodes: list[int]) -> etree._Element | None:
    """The page's own main element: its one ``<main>`` (or ``role="main"``), else its one ``<article>``,
    when it holds most of the main content the extractor found (None: the page marks none so)."""
    for found in (
        [
            element
            for element in body.iter()
            if _tag(element) and (_tag(element) == "main" or element.get("role") == "main")
        ],
        list(body.iter("article")),
    ):
        if len(found) == 1 and found[0] in page.spans:
            start, end = page.spans[found[0]]
            if 2 * (kept_nodes[end] - kept_nodes[start]) > kept_nodes[-1]:
                return found[0]
        if found:
            return None
    return None


def _within(page: Page, element: etree._Element, container: etree._Element) -> bool:
    """Whether *element*'s text lies inside *container*'s."""
    start, end = page.spans[element]
    outer_start, outer_end = page.spans[container]
    return outer_start <= start and end <= outer_end


def _prose_left_out(page: Page, outside: dict[etree._Element, str]) -> int:
    """The words of the runs of prose (PROSE_WORDS ordinary words or more) in the pieces left out."""
    runs: set[int] = set()
    for element in outside:
        start, end = page.spans[element]
        runs.update(page.node_run[start:end])
    return sum(
        len(page.runs[run])
        for run in runs
        if run not in page.images and ordinary_words(" ".join(page.runs[run])) >= PROSE_WORDS
    )
