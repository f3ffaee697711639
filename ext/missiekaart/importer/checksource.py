"""Check that a built page keeps every word of its source text, in the source's order.

The source side is its reader text. For a plain text that is the raw text, tokenised line by
line; only what the importer declared is adjusted: dropped debris is left out, markup
(bullets, enumerators, ``#`` marks) is not text, and each footnote's words are read at the
place of its marker. For a Markdown source it is what markdown-it-py parses out of the body
and the front matter's text fields (no configuration keys, template code or HTML tags).

The page side is the built HTML page, with each footnote's words read at the place of its
reference. Extra words on the page (the organisation's name, cards, notes added later) are
allowed. The two sequences are aligned in near-linear time: equal stretches are matched
directly, words that occur once on both sides anchor the rest (as in patience diff), and only
small stretches between anchors are compared exactly with difflib.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from missiekaart.importer import Document, Dropped, analyse, collector_paused, is_structured
from missiekaart.importer.html import BACK_LINK
from missiekaart.importer.htmltext import scan_text
from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN
from missiekaart.importer.readerwords import Words, reader_words, words_of
from missiekaart.importer.sourcefile import SourceError, SourceText

__all__ = ["Problem", "Report", "Word", "Words", "check_source", "read_page", "source_words"]

SMALL_GAP = 250_000  # a stretch of source times page words small enough for difflib's exact match
MAX_SKIP = 2_000  # page words a word may be found ahead of the last match in a large stretch
TRIM_STEP = 1024  # words compared at once while matching equal stretches
NEARBY = 30  # page words around a word's place where a stray copy means "out of order"
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}


class Word(NamedTuple):
    text: str
    line: int


class Problem(NamedTuple):
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


def source_words(doc: Document) -> Words:
    """The source's reader words as the page must show them (notes inlined at their markers).

    A structured source's (Markdown, HTML) are read from it independently of the importer
    (:func:`~missiekaart.importer.readerwords.reader_words`), less the pieces the importer itemised as
    dropped. A plain text is read line by line, with only what the importer declared left out.
    """
    if is_structured(doc.source):
        return without_dropped(reader_words(doc.source), doc.dropped, dict(doc.source.lines))
    words = Words([], [])
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

    for no, text in doc.source.lines:
        if no in masks:
            text = _masked(text, masks[no])
        if "\x00" not in text:  # no footnote marker on the line (a list of 40,000 items: each line)
            words.add(text, no)
            continue
        for part_index, part in enumerate(text.split("\x00")):
            if part_index % 2:  # a footnote label between sentinels
                words.add(NOTE_OPEN, no)
                for piece in notes[part].lines:
                    words.add(piece.text, piece.no)
                words.add(NOTE_CLOSE, no)
            else:
                words.add(part, no)
    return words


def without_dropped(
    words: Words, dropped: tuple[Dropped, ...] | list[Dropped], lines: Mapping[int, str] | None = None
) -> Words:
    """*words* without the words of the pieces the importer itemised as dropped, each found at or
    after its line (in order), within a bounded distance: linear in the words.

    A piece of a web page also says where on its line its element starts: with the source's *lines*,
    its words are first looked for, one after the other, where the words of the line before that
    column end (on a page saved on one line, the first 'Contact' of the line may be the main text's).
    """
    # Template code, the text of scripts and styles, and a footnote's link back to its reference (which
    # stands where the note's words are not: at its reference) the reader words never hold: nothing to take out.
    dropped = [piece for piece in dropped if not piece.reason.startswith(("template code", "<", BACK_LINK))]
    removed: set[int] = set()
    starts: dict[int, int] = {}
    for index, line in enumerate(words.lines):
        starts.setdefault(line, index)
    hints = _hints(dropped, lines, starts) if lines else {}
    keys = sorted(starts)
    for piece in sorted(dropped, key=lambda item: (item.line, item.start)):
        wanted = words_of(piece.text)
        hint = hints.get(id(piece))
        if hint is not None and (found := _in_a_row(words.texts, removed, wanted, hint)):
            removed.update(found)
            continue
        at = bisect.bisect_left(keys, piece.line)
        index = starts[keys[at]] if at < len(keys) else len(words.texts)
        limit = index + 4 * len(wanted) + 64
        for word in wanted:
            while index < min(limit, len(words.texts)) and (words.texts[index] != word or index in removed):
                index += 1
            if index >= min(limit, len(words.texts)):
                break
            removed.add(index)
            index += 1
    kept = [index for index in range(len(words.texts)) if index not in removed]
    return Words([words.texts[index] for index in kept], [words.lines[index] for index in kept])


HINT_SLACK = 8  # words a piece may start before or after the place its column gives


def _hints(dropped: list[Dropped], lines: Mapping[int, str], starts: Mapping[int, int]) -> dict[int, int]:
    """For each piece with a column, the index of the first reader word at or after it: the words of its line
    before the column, counted piece after piece along the line (each stretch of markup scanned once)."""
    hints: dict[int, int] = {}
    by_line: dict[int, list[Dropped]] = {}
    for piece in dropped:
        if piece.start > 0 and piece.line in lines and piece.line in starts:
            by_line.setdefault(piece.line, []).append(piece)
    for line, pieces in by_line.items():
        text, done, count = lines[line], 0, 0
        for piece in sorted(pieces, key=lambda item: item.start):
            count += len(words_of(scan_text(text[done : piece.start])))
            done = max(done, piece.start)
            hints[id(piece)] = starts[line] + count
    return hints


def _in_a_row(texts: list[str], removed: set[int], wanted: list[str], hint: int) -> list[int]:
    """The places of *wanted*'s words in *texts*, starting within HINT_SLACK of *hint* with its first words
    in a row and none removed, the rest each at most a few words further ([]: not found so)."""
    head = wanted[: min(len(wanted), 8)]
    if not head:
        return []
    for start in range(max(0, hint - HINT_SLACK), min(len(texts), hint + HINT_SLACK + 1)):
        if texts[start : start + len(head)] != head or any(
            index in removed for index in range(start, start + len(head))
        ):
            continue
        found = list(range(start, start + len(head)))
        index = found[-1] + 1
        for word in wanted[len(head) :]:
            limit = min(len(texts), index + 8)
            while index < limit and (texts[index] != word or index in removed):
                index += 1
            if index >= limit:
                return []
            found.append(index)
            index += 1
        return found
    return []


def _masked(text: str, masks: list[tuple[int, int, str]]) -> str:
    """*text* with each (start, end, replacement) mask put in, between spaces.

    The masks of a line do not overlap, so the line is joined from its pieces once (replacing
    each mask in the whole line was quadratic in a long line with many footnote markers); should
    two overlap, they are put in from the last to the first, each in the line the next one left.
    """
    ordered = sorted(masks)
    if any(ordered[i][1] > ordered[i + 1][0] for i in range(len(ordered) - 1)):
        for start, end, replacement in reversed(ordered):
            text = text[:start] + " " + replacement + " " + text[end:]
        return text
    pieces: list[str] = []
    done = 0
    for start, end, replacement in ordered:
        pieces += [text[done:start], " ", replacement, " "]
        done = end
    return "".join([*pieces, text[done:]])


_H1_OPEN, _H1_CLOSE = "\x02", "\x03"  # around each h1's text while the page is read
_SKIPPED_CLASSES = {"headerlink", "fn-bracket", "label", "backrefs", "footnote-list"}
_MARKED_TAGS = frozenset({"main", "script", "style", "h1"})  # what _PageReader.start looks at besides attributes


class _PageReader:
    """One pass over a built page: its main text, its first ``h1`` and its footnotes (an lxml parser
    target: libxml2 parses, and calls these methods for each element in document order, balanced).

    Each open element carries where its text goes: the page's text, a footnote's text, or
    nowhere (permalinks, scripts, footnote labels). A footnote reference leaves a placeholder
    that is replaced by the note's words once the notes (at the page's end) are read.
    """

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool]] = [("text", False)]  # per open element: where its text goes, in main
        self.text: list[str] = []
        self.main: list[str] = []
        self.notes: dict[str, list[str]] = {}
        self.main_seen = False

    def start(self, tag: str, attributes: Mapping[str, str]) -> None:
        sink, in_main = self.stack[-1]
        if attributes or tag in _MARKED_TAGS:
            sink, in_main = self._marked(tag, attributes, sink, in_main)
        if tag in _BLOCK_TAGS:
            self._data(" ", sink, in_main)
        self.stack.append((sink, in_main))

    def _marked(self, tag: str, attributes: Mapping[str, str], sink: str, in_main: bool) -> tuple[str, bool]:
        """Where the text of an element with attributes, or of a tag that tells by itself, goes
        (an ``<li>`` or ``<p>`` without any goes where its parent's does)."""
        classes = set((attributes.get("class") or "").split())
        if attributes.get("role") == "main" or tag == "main":
            in_main = in_main or not self.main_seen
            self.main_seen = True
        if tag in ("script", "style") or classes & _SKIPPED_CLASSES:
            sink = "skip"
        if "footnote" in classes and attributes.get("id"):
            sink = "note:" + str(attributes["id"])
            self.notes[sink] = []
        if "footnote-reference" in classes and sink == "text":
            self._emit(f"\x01{str(attributes.get('href', '')).lstrip('#')}\x01", in_main)
            sink = "skip"
        if tag == "h1" and sink == "text":
            self._emit(_H1_OPEN, in_main)
        return sink, in_main

    def end(self, tag: str) -> None:
        sink, in_main = self.stack.pop()
        if tag == "h1" and sink == "text":
            self._emit(_H1_CLOSE, in_main)
        if tag in _BLOCK_TAGS:
            self._data(" ", *self.stack[-1])

    def data(self, data: str) -> None:
        self._data(data, *self.stack[-1])

    def close(self) -> None:
        """Nothing to return: the reader's lists hold what was read."""

    def _data(self, data: str, sink: str, in_main: bool) -> None:
        if sink == "text":
            self._emit(data, in_main)
        elif sink.startswith("note:"):
            self.notes[sink].append(data)

    def _emit(self, data: str, in_main: bool) -> None:
        self.text.append(data)
        if in_main:
            self.main.append(data)


def read_page(html: str) -> tuple[str | None, list[str]]:
    """The page's title (its first ``h1``) and its word sequence, each footnote's words inlined at its reference."""
    reader = _PageReader()
    if html.strip():
        etree.fromstring(html, etree.HTMLParser(target=reader, huge_tree=True, remove_comments=True, remove_pis=True))
    notes = {sink[len("note:") :]: "".join(parts) for sink, parts in reader.notes.items()}
    text = "".join(reader.main if reader.main_seen else reader.text)
    text = re.sub("\x01([^\x01]*)\x01", lambda ref: f" {NOTE_OPEN} {notes.get(ref.group(1), '')} {NOTE_CLOSE} ", text)
    title = re.search(f"{_H1_OPEN}([^{_H1_CLOSE}]*)", text)
    return (" ".join(title.group(1).split()) if title else "") or None, words_of(text)


def _unique_anchors(
    expected: list[str], actual: list[str], lo_e: int, hi_e: int, lo_a: int, hi_a: int
) -> list[tuple[int, int]]:
    """Pairs of positions of the words that occur exactly once in both ranges, longest increasing run first.

    Patience diff's anchors: a word unique on both sides can only match itself, and the
    longest run of such pairs in order on both sides pins the alignment (O(n log n)).
    """
    count_e = Counter(expected[lo_e:hi_e])
    count_a = Counter(actual[lo_a:hi_a])
    where = {actual[j]: j for j in range(lo_a, hi_a) if count_a[actual[j]] == 1}
    pairs = [(i, where[expected[i]]) for i in range(lo_e, hi_e) if count_e[expected[i]] == 1 and expected[i] in where]
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


def _match_gap(
    expected: list[str], actual: list[str], lo_e: int, hi_e: int, lo_a: int, hi_a: int, matched: dict[int, int]
) -> None:
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


def _trim(
    expected: list[str], actual: list[str], lo_e: int, hi_e: int, lo_a: int, hi_a: int, matched: dict[int, int]
) -> tuple[int, int, int, int]:
    """Match the stretch's common start and end word by word; return what is left between them."""
    step = TRIM_STEP
    while step:  # long equal stretches compare as slices, at C speed
        if lo_e + step <= hi_e and lo_a + step <= hi_a and expected[lo_e : lo_e + step] == actual[lo_a : lo_a + step]:
            matched.update(zip(range(lo_e, lo_e + step), range(lo_a, lo_a + step), strict=False))
            lo_e, lo_a = lo_e + step, lo_a + step
        else:
            step //= 2
    while lo_e < hi_e and lo_a < hi_a and expected[hi_e - 1] == actual[hi_a - 1]:
        hi_e, hi_a = hi_e - 1, hi_a - 1
        matched[hi_e] = hi_a
    return lo_e, hi_e, lo_a, hi_a


def align(expected: list[str], actual: list[str]) -> dict[int, int]:
    """Match source words to page words in order; return source position -> page position."""
    matched: dict[int, int] = {}
    stack = [(0, len(expected), 0, len(actual))]
    while stack:
        lo_e, hi_e, lo_a, hi_a = _trim(expected, actual, *stack.pop(), matched)
        if lo_e >= hi_e or lo_a >= hi_a:
            continue
        anchors = (
            []
            if (hi_e - lo_e) * (hi_a - lo_a) <= SMALL_GAP
            else _unique_anchors(expected, actual, lo_e, hi_e, lo_a, hi_a)
        )
        if not anchors:
            _match_gap(expected, actual, lo_e, hi_e, lo_a, hi_a, matched)
            continue
        previous = (lo_e - 1, lo_a - 1)
        for i, j in [*anchors, (hi_e, hi_a)]:
            stack.append((previous[0] + 1, i, previous[1] + 1, j))
            if i < hi_e:
                matched[i] = j
            previous = (i, j)
    return matched


def compare(expected: Words, actual: list[str]) -> list[Problem]:
    """Source words not on the page in order: "out of order" if an unmatched copy stands nearby, else "missing".

    The footnote brackets are internal markers, never reported as words.
    """
    matched = align(expected.texts, actual)
    if len(matched) == len(expected.texts):
        return []
    used = set(matched.values())
    problems = []
    last_at = -1  # the page position of the last matched source word
    for i, (text, line) in enumerate(zip(expected.texts, expected.lines, strict=False)):
        if i in matched:
            last_at = matched[i]
            continue
        if text in (NOTE_OPEN, NOTE_CLOSE):
            continue
        nearby = range(max(0, last_at - NEARBY), min(len(actual), last_at + NEARBY))
        elsewhere = any(actual[j] == text and j not in used for j in nearby)
        problems.append(Problem(Word(text, line), "out of order" if elsewhere else "missing"))
    return problems


@collector_paused()
def check_source(source: SourceText, page: str | Path) -> Report:
    """Compare *source* with the built HTML *page*."""
    page = Path(page)
    try:
        html = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(page, 0, f"cannot read the built page ({error}); build the site first") from None
    title, words_on_page = read_page(html)
    doc = analyse(source, title)
    expected = source_words(doc)
    problems = compare(expected, words_on_page)
    words = len(expected.texts) - expected.texts.count(NOTE_OPEN) - expected.texts.count(NOTE_CLOSE)
    return Report(str(source.path), str(page), words, problems, list(doc.dropped))
