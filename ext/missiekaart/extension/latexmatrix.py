"""The comparison matrix in LaTeX: a table that fits the page at any number of organisations.

:mod:`missiekaart.views.matrix` builds one docutils table for every builder; the LaTeX writer hands it
here (:func:`visit_matrix`) instead of to Sphinx's table code, which sizes columns by their text
and so hyphenates names and overflows the page with six or more organisations. Here:

- every organisation column is as narrow as a mark (``\\missiekaartmarkwidth``); its header, the
  organisation's name and page ("De Cocon blz. 12"), is turned a quarter, one unbroken line;
- the concept column takes the rest of the line, its names broken only between words;
- past :data:`MAX_COLUMNS` organisations the matrix is printed in groups of columns of equal
  size, each a ``longtable`` of its own under a line that says which organisations it holds
  ("Organisaties 1 tot en met 15 van 30");
- a cell shows the mark alone: on paper the link of the website's mark leads nowhere, and the
  organisation's page is in the column's header.

So the table is exactly as wide as the text at any number of organisations, and no word in it is
hyphenated (``missiekaart.sty``: ``missiekaartmatrix``). A counts table (past
``missiekaart_matrix_limit``) is the same table without organisation columns.
"""

from __future__ import annotations

import math

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.writers.latex import LaTeXTranslator

from missiekaart.extension.nodes import mk_presence

_ = get_translation("missiekaart")

#: Organisation columns of one printed table: with marks of 9 pt, 16 of them leave the concept
#: column about 6 cm of an A4 or letter page's text width.
MAX_COLUMNS = 16


def is_matrix(node: nodes.Element) -> bool:
    return "mk-concept-matrix" in node.get("classes", [])


def _inline(self: LaTeXTranslator, entry: nodes.Element) -> str:
    """The LaTeX of an entry's inline content, as the writer renders it (links, page references)."""
    saved, self.body = self.body, []
    try:
        for paragraph in entry.children:
            for child in paragraph.children if isinstance(paragraph, nodes.paragraph) else [paragraph]:
                child.walkabout(self)
        return "".join(self.body).strip()
    finally:
        self.body = saved


def _mark(entry: nodes.Element) -> str:
    found = next(iter(entry.findall(mk_presence)), None)
    return rf"\missiekaartmark{{{found['kind']}}}" if found is not None else ""


def groups(count: int, most: int = MAX_COLUMNS) -> list[range]:
    """*count* columns in as few groups of at most *most* as possible, of (nearly) equal size."""
    if count == 0:
        return [range(0)]
    size = math.ceil(count / math.ceil(count / most))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def visit_matrix(self: LaTeXTranslator, table: nodes.Element) -> None:
    """Write the matrix (see the module's description) and skip the table's children."""
    rows = list(table.findall(nodes.row))
    head, body = rows[0], rows[1:]
    header = [entry for entry in head.children if isinstance(entry, nodes.entry)]
    concept_head, organisations, count_head = header[0], header[1:-1], header[-1]
    names = [_inline(self, entry) for entry in organisations]
    lines = [
        (
            _inline(self, entries[0]),
            [_mark(entry) for entry in entries[1:-1]],
            _inline(self, entries[-1]),
        )
        for entries in ([e for e in row.children if isinstance(e, nodes.entry)] for row in body)
    ]
    parts = groups(len(names))
    concept_header = rf"\missiekaartmatrixconcepthead{{{_inline(self, concept_head)}}}"
    # The concept column is as wide as its widest cell, measured by LaTeX, or the rest of the line.
    out = ["\n\\missiekaartmatrixnew\n", rf"\missiekaartmatrixmeasure{{{concept_header}}}" + "\n"]
    out += [rf"\missiekaartmatrixmeasure{{{concept}}}" + "\n" for concept, _marks, _count in lines]
    for group in parts:
        if len(parts) > 1:
            caption = _("Organisations %(first)d to %(last)d of %(total)d") % {
                "first": group.start + 1,
                "last": group.stop,
                "total": len(names),
            }
            out.append(rf"\missiekaartmatrixpart{{{self.escape(caption)}}}" + "\n")
        heads = [
            concept_header,
            *(rf"\missiekaartmatrixhead{{{names[column]}}}" for column in group),
            rf"\missiekaartmatrixhead{{{_inline(self, count_head)}}}",
        ]
        out.append(rf"\begin{{missiekaartmatrix}}{{{len(group)}}}" + "\n")
        out.append(" & ".join(heads) + r"\\" + "\n" + r"\missiekaartmatrixendhead" + "\n")
        for concept, marks, count in lines:
            cells = [rf"\missiekaartmatrixconcept{{{concept}}}", *(marks[column] for column in group), count]
            out.append(" & ".join(cells) + r"\\" + "\n")
        out.append(r"\end{missiekaartmatrix}" + "\n")
    self.body.append("".join(out))
    raise nodes.SkipNode
