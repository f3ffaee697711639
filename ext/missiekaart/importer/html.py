"""HTML through a real parser (lxml), into the importer's MyST: what a reader of the page saw.

Used for a web page saved as ``.html``, an HTML body after front matter, the HTML blocks and
inline tags of a Markdown text, and a Word file (mammoth makes HTML of it). Elements keep their
meaning: ``h1``-``h6`` are headings, ``p`` paragraphs, ``ul``/``ol``/``li`` (nested) lists,
``em``/``strong`` emphasis, ``a`` links (kept for ``http(s)`` and ``mailto`` only), ``blockquote``
quotes, ``table`` tables, ``dl`` terms and definitions, ``br`` line breaks (two make a new
paragraph), ``img`` its alternative text; footnotes (:func:`find_notes`) become MyST footnotes
at their references. What no reader sees (``script``, ``style``, ``template``, hidden elements)
and the site's chrome (``nav``, forms and buttons, embedded frames and pictures, a page's own
header, footer and aside, cookie banners) is left out and itemised.

Nothing is lost to the parser: libxml2 stops reading 2,048 levels deep and recovers from broken
markup by dropping what it cannot place, so the words read are counted against the words of the
markup read by a one-pass scanner (:func:`scan_text`); should the parser have lost some, the
fragment is kept as plain text, and the report says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

import lxml.html
from lxml import etree

from missiekaart.importer.htmltext import (
    BANNER,
    BLOCK,
    CHROME,
    NOT_TEXT,
    PAGE_CHROME,
    StartTags,
    hidden,
    scan_text,
    shown_text,
)
from missiekaart.importer.htmltext import tag_of as _tag
from missiekaart.importer.inline import escape, escape_line_start, myst_inline
from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN, Block, Line
from missiekaart.importer.nesting import MAX_INLINE_DEPTH, MAX_LIST_DEPTH, MYST_MAX_NESTING, fits
from missiekaart.importer.writer import Out, backticks, code, emphasis, link, table

__all__ = [
    "BACK_LINK",
    "BANNER",
    "BLOCK",
    "CHROME",
    "HEADINGS",
    "NOTE_MARK",
    "NOT_TEXT",
    "Notes",
    "Outside",
    "find_notes",
    "hidden",
    "html_blocks",
    "html_fragment",
    "html_inline",
    "scan_text",
    "shown_text",
]

_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
#: What a form holds when it wraps the page (ASP.NET WebForms put the whole body in one) rather than fields.
_PAGE_CONTENT = ("h1", "h2", "h3", "h4", "h5", "h6", "main", "article", "section")
_HEADING = re.compile(r"h([1-6])")
_SPACE = re.compile(r"[ \t\n\r\f\u200b]+")
_WORD = re.compile(r"\w+")
MAX_DEPTH = 120  # elements deeper than this are read as their text (Python recursion stays shallow)
BREAK = "\x00br\x00"  # a line break inside a paragraph, until the paragraph is written
Run = list[tuple["str | etree._Element", int, int]]  # inline content: texts and elements, with line and depth
Chunk = tuple[str, list[str], list[Line], int]  # kind (heading, rule, list, myst, footnote), MyST lines, words, level
#: Given a whole page's ``<body>``, the elements outside its main content, each with why (None: no choice made);
#: an element given "" holds main content and is read whatever its tag (a form around the whole page).
Outside = Callable[[etree._Element], "Mapping[etree._Element, str] | None"]


def _shown(myst: str) -> str:
    """What MyST shows of inline *myst*, whitespace folded: its text, links' text, code."""
    tokens = myst_inline().parseInline(myst.replace(BREAK, " "))[0].children or []
    shown = [
        token.content
        for token in tokens
        if token.type in ("text", "text_special", "code_inline", "myst_role", "html_inline")
    ]
    return " ".join("".join(shown).split())


#: The text of a footnote reference: a number, a few lower-case letters or a symbol, bracketed or not.
NOTE_MARK = re.compile(r"[\[(]?\s*(?:\d{1,4}|[a-z]{1,4}|[*†‡§¶]{1,3})\s*[\])]?")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: Why a note's link back to its reference is left out (its text is an arrow: "↩", "↑").
BACK_LINK = "footnote back link"


@dataclass
class Notes:
    """The footnotes of an HTML text (see :func:`find_notes`)."""

    refs: dict[etree._Element, etree._Element] = field(default_factory=dict)  # reference -> its note
    notes: set[etree._Element] = field(default_factory=set)
    back_links: set[etree._Element] = field(default_factory=set)


def _alone_in(anchor: etree._Element) -> etree._Element:
    """The inline element that holds *anchor* and nothing else (``<sup id="fnref:1"><a ...>``), or *anchor*."""
    parent = anchor.getparent()
    if (
        parent is None
        or _tag(parent) in BLOCK
        or len(parent) != 1
        or (parent.text or "").strip()
        or (anchor.tail or "").strip()
    ):
        return anchor
    return parent


def find_notes(root: etree._Element) -> Notes:
    """The footnotes in *root*, as every site generator and Word converter links them both ways.

    A link ``<a href="#X">`` whose text is a note mark (:data:`NOTE_MARK`) is a note's reference
    when the element with id X (the note: not a heading, holding no heading, not holding the
    link) holds a link back, ``<a href="#Y">``, to the link's id or to the id of the inline
    element that holds the link alone. kramdown, goldmark (Hugo), pandoc, markdown-it, mammoth
    and WordPress all write notes so. A link inside a note is never a reference.
    """
    ids: dict[str, etree._Element] = {}
    links: dict[str, list[etree._Element]] = {}  # target id -> the links to it
    with_heading: set[etree._Element] = set()
    for element in root.iter():
        tag = _tag(element)
        if not tag:
            continue
        if (ident := element.get("id")) and ident not in ids:
            ids[ident] = element
        href = (element.get("href") or "").strip() if tag == "a" else ""
        if href.startswith("#") and len(href) > 1:
            links.setdefault(unquote(href[1:]), []).append(element)
        if tag in HEADINGS:
            with_heading.add(element)
            for up in element.iterancestors():  # each element once: the walk stops where another began
                if up in with_heading:
                    break
                with_heading.add(up)
    links_in: dict[etree._Element, set[etree._Element]] = {}  # a note's links, found once per note

    def inside(note: etree._Element) -> set[etree._Element]:
        if note not in links_in:
            links_in[note] = set(note.iter("a"))
        return links_in[note]

    found_back: dict[tuple[etree._Element, str], list[etree._Element]] = {}

    def back_links(note: etree._Element, name: str) -> list[etree._Element]:
        if (note, name) not in found_back:
            found_back[note, name] = [back for back in links[name] if back in inside(note)]
        return found_back[note, name]

    candidates: list[tuple[etree._Element, etree._Element, list[tuple[etree._Element, str]]]] = []
    for target, sources in links.items():
        note = ids.get(target)
        if note is None or note in with_heading:
            continue
        for anchor in sources:
            if not NOTE_MARK.fullmatch(" ".join(anchor.text_content().split())):
                continue
            reference = _alone_in(anchor)
            names = {name for name in (anchor.get("id"), reference.get("id")) if name and name in links}
            if not names or anchor in inside(note):
                continue
            keys = [(note, name) for name in names if back_links(note, name)]
            if keys:
                candidates.append((reference, note, keys))
    notes = {note for _, note, _ in candidates}
    found = Notes()
    keys_used: set[tuple[etree._Element, str]] = set()
    for reference, note, keys in candidates:
        if not any(up in notes for up in reference.iterancestors()):
            found.refs[reference] = note
            found.notes.add(note)
            keys_used.update(keys)
    for key in keys_used:  # each note's links back to one id once (many references may share the id)
        found.back_links.update(found_back[key])
    return found


class _Reader:
    """One HTML text read into MyST lines and reader pieces (see the module's docstring)."""

    def __init__(
        self,
        out: Out,
        first_line: int,
        in_article: bool,
        outside: Mapping[etree._Element, str] | None = None,
        tags: StartTags | None = None,
        notes: Notes | None = None,
    ) -> None:
        self.out = out
        self.first_line = first_line
        self.in_article = in_article  # page chrome (header, footer, aside) is kept inside an article
        self.outside = outside or {}  # elements outside the page's main content, and why
        self.tags = tags  # a whole page's start tags: where on its line each piece left out starts
        self.notes = notes or Notes()
        self.note_text: dict[etree._Element, tuple[list[str], list[Line]]] = {}  # each note's MyST and words
        self.labels: dict[etree._Element, str] = {}  # each note referenced, its label, in order of reference
        self.marks = 0  # the words of the references' marks ("1"), which the footnotes' labels replace

    def read_notes(self) -> None:
        """Each note's MyST and words, read before the text (a note without text is no note)."""
        for note in sorted(self.notes.notes, key=lambda element: element.sourceline or 0):
            lines, pieces = self.joined(self.blocks(note, 0, 0))
            if lines:
                self.note_text[note] = (lines, pieces)
        for reference, note in list(self.notes.refs.items()):
            if note not in self.note_text:
                del self.notes.refs[reference]
        self.notes.notes = {note for note in self.notes.notes if note in self.note_text}

    def footnotes(self) -> list[Chunk]:
        """The footnotes after the text, in order of reference; a note whose reference was left out
        (it stood in the site's chrome) keeps its text, as a paragraph, said so."""
        found: list[Chunk] = []
        for note in sorted(self.notes.notes, key=lambda element: element.sourceline or 0):
            if note not in self.labels:
                lines, pieces = self.note_text[note]
                self.out.decide(self.line(note), "footnote whose reference was left out: its text kept")
                found.append(("myst", lines, pieces, 0))
        for note, label in self.labels.items():
            lines = self.note_text[note][0]
            body = [f"[^{label}]: {lines[0]}"] + [f"    {text}" if text else "" for text in lines[1:]]
            found.append(("footnote", body, [], 0))
        return found

    def line(self, element: etree._Element) -> int:
        return self.first_line + (element.sourceline or 1) - 1

    # ----------------------------------------------------------------- what is left out

    def left_out(self, element: etree._Element) -> str:
        """Why *element* is left out ("" if it is not)."""
        tag = _tag(element)
        if tag in NOT_TEXT:
            return f"<{tag}> (not shown to readers)"
        if hidden(element):
            return "hidden element"
        if element in self.outside:
            return self.outside[element]
        if tag in CHROME and not (tag == "form" and next(element.iter(*_PAGE_CONTENT), None) is not None):
            return f"site chrome <{tag}>"
        if tag in PAGE_CHROME and not self.in_article:
            return f"site chrome <{tag}>"
        if BANNER.search(f"{element.get('id', '')} {element.get('class', '')}"):
            return "cookie banner"
        return ""

    def drop(self, element: etree._Element, reason: str) -> None:
        text, prose = shown_text(element, self.notes.notes)  # a note in it is read at its reference
        column = self.tags.column(element) if self.tags is not None else 0
        self.out.drop(self.line(element), text, reason, prose, column)

    # ----------------------------------------------------------------- inline

    def inline(self, element: etree._Element, depth: int, styled: bool, pieces: list[Line]) -> list[str]:
        """The MyST of *element*'s content (not its tail), its reader words added to *pieces*."""
        return self.render(self.content(element, depth), styled, pieces)

    def content(self, element: etree._Element, depth: int) -> Run:
        """*element*'s content as a run: its text, its children, their tails."""
        run: Run = []
        if element.text:
            run.append((element.text, self.line(element), depth))
        for child in element:
            run.append((child, self.line(child), depth + 1))
            if child.tail:
                run.append((child.tail, self.line(child), depth))
        return run

    def render(self, run: Run, styled: bool, pieces: list[Line]) -> list[str]:
        parts: list[str] = []
        for item, line, depth in run:
            if isinstance(item, str):
                parts.append(self.text(item, line, pieces))
            else:
                parts += self.inline_element(item, depth, styled, pieces)
        return parts

    def checked(self, run: Run, line: int) -> tuple[str, list[Line]]:
        """A run of inline content as MyST, with emphasis where MyST reads it back as written;
        otherwise without emphasis (``**"wij"**gevoel`` would show its stars), and said so."""
        marks = (len(self.out.decisions), len(self.out.dropped))
        pieces: list[Line] = []
        styled = "".join(self.render(run, True, pieces))
        if "*" not in styled.replace("\\*", ""):
            return styled, pieces
        plain_decisions, plain_dropped = self.out.decisions[marks[0] :], self.out.dropped[marks[1] :]
        del self.out.decisions[marks[0] :], self.out.dropped[marks[1] :]
        plain_pieces: list[Line] = []
        plain = "".join(self.render(run, False, plain_pieces))
        if _shown(styled) == _shown(plain):
            del self.out.decisions[marks[0] :], self.out.dropped[marks[1] :]
            self.out.decisions += plain_decisions
            self.out.dropped += plain_dropped
            return styled, pieces
        self.out.decide(line, "emphasis that MyST would not read as written kept as plain text")
        return plain, plain_pieces

    def text(self, text: str, line: int, pieces: list[Line]) -> str:
        shown = _SPACE.sub(" ", text)
        if shown.strip():
            pieces.append(Line(line, 0, shown.strip()))
        return escape(shown)

    def inline_element(self, element: etree._Element, depth: int, styled: bool, pieces: list[Line]) -> list[str]:
        tag = _tag(element)
        if not tag:
            return []
        line = self.line(element)
        if element in self.notes.notes:  # read at its reference
            return [" "]
        if element in self.notes.refs:
            return [self.reference(element, line, pieces)]
        if element in self.notes.back_links:
            self.drop(element, BACK_LINK)
            return [""]
        if reason := self.left_out(element):
            self.drop(element, reason)
            return [" "]
        if tag == "br":
            return [BREAK]
        if tag == "img":
            alt = " ".join((element.get("alt") or "").split())
            self.out.decide(line, f"image {element.get('src', '')!r} kept as its alt text {alt!r}")
            if alt:
                pieces.append(Line(line, 0, alt))
            return [escape(alt)]
        if tag in ("code", "kbd", "samp", "tt"):
            content = _SPACE.sub(" ", element.text_content())
            if content.strip():
                pieces.append(Line(line, 0, content.strip()))
            return [code(content)] if content.strip() else [content]
        if depth > MAX_INLINE_DEPTH + 8:  # too deep to read on: its text, without what no reader sees
            return [self.text(shown_text(element)[0], line, pieces)]
        if tag in BLOCK:  # a block inside inline content (a list in a table cell): read on, apart from its neighbours
            return [" ", *self.inline(element, depth, styled, pieces), " "]
        inner = "".join(self.inline(element, depth, styled, pieces))
        if tag in ("em", "i", "cite", "dfn", "var") and styled:
            return [emphasis("*", inner)]
        if tag in ("strong", "b") and styled:
            return [emphasis("**", inner)]
        if tag == "a" and element.get("href"):
            return [link(inner, element.get("href", ""), line, self.out)]
        return [inner]

    def reference(self, element: etree._Element, line: int, pieces: list[Line]) -> str:
        """A note's reference: its label, and the note's words where it stands (as check-source reads them)."""
        note = self.notes.refs[element]
        if note not in self.labels:
            self.labels[note] = self.out.note_label()
            self.marks += _words(element.text_content())
        pieces += [Line(line, 0, NOTE_OPEN), *self.note_text[note][1], Line(line, 0, NOTE_CLOSE)]
        return f"[^{self.labels[note]}]"

    def paragraph(self, parts: list[str]) -> list[list[str]]:
        """A run of inline MyST as paragraphs of lines: ``<br>`` ends a line (a hard line break, the
        line ending in ``\\``), two of them a paragraph."""
        paragraphs: list[list[str]] = []
        for chunk in re.split(rf"(?:\s*{re.escape(BREAK)}\s*){{2,}}", "".join(parts)):
            lines = [escape_line_start(" ".join(piece.split())) for piece in chunk.split(BREAK)]
            lines = [line for line in lines if line]
            if lines:
                paragraphs.append([line + "\\" for line in lines[:-1]] + lines[-1:])
        return paragraphs

    # ----------------------------------------------------------------- blocks

    def blocks(self, element: etree._Element, depth: int, level: int) -> list[Chunk]:
        """The blocks in *element*: (kind, MyST lines, reader pieces, heading level) each, kind
        "heading", "rule" or "myst". *level* is MyST's nesting level here (see :mod:`.nesting`)."""
        found: list[Chunk] = []
        run: Run = []

        def flush() -> None:
            if not run:
                return
            myst, pieces = self.checked(run, run[0][1])
            paragraphs = self.paragraph([myst])
            lines = [line for index, paragraph in enumerate(paragraphs) for line in ([""] if index else []) + paragraph]
            if lines or pieces:
                found.append(("myst", lines, pieces, 0))
            run.clear()

        for item in self.content(element, depth):
            child = item[0]
            if not isinstance(child, str) and child in self.notes.notes:  # read at its reference
                flush()
                continue
            if not isinstance(child, str) and _tag(child) in BLOCK and not self.left_out(child):
                flush()
                found += self.block(child, depth + 1, level)
            else:
                run.append(item)
        flush()
        return [block for block in found if block[1] or block[2]]

    def block(self, element: etree._Element, depth: int, level: int) -> list[Chunk]:
        tag = _tag(element)
        line = self.line(element)
        if depth > MAX_DEPTH:
            pieces: list[Line] = []
            shown = self.text(element.text_content(), line, pieces)
            self.out.decide(line, f"HTML nested deeper than {MAX_DEPTH} levels kept as its text")
            return [("myst", [escape_line_start(" ".join(shown.split()))], pieces, 0)] if shown.strip() else []
        if heading := _HEADING.fullmatch(tag):
            styled, pieces = self.checked(self.content(element, depth), line)
            myst = " ".join(styled.replace(BREAK, " ").split())
            if not myst:
                self.out.decide(line, "empty heading left out")
                return []
            return [("heading", [myst], pieces, int(heading.group(1)))]
        if tag == "hr":
            return [("rule", ["---"], [], 0)]
        if tag in ("ul", "ol", "menu"):
            return [self.list_of_items(element, depth, level)]  # kind "list": written like "myst"
        if tag == "blockquote":
            if not fits(level, 1):
                self.out.decide(line, f"quotes nested deeper than {MYST_MAX_NESTING - 1} levels written without '>'")
                return self.blocks(element, depth, level)
            lines, pieces = self.joined(self.blocks(element, depth, level + 1))
            return [("myst", [f"> {text}" if text else ">" for text in lines], pieces, 0)]
        if tag == "pre":
            content = element.text_content().rstrip("\n")
            fence = backticks(content, 3)
            pieces = [Line(line + 1 + index, 0, text) for index, text in enumerate(content.split("\n")) if text.strip()]
            return [("myst", [f"{fence}text", *content.split("\n"), fence], pieces, 0)]
        if tag == "table":
            return [self.table(element, depth)]
        if tag == "dl":
            return self.definitions(element, depth, level)
        if tag == "article":  # a header, footer or aside inside an article is the article's own
            inside, self.in_article = self.in_article, True
            try:
                return self.blocks(element, depth, level)
            finally:
                self.in_article = inside
        return self.blocks(element, depth, level)

    def joined(self, blocks: list[Chunk]) -> tuple[list[str], list[Line]]:
        """Blocks inside a list item or quote as one run of MyST lines: a heading there is bold text."""
        lines: list[str] = []
        pieces: list[Line] = []
        for kind, body, body_pieces, _level in blocks:
            if kind == "heading":
                body = [f"**{body[0]}**"]
            if body:  # a list right after the item's text keeps the list tight
                lines += ([""] if lines and not (kind == "list" and len(lines) == 1) else []) + body
            pieces += body_pieces
        return lines, pieces

    def list_of_items(self, element: etree._Element, depth: int, level: int) -> Chunk:
        ordered = _tag(element) == "ol"
        nested = fits(level, 2)
        if not nested:
            deeper = f"lists nested deeper than {MAX_LIST_DEPTH} levels written as paragraphs"
            self.out.decide(self.line(element), deeper)
        try:
            number = int(element.get("start", "1"))
        except ValueError:
            number = 1
        lines: list[str] = []
        pieces: list[Line] = []
        for item in element:
            if item in self.notes.notes:  # read at its reference
                continue
            body, item_pieces = self.joined(self.blocks(item, depth + 1, level + 2))
            pieces += item_pieces
            if not body:
                continue
            if not nested:
                lines += ([""] if lines else []) + body
                continue
            marker = f"{number}." if ordered else "-"
            number += 1
            pad = " " * (len(marker) + 1)
            lines += [f"{marker} {body[0]}"] + [pad + text if text else "" for text in body[1:]]
        return ("list", lines, pieces, 0)

    def table(self, element: etree._Element, depth: int) -> Chunk:
        rows: list[list[str]] = []
        pieces: list[Line] = []
        for row in element.iter("tr"):
            if next(row.iterancestors("table"), None) is not element:
                continue  # a row of a table inside a cell: read with that cell
            if reason := self.left_out(row):
                self.drop(row, reason)
                continue
            cells = []
            for cell in row:
                if _tag(cell) in ("td", "th") and (reason := self.left_out(cell)):
                    self.drop(cell, reason)
                    cells.append("")
                elif _tag(cell) in ("td", "th"):
                    text, cell_pieces = self.checked(self.content(cell, depth + 1), self.line(cell))
                    pieces += cell_pieces
                    cells.append(" ".join(text.replace(BREAK, " ").split()))
            if cells:
                rows.append(cells)
        caption = element.find("caption")
        lines = table(rows)
        if caption is not None and caption.text_content().strip():
            title, title_pieces = self.checked(self.content(caption, depth + 1), self.line(caption))
            pieces += title_pieces
            title = title.replace(BREAK, " ")
            lines = [escape_line_start(" ".join(title.split())), "", *lines]
        return ("myst", lines, pieces, 0)

    def definitions(self, element: etree._Element, depth: int, level: int) -> list[Chunk]:
        """A definition list: each term in bold, its definitions after it."""
        found: list[Chunk] = []
        for child in element:
            if child in self.notes.notes:  # read at its reference
                continue
            blocks = self.blocks(child, depth + 1, level)
            lines, pieces = self.joined(blocks)
            if not lines:
                continue
            if _tag(child) == "dt":
                lines = [f"**{' '.join(' '.join(lines).split())}**"]
            found.append(("myst", lines, pieces, 0))
        return found


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _parse(html: str, whole: bool) -> etree._Element | None:
    try:
        if whole:
            document = lxml.html.document_fromstring(html, parser=_PARSER)
            body = document.find("body")
            return body if body is not None else document
        return lxml.html.fragment_fromstring(html, create_parent="div", parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _checked(
    html: str, out: Out, first_line: int, whole: bool, outside: Outside | None = None, notes: bool = False
) -> list[Chunk]:
    """The blocks of *html* (with its footnotes after them, if *notes*); as plain text if the parser
    lost words the scanner finds."""
    before = (len(out.dropped), len(out.decisions), out.next_note)
    root = _parse(html, whole)
    chosen = outside(root) if outside is not None and root is not None else None
    tags = StartTags(html, root) if whole and root is not None else None
    found = find_notes(root) if notes and root is not None else None
    reader = _Reader(out, first_line, not whole or chosen is not None, chosen, tags, found)
    blocks: list[Chunk] = []
    if root is not None:
        reader.read_notes()
        blocks = reader.blocks(root, 0, 0) + reader.footnotes()
    read = sum(_words(piece.text) for _kind, _lines, pieces, _level in blocks for piece in pieces) + reader.marks
    read += sum(_words(dropped.text) for dropped in out.dropped[before[0] :])
    expected = _words(scan_text(html))
    if root is not None and read >= expected:
        return blocks
    del out.dropped[before[0] :], out.decisions[before[1] :]
    out.note_labels.difference_update(reader.labels.values())
    out.next_note = before[2]
    shown = " ".join(scan_text(html).split())
    out.decide(first_line, "HTML the parser could not read whole kept as its text")
    return [("myst", [escape_line_start(escape(shown))], [Line(first_line, 0, shown)], 0)] if shown else []


def html_blocks(html: str, out: Out, first_line: int, whole: bool = False, outside: Outside | None = None) -> None:
    """Read *html* (a whole page if *whole*, else a fragment) and append its blocks to *out*:
    headings and rules as blocks of their own, the rest as MyST; its footnotes after it.

    *outside*, for a whole page, is asked which elements of its ``<body>`` lie outside the page's main
    content: those are left out and itemised with its reason, and the page's own header, footer and
    aside are then kept where the main content holds them. Should it answer None, the page is read
    whole, its chrome left out by rule."""
    for kind, lines, pieces, level in _checked(html, out, first_line, whole, outside, notes=True):
        if kind == "heading":
            out.blocks.append(Block("heading", tuple(pieces), level=level + out.heading_offset, myst=lines[0]))
        elif kind == "rule":
            out.blocks.append(Block("rule", (Line(first_line, 0, "---"),)))
        elif kind == "footnote":
            out.blocks.append(Block("footnote", (), myst="\n".join(lines)))
        else:
            out.blocks.append(Block("myst", tuple(pieces), myst="\n".join(lines)))


def html_fragment(html: str, out: Out, line: int) -> tuple[list[str], list[Line]]:
    """An HTML block inside a list item or quote as MyST lines (a heading there is bold text)."""
    return _Reader(out, line, True).joined(_checked(html, out, line, whole=False))


def html_inline(html: str, out: Out, line: int) -> tuple[str, list[Line]]:
    """Inline HTML (a paragraph's content, tags and text) as one line of MyST and its reader words."""
    blocks = _checked(html, out, line, whole=False)
    lines, pieces = _Reader(out, line, True).joined(blocks)
    return "\n".join(text for text in lines if text), pieces  # "\\\n" ends a line with a hard break
