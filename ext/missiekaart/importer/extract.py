"""Text out of a PDF or a Word file, in a child process with bounded memory and time.

This module is run as a script (``python -I extract.py pdf|docx``, the file's bytes on standard
input, JSON on standard output) by :mod:`missiekaart.importer.formats`, so that a damaged or hostile file
(a decompression bomb, a page of a million glyphs, a parser bug that loops) costs at most
:data:`MEMORY_LIMIT` bytes and :data:`CPU_LIMIT` seconds of a child that is then ended, never the
importer or the Sphinx build. It imports nothing of Missiekaart, so the child starts without Sphinx.

**PDF**: pdfminer.six interprets each page into glyphs with their boxes, fonts and sizes
(no layout analysis of its own). The lines are made here, from the geometry, in one sort per
page (see :func:`page_lines`):

- a glyph joins the line whose box it overlaps by half its height, so a raised footnote number
  stays glued to its word (``overheid1``), as the importer's footnote pass expects;
- glyphs of a line are read left to right; a gap wider than :data:`SPACE_GAP` of the font size is
  a space (TeX and other typesetters place words without space glyphs);
- a blank line is written where a paragraph ends: a vertical gap clearly wider than the
  document's usual gap between lines of that size, a change of font size, or a bold line next
  to a line that is not; these are what the plain-text passes read as block breaks;
- rows of a table (lines with words far apart) stay one paragraph; a raised number at the
  start of a line (a footnote's label in TeX, ``¹Via``) is followed by a space;
- a line starts with spaces for its indent from the page's left edge, about one per half
  font size, so nested list items keep their nesting (never exactly one space, which the
  footnote pass reads as pdftotext's page start);
- text set sideways (rotated) is read in the order it was drawn and put at the end of its
  page, as a paragraph of its own, and reported;
- ligatures (U+FB00-U+FB06) are written as their letters, soft hyphens are dropped inside
  a line and are a hyphen at its end, control characters are left out and counted.

Why pdfminer.six (measured on PDFs of LibreOffice, pdflatex and fpdf2 with headings, bullets,
nested lists, footnotes, running headers and page numbers; see ``ARCHITECTURE.md``): pypdf's
``extract_text`` and pdfplumber's run words together where TeX sets them without space glyphs
(``Onzewerkingislaagdrempelig``), put a raised footnote number on a line of its own, and write
no blank line between paragraphs, so no heading, footnote or paragraph survives; pdfminer's own
layout analysis keeps words and paragraphs apart, but reorders lines around a raised footnote
number and groups text boxes in time quadratic in their number. Its glyph boxes give the
geometry to do it right in linear time. pypdf has bounds against decompression bombs that
pdfminer lacks; here the child process is the bound.

**Word**: mammoth converts the ``.docx`` to HTML (headings, paragraphs, nested lists, bold and
italic, links, tables, footnotes and endnotes); images are reduced to their alt text without
being read. Its messages (styles it does not know, content it leaves out) are passed on for the
import report. The archive is checked first: at most :data:`MAX_DOCX_ENTRIES` parts and
:data:`MAX_DOCX_UNPACKED` bytes unpacked, as its directory declares (Python's zipfile never
unpacks more than a part declares).

Bounds: at most :data:`MAX_PAGES` pages and :data:`MAX_GLYPHS` glyphs; a file over them is
refused with a located error, never cut short.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import statistics
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CPU_LIMIT",
    "MAX_DOCX_ENTRIES",
    "MAX_DOCX_UNPACKED",
    "MAX_GLYPHS",
    "MAX_PAGES",
    "MEMORY_LIMIT",
    "Glyph",
    "Unreadable",
    "docx_html",
    "page_lines",
    "pdf_pages",
]

MAX_PAGES = 500  # a year report has a few dozen; a book of 500 pages is not one organisation's mission
MAX_GLYPHS = 3_000_000  # about 3 MB of text, the most a 4 MiB source text could hold
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child, in bytes
CPU_LIMIT = 120  # seconds of processor time of the child; 100 pages take about 3
MAX_DOCX_ENTRIES = 2_000  # parts in a Word archive
MAX_DOCX_UNPACKED = 64 * 1024 * 1024  # bytes of all parts unpacked together

SPACE_GAP = 0.15  # a horizontal gap wider than this part of the font size is a space
LINE_OVERLAP = 0.4  # a glyph is on a line when its box overlaps the line's by this part of its height
PARAGRAPH_GAP = 0.4  # a gap this part of the font size wider than the usual one between lines ends a paragraph
COLUMN_GAP = 2.0  # a gap wider than this many font sizes separates columns (table cells, tab stops)
SIZE_CHANGE = 0.15  # a line whose font size differs by more than this part starts a new block
INDENT_UNIT = 0.5  # one space of indent per this part of the font size
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_CID = re.compile(r"\(cid:\d+\)")
_LIGATURES: dict[str, str | int | None] = {
    chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)
}
_LETTERS = str.maketrans(_LIGATURES)
# Controls other than tab (which becomes a space), and noncharacters: no reader sees them.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
SOFT_HYPHEN = "\u00ad"


class Unreadable(Exception):
    """A file whose text cannot be read: what is wrong and what to do about it."""


@dataclass
class Glyph:
    """What a line is made of: one glyph's text and box (PDF points, y upwards), size and weight."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    bold: bool = False

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 0.01)


@dataclass
class _Line:
    glyphs: list[Glyph] = field(default_factory=list)
    core: tuple[float, float] = (0.0, 0.0)  # the box of its largest glyph, vertically
    core_size: float = 0.0
    text: str = ""
    x0: float = 0.0
    size: float = 0.0
    bold: bool = False
    columns: bool = False  # words far apart on the line: a table row, or tab stops

    def add(self, glyph: Glyph) -> None:
        self.glyphs.append(glyph)
        if glyph.size > self.core_size:
            self.core, self.core_size = (glyph.y0, glyph.y1), glyph.size

    def overlap(self, glyph: Glyph) -> float:
        return min(self.core[1], glyph.y1) - max(self.core[0], glyph.y0)


def _clean(text: str, counts: Counter[str]) -> str:
    """A glyph's text as a reader reads it: ligatures as letters, no controls; cid glyphs counted."""
    if _CID.search(text):
        counts["cid"] += 1
        return "\ufffd"
    if "\t" in text:
        text = text.replace("\t", " ")
    if _CONTROL.search(text):
        counts["control"] += len(_CONTROL.findall(text))
        text = _CONTROL.sub("", text)
    return text.translate(_LETTERS) if any(char in _LIGATURES for char in text) else text


def _raised(glyph: Glyph, line: _Line) -> bool:
    """A glyph in smaller type above the line's baseline: a footnote number."""
    return glyph.size < 0.8 * line.core_size and glyph.y0 > line.core[0] + 0.1 * line.core_size


def _line_text(line: _Line) -> None:
    """Fill in the line's text, left edge, size and weight from its glyphs."""
    parts: list[str] = []
    previous: Glyph | None = None
    pending_space = False
    leading_raised = True  # the line so far is a raised number in smaller type: a note's label (TeX's "¹Via")
    for glyph in sorted(line.glyphs, key=lambda glyph: glyph.x0):
        if not glyph.text.strip():
            pending_space = previous is not None
            continue
        if previous is not None:
            if glyph.text == previous.text and abs(glyph.x0 - previous.x0) < 0.3 * max(previous.x1 - previous.x0, 0.5):
                continue  # the same glyph drawn twice (fake bold, a shadow)
            raised = _raised(glyph, line)
            if leading_raised and not raised:
                pending_space = True
            leading_raised = leading_raised and raised
            gap = glyph.x0 - previous.x1
            if gap > COLUMN_GAP * max(glyph.size, previous.size):
                line.columns = True
            if pending_space or gap > SPACE_GAP * max(glyph.size, previous.size):
                parts.append(" ")
        else:
            leading_raised = _raised(glyph, line)
        parts.append(glyph.text)
        previous = glyph
        pending_space = False
    text = "".join(parts)
    if SOFT_HYPHEN in text:
        text = text.rstrip(SOFT_HYPHEN) + ("-" if text.endswith(SOFT_HYPHEN) else "")
        text = text.replace(SOFT_HYPHEN, "")
    line.text = text
    shown = [glyph for glyph in line.glyphs if glyph.text.strip()]
    line.x0 = min((glyph.x0 for glyph in shown), default=0.0)
    line.size = statistics.median_low([round(glyph.size, 1) for glyph in shown]) if shown else 0.0
    line.bold = bool(shown) and sum(glyph.bold for glyph in shown) >= 0.9 * len(shown)


def _lines(glyphs: list[Glyph]) -> list[_Line]:
    """Upright glyphs in lines, top to bottom: a glyph joins the line above if their boxes overlap enough."""
    lines: list[_Line] = []
    for glyph in sorted(glyphs, key=lambda glyph: -(glyph.y0 + glyph.y1)):
        if lines and lines[-1].overlap(glyph) >= LINE_OVERLAP * min(
            glyph.height, lines[-1].core[1] - lines[-1].core[0]
        ):
            lines[-1].add(glyph)
        else:
            lines.append(_Line())
            lines[-1].add(glyph)
    for line in lines:
        _line_text(line)
    return [line for line in lines if line.text.strip()]


def _usual_gaps(pages: list[list[_Line]]) -> dict[float, float]:
    """The usual gap between two lines of one paragraph, by font size, over the whole document."""
    gaps: dict[float, list[float]] = {}
    for lines in pages:
        for above, below in itertools.pairwise(lines):
            gap = above.core[0] - below.core[1]
            if above.size == below.size and 0 <= gap < above.size:
                gaps.setdefault(above.size, []).append(gap)
    return {size: statistics.median_low(found) for size, found in gaps.items()}


def _breaks(above: _Line, below: _Line, usual: dict[float, float]) -> bool:
    """Whether a paragraph (a block) ends between two lines of a page."""
    size = max(above.size, below.size, 0.1)
    if abs(above.size - below.size) > SIZE_CHANGE * size or above.bold != below.bold:
        return True
    gap = above.core[0] - below.core[1]
    if above.columns and below.columns:  # rows of a table stay together, as one paragraph
        return gap > 1.5 * size
    return gap > usual.get(above.size, 0.2 * above.size) + PARAGRAPH_GAP * above.size


def _indent(line: _Line, left: float) -> str:
    spaces = max(0, round((line.x0 - left) / (INDENT_UNIT * max(line.size, 1.0))))
    return " " * (2 if spaces == 1 else spaces)


def page_lines(pages: list[tuple[list[Glyph], list[str]]]) -> list[list[str]]:
    """The text lines of each page from its upright glyphs and its sideways runs; blank lines end paragraphs."""
    laid = [_lines(glyphs) for glyphs, _ in pages]
    usual = _usual_gaps(laid)
    out: list[list[str]] = []
    for lines, (_, sideways) in zip(laid, pages, strict=True):
        edges = Counter(round(line.x0 / 2) * 2 for line in lines)
        left = min((edge for edge, count in edges.items() if count == max(edges.values())), default=0.0)
        texts: list[str] = []
        for index, line in enumerate(lines):
            if index and _breaks(lines[index - 1], line, usual):
                texts.append("")
            texts.append(_indent(line, left) + line.text.rstrip())
        for run in sideways:
            texts += ["", run]
        out.append(texts)
    return out


def _glyphs(layout: Any, counts: Counter[str]) -> tuple[list[Glyph], list[str], bool]:
    """A pdfminer page's upright glyphs, its sideways text runs in drawing order, and whether it has images."""
    from pdfminer.layout import LTChar, LTContainer, LTImage

    upright: list[Glyph] = []
    sideways: list[str] = []
    run: list[str] = []
    images = False
    stack = [iter(layout)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        if isinstance(item, LTChar):
            counts["glyphs"] += 1
            if counts["glyphs"] > MAX_GLYPHS:
                raise Unreadable(
                    f"the PDF holds more than {MAX_GLYPHS:,} characters of text, more than a source text may "
                    "have; save the part with the mission and vision as a PDF of its own"
                )
            text = _clean(item.get_text(), counts)
            if item.upright:
                if run:
                    sideways.append(" ".join("".join(run).split()))
                    run = []
                bold = bool(_BOLD.search(item.fontname.rpartition("+")[2]))
                upright.append(Glyph(text, item.x0, item.x1, item.y0, item.y1, item.size, bold))
            else:
                run.append(text)
        elif isinstance(item, LTImage):
            images = True
        elif isinstance(item, LTContainer):
            stack.append(iter(item))
    if run:
        sideways.append(" ".join("".join(run).split()))
    return upright, [text for text in sideways if text], images


def pdf_pages(data: bytes) -> tuple[list[list[str]], list[tuple[int, str]]]:
    """Each page's text lines, and notes for the report by page (0: the whole file); :class:`Unreadable`
    if there is no text to read."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    counts: Counter[str] = Counter()
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        raise Unreadable(
            "the PDF is protected by a password, so its text cannot be read; ask the organisation for a copy "
            "without a password, or open it and save it again without one"
        ) from None
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[tuple[list[Glyph], list[str]]] = []
    images = False
    notes: list[tuple[int, str]] = []
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        if number > MAX_PAGES:
            raise Unreadable(
                f"the PDF has more than {MAX_PAGES} pages, more than a source text may have; save the part "
                "with the mission and vision as a PDF of its own"
            )
        interpreter.process_page(page)
        upright, sideways, page_images = _glyphs(device.get_result(), counts)
        images = images or page_images
        pages.append((upright, sideways))
        notes += [(number, f"text set sideways, placed at the end of page {number}: {text!r}") for text in sideways]
    if not any(glyph.text.strip() for glyphs, _ in pages for glyph in glyphs) and not any(s for _, s in pages):
        if images:
            raise Unreadable(
                "this PDF holds no text: it is a scan (only images); ask the organisation for the text, "
                "or OCR it first (e.g. with ocrmypdf) and import that PDF"
            )
        raise Unreadable("this PDF holds no text: it is empty; ask the organisation for the document with its text")
    if counts["cid"] > 0.05 * counts["glyphs"]:
        raise Unreadable(
            f"{counts['cid']:,} of the PDF's {counts['glyphs']:,} characters are drawn in fonts that do not say "
            "which letter each glyph is, so the text cannot be read; export the PDF again from the original "
            "document, or ask the organisation for the text"
        )
    if counts["cid"]:
        notes.append((0, f"{counts['cid']} glyph(s) without a known letter, shown as U+FFFD"))
    if counts["control"]:
        notes.append((0, f"{counts['control']} control character(s) in the PDF's text left out (no reader sees them)"))
    return page_lines(pages), notes


# Word's own styles that mammoth does not map by default.
DOCX_STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1.title:fresh",
        "p[style-name='Titel'] => h1.title:fresh",
        "p[style-name='Subtitle'] => p:fresh",
        "p[style-name='Ondertitel'] => p:fresh",
    ]
)


def docx_html(data: bytes) -> tuple[str, list[str]]:
    """mammoth's HTML of a ``.docx`` and its messages; :class:`Unreadable` for a file that is not one."""
    import mammoth

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable(
            f"this is not a Word (.docx) file that can be read ({error}); open it in Word or LibreOffice "
            "and save it again as .docx"
        ) from None
    if len(entries) > MAX_DOCX_ENTRIES or sum(entry.file_size for entry in entries) > MAX_DOCX_UNPACKED:
        raise Unreadable(
            f"the Word file unpacks to {sum(entry.file_size for entry in entries):,} bytes in {len(entries):,} "
            f"parts, more than the {MAX_DOCX_UNPACKED:,} bytes in {MAX_DOCX_ENTRIES:,} parts a source text may "
            "have; save the text without its images as a new .docx"
        )
    if "word/document.xml" not in archive.namelist():
        raise Unreadable(
            "this archive has no Word document in it (word/document.xml); save the text from Word or "
            "LibreOffice as .docx (a .doc, .odt or .pages file is not read)"
        )
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=DOCX_STYLE_MAP,
            convert_image=mammoth.images.img_element(lambda image: {"alt": image.alt_text or ""}),
        )
    except Exception as error:  # mammoth raises what its XML and zip readers raise
        raise Unreadable(
            f"the Word file is damaged ({type(error).__name__}: {error}); open it in Word or LibreOffice and "
            "save it again as .docx"
        ) from None
    return str(result.value), [f"{message.type}: {message.message}" for message in result.messages]


def _limit(memory: int, cpu: int) -> None:
    """Bound the child's memory and processor time (where the system allows it)."""
    try:
        import resource
    except ImportError:  # pragma: no cover  (not on Unix)
        return
    for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu)):
        _, hard = resource.getrlimit(kind)
        resource.setrlimit(kind, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def main() -> int:
    """``extract.py pdf|docx [MEMORY CPU]``: read the file from standard input, write JSON to standard output."""
    import logging

    logging.disable(logging.WARNING)  # pdfminer logs what it skips; the result or the error says what matters
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    memory, cpu = (int(value) for value in sys.argv[2:4]) if len(sys.argv) > 3 else (MEMORY_LIMIT, CPU_LIMIT)
    data = sys.stdin.buffer.read()
    _limit(memory, cpu)
    result: dict[str, object]
    try:
        if kind == "pdf":
            pages, notes = pdf_pages(data)
            result = {"pages": pages, "notes": notes}
        elif kind == "docx":
            html, messages = docx_html(data)
            result = {"html": html, "notes": messages}
        else:
            result = {"error": f"unknown format {kind!r}"}
    except Unreadable as error:
        result = {"error": str(error)}
    except MemoryError:
        result = {"error": "memory"}
    except RecursionError:
        result = {"error": "the file nests its parts too deeply to be read; it is damaged or built to harm readers"}
    except Exception as error:  # a parser's error on a damaged file, whatever its class
        result = {"error": "damaged", "detail": f"{type(error).__name__}: {error}"[:300]}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
