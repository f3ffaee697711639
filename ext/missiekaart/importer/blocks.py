"""Block passes for plain text: headings, list items (nested) and paragraphs, then heading levels.

Unsure cases become paragraphs: a short line is a heading only when nothing says otherwise
(it ends in ":", it is quoted, it leads into a list whose items continue its sentence, or it
is the text's last line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from missiekaart.importer.lines import BULLETS, SENTENCE_END, Marker, item_marker, title_like
from missiekaart.importer.model import Block, Decision, Document, Dropped, Line, Span
from missiekaart.importer.nesting import MAX_LIST_DEPTH

__all__ = [
    "assign_levels",
    "drop_misplaced_rules",
    "drop_repeated_title",
    "make_blocks",
    "plain_text",
    "same_title",
    "with_markers",
]

MAX_HEADING_WORDS = 10
MAX_PLAIN_HEADING_WORDS = 8
_NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(\S.*)$")
_RULE = re.compile(r"^\s*([*_-])(?:\s*\1){2,}\s*$")
_LINE_END_HYPHEN = re.compile(r"[^\W\d_]-\s*$")


def note_markers(markup: tuple[Span, ...]) -> dict[int, list[Span]]:
    """The footnote markers of *markup* by source line, each line's in order: looked up, not searched, per line."""
    by_line: dict[int, list[Span]] = {}
    for span in markup:
        if span.kind == "footnote-ref":
            by_line.setdefault(span.line, []).append(span)
    for spans in by_line.values():
        spans.sort(key=lambda span: span.start)
    return by_line


def with_markers(line: Line, markup: tuple[Span, ...] | dict[int, list[Span]], sentinels: bool = True) -> str:
    """The line's text with footnote markers replaced by sentinels (or removed, to classify it).

    *markup* is the document's markup, or its markers by line (:func:`note_markers`), which a
    caller that asks for many lines makes once.
    """
    spans = (markup if isinstance(markup, dict) else note_markers(markup)).get(line.no, [])
    text = line.text
    pieces: list[str] = []
    done = 0  # the text up to here is in pieces
    for span in spans:
        start, end = span.start - line.col, span.end - line.col
        if start >= 0 and end <= len(text):  # the marker is in this piece of its source line
            pieces += [text[done:start], f"\x00{span.label}\x00" if sentinels else ""]
            done = end
    return "".join([*pieces, text[done:]]) if pieces else text


def md_heading(text: str) -> tuple[int, int, str] | None:
    """A Markdown ATX heading line (``## Sectie ##``): its level, where its text starts, and its text.

    A scan of the line, as the regular expression ``^(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$`` reads it:
    that expression tries every split of a long run of spaces in the line between its lazy text
    and the optional closing hashes (a line of a few thousand spaces took seconds).
    """
    hashes = len(text) - len(text.lstrip("#"))
    if not 1 <= hashes <= 6 or hashes == len(text) or not text[hashes].isspace():
        return None
    start = len(text) - len(text[hashes:].lstrip())
    end = len(text.rstrip())  # the text, without the whitespace at the end of the line
    closing = end - len(text[:end].rstrip("#"))
    if closing and start < end - closing and text[end - closing - 1].isspace():  # " ##" closes the heading
        end = len(text[: end - closing].rstrip())
    return (hashes, start, text[start:end]) if start < end else None


def _groups(flow: tuple[Line | None, ...]) -> list[list[Line]]:
    groups: list[list[Line]] = [[]]
    for line in flow:
        if line is None:
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(line)
    return [group for group in groups if group]


# Bullets that are glyphs of their own: two of them at one indent are one list's, unless the first
# comes back after the second (Word's "o" is always its second level; numbers and letters nest).
_GLYPHS = frozenset(BULLETS)


@dataclass
class _Lists:
    """The open lists while blocks are made: each level's marker indent and kind, innermost last."""

    stack: list[tuple[int, str]] = field(default_factory=list)

    def depth(
        self, marker: Marker, after_break: bool = False, last: dict[tuple[int, str], int] | None = None, index: int = 0
    ) -> int:
        """The nesting depth of an item with *marker*: deeper by indent, or by another marker at one indent.

        Another marker at the indent of the open list nests a list under its last item only when
        it comes right after an item (not after a blank line: that is a new list), and, for two
        bullet glyphs, when the list's glyph comes back after it (*last*: the last line of each
        indent and kind of marker; the glyph comes back if its last line is after *index*): "•",
        "–", "–", "•": the dashes are a sublist; "–", "•" are one list, whose glyphs a PDF's fonts
        made differ.
        """
        if self.stack and self.stack[-1] == (marker.indent, marker.kind):
            return len(self.stack) - 1  # the next item of the open list: a long list's every item
        while self.stack and marker.indent < self.stack[-1][0]:
            self.stack.pop()
        if self.stack and marker.indent == self.stack[-1][0] and marker.kind != self.stack[-1][1]:
            # The indents on the stack only grow: the lists opened at this indent are at its top.
            kinds = []
            for indent, kind in reversed(self.stack):
                if indent != marker.indent:
                    break
                kinds.append(kind)
            if marker.kind in kinds:  # back out to the list this marker opened
                while self.stack[-1][1] != marker.kind:
                    self.stack.pop()
            elif after_break:  # a new list, at the first level of this indent
                del self.stack[len(self.stack) - len(kinds) :]
                self.stack.append((marker.indent, marker.kind))
            elif (
                marker.kind in _GLYPHS
                and self.stack[-1][1] in _GLYPHS
                and not (last is None or last.get((marker.indent, self.stack[-1][1]), -1) > index)
            ):
                self.stack[-1] = (marker.indent, marker.kind)  # the same list, another glyph
            else:
                self.stack.append((marker.indent, marker.kind))
        elif not self.stack or marker.indent > self.stack[-1][0]:
            self.stack.append((marker.indent, marker.kind))
        return len(self.stack) - 1


def _continues_item(item: list[Line], marker: Marker, line: Line) -> bool:
    """Whether *line* (no marker of its own) goes on with the list item *item*.

    It does when it is indented past the item's marker, or when it continues the item's
    unfinished sentence (the item's last line ends in a joining hyphen, or ends without
    punctuation and *line* starts in lowercase). Anything else is a paragraph after the list.
    """
    indent = len(line.text) - len(line.text.lstrip())
    last = item[-1].text
    if indent > marker.indent or _LINE_END_HYPHEN.search(last):
        return True
    return not SENTENCE_END.search(last) and line.text.strip()[:1].islower()


def _wraps_into(paragraph: list[Line], marker: Marker, numbered: set[tuple[int, int]]) -> bool:
    """Whether a line that starts with a number ("12. Daarna ...") is a wrapped line of *paragraph*:
    the paragraph's sentence goes on (its last line ends without punctuation), and the number
    neither starts a list (1) nor follows an item before it."""
    return (
        bool(paragraph)
        and marker.ordered
        and marker.number > 1
        and (marker.indent, marker.number - 1) not in numbered
        and not SENTENCE_END.search(paragraph[-1].text)
    )


def _lost_glyphs(lines: list[Line], markers: list[Marker | None]) -> int:
    """How many lines at the start of a group are list items whose bullet glyph a PDF's text lost.

    They are the lines before the group's first item, when each stands exactly where that
    item's text does (past its bullet): a glyph the extraction could not map is missing, the
    text keeps its place. A line at the margin (a lead-in, "Wij bieden:") is never one.
    """
    first = next((index for index, marker in enumerate(markers) if marker), 0)
    marker = markers[first]
    if not first or marker is None or marker.kind not in _GLYPHS or marker.end < marker.indent + 2:
        return 0
    for line in lines[:first]:
        if len(line.text) - len(line.text.lstrip()) != marker.end:
            return 0
    return first


def _item_text(line: Line, marker: Marker) -> Line:
    """The first line of a list item without its marker."""
    return Line(line.no, line.col + marker.end, line.text[marker.end :])


def _marker_span(line: Line, marker: Marker) -> list[Span]:
    """The marker of the item on *line* as markup, if it is not part of the item's text (a letter is)."""
    if marker.end <= marker.indent:
        return []
    kind = "enumerator" if marker.number else "bullet"
    return [Span(line.no, line.col + marker.indent, line.col + marker.end, kind)]


def _item_block(lines: list[Line], marker: Marker, depth: int) -> Block:
    number = marker.number  # (positional: a list of 40,000 items makes as many blocks)
    return Block("item", tuple(lines), 0, number > 0, number, marker.delimiter or ".", depth)


def _body_blocks(lines: list[Line], lists: _Lists, decisions: list[Decision]) -> tuple[list[Block], list[Span]]:
    """Paragraphs and list items: a marker starts an item, and a line continues it only by :func:`_continues_item`."""
    if len(lines) == 1:  # a paragraph or an item of one line, between blank lines (10,000 of them)
        line, marker = lines[0], item_marker(lines[0].text, False)
        if marker is None:
            lists.stack.clear()
            return [Block("paragraph", (line,))], []
        depth = lists.depth(marker, True, {(marker.indent, marker.kind): 0}, 0)  # after a blank line
        return [_item_block([_item_text(line, marker)], marker, depth)], _marker_span(line, marker)
    blocks: list[Block] = []
    spans: list[Span] = []
    markers = [item_marker(line.text, True) for line in lines]
    if sum(1 for marker in markers if marker) <= 1:  # no list here: a line that starts with "o " is text
        markers = [None if marker is not None and marker.kind == "o" else marker for marker in markers]
    if lost := _lost_glyphs(lines, markers):
        found = markers[lost]
        assert found is not None
        markers[:lost] = [Marker(found.indent, found.end, found.kind)] * lost
        where = f"line {lines[0].no}" if lost == 1 else f"lines {lines[0].no}-{lines[lost - 1].no}"
        decisions.append(
            Decision(lines[0].no, f"list items whose bullet was lost (indented as the items after them): {where}")
        )
    last = {(marker.indent, marker.kind): index for index, marker in enumerate(markers) if marker}
    paragraph: list[Line] = []
    item: tuple[list[Line], Marker, int] | None = None

    def flush() -> None:
        nonlocal item, paragraph
        if item is not None:
            blocks.append(_item_block(*item))
        if paragraph:
            blocks.append(Block("paragraph", tuple(paragraph)))
            lists.stack.clear()
        item, paragraph = None, []

    numbered: set[tuple[int, int]] = set()  # the numbered items so far: (indent, number)
    for index, (line, marker) in enumerate(zip(lines, markers, strict=True)):
        if marker and marker.number:  # ordered
            numbered.add((marker.indent, marker.number))
            if _wraps_into(paragraph, marker, numbered):
                paragraph.append(line)
                continue
        if marker:
            after_break = item is None and not paragraph  # the group's first line: after a blank line
            if paragraph:
                flush()
            elif item is not None:  # an item after an item: the common case of a long list, made here
                blocks.append(_item_block(*item))
            if index >= lost:
                spans += _marker_span(line, marker)
            item = ([_item_text(line, marker)], marker, lists.depth(marker, after_break, last, index))
        elif item is not None and _continues_item(item[0], item[1], line):
            item[0].append(line)
        else:
            if item is not None:
                flush()
            paragraph.append(line)
    flush()
    return blocks, spans


def _md_heading(line: Line) -> tuple[Block, Span] | None:
    """A Markdown ATX heading line (``## Sectie``) as a heading block; its ``#`` marks become markup."""
    md = md_heading(line.text)
    if md is None:
        return None
    hashes, content_start, content = md
    heading = Block("heading", (Line(line.no, line.col + content_start, content),), level=hashes)
    return heading, Span(line.no, line.col, line.col + hashes, "heading-mark")


def _leads_into_list(groups: list[list[Line]], index: int) -> bool:
    """Whether the group after *index* opens with a list item that continues a sentence (lowercase)."""
    if index + 1 >= len(groups):
        return False
    first = groups[index + 1][0].text
    marker = item_marker(first, True)
    return marker is not None and first[marker.end :].strip()[:1].islower()


def _item_at(group: list[Line], indent: int) -> Marker | None:
    """The marker of the last item of *group* at *indent*, if the group ends in a list at that
    indent (its items' wrapped lines and deeper items after it)."""
    for line in reversed(group):
        marker = item_marker(line.text)
        at = marker.indent if marker else len(line.text) - len(line.text.lstrip())
        if at < indent:
            return None
        if marker is not None and marker.indent == indent:
            return marker
    return None


def _last_item(group: list[Line]) -> Marker | None:
    """The marker of *group*'s last item, if the group ends in a list (that item's wrapped lines after it)."""
    for line in reversed(group):
        marker = item_marker(line.text)
        if marker is not None:
            return marker
        if not line.text[:1].isspace():  # a line at the margin: a paragraph
            return None
    return None


def _continues_enumeration(groups: list[list[Line]], index: int, number: int) -> bool:
    """Whether the one-line group at *index* ("3. ...") is an item of a numbered list a page break
    cut: the line before it is item *number* - 1, the line after it item *number* + 1, the list
    before it ends in item *number* - 1 at its indent (with that item's sublist after it), it is
    item 1 indented past the last item of the list before it (its sublist's first item), or,
    when it is indented as list items are, the line after it is an item below it ("  1. Thuis" /
    "      – in de buurt")."""
    for at, wanted, edge in ((index - 1, number - 1, -1), (index + 1, number + 1, 0)):
        marker = item_marker(groups[at][edge].text) if 0 <= at < len(groups) else None
        if marker is not None and marker.ordered and marker.number == wanted:
            return True
    own = item_marker(groups[index][0].text)
    before = _item_at(groups[index - 1], own.indent) if own is not None and index else None
    if before is not None and before.ordered and before.number == number - 1:
        return True
    last = _last_item(groups[index - 1]) if own is not None and index else None
    if number == 1 and own is not None and last is not None and last.indent < own.indent:
        return True
    after = item_marker(groups[index + 1][0].text) if index + 1 < len(groups) else None
    return own is not None and after is not None and 2 <= own.indent < after.indent


def _heading(groups: list[list[Line]], index: int, markup: dict[int, list[Span]]) -> Block | None:
    """The group at *index* as a heading, if it is one line that reads as a heading and nothing says otherwise."""
    group = groups[index]
    first = group[0]
    if len(group) > 1 or index == len(groups) - 1:
        return None
    visible = with_markers(first, markup, sentinels=False)
    numbered = _NUMBERED_HEADING.match(visible)
    if numbered:
        if not title_like(numbered.group(3), MAX_HEADING_WORDS):  # a numbered sentence: no heading, whatever else
            return None
        neighbours = [groups[i] for i in (index - 1, index + 1) if 0 <= i < len(groups)]
        enumerated = any(len(g) == 1 and (m := item_marker(g[0].text)) and m.ordered for g in neighbours)
        if numbered.group(2) and "." not in numbered.group(1):  # "3. ..." may be an item of a numbered list
            enumerated = enumerated or _continues_enumeration(groups, index, int(numbered.group(1)))
        if not (numbered.group(2) and enumerated):
            return Block("heading", (first,), level=numbered.group(1).count(".") + 1, numbered_heading=True)
        return None
    if (
        not item_marker(first.text)
        and title_like(visible, MAX_PLAIN_HEADING_WORDS)
        and not _leads_into_list(groups, index)
    ):
        return Block("heading", (first,))
    return None


def make_blocks(doc: Document) -> Document:
    """Group the flow at blank lines and make each group a heading, a rule, or paragraphs and list items."""
    groups = _groups(doc.flow)
    blocks: list[Block] = []
    spans: list[Span] = []
    lists = _Lists()
    markers = note_markers(doc.markup)
    found: list[Decision] = []
    for index, group in enumerate(groups):
        parts = _split_at_md_headings(group)
        for part in parts:
            md = _md_heading(part[0]) if len(part) == 1 else None
            single = len(parts) == 1 and len(group) == 1
            heading = md[0] if md else _heading(groups, index, markers) if single else None
            if md:
                spans.append(md[1])
            if heading or (single and _RULE.match(part[0].text)):
                blocks.append(heading or Block("rule", tuple(part)))
                lists.stack.clear()
                continue
            body, marks = _body_blocks(part, lists, found)
            blocks += body
            spans += marks
    decisions = found + _cap_list_depth(blocks)
    return replace(
        doc, blocks=tuple(blocks), markup=doc.markup + tuple(spans), decisions=doc.decisions + tuple(decisions)
    )


def _cap_list_depth(blocks: list[Block]) -> list[Decision]:
    """Place list items deeper than MyST reads (:data:`MAX_LIST_DEPTH` levels) at the deepest level it reads.

    An item is written one level below the item before it at most (see ``render._list_lines``),
    so that is its depth here too. Each run of items moved up is one decision, at its first line.
    """
    decisions: list[Decision] = []
    depth = -1  # the depth of the item before, as written; -1 before a list
    moved: list[Block] = []
    for index, block in enumerate([*blocks, Block("end", ())]):
        if block.kind == "item":
            depth = min(block.depth, depth + 1)
            if depth >= MAX_LIST_DEPTH:
                depth = MAX_LIST_DEPTH - 1
                blocks[index] = block._replace(depth=depth)
                moved.append(block)
                continue
        else:
            depth = -1
        if moved:
            lines = f"line {moved[0].line}" if len(moved) == 1 else f"lines {moved[0].line}-{moved[-1].line}"
            decisions.append(
                Decision(
                    moved[0].line,
                    f"list items nested deeper than {MAX_LIST_DEPTH} levels placed at level {MAX_LIST_DEPTH} "
                    f"(MyST reads no deeper): {lines}",
                )
            )
            moved = []
    return decisions


def _split_at_md_headings(group: list[Line]) -> list[list[Line]]:
    """Cut a group around its Markdown heading lines: an ATX heading needs no blank line around it."""
    parts: list[list[Line]] = [[]]
    for line in group:
        if md_heading(line.text):
            parts += [[line], []]
        else:
            parts[-1].append(line)
    return [part for part in parts if part]


def _dropped(block: Block, reason: str) -> tuple[Dropped, ...]:
    return tuple(
        Dropped(line.no, line.text.strip(), reason, line.col, line.col + len(line.text)) for line in block.lines
    )


def drop_misplaced_rules(doc: Document) -> Document:
    """A thematic break is only valid between two body elements (docutils forbids others; MyST
    puts the footnotes after a transition of its own): drop the others."""
    kept: list[Block] = []
    dropped: list[Dropped] = []
    for index, block in enumerate(doc.blocks):
        after = doc.blocks[index + 1].kind if index + 1 < len(doc.blocks) else None
        if block.kind == "rule" and (
            not kept or kept[-1].kind in ("heading", "rule") or after in (None, "heading", "rule", "footnote")
        ):
            dropped += _dropped(block, "thematic break where none may stand")
        else:
            kept.append(block)
    return replace(doc, blocks=tuple(kept), dropped=doc.dropped + tuple(dropped))


def plain_text(text: str) -> str:
    """Text as compared for repeats: footnote sentinels out, case and whitespace folded."""
    return " ".join(re.sub("\x00[^\x00]*\x00", "", text).split()).casefold()


def same_title(block: Block, title: str) -> bool:
    return plain_text(" ".join(line.text for line in block.lines)) == plain_text(title)


def drop_repeated_title(doc: Document) -> Document:
    """A heading before any body text that repeats the page title (or the heading just before it) is left out."""
    lead = next((index for index, block in enumerate(doc.blocks) if block.kind != "heading"), len(doc.blocks))
    kept: list[Block] = []
    dropped: list[Dropped] = []
    for block in doc.blocks[:lead]:
        above = " ".join(line.text for line in kept[-1].lines) if kept else doc.title
        if same_title(block, above) or same_title(block, doc.title):
            dropped += _dropped(block, "repeated title")
        else:
            kept.append(block)
    rest = doc.blocks[lead:]
    # A static-site page often repeats its front-matter title as the body's first line, in plain text.
    one_line = bool(rest) and rest[0].kind in ("paragraph", "myst") and "\n" not in rest[0].myst.strip()
    if one_line and kept and same_title(rest[0], " ".join(line.text for line in kept[-1].lines)):
        dropped += _dropped(rest[0], "repeated title")
        rest = rest[1:]
    return replace(doc, blocks=tuple(kept) + rest, dropped=doc.dropped + tuple(dropped))


def _under(open_levels: list[tuple[int, int]], level: int, fallback: int) -> int:
    """The page level for a heading of source *level*: a sibling's (an open heading of that level),
    else one below the heading it is under, else *fallback*. Closes the headings it is not under."""
    sibling = None
    while open_levels and open_levels[-1][0] >= level:
        closed = open_levels.pop()
        if closed[0] == level:
            sibling = closed[1]
    if sibling is not None:
        return sibling
    return open_levels[-1][1] + 1 if open_levels else fallback


def assign_levels(doc: Document) -> Document:
    """Give headings page levels: level 1 is the organisation's name, the source's title is 2 (a title
    that repeats the name was dropped: its sections are 2).

    Numbered headings take their depth (``3.1`` is below ``3``), Markdown headings their
    ``#`` count, other headings go below the last numbered one; no level is ever skipped. A
    heading is one level below the open heading it belongs under, and at the level of an open
    sibling (``0.1`` and ``0.2`` are siblings however deep the first had to be placed).
    """
    blocks = list(doc.blocks)
    # The source's title is its first heading, unless that repeated the organisation's name and was
    # dropped (drop_repeated_title): then the name was the title, and the headings after it are sections.
    first = blocks[0].line if blocks else 0
    named = any(
        piece.reason == "repeated title" and piece.line < first and plain_text(piece.text) == plain_text(doc.title)
        for piece in doc.dropped
    )
    has_title = bool(blocks) and blocks[0].kind == "heading" and not blocks[0].numbered_heading and not named
    base = 2 if has_title else 1  # "1" is a section of the title, or the first level below the page title
    previous = 1
    last_numbered: int | None = None
    open_levels: list[tuple[int, int]] = []  # (source level, page level) of the structured headings open
    open_numbers: list[tuple[int, int]] = []  # the same, of the numbered headings
    seen = 0
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        if seen == 0 and has_title:
            wanted = 2
            if block.level:
                open_levels.append((block.level, 2))
        elif block.numbered_heading:
            wanted = _under(open_numbers, block.level, base + block.level)
        elif block.level:  # Markdown or HTML heading: '#' is the title, '##' a section; below the open one
            wanted = _under(open_levels, block.level, 1 + block.level)
        else:
            wanted = (last_numbered + 1) if last_numbered else base + 1
        previous = max(2, min(wanted, previous + 1, 6))
        blocks[index] = block._replace(level=previous)
        if block.numbered_heading:
            open_numbers.append((block.level, previous))
            last_numbered = previous
        elif block.level and not (seen == 0 and has_title):
            open_levels.append((block.level, previous))
        seen += 1
    return replace(doc, blocks=tuple(blocks))
