"""Turn a source text into a MyST Markdown page, by rule and without losing a word.

The work is split in two steps. :func:`analyse` reads the text into blocks (headings,
paragraphs, list items, footnotes) and records what it removed as page-break debris and
which characters became markup (bullets, enumerators, footnote markers). :func:`render`
writes the blocks as MyST. ``check-source`` replays the same analysis, so the rules that
decide what is debris live in one place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .sourcefile import SourceText

__all__ = ["Analysis", "Block", "Dropped", "Footnote", "Line", "Span", "analyse", "render", "import_text"]

FRONT_MATTER_PREFIX = "mk-source-"


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


def _edge_index(page: list[Line], top: bool) -> int | None:
    order = range(len(page)) if top else range(len(page) - 1, -1, -1)
    return next((i for i in order if not page[i].blank), None)


def _drop_page_debris(pages: list[list[Line]], dropped: list[Dropped]) -> None:
    """Drop running headers, footers and page numbers: edge lines repeated on two or more pages.

    A line is provably debris only when the same text (digits aside, so "3" and "4" or
    "Jaarverslag - 3" and "Jaarverslag - 4" match) stands at the same edge of at least two
    pages. The first line of the first page is always kept: it may be the document's title.
    """
    if len(pages) < 2:
        return
    for top in (True, False):
        edges: dict[int, tuple[int, str]] = {}
        for page_no, page in enumerate(pages):
            index = _edge_index(page, top)
            if index is None or (top and page_no == 0):
                continue
            edges[page_no] = (index, re.sub(r"\d+", "#", " ".join(page[index].text.split())))
        counts = Counter(key for _, key in edges.values())
        for page_no in sorted(edges, reverse=True):
            index, key = edges[page_no]
            if counts[key] < 2:
                continue
            line = pages[page_no].pop(index)
            kind = "page number" if re.fullmatch(r"[#\s./\-–]*(pagina|page|p\.)?[#\s./\-–]*", key, re.I) else (
                "running header" if top else "running footer"
            )
            dropped.append(Dropped(line.no, line.text.strip(), kind, line.col, line.col + len(line.text)))


def _find_marker(body: list[Line], number: int, after: tuple[int, int]) -> tuple[int, re.Match[str]] | None:
    """The first marker for *number* in *body* after position *after* (index, column)."""
    pattern = _marker_pattern(number)
    for index in range(after[0], len(body)):
        start = after[1] if index == after[0] else 0
        match = pattern.search(body[index].text, start)
        if match:
            return index, match
    return None


def _extract_footnotes(pages: list[list[Line]], analysis: Analysis) -> list[Line | None]:
    """Move PDF footnotes out of the flow; return the body lines with ``None`` at page breaks.

    A footnote area is a run of lines at the bottom of a page (before a form feed, a line
    that starts with a single space as pdftotext begins pages, or the end of the text),
    preceded by a blank line, that starts with the definition of the next expected note
    number and whose every definition ``N text`` has a marker ``wordN`` in the text before it.
    Notes are numbered 1, 2, 3, ... in order of reference, so a number that is not the next
    expected one (``Samen14``) is never taken for a marker.
    """
    flat: list[Line | None] = []
    for index, page in enumerate(pages):
        if index:
            flat.append(None)
        flat.extend(page)
    area_ends = [i for i, line in enumerate(flat) if line is None or _PAGE_START.match(line.text)]
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
            notes = _parse_area(flat, candidate, end, expected, search_from, removed)
            if notes is None:
                continue
            for label, marker_at, marker, lines in notes:
                marker_line = flat[marker_at]
                assert marker_line is not None
                span = Span(marker_line.no, marker_line.col + marker.start(), marker_line.col + marker.end(),
                            "footnote-ref", label)
                analysis.markup.append(span)
                analysis.footnotes.append(Footnote(label, span, lines))
                search_from = (marker_at, marker.end())
            removed.update(range(candidate, end))
            analysis.moved.extend(line for line in flat[candidate:end] if line is not None)
            expected += len(notes)
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


def _parse_area(flat: list[Line | None], start: int, end: int, expected: int,
                search_from: tuple[int, int], removed: set[int]):
    """Parse lines ``start:end`` as footnote definitions; ``None`` unless every note has a marker."""
    body = [line if (line is not None and i not in removed) else Line(0, 0, "") for i, line in enumerate(flat[:start])]
    notes = []
    position = search_from
    number = expected
    for index in range(start, end):
        line = flat[index]
        assert line is not None
        match = _FOOTNOTE_DEF.match(line.text)
        if match and int(match.group(1)) == number:
            found = _find_marker(body, number, position)
            if found is None:
                return None
            marker_at, marker = found
            position = (marker_at, marker.end())
            text_start = match.end()
            notes.append((str(number), marker_at, marker, [Line(line.no, line.col + text_start, line.text[text_start:])]))
            number += 1
        elif not line.blank:
            notes[-1][3].append(line)
    return notes


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


def _classify(groups: list[list[Line]], analysis: Analysis) -> list[Block]:
    blocks: list[Block] = []
    enumerated_single = [
        len(group) == 1 and bool(_ENUMERATOR.match(group[0].text)) for group in groups
    ]
    for index, group in enumerate(groups):
        first = group[0]
        visible = _with_markers(first, analysis.markup, sentinels=False)
        is_last = index == len(groups) - 1
        if len(group) == 1:
            md = _MD_HEADING.match(first.text)
            if md and md.group(2):
                hashes = first.text.index(md.group(1)) + len(md.group(1))
                analysis.markup.append(Span(first.no, first.col, first.col + hashes, "heading-mark"))
                content_start = first.text.index(md.group(2), hashes)
                content = Line(first.no, first.col + content_start, md.group(2))
                blocks.append(Block("heading", [content], level=len(md.group(1))))
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
        paragraph: list[Line] = []
        item: Block | None = None
        for line in group:
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
                             number=int(enumerator.group(2)) if enumerator else 0)
                blocks.append(item)
            elif item is not None:
                item.lines.append(line)
            else:
                paragraph.append(line)
        if paragraph:
            blocks.append(Block("paragraph", paragraph))
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
    _drop_page_debris(pages, analysis.dropped)
    flat = _extract_footnotes(pages, analysis)
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
    analysis.dropped.sort(key=lambda item: item.line)
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


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")


def _emphasis(text: str, pattern: re.Pattern[str], mark: str, inner) -> str:
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        content = match.group(1)
        if not content.strip() or "\x00" in content:
            continue
        out.append(inner(text[position:match.start()]))
        lead = content[: len(content) - len(content.lstrip())]
        trail = content[len(content.rstrip()):]
        out.append(f"{lead}{mark}{inner(content.strip())}{mark}{trail}")
        position = match.end()
    out.append(inner(text[position:]))
    return "".join(out)


def render_inline(text: str) -> str:
    """Render source text as MyST inline text: emphasis kept, everything else literal."""
    def italic(part: str) -> str:
        return _emphasis(part, _ITALIC, "*", escape)

    rendered = _emphasis(text, _BOLD, "**", italic)
    rendered = _escape_line_start(rendered)
    return _FN_SENTINEL.sub(lambda match: f"[^{match.group(1)}]", rendered)


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
    data: dict[str, object] = {"mk-source": source_path}
    if analysis.source.encoding not in ("utf-8", "utf-8-sig"):
        data["mk-source-encoding"] = analysis.source.encoding
    for key, value in analysis.source.front_matter.items():
        data[FRONT_MATTER_PREFIX + key] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def render(analysis: Analysis, name: str, source_path: str) -> str:
    """Write the analysed text as a MyST page titled *name*."""
    out = ["---", _front_matter(analysis, source_path).rstrip("\n"), "---", "", f"# {escape(name)}", ""]
    in_list: bool | None = None
    for block in analysis.blocks:
        if block.kind != "item" and in_list is not None:
            out.append("")
            in_list = None
        if block.kind == "heading":
            out += ["#" * block.level + " " + _block_text(block, analysis.markup), ""]
        elif block.kind == "paragraph":
            out += [_block_text(block, analysis.markup), ""]
        elif block.kind == "rule":
            out += ["---", ""]
        elif block.kind == "item":
            if in_list is not None and in_list != block.ordered:
                out.append("")
            marker = f"{block.number}." if block.ordered else "-"
            out.append(f"{marker} {_block_text(block, analysis.markup)}")
            in_list = block.ordered
    if in_list is not None:
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
