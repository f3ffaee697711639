"""A Word file's blocks, from mammoth's HTML, until the HTML path reads it.

This is the one pass of the ``DOCX`` chain that knows the format: when ``importer/html.py``
lands, the chain's ``("docx-blocks", docx_blocks)`` becomes the HTML path's pass over
``doc.source.html`` and this module goes. What it maps (see :func:`missiekaart.importer.formats.docx_paragraphs`
for how the HTML is read):

- ``<h1>``-``<h6>`` (Word's Heading 1-6) and ``<h1 class="title">`` (Word's Title): headings, the
  Title above Heading 1 (a Heading 1 is a section of the document's title);
- ``<p>``: paragraphs; ``<ul>``/``<ol>`` with ``<li>``, nested: list items at their depth,
  numbered lists from 1;
- ``<strong>``/``<em>``: ``**bold**`` and ``*italic*``, checked by reading them back with MyST's
  parser (a paragraph where MyST would misread a mark keeps its text without them, and says so);
- ``<a href>``: a link for ``http(s)://`` and ``mailto:`` targets, its text only otherwise;
- ``<table>``: a MyST table, its first row the header; a cell's paragraphs join in the cell;
- footnotes and endnotes (``<sup><a href="#footnote-N">``): MyST footnotes at their references;
- ``<img alt>``: its alt text, as the Markdown path does.

Every source line is one paragraph of the file, so a report's ``file:N`` is "paragraph N".
"""

from __future__ import annotations

import re
from dataclasses import replace

from missiekaart.importer.formats import Paragraph, Run, docx_paragraphs
from missiekaart.importer.inline import escape, escape_line_start, read_back
from missiekaart.importer.model import Block, Decision, Document, Footnote, Line, Span

__all__ = ["docx_blocks"]

_KEPT_LINK = re.compile(r"(?:https?://|mailto:)\S+", re.I)


def _marked(text: str, mark: str) -> str:
    """*text* between *mark*s, its whitespace at either end outside them."""
    inner = text.strip()
    if not inner or not mark:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{mark}{inner}{mark}{trail}"


def _inline(paragraph: Paragraph, labels: dict[str, str], decisions: list[Decision]) -> str:
    """The paragraph's MyST inline text: its emphasis and links kept where MyST reads them back as meant."""
    pieces: list[tuple[Run, str]] = []  # each run and its escaped text
    for run in paragraph.runs:
        pieces.append((run, escape(run.text)))

    def write(styled: bool, links: bool) -> str:
        out: list[str] = []
        index = 0
        while index < len(pieces):
            run = pieces[index][0]
            if run.ref:
                label = labels.get(run.ref)
                if links and label:
                    out.append(f"[^{label}]")
                index += 1
                continue
            end = index
            while end < len(pieces) and not pieces[end][0].ref and pieces[end][0].href == run.href:
                end += 1
            group = pieces[index:end]
            text = "".join(
                _marked(escaped, ("*" if piece.em else "") + ("**" if piece.strong else "") if styled else "")
                for piece, escaped in group
            )
            href = run.href
            if links and href and _KEPT_LINK.fullmatch(href) and text.strip():
                lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
                text = f"{lead}[{text.strip()}](<{href}>){trail}"
            out.append(text)
            index = end
        return escape_line_start("".join(out).strip())

    expected = [(char, run.em, run.strong) for run in paragraph.runs if not run.ref for char in run.text]
    styled = any(run.em or run.strong for run in paragraph.runs if run.text.strip())
    if styled:
        shown = read_back(write(True, False))
        # MyST shows the text itself; whitespace at the ends of a mark is written outside it.
        if shown is None or [(c, e, s) for c, e, s in shown if c.strip()] != [
            (c, e, s) for c, e, s in expected if c.strip()
        ]:
            decisions.append(
                Decision(paragraph.no, "bold or italic written as plain text here: MyST would read its marks otherwise")
            )
            styled = False
    for href in dict.fromkeys(paragraph.links):
        if not _KEPT_LINK.fullmatch(href):
            decisions.append(Decision(paragraph.no, f"link to {href!r} kept as its text only"))
    for alt in paragraph.images:
        decisions.append(
            Decision(paragraph.no, f"image kept as its alt text {alt!r}" if alt else "image without alt text left out")
        )
    return write(styled, True)


def _table(cells: list[Paragraph], labels: dict[str, str], decisions: list[Decision]) -> Block:
    """A table's cells (in order) as one MyST table block, its first row the header."""
    grid: dict[tuple[int, int], list[str]] = {}
    for cell in cells:
        grid.setdefault((cell.row, cell.column), []).append(_inline(cell, labels, decisions))
    rows = sorted({row for row, _ in grid})
    columns = max(column for _, column in grid)
    lines = []
    for index, row in enumerate(rows):
        texts = [" ".join(grid.get((row, column), [])).replace("\n", " ") for column in range(1, columns + 1)]
        lines.append("| " + " | ".join(texts) + " |")
        if not index:
            lines.append("|" + "---|" * columns)
    return Block("myst", tuple(Line(cell.no, 0, cell.text) for cell in cells), myst="\n".join(lines))


def _labels(paragraphs: list[Paragraph]) -> dict[str, str]:
    """Each referenced note's label, in order of reference: footnotes 1, 2, ...; endnotes e1, e2, ..."""
    notes = {paragraph.note for paragraph in paragraphs if paragraph.kind == "note"}
    labels: dict[str, str] = {}
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if run.ref in notes and run.ref not in labels:
                prefix = "e" if run.ref.startswith("endnote") else ""
                labels[run.ref] = f"{prefix}{sum(1 for key in labels if key.startswith(run.ref[:3])) + 1}"
    return labels


def docx_blocks(doc: Document) -> Document:
    """The Word file's paragraphs as blocks, its notes as footnotes at their references."""
    paragraphs = docx_paragraphs(doc.source.html)
    labels = _labels(paragraphs)
    blocks: list[Block] = []
    markup: list[Span] = []
    decisions: list[Decision] = []
    markers: dict[str, Span] = {}
    table: list[Paragraph] = []
    for paragraph in [*paragraphs, Paragraph("end")]:
        if table and (paragraph.kind != "cell" or paragraph.table != table[0].table):
            blocks.append(_table(table, labels, decisions))
            table = []
        if paragraph.kind in ("end", "note"):
            continue
        offset = 0
        for run in paragraph.runs:
            if run.ref and run.ref in labels and run.ref not in markers:
                markers[run.ref] = Span(paragraph.no, offset, offset, "footnote-ref", labels[run.ref])
                markup.append(markers[run.ref])
            offset += len(run.text)
        if paragraph.kind == "cell":
            table.append(paragraph)
            continue
        line = (Line(paragraph.no, 0, paragraph.text),)
        myst = _inline(paragraph, labels, decisions)
        if paragraph.kind == "heading":
            blocks.append(Block("heading", line, level=paragraph.level, myst=myst))
        elif paragraph.kind == "item":
            blocks.append(
                Block(
                    "item", line, ordered=paragraph.ordered, number=paragraph.number, depth=paragraph.depth, myst=myst
                )
            )
        else:
            blocks.append(Block("paragraph", line, myst=myst))
    notes: dict[str, list[Line]] = {}
    for paragraph in paragraphs:
        if paragraph.kind == "note":
            notes.setdefault(paragraph.note, []).append(Line(paragraph.no, 0, paragraph.text))
    footnotes = []
    moved: list[Line] = []
    for note, lines in notes.items():
        if note in markers:
            footnotes.append(Footnote(labels[note], markers[note], tuple(lines)))
            moved += lines
        else:  # a note no paragraph refers to: its text stays, after the text
            blocks += [Block("paragraph", (line,), myst=escape_line_start(escape(line.text))) for line in lines]
            decisions.append(Decision(lines[0].no, f"note {note} has no reference in the text: kept as a paragraph"))
    return replace(
        doc,
        blocks=doc.blocks + tuple(blocks),
        footnotes=doc.footnotes + tuple(footnotes),
        markup=doc.markup + tuple(markup),
        moved=doc.moved + tuple(moved),
        decisions=doc.decisions + tuple(decisions),
    )
