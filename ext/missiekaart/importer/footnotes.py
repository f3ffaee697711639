"""Footnote passes for PDF exports: move page-bottom notes to their markers, then close the page gaps.

A footnote area is a run of lines at the bottom of a page, preceded by a blank line, that
starts with the definition of the next expected note number and whose every definition
``N text`` has a marker ``wordN`` in the text before it. Notes are numbered 1, 2, 3, ... in
order of reference, so a number that is not the next expected one (``Samen14``) is never
taken for a marker. An area ends where body text begins again, so it never swallows the
next page's heading.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from itertools import pairwise

from missiekaart.importer.lines import SENTENCE_END, in_columns, item_marker
from missiekaart.importer.model import Document, Dropped, Footnote, Line, Span
from missiekaart.importer.pages import edge_key

__all__ = ["extract_footnotes", "join_pages", "settle_debris"]

_FOOTNOTE_DEF = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
_PAGE_START = re.compile(r"^ \S")  # pdftotext starts each page's text with one space


# Every possible marker: digits glued to the end of a word, not followed by a word character.
# A marker for note N is such a run of digits that reads str(N) (``overheid2``).
_MARKER = re.compile(r"(?<=[^\W\d_])\d+(?!\w)")
_BLANK = Line(0, 0, "")


class _Markers:
    """Every marker in the flow by its digits, in order, so finding the next marker for a number is a lookup.

    Searching the text before each candidate note area again would make the footnote pass
    quadratic (a page of paragraphs numbered "1" has a candidate on every other line).
    """

    def __init__(self, lines: list[Line | None], debris: dict[Line, str]) -> None:
        self.at: dict[str, list[tuple[int, int, int]]] = {}  # digits -> (index in the flow, start, end), in order
        for index, line in enumerate(lines):
            if line is not None and line not in debris:
                for match in _MARKER.finditer(line.text):
                    self.at.setdefault(match.group(), []).append((index, match.start(), match.end()))

    def remove(self, indexes: range, lines: list[Line | None]) -> None:
        """Forget the markers on the flow lines *indexes* (moved into a footnote area)."""
        for index in indexes:
            line = lines[index]
            if line is None:
                continue
            for digits in {match.group() for match in _MARKER.finditer(line.text)}:
                found = self.at.get(digits, [])
                first = bisect.bisect_left(found, (index, -1, -1))
                last = bisect.bisect_left(found, (index + 1, -1, -1))
                del found[first:last]

    def find(self, number: int, after: tuple[int, int], before: int) -> tuple[int, int, int] | None:
        """The first marker for *number* at or after *after* (index, column), on a line before index *before*."""
        found = self.at.get(str(number), [])
        at = bisect.bisect_left(found, (after[0], after[1], -1))
        if at < len(found) and found[at][0] < before:
            return found[at]
        return None


@dataclass
class _Area:
    """A footnote area found by :func:`_parse_area`."""

    notes: list[tuple[str, int, tuple[int, int], list[Line]]]  # label, marker line index, marker columns, note lines
    moved: list[Line]  # the source lines that became note text
    stop: int  # the index in the flat lines just after the area


def _continues_note(note: list[Line], line: Line, after_blank: bool, body_open: bool) -> bool:
    """Whether *line* goes on with the footnote *note* rather than being body text after it.

    A line that starts in lowercase goes on with an unfinished sentence: the note's, or else
    the body sentence the footnote area interrupted (*body_open*). After a blank line, or
    after a note that ends its sentence, any other line begins body text again.
    """
    if line.text.strip()[:1].islower():
        return not SENTENCE_END.search(note[-1].text) or not body_open
    return not after_blank and not SENTENCE_END.search(note[-1].text)


@dataclass(frozen=True)
class _Flow:
    """What the footnote search reads: every page's lines in order (``None`` at each page break),
    the indexes already moved into footnote areas, and the page-edge debris.

    *body* is the flow as body text: a blank line for each page break, moved line and debris
    line; *markers* are the markers in it. Both are kept up to date as areas are moved.
    """

    lines: list[Line | None]
    removed: set[int]
    debris: dict[Line, str]
    body: list[Line]
    markers: _Markers

    def move(self, indexes: range) -> None:
        """Lines *indexes* went into a footnote area: they are no longer body text."""
        self.markers.remove(indexes, self.lines)
        self.removed.update(indexes)
        for index in indexes:
            self.body[index] = _BLANK


def _parse_area(flow: _Flow, start: int, end: int, expected: int, search_from: tuple[int, int]) -> _Area | None:
    """Parse footnote definitions from line *start* on; ``None`` unless every note has a marker.

    The area takes each next definition ``N text`` and the lines that continue a note, and
    ends at the first line of body text (or at *end*). A page-edge line in it is skipped as
    debris, unless it is the next definition with its marker or it continues a note. Markers
    are looked for in the body text before *start*.
    """
    flat, debris, body = flow.lines, flow.debris, flow.body
    if flow.markers.find(expected, search_from, start) is None:
        # The first note can have no marker, so the area has no note (as the loop below finds, later):
        # a page of 10,000 paragraphs numbered "1" asks this of every other line.
        return None
    last_body = next((body[i] for i in range(start - 1, -1, -1) if not body[i].blank), None)
    body_open = last_body is not None and not SENTENCE_END.search(last_body.text)
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
        is_next = match is not None and int(match.group(1)) == number
        found = flow.markers.find(number, position, start) if is_next else None
        if match and found:
            marker_at, marker_start, marker_end = found
            position = (marker_at, marker_end)
            text_start = match.end()
            area.notes.append(
                (
                    str(number),
                    marker_at,
                    (marker_start, marker_end),
                    [Line(line.no, line.col + text_start, line.text[text_start:])],
                )
            )
            number += 1
        elif is_next and line not in debris:
            return None
        elif (
            area.notes
            and debris.get(line) != "page number"
            and not item_marker(line.text)
            and _continues_note(area.notes[-1][3], line, after_blank, body_open)
        ):
            area.notes[-1][3].append(line)
        elif line in debris:
            continue
        else:
            break
        area.moved.append(line)
        area.stop = index + 1
        after_blank = False
    return area if area.notes else None


def _candidates(flat: list[Line | None]) -> dict[int, list[int]]:
    """Where a footnote area may start, by note number: a definition ``N text`` after a blank line."""
    found: dict[int, list[int]] = {}
    for index in range(1, len(flat)):
        line, previous = flat[index], flat[index - 1]
        match = _FOOTNOTE_DEF.match(line.text) if line else None
        if match and previous is not None and previous.blank:
            found.setdefault(int(match.group(1)), []).append(index)
    return found


def _last_area(
    flow: _Flow, candidates: list[int], start: int, end: int, expected: int, search_from: tuple[int, int]
) -> tuple[int, _Area] | None:
    """The lowest footnote area between *start* and *end* that starts with note *expected*, and where it starts.

    *candidates* are the lines that may start an area with note *expected*, in order.
    """
    for at in range(bisect.bisect_left(candidates, end) - 1, -1, -1):
        candidate = candidates[at]
        if candidate <= start:
            break
        area = _parse_area(flow, candidate, end, expected, search_from)
        if area is not None:
            return candidate, area
    return None


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


def extract_footnotes(doc: Document) -> Document:
    """Move PDF footnotes out of the flow; the flow keeps ``None`` at page breaks.

    Page-edge debris is still in the pages: a footnote line must never be dropped as
    debris, so debris is settled afterwards (:func:`settle_debris`).
    """
    flat: list[Line | None] = []
    for index, page in enumerate(doc.pages):
        if index:
            flat.append(None)
        flat.extend(page)
    debris = dict(doc.debris)
    area_ends = [
        i for i, line in enumerate(flat) if line is None or (line not in debris and _PAGE_START.match(line.text))
    ]
    if not area_ends:  # no page break at all: nothing proves a line is a page-bottom footnote
        return replace(doc, flow=tuple(flat))
    area_ends.append(len(flat))

    footnotes: list[Footnote] = []
    markup: list[Span] = []
    moved: list[Line] = []
    removed: set[int] = set()
    expected = 1
    search_from = (0, 0)  # (index in flat, column) where the next marker search begins
    segment_start = 0
    body = [line if line is not None and line not in debris else _BLANK for line in flat]
    flow = _Flow(flat, removed, debris, body, _Markers(flat, debris))
    candidates = _candidates(flat)
    for end in area_ends:
        start, segment_start = segment_start, end + 1
        while area := _last_area(flow, candidates.get(expected, []), start, end, expected, search_from):
            first, found = area
            for label, marker_at, (marker_start, marker_end), lines in found.notes:
                marker_line = flat[marker_at]
                assert marker_line is not None
                span = Span(
                    marker_line.no,
                    marker_line.col + marker_start,
                    marker_line.col + marker_end,
                    "footnote-ref",
                    label,
                )
                markup.append(span)
                footnotes.append(Footnote(label, span, tuple(lines)))
                search_from = (marker_at, marker_end)
            flow.move(range(first, found.stop))
            moved += found.moved
            expected += len(found.notes)
            start = found.stop  # a page break lost in copying: another page's notes may follow
    return replace(
        doc,
        flow=tuple(_splice(flat, removed)),
        footnotes=doc.footnotes + tuple(footnotes),
        markup=doc.markup + tuple(markup),
        moved=doc.moved + tuple(moved),
    )


def settle_debris(doc: Document) -> Document:
    """Drop the page-edge debris that is not footnote text, and record it as dropped.

    A footnote definition (a number with its marker) is never debris. A line a footnote ran
    into stays note text, unless the same text (digits aside) also stands as debris outside
    every note: then it is the running footer under the note.
    """
    in_notes = set(doc.moved)
    loose = {edge_key(line) for line in doc.debris if line not in in_notes}
    strays = {
        line for note in doc.footnotes for line in note.lines[1:] if line in doc.debris and edge_key(line) in loose
    }
    footnotes = tuple(
        replace(note, lines=tuple(line for line in note.lines if line not in strays)) for note in doc.footnotes
    )
    in_notes -= strays
    gone = {line: reason for line, reason in doc.debris.items() if line not in in_notes}
    dropped = tuple(
        Dropped(line.no, line.text.strip(), reason, line.col, line.col + len(line.text))
        for line, reason in gone.items()
    )
    return replace(
        doc,
        footnotes=footnotes,
        moved=tuple(line for line in doc.moved if line not in strays),
        dropped=doc.dropped + dropped,
        flow=tuple(line for line in doc.flow if line is None or line not in gone),
    )


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


#: Wrapped lines narrower than this show no measure (an address block, a short list of names).
MIN_MEASURE = 40


def _measure(flow: tuple[Line | None, ...]) -> int | None:
    """The width of the text's wrapped lines: the widest line that a line of text at its indent (no
    list item) follows on the same page, if it is :data:`MIN_MEASURE` characters or more."""
    widths = [
        len(line.text.rstrip())
        for line, after in pairwise(flow)
        if line
        and after
        and not line.blank
        and not after.blank
        and not item_marker(after.text)
        and not in_columns(line.text)
        and _indent(line.text) == _indent(after.text)
    ]
    measure = max(widths, default=0)
    return measure if measure >= MIN_MEASURE else None


def _wrapped(previous: Line, line: Line, measure: int | None) -> bool:
    """Whether *previous* was wrapped before *line*'s first word: that word would not have fit on
    it, the text's wrapped lines being *measure* characters wide (a heading or a paragraph's last
    line ends where it does by choice, and is shorter)."""
    words = line.text.split()
    if measure is None or not words or in_columns(previous.text):  # a table's row is no line of prose
        return False
    return len(previous.text.rstrip()) + 1 + len(words[0]) > measure


def join_pages(doc: Document) -> Document:
    """Resolve page breaks: a sentence cut by a break is joined, otherwise a paragraph ends.

    A sentence goes on after a break when the line before it does not end one and the line after
    it starts in lower case, or, in a list item, stands past the item's marker (as the item's
    wrapped lines do: "ruimte en" / "    Kernwaarden"), or, in a paragraph, the line before it was
    wrapped: the first word after the break would not have fit on it ("... toegankelijk, het" /
    "Oost-Vlaanderen ..."). In the flow that comes out, ``None`` is a blank line (a block break).
    """
    measure = _measure(doc.flow)
    out: list[Line | None] = []
    breaks: list[int] = []  # the indexes of the Nones in out
    item: tuple[int, int] = (-1, 0)  # the index in out of the last list item's first line, and its marker's indent
    pending_break = False
    for line in doc.flow:
        if line is None:
            pending_break = True
            continue
        if line.blank:
            breaks.append(len(out))
            out.append(None)
            continue
        page_start = pending_break or (_PAGE_START.match(line.text) and not item_marker(line.text))
        if page_start and out:
            while out and out[-1] is None:
                out.pop()
                breaks.pop()
            previous = out[-1] if out else None
            in_item = item[0] > (breaks[-1] if breaks else -1)  # the line before the break is in that item
            continues = (
                previous is not None
                and not SENTENCE_END.search(previous.text)
                and (
                    line.text.strip()[:1].islower()
                    or (in_item and not item_marker(line.text) and _indent(line.text) > item[1])
                    or (not in_item and not item_marker(line.text) and _wrapped(previous, line, measure))
                )
            )
            if not continues:
                breaks.append(len(out))
                out.append(None)
        pending_break = False
        if marker := item_marker(line.text):
            item = (len(out), marker.indent)
        out.append(line)
    return replace(doc, flow=tuple(out))
