"""Check that a built page keeps every word of its source text, in the source's order.

The source side is the raw text, tokenised line by line; only what the importer declared
is adjusted: dropped debris is left out, markup (bullets, enumerators, ``#`` marks) is not
text, and each footnote's words are read at the place of its marker. The page side is the
built HTML page, with each footnote's words read at the place of its reference. Extra
words on the page (the organisation's name, cards, notes added later) are allowed.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from .importer import Analysis, Dropped, analyse
from .sourcefile import SourceError, SourceText

__all__ = ["Problem", "Report", "Word", "check_source", "page_words", "source_words"]

NOTE_OPEN, NOTE_CLOSE = "\u2045", "\u2046"
_WORD = re.compile(rf"\w+|[{NOTE_OPEN}{NOTE_CLOSE}]")
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


def source_words(analysis: Analysis) -> list[Word]:
    """The source's word sequence as the page must show it (notes inlined at their markers)."""
    masks: dict[int, list[tuple[int, int, str]]] = {}

    def mask(line: int, start: int, end: int, replacement: str = "") -> None:
        masks.setdefault(line, []).append((start, end, replacement))

    notes = {note.label: note for note in analysis.footnotes}
    for dropped in analysis.dropped:
        mask(dropped.line, dropped.start, dropped.end)
    for piece in analysis.moved:
        mask(piece.no, piece.col, piece.col + len(piece.text))
    for span in analysis.markup:
        mask(span.line, span.start, span.end, f"\x00{span.label}\x00" if span.kind == "footnote-ref" else "")

    words: list[Word] = []
    for no, text in analysis.source.lines:
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


def compare(expected: list[Word], actual: list[str]) -> list[Problem]:
    """Source words missing from *actual*, or found only elsewhere (out of order)."""
    matcher = difflib.SequenceMatcher(None, [word.text for word in expected], actual, autojunk=False)
    missing: list[Word] = []
    elsewhere: Counter[str] = Counter()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            missing += expected[i1:i2]
        if tag in ("insert", "replace"):
            elsewhere.update(actual[j1:j2])
    problems = []
    for word in missing:
        if elsewhere[word.text] > 0:
            elsewhere[word.text] -= 1
            problems.append(Problem(word, "out of order"))
        else:
            problems.append(Problem(word, "missing"))
    return problems


def check_source(source: SourceText, page: str | Path) -> Report:
    """Compare *source* with the built HTML *page*."""
    page = Path(page)
    try:
        html = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(page, 0, f"cannot read the built page ({error}); build the site first") from None
    analysis = analyse(source)
    expected = source_words(analysis)
    problems = compare(expected, page_words(html))
    words = sum(1 for word in expected if word.text not in (NOTE_OPEN, NOTE_CLOSE))
    return Report(str(source.path), str(page), words, problems, analysis.dropped)
