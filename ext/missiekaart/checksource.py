"""Check that a built page keeps every word of its source text, in the source's order.

The source side is its reader text. For a plain text that is the raw text, tokenised line by
line; only what the importer declared is adjusted: dropped debris is left out, markup
(bullets, enumerators, ``#`` marks) is not text, and each footnote's words are read at the
place of its marker. For a Markdown source it is what markdown-it-py parses out of the body
and the front matter's text fields (no configuration keys, template code or HTML tags). The page side is the
built HTML page, with each footnote's words read at the place of its reference. Extra
words on the page (the organisation's name, cards, notes added later) are allowed.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from .importer import Document, Dropped, analyse, is_markdown
from .sourcefile import SourceError, SourceText

__all__ = ["Problem", "Report", "Word", "check_source", "page_words", "source_words"]

NOTE_OPEN, NOTE_CLOSE = "\u2045", "\u2046"
_WORD = re.compile(rf"\w+|[{NOTE_OPEN}{NOTE_CLOSE}]")
SMALL_GAP = 250_000  # a stretch of source times page words small enough for difflib's exact match
MAX_SKIP = 2_000  # page words a word may be found ahead of the last match in a large stretch
NEARBY = 30  # page words around a word's place where a stray copy means "out of order"
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
    "p", "pre", "section", "table", "td", "th", "tr", "ul",
}


@dataclass(frozen=True)
class Word:
    text: str
    line: int


@dataclass(frozen=True)
class Problem:
    word: Word
    kind: str  # "missing" or "out of order"


@dataclass
class Report:
    source: str
    page: str
    words: int
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _words(text: str) -> list[str]:
    """Tokenise; ``*`` is dropped first on both sides, so ``**W**aardevol`` is one word."""
    return _WORD.findall(text.replace("*", ""))


def _tokens(text: str, line: int) -> list[Word]:
    return [Word(word, line) for word in _words(text)]


def source_words(doc: Document) -> list[Word]:
    """The source's reader words as the page must show them (notes inlined at their markers).

    A Markdown source's reader text is what markdown-it-py parsed out of it (its blocks). A
    plain text is read line by line, with only what the importer declared left out.
    """
    if is_markdown(doc.source):
        return [word for block in doc.blocks for line in block.lines for word in _tokens(line.text, line.no)]
    masks: dict[int, list[tuple[int, int, str]]] = {}

    def mask(line: int, start: int, end: int, replacement: str = "") -> None:
        masks.setdefault(line, []).append((start, end, replacement))

    notes = {note.label: note for note in doc.footnotes}
    for dropped in doc.dropped:
        mask(dropped.line, dropped.start, dropped.end)
    for piece in doc.moved:
        mask(piece.no, piece.col, piece.col + len(piece.text))
    for span in doc.markup:
        mask(span.line, span.start, span.end, f"\x00{span.label}\x00" if span.kind == "footnote-ref" else "")

    words: list[Word] = []
    for no, text in doc.source.lines:
        for start, end, replacement in sorted(masks.get(no, []), reverse=True):
            text = text[:start] + " " + replacement + " " + text[end:]
        for part_index, part in enumerate(text.split("\x00")):
            if part_index % 2:  # a footnote label between sentinels
                words.append(Word(NOTE_OPEN, no))
                for piece in notes[part].lines:
                    words += _tokens(piece.text, piece.no)
                words.append(Word(NOTE_CLOSE, no))
            else:
                words += _tokens(part, no)
    return words


def _main_element(soup: BeautifulSoup) -> Tag:
    main = soup.find(attrs={"role": "main"}) or soup.find("main") or soup.body or soup
    assert isinstance(main, Tag)
    return main


def page_title(html: str) -> str | None:
    """The page's title: its first ``h1``, without the permalink."""
    heading = _main_element(BeautifulSoup(html, "html.parser")).find("h1")
    if heading is None:
        return None
    for link in heading.select("a.headerlink"):
        link.decompose()
    return " ".join(heading.get_text(" ").split()) or None


def page_words(html: str) -> list[str]:
    """The page's word sequence, with each footnote's words inlined at its reference."""
    soup = BeautifulSoup(html, "html.parser")
    main = _main_element(soup)
    for junk in main.select("a.headerlink, script, style, .fn-bracket"):
        junk.decompose()
    notes: dict[str, str] = {}
    for aside in main.select(".footnote[id]"):
        for label in aside.select(".label"):
            label.decompose()
        notes[str(aside["id"])] = aside.get_text(" ")
    for container in main.select(".footnote-list, .footnote"):
        container.decompose()
    for reference in main.select("a.footnote-reference"):
        target = str(reference.get("href", "")).lstrip("#")
        reference.replace_with(NavigableString(f" {NOTE_OPEN} {notes.get(target, '')} {NOTE_CLOSE} "))
    for element in main.find_all(_BLOCK_TAGS):
        element.insert_before(NavigableString(" "))
        element.append(NavigableString(" "))
    return _words(main.get_text(""))


def _unique_anchors(expected: list[str], actual: list[str], lo_e: int, hi_e: int, lo_a: int,
                    hi_a: int) -> list[tuple[int, int]]:
    """Pairs of positions of the words that occur exactly once in both ranges, longest increasing run first.

    Patience diff's anchors: a word unique on both sides can only match itself, and the
    longest run of such pairs in order on both sides pins the alignment (O(n log n)).
    """
    count_e = Counter(expected[lo_e:hi_e])
    count_a = Counter(actual[lo_a:hi_a])
    where = {actual[j]: j for j in range(lo_a, hi_a) if count_a[actual[j]] == 1}
    pairs = [(i, where[expected[i]]) for i in range(lo_e, hi_e)
             if count_e[expected[i]] == 1 and expected[i] in where]
    # Longest increasing subsequence of the page positions, by patience sorting.
    tails: list[int] = []  # index into pairs of the smallest tail of each run length
    back: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j, key=lambda tail: pairs[tail][1])
        if length:
            back[index] = tails[length - 1]
        if length == len(tails):
            tails.append(index)
        else:
            tails[length] = index
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    return run[::-1]


def _match_gap(expected: list[str], actual: list[str], lo_e: int, hi_e: int, lo_a: int, hi_a: int,
               matched: dict[int, int]) -> None:
    """Match a stretch with no unique words: exactly (difflib) when small, else in order, first occurrence first."""
    if (hi_e - lo_e) * (hi_a - lo_a) <= SMALL_GAP:
        blocks = difflib.SequenceMatcher(None, expected[lo_e:hi_e], actual[lo_a:hi_a], autojunk=False)
        for block in blocks.get_matching_blocks():
            matched.update((lo_e + block.a + k, lo_a + block.b + k) for k in range(block.size))
        return
    positions: dict[str, list[int]] = {}
    for j in range(lo_a, hi_a):
        positions.setdefault(actual[j], []).append(j)
    cursor = lo_a
    for i in range(lo_e, hi_e):
        found = positions.get(expected[i], [])
        at = bisect.bisect_left(found, cursor)
        if at < len(found) and found[at] - cursor <= MAX_SKIP:
            matched[i] = found[at]
            cursor = found[at] + 1


def align(expected: list[str], actual: list[str]) -> dict[int, int]:
    """Match source words to page words in order: anchored on unique words, recursively, then gap by gap."""
    matched: dict[int, int] = {}
    stack = [(0, len(expected), 0, len(actual))]
    while stack:
        lo_e, hi_e, lo_a, hi_a = stack.pop()
        if lo_e >= hi_e or lo_a >= hi_a:
            continue
        anchors = _unique_anchors(expected, actual, lo_e, hi_e, lo_a, hi_a)
        if not anchors:
            _match_gap(expected, actual, lo_e, hi_e, lo_a, hi_a, matched)
            continue
        previous = (lo_e - 1, lo_a - 1)
        for i, j in anchors + [(hi_e, hi_a)]:
            stack.append((previous[0] + 1, i, previous[1] + 1, j))
            if i < hi_e:
                matched[i] = j
            previous = (i, j)
    return matched


def compare(expected: list[Word], actual: list[str]) -> list[Problem]:
    """Source words not on the page in order: "out of order" if an unmatched copy stands nearby, else "missing"."""
    texts = [word.text for word in expected]
    matched = align(texts, actual)
    used = set(matched.values())
    problems = []
    last_at = -1  # the page position of the last matched source word
    for i, word in enumerate(expected):
        if i in matched:
            last_at = matched[i]
            continue
        if word.text in (NOTE_OPEN, NOTE_CLOSE):
            continue
        nearby = range(max(0, last_at - NEARBY), min(len(actual), last_at + NEARBY))
        elsewhere = any(actual[j] == word.text and j not in used for j in nearby)
        problems.append(Problem(word, "out of order" if elsewhere else "missing"))
    return problems


def check_source(source: SourceText, page: str | Path) -> Report:
    """Compare *source* with the built HTML *page*."""
    page = Path(page)
    try:
        html = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(page, 0, f"cannot read the built page ({error}); build the site first") from None
    doc = analyse(source, page_title(html))
    expected = source_words(doc)
    problems = compare(expected, page_words(html))
    words = sum(1 for word in expected if word.text not in (NOTE_OPEN, NOTE_CLOSE))
    return Report(str(source.path), str(page), words, problems, doc.dropped)
