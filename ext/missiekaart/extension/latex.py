"""LaTeX output: cards as framed boxes from the style file the extension ships.

- ``mk_card`` nodes become ``missiekaartmission``/``missiekaartvalue`` environments from
  ``latex/missiekaart.sty``: Sphinx heavy boxes (as ``sphinxtodo``), which break across pages.
- Anchors that links point to (cards, concept definitions, concept references in running text)
  get a ``\\label``, so every ``\\hyperref`` the writer makes for them resolves.
- The root document's toctree captions become ``\\part`` headings, and the landing text before
  them one unnumbered chapter titled like the root document.
- Page references (``latex_show_pagerefs``): in running text "words (blz. 12)", Sphinx's form; in
  generated lines and tables (a card's concepts, "Gedeeld door", the related lists, the matrix, the
  concept index), which hold many links in a row, the shorter "Leren blz. 36" (:class:`Translator`).
- Tables get column widths from their longest words, so they fit the text width and no header
  word is hyphenated (``missiekaart.sty`` sets header cells without hyphenation).
- Every section heading is preceded by ``\\missiekaartbeforeheading``, so a heading never ends a
  page: it keeps room for a few lines, or for the whole card when a card follows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.writers.latex import LaTeXTranslator

from missiekaart.core import PACKAGE_DATA
from missiekaart.extension import latexchars, latexmatrix
from missiekaart.extension.nodes import mk_card

logger = logging.getLogger(__name__)

STYLE_FILE = PACKAGE_DATA / "latex" / "missiekaart.sty"
PACKAGE = STYLE_FILE.stem


def _escape(self: LaTeXTranslator, text: str) -> str:
    return latexchars.escape(" ".join(text.split()), self.config.latex_engine)


def latex_label(refuri: str) -> str:
    """The label an internal LaTeX reference (``%docname#anchor``) points at, ``docname:anchor``;
    split at the last "#", since a file name may hold one and an anchor never does."""
    docname, hash_mark, anchor = refuri.removeprefix("%").rpartition("#")
    return f"{docname}:{anchor}" if hash_mark else refuri.removeprefix("%")


def _has_class(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.Element) and name in node.get("classes", [])


def visit_card(self: LaTeXTranslator, node: nodes.Element) -> None:
    """Open the card's box, with the kind and title in its title row, and render its parts.

    The children are walked here (then ``SkipChildren``) so the title paragraph goes into the
    title row, the mission card's fields become a compact block, and the concept line is set
    apart below the text.
    """
    environment = "missiekaartmission" if node.get("mission") else "missiekaartvalue"
    title = next((child for child in node.children if _has_class(child, "mk-card-title")), None)
    kind = text = page = ""
    if title is not None:
        label = next(title.findall(lambda n: _has_class(n, "mk-card-kind")), None)
        strong = next(title.findall(nodes.strong), None)
        kind = label.astext() if label is not None else ""
        text = strong.astext() if strong is not None else title.astext().removeprefix(kind)
        # A summary card (the landing page's overview) names the organisation's chapter: its page.
        link = next(title.findall(nodes.reference), None)
        if link is not None and link.get("refuri", "").startswith("%"):
            page = f"\\quad{{\\mdseries\\small {self.hyperpageref(latex_label(link['refuri']))}}}"
    self.body.append(f"\n\n\\begin{{{environment}}}{{{_escape(self, kind)}}}{{{_escape(self, text)}{page}}}\n")
    if node["ids"]:
        self.body.append(self.hypertarget_to(node, anchor=True) + "%\n")
    self.no_latex_floats += 1
    if self.table:
        self.table.has_problematic = True
    meta = False
    for child in node.children:
        if child is title:
            continue
        is_meta = _has_class(child, "mk-card-concepts") or _has_class(child, "mk-backlinks")
        if is_meta and not meta:
            self.body.append("\n\\begin{missiekaartmeta}\n")
        elif meta and not is_meta:
            self.body.append("\n\\end{missiekaartmeta}\n")
        meta = is_meta
        if isinstance(child, nodes.field_list) and _has_class(child, "mk-card-fields"):
            _render_fields(self, child)
        else:
            child.walkabout(self)
    if meta:
        self.body.append("\n\\end{missiekaartmeta}\n")
    self.context.append(environment)
    raise nodes.SkipChildren


def depart_card(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append(f"\n\\end{{{self.context.pop()}}}\n\n")
    self.no_latex_floats -= 1


def _render_fields(self: LaTeXTranslator, field_list: nodes.field_list) -> None:
    """One line per field ("Regio: Oost-Vlaanderen"); fields left empty ("—") are left out."""
    fields = [child for child in field_list.children if isinstance(child, nodes.field)]
    fields = [field for field in fields if field[1].astext().strip() not in {"", "—"}]
    if not fields:
        return
    self.body.append("\n\\begin{missiekaartfields}\n")
    for field in fields:
        name, body = field[0], field[1]
        self.body.append(f"\\sphinxAtStartPar\\missiekaartfieldname{{{_escape(self, name.astext())}:}} ")
        for part in body.children:
            for inline in part.children if isinstance(part, nodes.paragraph) else [part]:
                inline.walkabout(self)
        self.body.append("\\par\n")
    self.body.append("\\end{missiekaartfields}\n")


class LabelAnchors(SphinxPostTransform):
    """Give anchors the LaTeX writer would leave unlabelled a target, so links to them resolve.

    The writer puts ``\\label`` on sections, targets, figures and the like, but not on the ids
    of inline or container nodes: concept definitions (``container.mk-concept``), and a concept
    reference in running text that is not a link (an unknown concept, or one the book leaves out).
    Cards are labelled by :func:`visit_card` itself.
    """

    builders = ("latex",)
    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.Element)):
            if (
                isinstance(node, (nodes.inline, nodes.container))
                and node["ids"]
                and not isinstance(node, mk_card)  # labelled by visit_card
                and not _has_class(node, "literal-block-wrapper")
            ):  # labelled by visit_literal_block
                node.insert(0, nodes.target("", "", ids=list(node["ids"])))


#: Generated content with many links in a row: its page references are short ("Leren blz. 36").
COMPACT_CLASSES = frozenset(
    {
        "mk-backlinks",
        "mk-related",
        "mk-card-concepts",
        "mk-concept-matrix",
        "mk-concept-index",
        "mk-overview-list",
        "mk-concept-map-list",
    }
)
COMPACT = "mk-pageref-compact"


class CompactPageRefs(SphinxPostTransform):
    """Mark the references inside generated lines and tables (:data:`COMPACT_CLASSES`)."""

    builders = ("latex",)
    default_priority = 900  # after the references are resolved

    def run(self, **kwargs: Any) -> None:
        for reference in self.document.findall(nodes.reference):
            ancestor = reference.parent
            while ancestor is not None and not COMPACT_CLASSES & set(ancestor.get("classes", [])):
                ancestor = ancestor.parent
            if ancestor is not None:
                reference["classes"].append(COMPACT)


class Translator(LaTeXTranslator):
    """Sphinx's LaTeX writer, with the short page reference for :data:`COMPACT` references, and
    :func:`~missiekaart.extension.latexchars.escape` for every text (``visit_Text``, titles, captions and index
    entries all escape through :meth:`escape`), link targets percent-encoded before Sphinx escapes
    them, so no character pdflatex cannot set reaches the ``.tex``."""

    def escape(self, s: str) -> str:
        return latexchars.escape(s, self.config.latex_engine)

    def encode_uri(self, text: str) -> str:
        return super().encode_uri(quote(text, safe="!#$%&'()*+,-./:;=?@[]_~"))

    def visit_literal_block(self, node: nodes.Element) -> None:
        """Code as Sphinx writes it (Pygments' LaTeX, which passes any character through), with the
        characters pdflatex cannot set replaced by their fallback, as in running text."""
        start = len(self.body)
        try:
            super().visit_literal_block(node)
        finally:
            self.body[start:] = [
                latexchars.replace_unsettable(part, self.config.latex_engine) for part in self.body[start:]
            ]

    def visit_table(self, node: nodes.Element) -> None:
        if latexmatrix.is_matrix(node):  # the comparison matrix: its own layout, to fit the page
            latexmatrix.visit_matrix(self, node)
        super().visit_table(node)

    def visit_reference(self, node: nodes.Element) -> None:
        super().visit_reference(node)
        closing = self.context[-1] if self.context else ""
        # Sphinx closes an internal link with "}}} (\autopageref*{label})" when it prints the page.
        if COMPACT in node["classes"] and closing.startswith("}}} (\\autopageref*") and closing.endswith(")"):
            self.context[-1] = "}}} " + closing[len("}}} (") : -1]


class FitTables(SphinxPostTransform):
    """Column widths from each column's longest word, so every table fits the text width; cells
    set ragged right.

    Header words are never hyphenated (``missiekaart.sty``; a header may break after a hyphen
    that is part of the word, "Wijk-/werkorganisatie"), so a header column is as wide as its
    longest word; body text may be hyphenated, so a body word counts up to 14 characters. Each
    column also needs its padding (about 2.5 characters). The widths are relative (Sphinx's
    ``\\X``): together they are the text width.
    """

    builders = ("latex",)
    default_priority = 910  # after CompactPageRefs: the page reference is part of the header

    def run(self, **kwargs: Any) -> None:
        for group in self.document.findall(nodes.tgroup):
            if isinstance(group.parent, nodes.table) and latexmatrix.is_matrix(group.parent):
                continue  # laid out by latexmatrix
            colspecs = [child for child in group.children if isinstance(child, nodes.colspec)]
            widths = [4.0] * len(colspecs)
            for part, cap in ((nodes.thead, 99.0), (nodes.tbody, 14.0)):
                for section in group.findall(part):
                    for row in section.findall(nodes.row):
                        for column, entry in enumerate(row.children):
                            if column < len(widths) and isinstance(entry, nodes.Element):
                                widths[column] = max(widths[column], min(cap, self.longest_word(entry, part)))
            for colspec, width in zip(colspecs, widths, strict=True):
                colspec["colwidth"] = round((width + 2.5) * 10)
            # Ragged right: a narrow justified cell stretches "kaart blz. 6" into "kaart   blz.   6".
            # (Each cell is a varwidth box, which resets the column's own paragraph settings.)
            for entry in group.findall(nodes.entry):
                paragraph = next(iter(entry.findall(nodes.paragraph)), None)
                if paragraph is not None:
                    paragraph.insert(0, nodes.raw("", r"\raggedright{}", format="latex"))
            table = group.parent
            if isinstance(table, nodes.table) and "colwidths-given" not in table["classes"]:
                table["classes"].append("colwidths-given")

    @staticmethod
    def longest_word(entry: nodes.Element, part: type[nodes.Element]) -> float:
        """The width of the entry's longest unbreakable word, in (average) characters; capitals
        count more, and so does the compact page reference ("blz. 12") of a link."""
        text = entry.astext()
        if any(COMPACT in ref["classes"] for ref in entry.findall(nodes.reference)):
            text += " blz.~99"
        words = re.split(r"\s+|(?<=-)", text)
        return max((sum(1.3 if char.isupper() else 1.0 for char in word) for word in words), default=0.0)


class OmitSections(SphinxPostTransform):
    """Leave out of the PDF the sections ``missiekaart_latex_omit`` names (``"docname#id"``), such as
    a pointer for contributors that a printed book for readers does not need. The section stays
    on the website. A name that matches no section is a warning, so the setting never goes stale."""

    builders = ("latex",)
    default_priority = 790  # before RootStructure

    def run(self, **kwargs: Any) -> None:
        wanted = set(self.config.missiekaart_latex_omit)
        if not wanted:
            return
        root = self.document.get("docname") or self.env.docname
        found = set()
        for docname, section in self.sections(self.document, root):
            names = {f"{docname}#{id_}" for id_ in section["ids"]} & wanted
            if names and section.parent is not None:
                section.parent.remove(section)
                found |= names
        for name in sorted(wanted - found):
            logger.warning(
                "missiekaart_latex_omit in conf.py names %r, but the PDF has no such section "
                "(write it as docname#section-id)",
                name,
            )

    @classmethod
    def sections(cls, node: nodes.Element, docname: str) -> Iterator[tuple[str, nodes.section]]:
        """Every section with the document it comes from, searched top-down (``parent`` links
        inside included documents lead back to their own documents, see :class:`RootStructure`)."""
        for child in list(node.children):
            if isinstance(child, addnodes.start_of_file):
                yield from cls.sections(child, child["docname"])
            elif isinstance(child, nodes.Element):
                if isinstance(child, nodes.section):
                    yield docname, child
                yield from cls.sections(child, docname)


def _first_printed(node: nodes.Element, start: int = 0) -> nodes.Node | None:
    """The first thing printed of *node*'s children from *start*: a card, a section, a text, or
    what a container (the landing page's grid of cards) prints first."""
    while True:
        first = next(
            (child for child in node.children[start:] if not isinstance(child, (nodes.target, nodes.comment))), None
        )
        if not isinstance(first, nodes.Element) or isinstance(first, (mk_card, nodes.TextElement, nodes.section)):
            return first
        node, start = first, 0


class KeepHeadings(SphinxPostTransform):
    """Before every section heading, ``\\missiekaartbeforeheading{1}`` when a card follows it
    (directly, or first in a container of cards), else ``{0}`` (``missiekaart.sty``): the heading
    moves to the next page with what follows rather than stand alone at the bottom of one. Headings
    that follow one directly get none (it would let the page break between them); the first makes
    room for them too (``[2]``: two follow it, ``[0]``: none)."""

    builders = ("latex",)
    default_priority = 850  # after RootStructure has moved the root's toctrees

    def run(self, **kwargs: Any) -> None:
        for section in list(self.document.findall(nodes.section)):
            if section.parent is None or not section.children or not isinstance(section[0], nodes.title):
                continue
            parent = section.parent
            if isinstance(parent, nodes.section) and _first_printed(parent, start=1) is section:
                continue  # printed right under its parent's heading, which made room for it
            following, inner = _first_printed(section, start=1), 0
            while isinstance(following, nodes.section):  # headings that follow directly
                following, inner = _first_printed(following, start=1), inner + 1
            card = int(isinstance(following, mk_card))
            command = f"\n\\missiekaartbeforeheading[{inner}]{{{card}}}\n"
            parent.insert(parent.index(section), nodes.raw("", command, format="latex"))


class RootStructure(SphinxPostTransform):
    """Give the PDF the landing page's structure: landing text, then one part per toctree caption.

    LaTeX output inlines each toctree where it stands and drops its caption (the first caption
    only renames the table of contents), and it derives section levels from nesting. So a
    toctree under a landing-page heading ("## De meest gedeelde begrippen") would turn every
    organisation's chapter into a section of that heading. Here the root document's toctrees
    are moved to the end of the root section, each captioned one opened by a ``\\part``
    ("Deel I Organisaties"), and the landing text before them becomes one unnumbered chapter
    titled like the root document, its own headings sections of it.
    """

    builders = ("latex",)
    default_priority = 800

    def run(self, **kwargs: Any) -> None:
        root = self.document.get("docname") or self.env.docname
        section = next((node for node in self.document.children if isinstance(node, nodes.section)), None)
        if section is None or not section.children or not isinstance(section[0], nodes.title):
            return
        wrappers = list(self.root_toctrees(section))
        toctrees = list(self.env.get_doctree(root).findall(addnodes.toctree))
        if not wrappers or len(wrappers) != len(toctrees):
            return
        for wrapper, toctree in zip(wrappers, toctrees, strict=True):
            wrapper.parent.remove(wrapper)
            caption = toctree.get("caption")
            if caption and any(isinstance(child, addnodes.start_of_file) for child in wrapper.children):
                escaped = latexchars.escape(caption, self.config.latex_engine)
                wrapper.insert(0, nodes.raw("", f"\n\\part{{{escaped}}}\n", format="latex"))
        title, landing = section[0], section.children[1:]
        section.children = [title]
        if any(
            not isinstance(child, (nodes.target, nodes.comment, nodes.substitution_definition)) for child in landing
        ):
            heading = latexchars.escape(title.astext(), self.config.latex_engine)
            section += nodes.raw(
                "",
                f"\n\\chapter*{{{heading}}}\\addcontentsline{{toc}}{{chapter}}{{{heading}}}"
                f"\\markboth{{{heading}}}{{}}\n",
                format="latex",
            )
            # A section without a title: its sections are one level deeper (sections, not chapters).
            chapter = nodes.section("", classes=["mk-landing"])
            chapter.extend(landing)
            section += chapter
        else:
            section.extend(landing)
        section.extend(wrappers)

    @classmethod
    def root_toctrees(cls, node: nodes.Element) -> Iterator[nodes.compound]:
        """The inlined toctrees of the root document itself, not of the documents it includes.

        Searched top-down, skipping included documents: ``inline_all_toctrees`` moves their
        children into ``start_of_file`` nodes without re-parenting them, so ``parent`` links
        inside them lead back to their own documents, not to the ``start_of_file``.
        """
        for child in node.children:
            if isinstance(child, nodes.compound) and _has_class(child, "toctree-wrapper"):
                yield child
            elif isinstance(child, nodes.Element) and not isinstance(child, addnodes.start_of_file):
                yield from cls.root_toctrees(child)


def add_style_file(app: Sphinx, config: Config) -> None:
    """Copy the style file into the LaTeX output directory, next to Sphinx's own."""
    path = str(STYLE_FILE)
    if path not in config.latex_additional_files:
        config.latex_additional_files = [*config.latex_additional_files, path]


def setup(app: Sphinx) -> None:
    """Register the style file and the LaTeX-only post-transforms."""
    app.add_latex_package(PACKAGE)
    app.connect("config-inited", add_style_file)
    app.add_post_transform(LabelAnchors)
    app.set_translator("latex", Translator)
    app.add_post_transform(CompactPageRefs)
    app.add_post_transform(FitTables)
    # Sections of the website to leave out of the PDF, as "docname#section-id".
    app.add_config_value("missiekaart_latex_omit", [], "env", list)
    app.add_post_transform(OmitSections)
    app.add_post_transform(RootStructure)
    app.add_post_transform(KeepHeadings)
