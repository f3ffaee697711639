"""Turn a source text into a MyST Markdown page, by rule and without losing a word.

The importer is two chains of named passes (:class:`~.ruler.Ruler`) over a small document
model (:mod:`.model`), after markdown-it-py's rule chains: each pass is a pure function from
a :class:`~.model.Document` to a new one, easy to find, test and reorder.

- Plain text (web pages, PDF and Word exports): page debris, footnotes, page joins, blocks
  (headings, nested lists, paragraphs), heading levels; inline text is escaped, with its
  emphasis kept.
- Markdown (static-site exports: YAML front matter and a Markdown body, or a ``.md`` file):
  the front matter's reader text and the body are parsed with markdown-it-py and written
  back as MyST, without template code or raw HTML.
- PDF: its extracted text (:mod:`missiekaart.importer.formats`) takes the plain-text passes.
- Word (``.docx``): mammoth's HTML, read into blocks by :func:`.docx.docx_blocks`; the HTML
  path replaces that one pass when it lands (the ``DOCX`` chain below).

``check-source`` replays the same passes, so what counts as debris lives in one place.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from missiekaart.importer import blocks, docx, footnotes, frontmatter, markdown, pages, webpage
from missiekaart.importer.lines import forget_markers
from missiekaart.importer.model import PROSE_WORDS, Block, Decision, Document, Dropped, Footnote, Line, Span
from missiekaart.importer.render import render_page
from missiekaart.importer.ruler import Ruler
from missiekaart.importer.sourcefile import SourceError, SourceText

__all__ = [
    "DOCX",
    "HTML",
    "MARKDOWN",
    "PLAIN_TEXT",
    "Block",
    "Decision",
    "Document",
    "Dropped",
    "Footnote",
    "Line",
    "Span",
    "analyse",
    "collector_paused",
    "default_name",
    "dropped_prose",
    "import_text",
    "is_html",
    "is_markdown",
    "is_prose",
    "is_structured",
    "report_lines",
]

# The passes after the text is in blocks, whatever the source's format.
_BLOCK_PASSES = [
    ("drop-misplaced-rules", blocks.drop_misplaced_rules),
    ("drop-repeated-title", blocks.drop_repeated_title),
    ("assign-levels", blocks.assign_levels),
]

PLAIN_TEXT: Ruler[Document] = Ruler(
    [
        ("split-pages", pages.split_pages),
        ("find-debris", pages.find_debris),
        ("extract-footnotes", footnotes.extract_footnotes),
        ("settle-debris", footnotes.settle_debris),
        ("join-pages", footnotes.join_pages),
        ("make-blocks", blocks.make_blocks),
        *_BLOCK_PASSES,
    ]
)

MARKDOWN: Ruler[Document] = Ruler(
    [
        ("front-matter-text", frontmatter.front_matter_text),
        ("markdown-body", markdown.markdown_body),
        *_BLOCK_PASSES,
    ]
)

# A Word file: mammoth's HTML, its paragraphs mapped by importer/docx.py (paragraph N is line N).
DOCX: Ruler[Document] = Ruler(
    [
        ("docx-blocks", docx.docx_blocks),
        *_BLOCK_PASSES,
    ]
)

HTML: Ruler[Document] = Ruler(
    [
        ("web-page", webpage.web_page),
        *_BLOCK_PASSES,
    ]
)

_MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def is_html(source: SourceText) -> bool:
    """A web page saved from a browser (or an HTML export)."""
    return source.path.suffix.lower() in HTML_SUFFIXES


def is_markdown(source: SourceText) -> bool:
    """A static-site export: a Markdown file, or a text with YAML or TOML front matter (never a PDF,
    Word or HTML file)."""
    if source.format in ("pdf", "docx") or is_html(source):
        return False
    return source.format == "markdown" or source.path.suffix.lower() in _MARKDOWN_SUFFIXES or source.has_front_matter


def is_structured(source: SourceText) -> bool:
    """A source whose structure a parser reads (Markdown, HTML), not the plain-text passes."""
    return is_html(source) or is_markdown(source)


def default_name(path: str | Path) -> str:
    """A display name from a file name: ``de-cocon.txt`` gives ``De Cocon``."""
    return " ".join(part.capitalize() for part in re.split(r"[-_\s]+", Path(path).stem) if part)


def _title(source: SourceText, name: str | None) -> str:
    """The page title: *name*, else the front matter's ``title``, else a name made from the file name."""
    if name is not None and ("\n" in name or "\r" in name or not name.strip()):
        raise SourceError(source.path, 0, "--name must be one non-empty line")
    fm_title = source.front_matter.get("title")
    if name:
        return name.strip()
    if isinstance(fm_title, str) and fm_title.strip():
        return " ".join(fm_title.split())
    return default_name(source.path)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one source text's analysis, as it was after.

    The passes make a few objects per source line (lines, spans, blocks), which live until the
    page is written and form no cycles; with the collector running, each few hundred of them made
    it scan all the others again: a quarter of the time of a list of 40,000 items (1 MB, import and
    check-source: 1.69 s with it, 1.28 s without; plain prose 0.49 s and 0.47 s). Objects are
    still freed as soon as they are no longer used; only cycles wait, and the passes make none
    that grows with the input. Nested uses are fine, and a caller that paused it keeps it paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@collector_paused()
def analyse(source: SourceText, name: str | None = None) -> Document:
    """Run the passes for *source*'s kind; the document that comes out is what :func:`render` writes."""
    chain = (
        DOCX
        if source.format == "docx"
        else HTML
        if is_html(source)
        else MARKDOWN
        if is_markdown(source)
        else PLAIN_TEXT
    )
    noted = tuple(Decision(line, text) for line, text in source.notes)  # what reading the file decided
    try:
        doc = chain(Document(source, _title(source, name), decisions=noted))
    finally:
        forget_markers()  # its answers are for this document's lines only
    return replace(doc, dropped=tuple(sorted(doc.dropped, key=lambda item: (item.line, item.start))))


@collector_paused()
def import_text(source: SourceText, name: str | None = None, source_path: str | None = None) -> tuple[str, Document]:
    """Analyse and render *source*; return the MyST page and the document it was made from.

    Raises :class:`SourceError` when the page would have no text.
    """
    doc = analyse(source, name)
    left_out = [piece for piece in doc.dropped if not piece.reason.startswith(_NOT_PROSE)]
    if doc.empty and left_out:  # all of its text was left out: say what, where the first piece is
        first, count = left_out[0], len(left_out)
        raise SourceError(
            source.path,
            first.line,
            f"no text to import: everything a reader could see was left out ({count} "
            f"{'piece' if count == 1 else 'pieces'}), the first as {first.reason}: "
            f"{' '.join(first.text.split()[:12])!r}; if a reader saw it, tell the Missiekaart maintainers",
        )
    if doc.empty:
        raise SourceError(
            source.path,
            0,
            "no text to import: the page would be empty "
            "(the file is empty, blank, or holds only front matter without reader text)",
        )
    page, decisions = render_page(doc, source_path or source.path.as_posix())
    return page, replace(doc, decisions=doc.decisions + decisions)


_NOT_PROSE = ("template code", "<script", "<style", "<template", "<noscript")


def is_prose(piece: Dropped) -> bool:
    """Whether a dropped piece reads like prose (a run of :data:`PROSE_WORDS` ordinary words or more, not
    code; a menu of short items is no run): a reader may have seen it, so the report warns about it."""
    return piece.prose_words >= PROSE_WORDS and not piece.reason.startswith(_NOT_PROSE)


def dropped_prose(doc: Document) -> list[Dropped]:
    """The dropped pieces that read like prose (:func:`is_prose`), each to be warned about."""
    return [piece for piece in doc.dropped if is_prose(piece)]


def report_lines(doc: Document) -> list[tuple[int, str]]:
    """What the importer decided, by source line: headings made, footnotes linked, text dropped, other choices."""
    lines: list[tuple[int, str]] = []
    for block in doc.blocks:
        if block.kind == "heading":
            text = " ".join(" ".join(line.text.split()) for line in block.lines)
            lines.append((block.line, f"heading (level {block.level}): {text!r}"))
    for note in doc.footnotes:
        where = ", ".join(str(line.no) for line in note.lines)
        lines.append((note.marker.line, f"footnote [^{note.label}] linked to its text on line {where}"))
    for dropped in doc.dropped:
        lines.append((dropped.line, f"dropped {dropped.reason}: {dropped.text!r}"))
    for decision in doc.decisions:
        lines.append((decision.line, decision.text))
    return sorted(lines, key=lambda item: item[0])
