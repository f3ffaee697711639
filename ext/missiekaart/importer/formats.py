"""Source texts in the formats a contributor has: a PDF or a Word file, read as it is.

The file in ``source_texts/`` is the organisation's own, byte for byte (``SHA256SUMS`` pins it);
its text is extracted every time it is read, the same way, by the importer, ``check-source`` and
the build. The extraction runs in a child process with bounded memory and time
(:mod:`missiekaart.importer.extract`, which also says why pdfminer.six and how lines are made).

- **PDF**: the text of each page, pages joined with form feeds, so the plain-text passes find
  page breaks, page numbers, running headers and footnotes as in a ``.txt`` export. Source lines
  are the lines of that text; :meth:`SourceText.place` gives "page 3, line 12" (the 12th line
  with text on page 3) for the report.
- **Word** (``.docx``): mammoth's HTML, kept whole in :attr:`SourceText.html` for the HTML path.
  The source lines are its paragraphs in order (headings, paragraphs, list items, table cells,
  then footnotes and endnotes), one line each, numbered 1, 2, 3, ...: line N is "paragraph N".
  :func:`docx_paragraphs` reads them; :func:`missiekaart.importer.docx.docx_blocks` makes
  blocks of them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from missiekaart.importer import extract
from missiekaart.importer.sourcefile import SourceError, SourceText

__all__ = ["BINARY_FORMATS", "Paragraph", "Run", "docx_paragraphs", "read_binary"]

BINARY_FORMATS = {".pdf": "pdf", ".docx": "docx"}
_NAMES = {"pdf": "PDF", "docx": "Word file"}
_MAGIC = {"pdf": (b"%PDF-", 1024), "docx": (b"PK\x03\x04", 4)}
#: The wall-clock time a child may take, in seconds (its processor time is bounded by extract.CPU_LIMIT).
TIME_LIMIT = extract.CPU_LIMIT + 30
MEMORY_LIMIT = extract.MEMORY_LIMIT
CPU_LIMIT = extract.CPU_LIMIT


def _child(kind: str, data: bytes, path: Path) -> dict[str, object]:
    """Run the extraction of *data* in a bounded child process; its JSON answer, or :class:`SourceError`."""
    name = _NAMES[kind]
    script = Path(extract.__file__)
    command = [sys.executable, "-I", str(script), kind, str(MEMORY_LIMIT), str(CPU_LIMIT)]
    too_much = (
        f"reading this {name} took more than {{}}; it may be damaged or made to exhaust a reader (a "
        "decompression bomb): open it and save (or export) it again, or ask the organisation for another copy"
    )
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIME_LIMIT, check=False)
    except subprocess.TimeoutExpired:
        raise SourceError(path, 0, too_much.format(f"{TIME_LIMIT} s")) from None
    except OSError as error:
        raise SourceError(path, 0, f"cannot start the {name} reader ({error.strerror})") from None
    try:
        answer = json.loads(done.stdout) if done.stdout else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):  # ended by a limit (SIGXCPU, SIGKILL) or crashed
        return {"error": "memory" if done.returncode >= 0 else "limit"}
    return answer


def _fail(answer: dict[str, object], kind: str, path: Path) -> None:
    error = answer.get("error")
    if error is None:
        return
    name = _NAMES[kind]
    if error in ("memory", "limit"):
        message = (
            f"reading this {name} took more than {MEMORY_LIMIT // 2**20} MiB of memory or {CPU_LIMIT} s; it may "
            "be damaged or made to exhaust a reader (a decompression bomb): open it and save (or export) it "
            "again, or ask the organisation for another copy"
        )
    elif error == "damaged":
        message = (
            f"this {name} is damaged and cannot be read ({answer.get('detail', '')}); open it and save (or "
            "export) it again, or ask the organisation for another copy"
        )
    else:
        message = str(error)
    raise SourceError(path, 1, message)


def read_binary(path: Path, data: bytes, kind: str) -> SourceText:
    """The :class:`SourceText` of a PDF or Word file's bytes *data*; :class:`SourceError` if it has no text to read."""
    magic, within = _MAGIC[kind]
    if magic not in data[:within]:
        raise SourceError(
            path,
            1,
            f"this is not a {_NAMES[kind]} (it does not start as one does); save the organisation's document "
            f"as {path.suffix.lower()} again, or give the file the suffix of what it is",
        )
    answer = _child(kind, data, path)
    _fail(answer, kind, path)
    if kind == "pdf":
        return _pdf_source(path, answer)
    return _docx_source(path, answer)


def _pdf_source(path: Path, answer: dict[str, object]) -> SourceText:
    pages = answer.get("pages")
    assert isinstance(pages, list)
    lines: list[tuple[int, str]] = []
    starts: list[int] = []
    for index, page in enumerate(pages):
        starts.append(len(lines) + 1)
        for position, text in enumerate(page or [""]):
            lines.append((len(lines) + 1, ("\f" if index and not position else "") + str(text)))
    notes = [
        (starts[page - 1] if 0 < page <= len(starts) else 0, str(text))
        for page, text in answer.get("notes", [])  # type: ignore[attr-defined]
    ]
    return SourceText(path, "utf-8", {}, lines, format="pdf", notes=notes, page_starts=tuple(starts))


def _docx_source(path: Path, answer: dict[str, object]) -> SourceText:
    html = str(answer.get("html", ""))
    paragraphs = docx_paragraphs(html)
    if not any(paragraph.text.strip() for paragraph in paragraphs):
        raise SourceError(path, 1, "this Word file holds no text: it is empty; ask the organisation for the document")
    notes = [(0, f"Word: {message}") for message in answer.get("notes", [])]  # type: ignore[attr-defined]
    lines = [(paragraph.no, paragraph.text) for paragraph in paragraphs]
    return SourceText(path, "utf-8", {}, lines, format="docx", html=html, notes=notes)


# Word (mammoth's HTML) to paragraphs.


@dataclass
class Run:
    """A piece of a paragraph's text with its style, or a note reference (*ref*: the note's id)."""

    text: str
    strong: bool = False
    em: bool = False
    href: str | None = None
    ref: str = ""


@dataclass
class Paragraph:
    """One paragraph of a Word file, as mammoth's HTML has it: a source line of its own."""

    kind: str  # "heading", "paragraph", "item", "cell" or "note"
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # a heading's level: the Title is 1, Heading 1 is 2 (a section of the title)
    depth: int = 0  # a list item's nesting depth, 0 at the top
    ordered: bool = False
    number: int = 0  # an ordered item's number
    table: int = 0  # a cell's table, row and column (from 1)
    row: int = 0
    column: int = 0
    note: str = ""  # a note's id (footnote-2, endnote-1)
    no: int = 0  # its line number
    images: list[str] = field(default_factory=list)  # the alt texts of its images ("" for none)
    links: list[str] = field(default_factory=list)  # the targets of links kept as text

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


_SPACE = re.compile(r"\s+")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad]")
_NOTE_ID = re.compile(r"(?:footnote|endnote)-\d+")


class _Reader(HTMLParser):
    """mammoth's HTML, one pass, no tree: the paragraphs in order, notes last (as mammoth writes them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self.current: Paragraph | None = None
        self.lists: list[list[int]] = []  # per open list: [ordered, next number]
        self.strong = self.em = 0
        self.links: list[str | None] = []
        self.skip = 0  # inside a note reference or a note's back link: its text is not text
        self.tables: list[list[int]] = []  # per open table: [table number, row, column]
        self.table_count = 0
        self.note = ""  # the note whose text is being read

    def _start(self, paragraph: Paragraph) -> None:
        self._end()
        self.current = paragraph

    def _end(self) -> None:
        if self.current is not None:
            runs = self.current.runs
            while runs and not runs[-1].ref and not runs[-1].text.strip():
                runs.pop()
            if runs:
                runs[-1].text = runs[-1].text.rstrip()
            if self.current.text.strip() or self.current.images:
                self.paragraphs.append(self.current)
        self.current = None

    def _kind(self) -> Paragraph:
        if self.note:
            return Paragraph("note", note=self.note)
        if self.tables:
            table, row, column = self.tables[-1]
            return Paragraph("cell", table=table, row=row, column=column)
        return Paragraph("paragraph")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):  # the Title above Heading 1, Heading N at level N + 1
            title = "title" in (attributes.get("class") or "").split()
            self._start(Paragraph("heading", level=1 if title else int(tag[1]) + 1))
        elif tag == "p":
            if self.current is None or self.current.text.strip() or self.current.kind != "item":
                self._start(self._kind())
        elif tag in ("ul", "ol"):
            self._end()
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            identifier = attributes.get("id") or ""
            if _NOTE_ID.fullmatch(identifier):
                self.note = identifier
                self._start(Paragraph("note", note=identifier))
            elif self.lists and not self.tables:  # (a list in a table cell is text of the cell)
                ordered, number = self.lists[-1]
                self.lists[-1][1] += 1
                self._start(Paragraph("item", depth=len(self.lists) - 1, ordered=bool(ordered), number=number))
            else:
                self._start(self._kind())
        elif tag == "table":
            self._end()
            self.table_count += 1
            self.tables.append([self.table_count, 0, 0])
        elif tag == "tr" and self.tables:
            self.tables[-1][1] += 1
            self.tables[-1][2] = 0
        elif tag in ("td", "th") and self.tables:
            self.tables[-1][2] += 1
            self._start(self._kind())
        elif tag in ("strong", "b"):
            self.strong += 1
        elif tag in ("em", "i"):
            self.em += 1
        elif tag == "a":
            href = attributes.get("href") or ""
            identifier = attributes.get("id") or ""
            if identifier.startswith(("footnote-ref-", "endnote-ref-")) and href.startswith("#"):
                self._text_run(Run("", ref=href[1:]))
                self.skip += 1
            elif href.startswith(("#footnote-ref-", "#endnote-ref-")):
                self.skip += 1  # the back link at a note's end
            else:
                self.links.append(href or None)
                if href and not href.startswith("#") and self.current is not None:
                    self.current.links.append(href)
                return
            self.links.append("#skip")
        elif tag == "br":
            self._data(" ")
        elif tag == "img":
            alt = " ".join((attributes.get("alt") or "").split())
            if self.current is None:
                self._start(self._kind())
            assert self.current is not None
            self.current.images.append(alt)
            if alt:
                self._data(alt)

    def handle_endtag(self, tag: str) -> None:
        closes = tag in ("h1", "h2", "h3", "h4", "h5", "h6", "td", "th")
        if closes or (tag == "p" and (self.current is None or self.current.kind != "item")):
            self._end()
        elif tag == "li":
            self._end()
            if self.note:
                self.note = ""
        elif tag in ("ul", "ol"):
            self._end()
            if self.lists:
                self.lists.pop()
        elif tag == "table":
            self._end()
            if self.tables:
                self.tables.pop()
        elif tag in ("strong", "b"):
            self.strong = max(0, self.strong - 1)
        elif tag in ("em", "i"):
            self.em = max(0, self.em - 1)
        elif tag == "a" and self.links and self.links.pop() == "#skip":
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._data(data)

    def _data(self, data: str) -> None:
        text = _SPACE.sub(" ", _CONTROLS.sub("", data))
        if not text:
            return
        if self.current is None:
            if not text.strip():
                return
            self._start(self._kind())
        assert self.current is not None
        previous = self.current.text
        if not previous or previous.endswith(" "):
            text = text.lstrip()
        if text:
            href = next((link for link in reversed(self.links) if link != "#skip"), None) if self.links else None
            self._text_run(Run(text, self.strong > 0, self.em > 0, href))

    def _text_run(self, run: Run) -> None:
        if self.current is None:
            self._start(self._kind())
        assert self.current is not None
        self.current.runs.append(run)


def docx_paragraphs(html: str) -> list[Paragraph]:
    """The paragraphs of mammoth's HTML of a Word file, numbered from 1, body first, then its notes."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._end()
    body = [paragraph for paragraph in reader.paragraphs if paragraph.kind != "note"]
    notes = [paragraph for paragraph in reader.paragraphs if paragraph.kind == "note"]
    for number, paragraph in enumerate(body + notes, start=1):
        paragraph.no = number
    return body + notes
