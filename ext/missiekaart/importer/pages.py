"""Page passes for PDF exports: split the text into pages and find the page-break debris.

A page ends at a form feed, and after a page label such as "Pagina 3 van 12" (text copied
out of a PDF viewer keeps those but loses the form feeds). Debris is what stands at a page
edge because of the layout: page numbers, running headers and footers. It is found here and
dropped once the footnotes are known (a footnote is never debris).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from missiekaart.importer.model import Document, Line

__all__ = ["PAGE_LABEL", "edge_key", "find_debris", "is_page_label", "split_pages"]

MAX_EDGE_LINES = 3  # lines of a running header or footer, peeled off a page edge

# A line that names a page: "Pagina 3 van 12", "pagina 3", "p. 3", "3/12", "3 van 12", "- 3 -".
PAGE_LABEL = re.compile(
    r"\s*(?:(?:pagina|page|blz\.?|p\.)\s*(\d+)(?:\s*(?:van|of|/)\s*(\d+))?|(\d+)\s*(?:/|van|of)\s*(\d+)|[-–]\s*\d+\s*[-–])\s*",
    re.I,
)


def is_page_label(text: str) -> bool:
    """Whether *text* is a page label (:data:`PAGE_LABEL`) whose page is one of its count: "3/12" is
    one, "24/7" (round the clock, a wrapped line's last word) is not."""
    match = PAGE_LABEL.fullmatch(text)
    if match is None:
        return False
    page, count = match.group(1) or match.group(3), match.group(2) or match.group(4)
    return count is None or 1 <= int(page) <= int(count)


def split_pages(doc: Document) -> Document:
    """Split the body into pages at form feeds and after page labels; each piece keeps its column."""
    pages: list[list[Line]] = [[]]
    for no, text in doc.source.lines:
        pieces = text.split("\f")
        col = 0
        for index, piece in enumerate(pieces):
            if index:
                pages.append([])
            if piece or len(pieces) == 1:
                pages[-1].append(Line(no, col, piece))
                if is_page_label(piece):
                    pages.append([])
            col += len(piece) + 1
    return replace(doc, pages=tuple(tuple(page) for page in pages if page))


def edge_key(line: Line) -> str:
    """An edge line as compared across pages: whitespace collapsed, every number the same."""
    return re.sub(r"\d+", "#", " ".join(line.text.split()))


_NUMBER_MARKS = re.compile(r"[#\s./\-–]*")  # digits (as "#"), whitespace and the marks around page numbers
_PAGE_WORD_THEN_MARKS = re.compile(r"(?:pagina|page|p\.)[#\s./\-–]*", re.I)


def _debris_reason(key: str, top: bool) -> str:
    """A page number when *key* is number marks around at most one word "pagina", "page" or "p.".

    The marks before the word are skipped first: one regular expression with a run of marks on
    either side of an optional word would try every split of a long run of marks (quadratic).
    """
    marks = _NUMBER_MARKS.match(key)
    rest = key[marks.end() :] if marks else key
    if not rest or _PAGE_WORD_THEN_MARKS.fullmatch(rest):
        return "page number"
    return "running header" if top else "running footer"


def _edge_debris(pages: list[list[Line]], top: bool) -> dict[Line, str]:
    """Running headers (*top*) or footers and page numbers: lines repeated at the same place of two or more pages.

    A line is debris when the same text (digits aside, so "3" and "4" or "Jaarverslag - 3"
    and "Jaarverslag - 4" match) stands at the same edge of at least two pages. The edge is
    peeled line by line: the second line from the edge is compared only on pages whose
    first line was debris, and so on, up to MAX_EDGE_LINES. The first line of the first page
    is always kept: it may be the document's title.
    """
    rims: dict[int, list[Line]] = {}
    for page_no, page in enumerate(pages):
        if not (top and page_no == 0):
            lines = [line for line in page if not line.blank]
            rims[page_no] = lines if top else lines[::-1]
    found: dict[Line, str] = {}
    peeled = list(rims)
    for depth in range(MAX_EDGE_LINES):
        edge = {page_no: rims[page_no][depth] for page_no in peeled if depth < len(rims[page_no])}
        counts = Counter(edge_key(line) for line in edge.values())
        peeled = [page_no for page_no, line in edge.items() if counts[edge_key(line)] >= 2]
        found.update((edge[page_no], _debris_reason(edge_key(edge[page_no]), top)) for page_no in peeled)
    return found


def find_debris(doc: Document) -> Document:
    """Every page's repeated edge lines (headers first), and every page label, with the reason each goes."""
    pages = [list(page) for page in doc.pages]
    headers = _edge_debris(pages, top=True)
    rest = [[line for line in page if line not in headers] for page in pages]
    labels = {line: "page number" for page in pages for line in page if is_page_label(line.text)}
    return replace(doc, debris={**headers, **_edge_debris(rest, top=False), **labels})
