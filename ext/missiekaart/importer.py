"""Turn a source text into a MyST Markdown page, by rule and without losing a word.

The work is split in two steps. :func:`analyse` reads the text into blocks (headings,
paragraphs, list items, footnotes) and records what it removed as page-break debris and
which characters became markup (bullets, enumerators, footnote markers). :func:`render`
writes the blocks as MyST. ``check-source`` replays the same analysis, so the rules that
decide what is debris live in one place.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from .sourcefile import SourceText

__all__ = ["Analysis", "Block", "Dropped", "Footnote", "Line", "Span", "analyse", "render", "import_text"]

FRONT_MATTER_PREFIX = "mk-source-"  # the source's own front matter: mk-source-<key>
# The importer's own metadata. No key starts with FRONT_MATTER_PREFIX, so no front matter key can overwrite one.
SOURCE_KEY = "mk-source"
ENCODING_KEY = "mk-import-encoding"


@dataclass(frozen=True)
class Line:
    """A piece of a source line: its 1-based line number, column offset and text."""

    no: int
    col: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Span:
    """Characters of a source line that became structure rather than text."""

    line: int
    start: int
    end: int
    kind: str  # "bullet", "enumerator", "heading-mark", "footnote-ref", "footnote-number"
    label: str = ""


@dataclass(frozen=True)
class Dropped:
    """A source line the importer left out, and why."""

    line: int
    text: str
    reason: str
    start: int = 0
    end: int = 0


@dataclass
class Footnote:
    label: str
    marker: Span
    lines: list[Line]  # the text after the number, then continuation lines


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "item", "rule"
    lines: list[Line]
    level: int = 0
    ordered: bool = False
    number: int = 0
    delimiter: str = "."  # an ordered item's enumerator delimiter in the source: "." or ")"
    numbered_heading: bool = False


@dataclass
class Analysis:
    source: SourceText
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    markup: list[Span] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    moved: list[Line] = field(default_factory=list)  # source pieces that became footnotes
    has_title: bool = False


# Bullet glyphs: typographic ones, Markdown's, and the private-use glyphs PDF extraction leaves.
BULLETS = "•◦▪▫●○■□►▸‣⁃∙·*-–\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8"
_BULLET = re.compile(rf"^(\s*)([{re.escape(BULLETS)}])\s+(?=\S)")
_ENUMERATOR = re.compile(r"^(\s*)(\d{1,3})([.)])\s+(?=\S)")
_NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(\S.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"^\s*([*_-])(?:\s*\1){2,}\s*$")
_FOOTNOTE_DEF = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
_PAGE_START = re.compile(r"^ \S")  # pdftotext starts each page's text with one space
_SENTENCE_END = re.compile(r"[.!?:;…”’\"')]\s*$")
_TERMINAL_PUNCTUATION = ".,;:!?…"
_FN_SENTINEL = re.compile("\x00([^\x00]+)\x00")

MAX_HEADING_WORDS = 10
MAX_PLAIN_HEADING_WORDS = 8
MAX_EDGE_LINES = 3  # lines of a running header or footer, peeled off a page edge


def _marker_pattern(number: int) -> re.Pattern[str]:
    """A footnote marker: the number glued to the end of a word, e.g. ``overheid2``."""
    return re.compile(rf"(?<=[^\W\d_]){number}(?![\w])")


# --------------------------------------------------------------------------- analysis


def _pages(source: SourceText) -> list[list[Line]]:
    """Split the body at form feeds; each piece keeps its column offset in the source line."""
    pages: list[list[Line]] = [[]]
    for no, text in source.lines:
        pieces = text.split("\f")
        col = 0
        for index, piece in enumerate(pieces):
            if index:
                pages.append([])
            if piece or len(pieces) == 1:
                pages[-1].append(Line(no, col, piece))
            col += len(piece) + 1
    return pages


def _edge_key(line: Line) -> str:
    """An edge line as compared across pages: whitespace collapsed, every number the same."""
    return re.sub(r"\d+", "#", " ".join(line.text.split()))


def _debris_reason(key: str, top: bool) -> str:
    if re.fullmatch(r"[#\s./\-–]*(pagina|page|p\.)?[#\s./\-–]*", key, re.I):
        return "page number"
    return "running header" if top else "running footer"


def _edge_debris(pages: list[list[Line]], top: bool) -> dict[Line, str]:
    """Running headers (*top*) or footers and page numbers: lines repeated at the same place of two or more pages.

    A line is provably debris only when the same text (digits aside, so "3" and "4" or
    "Jaarverslag - 3" and "Jaarverslag - 4" match) stands at the same edge of at least two
    pages. The edge is peeled line by line: the second line from the edge is compared only on
    pages whose first line was debris, and so on, up to MAX_EDGE_LINES. The first line of the
    first page is always kept: it may be the document's title.
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
        counts = Counter(_edge_key(line) for line in edge.values())
        peeled = [page_no for page_no, line in edge.items() if counts[_edge_key(line)] >= 2]
        found.update((edge[page_no], _debris_reason(_edge_key(edge[page_no]), top)) for page_no in peeled)
    return found


def _page_debris(pages: list[list[Line]]) -> dict[Line, str]:
    """Every page's repeated edge lines, with the reason each would be dropped (headers first)."""
    headers = _edge_debris(pages, top=True)
    rest = [[line for line in page if line not in headers] for page in pages]
    return {**headers, **_edge_debris(rest, top=False)}


def _settle_debris(flat: list[Line | None], debris: dict[Line, str], analysis: Analysis) -> list[Line | None]:
    """Drop the repeated edge lines that are not footnote text, and record them as dropped.

    A footnote definition (a number with its marker) is never debris. A line a footnote ran
    into stays note text, unless the same text (digits aside) also stands as debris outside
    every note: then it is the running footer under the note.
    """
    in_notes = set(analysis.moved)
    loose = {_edge_key(line) for line in debris if line not in in_notes}
    strays = {line for note in analysis.footnotes for line in note.lines[1:]
              if line in debris and _edge_key(line) in loose}
    for note in analysis.footnotes:
        note.lines = [line for line in note.lines if line not in strays]
    analysis.moved = [line for line in analysis.moved if line not in strays]
    in_notes -= strays
    gone = {line: reason for line, reason in debris.items() if line not in in_notes}
    for line, reason in gone.items():
        analysis.dropped.append(Dropped(line.no, line.text.strip(), reason, line.col, line.col + len(line.text)))
    return [line for line in flat if line is None or line not in gone]


def _find_marker(body: list[Line], number: int, after: tuple[int, int]) -> tuple[int, re.Match[str]] | None:
    """The first marker for *number* in *body* after position *after* (index, column)."""
    pattern = _marker_pattern(number)
    for index in range(after[0], len(body)):
        start = after[1] if index == after[0] else 0
        match = pattern.search(body[index].text, start)
        if match:
            return index, match
    return None


@dataclass
class _Area:
    """A footnote area found by :func:`_parse_area`."""

    notes: list[tuple[str, int, re.Match[str], list[Line]]]  # label, marker line index, marker, note lines
    moved: list[Line]  # the source lines that became note text
    stop: int  # the index in the flat lines just after the area


def _extract_footnotes(pages: list[list[Line]], analysis: Analysis, debris: dict[Line, str]) -> list[Line | None]:
    """Move PDF footnotes out of the flow; return the body lines with ``None`` at page breaks.

    A footnote area is a run of lines at the bottom of a page (before a form feed, a line
    that starts with a single space as pdftotext begins pages, or the end of the text),
    preceded by a blank line, that starts with the definition of the next expected note
    number and whose every definition ``N text`` has a marker ``wordN`` in the text before it.
    Notes are numbered 1, 2, 3, ... in order of reference, so a number that is not the next
    expected one (``Samen14``) is never taken for a marker. The area ends where body text
    begins again (:func:`_continues_note`). Repeated edge lines (*debris*) are still in the
    pages: a footnote line must never be dropped as debris, so they are settled afterwards.
    """
    flat: list[Line | None] = []
    for index, page in enumerate(pages):
        if index:
            flat.append(None)
        flat.extend(page)
    area_ends = [i for i, line in enumerate(flat)
                 if line is None or (line not in debris and _PAGE_START.match(line.text))]
    if not area_ends:
        return flat  # no page break at all: nothing proves a line is a page-bottom footnote
    area_ends.append(len(flat))

    removed: set[int] = set()
    expected = 1
    search_from = (0, 0)  # (index in flat, column) where the next marker search begins
    segment_start = 0
    for end in area_ends:
        start, segment_start = segment_start, end + 1
        for candidate in range(end - 1, start, -1):
            line = flat[candidate]
            previous = flat[candidate - 1]
            match = _FOOTNOTE_DEF.match(line.text) if line else None
            if not match or int(match.group(1)) != expected or previous is None or not previous.blank:
                continue
            area = _parse_area(flat, candidate, end, expected, search_from, removed, debris)
            if area is None:
                continue
            for label, marker_at, marker, lines in area.notes:
                marker_line = flat[marker_at]
                assert marker_line is not None
                span = Span(marker_line.no, marker_line.col + marker.start(), marker_line.col + marker.end(),
                            "footnote-ref", label)
                analysis.markup.append(span)
                analysis.footnotes.append(Footnote(label, span, lines))
                search_from = (marker_at, marker.end())
            removed.update(range(candidate, area.stop))
            analysis.moved.extend(area.moved)
            expected += len(area.notes)
            break
    return _splice(flat, removed)


def _splice(flat: list[Line | None], removed: set[int]) -> list[Line | None]:
    """Remove footnote areas, leaving a page break (``None``) where each area was."""
    out: list[Line | None] = []
    for index, line in enumerate(flat):
        if index in removed:
            if index - 1 not in removed:
                out.append(None)
            continue
        out.append(line)
    return out


def _continues_note(note: list[Line], line: Line, after_blank: bool, body_open: bool) -> bool:
    """Whether *line* goes on with the footnote *note* rather than being body text after it.

    A line that starts in lowercase goes on with an unfinished sentence: the note's, or else
    the body sentence the footnote area interrupted (*body_open*). Any other line goes on
    with the note, unless a blank line separates them: then it begins a new body block.
    """
    if line.text.strip()[:1].islower():
        return not _SENTENCE_END.search(note[-1].text) or not body_open
    return not after_blank


def _parse_area(flat: list[Line | None], start: int, end: int, expected: int,
                search_from: tuple[int, int], removed: set[int], debris: dict[Line, str]) -> _Area | None:
    """Parse footnote definitions from line *start* on; ``None`` unless every note has a marker.

    The area takes each next definition ``N text`` and the lines that continue a note, and
    ends at the first line of body text (or at *end*). A repeated edge line in it is skipped
    as debris, unless it is the next definition with its marker or it continues a note.
    """
    body = [line if (line is not None and i not in removed and line not in debris) else Line(0, 0, "")
            for i, line in enumerate(flat[:start])]
    last_body = next((line for line in reversed(body) if not line.blank), None)
    body_open = last_body is not None and not _SENTENCE_END.search(last_body.text)
    area = _Area([], [], start)
    position = search_from
    number = expected
    after_blank = False
    for index in range(start, end):
        line = flat[index]
        assert line is not None
        if line.blank:
            after_blank = True
            continue
        match = _FOOTNOTE_DEF.match(line.text)
        is_next = bool(match) and int(match.group(1)) == number
        found = _find_marker(body, number, position) if is_next else None
        if match and found:
            marker_at, marker = found
            position = (marker_at, marker.end())
            text_start = match.end()
            area.notes.append((str(number), marker_at, marker,
                               [Line(line.no, line.col + text_start, line.text[text_start:])]))
            number += 1
        elif is_next and line not in debris:
            return None
        elif (area.notes and debris.get(line) != "page number"
              and _continues_note(area.notes[-1][3], line, after_blank, body_open)):
            area.notes[-1][3].append(line)
        elif line in debris:
            continue
        else:
            break
        area.moved.append(line)
        area.stop = index + 1
        after_blank = False
    return area if area.notes else None


def _join_pages(flat: list[Line | None]) -> list[Line | None]:
    """Resolve page breaks: a sentence cut by a break is joined, otherwise a paragraph ends.

    Returns lines with ``None`` for blank lines (block separators).
    """
    out: list[Line | None] = []
    pending_break = False
    for line in flat:
        if line is None:
            pending_break = True
            continue
        if line.blank:
            out.append(None)
            continue
        page_start = pending_break or (_PAGE_START.match(line.text) and not _is_item(line.text))
        if page_start and out:
            while out and out[-1] is None:
                out.pop()
            previous = out[-1] if out else None
            continues = (
                previous is not None
                and not _SENTENCE_END.search(previous.text)
                and line.text.strip()[:1].islower()
            )
            if not continues:
                out.append(None)
        pending_break = False
        out.append(line)
    return out


def _is_item(text: str) -> bool:
    return bool(_BULLET.match(text) or _ENUMERATOR.match(text))


def _groups(lines: list[Line | None]) -> list[list[Line]]:
    groups: list[list[Line]] = [[]]
    for line in lines:
        if line is None:
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(line)
    return [group for group in groups if group]


def _with_markers(line: Line, markup: list[Span], sentinels: bool = True) -> str:
    """The line's text with footnote markers replaced by sentinels (or removed, to classify it)."""
    text = line.text
    for span in sorted((s for s in markup if s.line == line.no and s.kind == "footnote-ref"),
                       key=lambda s: -s.start):
        start, end = span.start - line.col, span.end - line.col
        if 0 <= start and end <= len(text):
            text = text[:start] + (f"\x00{span.label}\x00" if sentinels else "") + text[end:]
    return text


def _title_like(text: str, max_words: int) -> bool:
    text = text.strip()
    words = text.split()
    if not words or len(words) > max_words or text[-1] in _TERMINAL_PUNCTUATION:
        return False
    first = next((char for char in text if char.isalnum()), "")
    return first.isupper() or first.isdigit()


def _strip_prefix(line: Line, length: int) -> Line:
    return Line(line.no, line.col + length, line.text[length:])


def _md_heading(line: Line, analysis: Analysis) -> Block | None:
    """A Markdown ATX heading line (``## Sectie``) as a heading block; its ``#`` marks become markup."""
    md = _MD_HEADING.match(line.text)
    if not md or not md.group(2):
        return None
    hashes = len(md.group(1))
    analysis.markup.append(Span(line.no, line.col, line.col + hashes, "heading-mark"))
    content_start = line.text.index(md.group(2), hashes)
    return Block("heading", [Line(line.no, line.col + content_start, md.group(2))], level=hashes)


def _split_at_md_headings(group: list[Line]) -> list[list[Line]]:
    """Cut a group around its Markdown heading lines: an ATX heading needs no blank line around it."""
    parts: list[list[Line]] = [[]]
    for line in group:
        md = _MD_HEADING.match(line.text)
        if md and md.group(2):
            parts += [[line], []]
        else:
            parts[-1].append(line)
    return [part for part in parts if part]


def _body_blocks(lines: list[Line], analysis: Analysis) -> list[Block]:
    """Paragraphs and list items: a bullet or enumerator starts an item, other lines continue it."""
    blocks: list[Block] = []
    paragraph: list[Line] = []
    item: Block | None = None
    for line in lines:
        bullet = _BULLET.match(line.text)
        enumerator = None if bullet else _ENUMERATOR.match(line.text)
        if bullet or enumerator:
            if paragraph:
                blocks.append(Block("paragraph", paragraph))
                paragraph = []
            marker = bullet or enumerator
            assert marker is not None
            analysis.markup.append(
                Span(line.no, line.col + len(marker.group(1)), line.col + marker.end(),
                     "bullet" if bullet else "enumerator")
            )
            item = Block("item", [_strip_prefix(line, marker.end())], ordered=bool(enumerator),
                         number=int(enumerator.group(2)) if enumerator else 0,
                         delimiter=enumerator.group(3) if enumerator else ".")
            blocks.append(item)
        elif item is not None:
            item.lines.append(line)
        else:
            paragraph.append(line)
    if paragraph:
        blocks.append(Block("paragraph", paragraph))
    return blocks


def _classify(groups: list[list[Line]], analysis: Analysis) -> list[Block]:
    blocks: list[Block] = []
    enumerated_single = [
        len(group) == 1 and bool(_ENUMERATOR.match(group[0].text)) for group in groups
    ]
    for index, group in enumerate(groups):
        parts = _split_at_md_headings(group)
        if len(parts) > 1:  # text right before or after a Markdown heading is body text
            for part in parts:
                heading = _md_heading(part[0], analysis) if len(part) == 1 else None
                blocks += [heading] if heading else _body_blocks(part, analysis)
            continue
        first = group[0]
        visible = _with_markers(first, analysis.markup, sentinels=False)
        is_last = index == len(groups) - 1
        if len(group) == 1:
            heading = _md_heading(first, analysis)
            if heading:
                blocks.append(heading)
                continue
            if _RULE.match(first.text):
                blocks.append(Block("rule", [first]))
                continue
            numbered = _NUMBERED_HEADING.match(visible)
            neighbours_enumerated = (index > 0 and enumerated_single[index - 1]) or (
                not is_last and enumerated_single[index + 1]
            )
            if (
                numbered
                and not is_last
                and _title_like(numbered.group(3), MAX_HEADING_WORDS)
                and not (numbered.group(2) and neighbours_enumerated)
                and not _BULLET.match(first.text)
            ):
                depth = numbered.group(1).count(".") + 1
                blocks.append(Block("heading", [first], level=depth, numbered_heading=True))
                continue
            if not is_last and not _is_item(first.text) and _title_like(visible, MAX_PLAIN_HEADING_WORDS):
                blocks.append(Block("heading", [first], level=0))
                continue
        blocks += _body_blocks(group, analysis)
    return blocks


def _assign_levels(blocks: list[Block], analysis: Analysis) -> None:
    """Give headings page levels: level 1 is the organisation's name, the source's title is 2."""
    headings = [block for block in blocks if block.kind == "heading"]
    if blocks and blocks[0].kind == "heading" and not blocks[0].numbered_heading:
        analysis.has_title = True
    previous = 1
    last_numbered: int | None = None
    for position, block in enumerate(headings):
        if position == 0 and analysis.has_title:
            wanted = 2
        elif block.numbered_heading:
            wanted = 2 + block.level
            last_numbered = wanted
        elif block.level:  # Markdown heading: '#' is the title, '##' a section
            wanted = 1 + block.level
        else:
            wanted = (last_numbered + 1) if last_numbered else 3
        block.level = max(2, min(wanted, previous + 1, 6))
        previous = block.level


def analyse(source: SourceText) -> Analysis:
    """Analyse a decoded source text into blocks, footnotes, markup spans and dropped debris."""
    analysis = Analysis(source)
    pages = _pages(source)
    debris = _page_debris(pages)
    flat = _settle_debris(_extract_footnotes(pages, analysis, debris), debris, analysis)
    groups = _groups(_join_pages(flat))
    blocks = _classify(groups, analysis)
    # A thematic break is only valid between two body elements (docutils forbids others).
    for index, block in enumerate(blocks):
        if block.kind == "rule":
            before = blocks[index - 1].kind if index else None
            after = blocks[index + 1].kind if index + 1 < len(blocks) else None
            if before in (None, "heading", "rule", "dropped") or after in (None, "heading", "rule"):
                line = block.lines[0]
                analysis.dropped.append(Dropped(line.no, line.text.strip(), "thematic break where none may stand",
                                                line.col, line.col + len(line.text)))
                block.kind = "dropped"
    analysis.blocks = [block for block in blocks if block.kind != "dropped"]
    _assign_levels(analysis.blocks, analysis)
    analysis.dropped.sort(key=lambda item: (item.line, item.start))
    return analysis


# --------------------------------------------------------------------------- rendering

# Characters with a meaning anywhere in MyST inline text (roles, targets, HTML, emphasis, math,
# substitutions, footnotes, tables, escapes).
_ALWAYS_ESCAPE = set("\\`*_{}[]<|$~#")
# Characters with a meaning at the start of a line (comments, directives, lists, quotes, breaks).
_LINE_START = re.compile(r"^([%:+\-=>!]|\d+[.)]|\((?=[^)]*\)=))")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape(text: str) -> str:
    """Escape *text* so MyST shows it literally."""
    escaped = "".join("\\" + char if char in _ALWAYS_ESCAPE else char for char in text)
    return _ENTITY.sub(r"\\&", escaped)


def _escape_line_start(text: str) -> str:
    match = _LINE_START.match(text)
    if not match:
        return text
    token = match.group(1)
    return token[:-1] + "\\" + token[-1] + text[len(token):]


# --------------------------------------------------------------------------- emphasis

_ROLES = {"*": "emphasis", "**": "strong"}
_STARS = re.compile(r"\*+")
_UNIT = re.compile("\x00[^\x00]*\x00|.", re.S)  # a character, or a footnote sentinel as a whole
# CommonMark's delimiter algorithm and nothing else: the pairing of stars into emphasis.
_PAIRING = MarkdownIt("zero").enable("emphasis")


@dataclass
class _Emphasis:
    """Emphasis (``*``) or strong emphasis (``**``) around inline content."""

    mark: str
    children: list[str | _Emphasis] = field(default_factory=list)
    role: bool = False  # written as a {emphasis} or {strong} role: its stars could not open or close


def _paired(text: str) -> list[Token]:
    """The pairing of the stars in *text*; only whitespace decides whether stars may open or close.

    Every other character is paired as a letter: CommonMark's punctuation rules would print
    ``**"wij"**gevoel`` as stars, which no author meant. Text tokens keep the length of the text.
    """
    masked = "".join(char if char == "*" else " " if char.isspace() else "a" for char in text)
    return _PAIRING.parseInline(masked)[0].children or []


def _open_runs(text: str) -> list[tuple[int, int]]:
    """The runs of stars still open at the end of *text*, innermost last: where each starts, and its stars left."""
    run_at = {index: run.span() for run in _STARS.finditer(text) for index in range(*run.span())}
    left: Counter[tuple[int, int]] = Counter()
    level = position = 0
    for token in _paired(text):
        level += token.nesting
        if not level:  # stars in text outside all emphasis
            left.update(run_at[index] for index in range(position, position + len(token.content)) if index in run_at)
        position += len(token.markup) + len(token.content)
    return [(start, count) for (start, end), count in left.items() if text[end:end + 1].strip()]


def _loosen(text: str) -> str:
    """Move whitespace out of bold the sources write with it inside, so that CommonMark pairs its stars.

    A run of two or more stars after whitespace closes the open run before it when that run has
    its length (``**sociale werkplaats **willen``), and one before whitespace opens when the next
    run has its length and can close (``** Punt** een``). A single star beside whitespace is left
    to CommonMark: it is too often meant as a star (``5 * 3``).
    """
    runs = list(_STARS.finditer(text))
    stuck: set[int] = set()  # runs of a pairing that no move of whitespace makes: they pair no other way
    for index, run in enumerate(runs):
        stars, before = run.group(), text[:run.start()].rstrip()
        if len(stars) < 2:
            continue
        opened = _open_runs(text[:run.start()])
        top, left = opened[-1] if opened else (-1, 0)
        if len(before) < run.start() and left == len(stars) and top not in stuck:  # it closes across whitespace
            moved = before + stars + text[len(before):run.start()] + text[run.end():]
            if before.endswith("*") or _open_runs(moved[:run.end()]) != opened[:-1]:
                stuck |= {top, run.start()}
            else:
                text = moved
            continue
        end = runs[index + 1].start() if index + 1 < len(runs) and runs[index + 1].group() == stars else run.end()
        gap = text[run.end():end]
        inner = gap.lstrip()
        if inner and inner != gap and inner == inner.rstrip():  # it opens across whitespace
            if _open_runs(text[:run.end()]) != opened:  # it closed stars before it
                stuck |= {run.start(), end}
            else:
                text = text[:run.start()] + gap[:len(gap) - len(inner)] + stars + inner + text[end:]
    return text


def _append(nodes: list[str | _Emphasis], node: str | _Emphasis) -> None:
    """Append *node* to *nodes*, joined to text before it if it is text."""
    if isinstance(node, str) and nodes and isinstance(nodes[-1], str):
        nodes[-1] += node
    elif node:
        nodes.append(node)


def _emphasis_tree(text: str) -> list[str | _Emphasis]:
    """Parse *text* into text and emphasis; stars that pair with none stay text."""
    root: list[str | _Emphasis] = []
    open_spans = [root]
    position = 0
    for token in _paired(text):
        if token.nesting == 1:
            span = _Emphasis(token.markup)
            open_spans[-1].append(span)
            open_spans.append(span.children)
        elif token.nesting == -1:
            open_spans.pop()
        _append(open_spans[-1], text[position:position + len(token.content)])
        position += len(token.markup) + len(token.content)
    return root


def _plain(nodes: list[str | _Emphasis]) -> str:
    return "".join(node if isinstance(node, str) else _plain(node.children) for node in nodes)


def _edge(node: str | _Emphasis, last: bool) -> str:
    """What CommonMark sees at one edge of *node* (stars of a span merge with its edge)."""
    if isinstance(node, str):
        units = _UNIT.findall(node)
        return _render_text(units[-1 if last else 0]) if units else " "
    if node.role or not node.children:
        return "`"  # {role}`...`
    return _edge(node.children[-1 if last else 0], last)


def _delimits(span: _Emphasis, beside: str, last: bool) -> bool:
    """Whether *span*'s stars open after the text *beside* (close before it, if *last*), by CommonMark's flanking."""
    inner = _edge(span.children[-1 if last else 0], last)
    before = inner if last else beside
    scanned = StateInline(before + "*" + (beside if last else inner), _PAIRING, {}, []).scanDelims(len(before), True)
    return scanned.can_close if last else scanned.can_open


def _peel(span: _Emphasis, outside: str, last: bool) -> str:
    """Move text off *span*'s first (or *last*) edge until its stars work beside *outside*; return that text."""
    moved = ""
    index = -1 if last else 0
    while span.children and isinstance(span.children[index], str):
        if _delimits(span, _edge(moved, not last) if moved else outside, last):
            break
        units = _UNIT.findall(span.children[index])  # a footnote sentinel moves as a whole
        unit = units.pop(index)
        span.children[index] = "".join(units)
        if not units:
            span.children.pop(index)
        moved = unit + moved if last else moved + unit
    return moved


def _fit(span: _Emphasis, before: str, after: str) -> tuple[str, str]:
    """Make *span*'s stars open and close in CommonMark; return the text moved out before and after it.

    If they cannot (``**"wij"**gevoel``: punctuation inside, a letter outside), a span of plain
    text becomes a role; any other span gives up its edge characters until its stars work.
    """
    if _delimits(span, before, last=False) and _delimits(span, after, last=True):
        return "", ""
    if len(span.children) == 1 and isinstance(span.children[0], str) and not set("\x00`") & set(span.children[0]):
        span.role = True
        return "", ""
    return _peel(span, before, last=False), _peel(span, after, last=True)


def _merge_touching(nodes: list[str | _Emphasis]) -> list[str | _Emphasis]:
    """Merge touching spans of one kind: ``**a****b**`` would not pair in CommonMark."""
    merged: list[str | _Emphasis] = []
    for node in nodes:
        previous = merged[-1] if merged else None
        if isinstance(node, _Emphasis) and isinstance(previous, _Emphasis) and previous.mark == node.mark:
            for child in node.children:
                _append(previous.children, child)
        else:
            _append(merged, node)
    return merged


def _shape(nodes: list[str | _Emphasis], before: str, after: str) -> list[str | _Emphasis]:
    """Make every span in *nodes* work in CommonMark between the characters *before* and *after*.

    A span's own spans are shaped first, with its outside as their outside at its edges
    (their stars merge with its stars). A span left without text is dropped, its text kept.
    """
    nodes = _merge_touching(nodes)
    out: list[str | _Emphasis] = []
    carry = ""  # text moved out after the previous span
    for index, node in enumerate(nodes):
        if isinstance(node, str):
            _append(out, carry + node)
            carry = ""
            continue
        _append(out, carry)
        previous = _edge(out[-1], last=True) if out else before
        following = _edge(nodes[index + 1], last=False) if index + 1 < len(nodes) else after
        node.children = _shape(node.children, previous, following)
        lead, carry = _fit(node, previous, following)
        _append(out, lead)
        if _plain(node.children).strip():
            out.append(node)
        else:
            _append(out, _plain(node.children))
    _append(out, carry)
    return out


def _render_text(text: str) -> str:
    """Escape *text*; footnote sentinels become references, and a parenthesis after one stays text."""
    out = ""
    for index, part in enumerate(text.split("\x00")):
        if index % 2:
            out += f"[^{part}]"
        else:
            out += ("\\" if index and part.startswith("(") else "") + escape(part)
    return out


def _render_nodes(nodes: list[str | _Emphasis]) -> str:
    out = ""
    for node in nodes:
        if isinstance(node, str):
            out += _render_text(node)
        elif node.role:
            out += f"{{{_ROLES[node.mark]}}}`{_plain(node.children)}`"
        else:
            out += node.mark + _render_nodes(node.children) + node.mark
    return out


def _styled(nodes: list[str | _Emphasis], em: bool = False, strong: bool = False) -> list[tuple[str, bool, bool]]:
    """The characters *nodes* are meant to show, each with whether it is emphasised and strong."""
    chars: list[tuple[str, bool, bool]] = []
    for node in nodes:
        if isinstance(node, str):
            chars += [(char, em, strong) for char in _FN_SENTINEL.sub(lambda m: f"[^{m.group(1)}]", node)]
        else:
            chars += _styled(node.children, em or node.mark == "*", strong or node.mark == "**")
    return chars


@functools.cache
def _myst_inline() -> MarkdownIt:
    """MyST's own Markdown parser, to read back what the importer writes."""
    return create_md_parser(MdParserConfig(), RendererHTML)


def _read_back(markdown: str) -> list[tuple[str, bool, bool]] | None:
    """The characters MyST shows for inline *markdown*, styled; ``None`` if it made more than text and emphasis."""
    depth = {"em": 0, "strong": 0}
    chars: list[tuple[str, bool, bool]] = []
    for token in _myst_inline().parseInline(markdown)[0].children or []:
        kind, _, edge = token.type.rpartition("_")
        if kind in depth and edge in ("open", "close"):
            depth[kind] += 1 if edge == "open" else -1
            continue
        em, strong = depth["em"] > 0, depth["strong"] > 0
        if token.type in ("text", "text_special"):
            shown = token.content
        elif token.type == "footnote_ref":
            shown = f"[^{token.meta['label']}]"
        elif token.type == "myst_role" and token.meta.get("name") in _ROLES.values():
            shown = token.content
            em, strong = em or token.meta["name"] == "emphasis", strong or token.meta["name"] == "strong"
        else:
            return None
        chars += [(char, em, strong) for char in shown]
    return chars


def render_inline(text: str) -> str:
    """Render source text as MyST inline text: emphasis kept, everything else literal.

    What is written is read back with MyST's own parser: should it not show exactly the text
    and emphasis meant, the text is written without emphasis, never with a stray star.
    """
    # Whitespace moved out of bold at either end goes: leading whitespace would make a code block.
    nodes = _shape(_emphasis_tree(_loosen(text.strip()).strip()), " ", " ")
    rendered = _render_nodes(nodes)
    if _read_back(rendered) != _styled(nodes):
        rendered = _render_text(_plain(nodes))
    return _escape_line_start(rendered)


_LINE_END_HYPHEN = re.compile(r"[^\W\d_]-$")


def join_lines(texts: list[str]) -> str:
    """Re-flow wrapped lines into one.

    A hyphen that ends a line (with no space after it) joins the next line and stays:
    ``draagkracht-`` + ``draaglast`` gives ``draagkracht-draaglast``.
    """
    joined = ""
    hyphenated = False
    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        if joined and not (hyphenated and text[:1].isalpha()):
            joined += " "
        joined += text
        hyphenated = bool(_LINE_END_HYPHEN.search(raw))
    return joined


def _block_text(block: Block, markup: list[Span]) -> str:
    return render_inline(join_lines([_with_markers(line, markup) for line in block.lines]))


def _front_matter(analysis: Analysis, source_path: str) -> str:
    """The page's metadata: the importer's own keys, then the source's front matter under its prefix."""
    data: dict[str, object] = {SOURCE_KEY: source_path}
    if analysis.source.encoding not in ("utf-8", "utf-8-sig"):
        data[ENCODING_KEY] = analysis.source.encoding
    assert not any(key.startswith(FRONT_MATTER_PREFIX) for key in data)
    for key, value in analysis.source.front_matter.items():
        data[FRONT_MATTER_PREFIX + key] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _item_marker(block: Block, previous: Block | None, delimiter: str) -> tuple[str, str]:
    """The list marker for *block* after the item *previous*, and the enumerator delimiter now in use.

    An ordered list keeps the source's delimiter. CommonMark numbers a list on from its
    first number, so an item whose number does not follow the previous item's starts a new
    list that keeps its own number; if its delimiter is the one in use, it takes the other
    (``1.`` / ``1)``), which is what separates two lists.
    """
    if not block.ordered:
        return "-", delimiter
    if previous is None or not previous.ordered:
        delimiter = block.delimiter
    elif block.number != previous.number + 1:
        delimiter = block.delimiter if block.delimiter != delimiter else {".": ")", ")": "."}[delimiter]
    return f"{block.number}{delimiter}", delimiter


def render(analysis: Analysis, name: str, source_path: str) -> str:
    """Write the analysed text as a MyST page titled *name*."""
    out = ["---", _front_matter(analysis, source_path).rstrip("\n"), "---", "", f"# {escape(name)}", ""]
    previous_item: Block | None = None
    delimiter = "."
    for block in analysis.blocks:
        if block.kind != "item" and previous_item is not None:
            out.append("")
            previous_item = None
        if block.kind == "heading":
            out += ["#" * block.level + " " + _block_text(block, analysis.markup), ""]
        elif block.kind == "paragraph":
            out += [_block_text(block, analysis.markup), ""]
        elif block.kind == "rule":
            out += ["---", ""]
        elif block.kind == "item":
            if previous_item is not None and previous_item.ordered != block.ordered:
                out.append("")
            marker, delimiter = _item_marker(block, previous_item, delimiter)
            out.append(f"{marker} {_block_text(block, analysis.markup)}")
            previous_item = block
    if previous_item is not None:
        out.append("")
    for note in analysis.footnotes:
        text = render_inline(join_lines([line.text for line in note.lines]))
        out += [f"[^{note.label}]: {text}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def default_name(path: str | Path) -> str:
    """A display name from a file name: ``de-cocon.txt`` gives ``De Cocon``."""
    return " ".join(part.capitalize() for part in re.split(r"[-_\s]+", Path(path).stem) if part)


def import_text(source: SourceText, name: str | None = None, source_path: str | None = None) -> tuple[str, Analysis]:
    """Analyse and render *source*; return the MyST page and the analysis."""
    analysis = analyse(source)
    page = render(analysis, name or default_name(source.path), source_path or source.path.as_posix())
    return page, analysis
