"""Plain-text exports: text copied or extracted from a PDF (:class:`PdfText`), and a Word file
saved as plain text (:class:`WordText`). What each cannot express is said in its docstring."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import NamedTuple

from missiekaart.importer.readerwords import words_of

from .base import Shape, Written
from .model import (
    Doc,
    Heading,
    Inline,
    Item,
    ListBlock,
    Paragraph,
    Table,
    hyphens_joined,
    item_numbers,
    plain,
    section_numbers,
)

# ----------------------------------------------------------------------------- PDF


class PdfLine(NamedTuple):
    """A line of a PDF's body: its text, the notes referenced on it, and whether it stays on the
    page of the line after it (as a word processor keeps a term with its definition)."""

    text: str
    notes: tuple[int, ...] = ()
    keep: bool = False


def hyphenated(text: str, width: int) -> list[str]:
    """*text* in lines of at most *width* characters; a word of letters only that does not fit is
    broken after four letters or more, with a hyphen, when four letters or more go to the next line
    (as a word processor hyphenates: "coördi-" / "natie")."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if len(joined) <= width or not line:
            line = joined
            continue
        room = width - len(line) - 2  # the space before the word and the hyphen after its part
        if word.isalpha() and len(word) >= 8 and room >= 4:
            cut = min(room, len(word) - 4)
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


class PdfText(Shape):
    """Text copied or extracted from a PDF: pages end with a form feed; every page has a running
    footer and a "Pagina N van M" label, every page after the first a running header (the first
    line of the first page is the title); lines are wrapped at 72 characters, long words
    hyphenated at line ends; a note number is glued to its word ("overheid1") and the note's text
    stands at the bottom of the page; lists are `•`/`–` bullets and `1.` numbers, indented by depth
    as extract.py indents them; headings carry section numbers when the document says so.

    When the document says its bullets were lost (:attr:`Doc.lost_glyphs`), a bullet list loses
    the glyphs of its first two items (their text stays where it stood, past the bullet), and its
    other items at the top have a `–` and then `•`, as a PDF's fonts give them: one list to a
    reader, not a list and a sublist. Such a list does not start a page (a reader would take its
    first lines for the wrapped end of a list item before the break).

    What the shape cannot express: emphasis and link targets (the text stays); heading levels
    without section numbers; tables and definition lists (their words, as lines). A word
    hyphenated at a line's end is compared with its hyphen taken out (:func:`hyphens_joined`):
    the page keeps "coördi-natie", as the importer cannot tell it from "Oost-Vlaanderen"."""

    name = "pdf"
    suffix = ".txt"
    expresses = frozenset({"depth", "ordered", "footnotes"})
    lead_ins_are_ambiguous = True
    WIDTH = 72
    LINES = 24  # body lines a page holds at most

    def features(self, doc: Doc) -> frozenset[str]:
        return self.expresses | ({"levels"} if doc.numbered else set())

    def numbers(self, doc: Doc) -> dict[int, str]:
        return section_numbers(doc) if doc.numbered else {}

    def words(self, text: str) -> list[str]:
        return hyphens_joined(text)

    def write(self, doc: Doc, folder: Path) -> Written:
        numbers = self.numbers(doc)
        body: list[PdfLine] = [PdfLine(doc.title)]
        lost = self.lost_glyphs(doc)
        for index, block in enumerate(doc.blocks):
            body.append(PdfLine(""))
            if isinstance(block, Heading):
                body.append(PdfLine((numbers[index] + " " if numbers else "") + block.text))
            elif isinstance(block, Paragraph):
                body += self.wrapped(block.text, "", "")
            elif isinstance(block, ListBlock):
                for at, (item, number) in enumerate(zip(block.items, item_numbers(block.items), strict=True)):
                    marker = f"{number}." if item.ordered else "•–"[item.depth % 2]
                    if block is lost and at < 2:  # the glyph is lost, the text stands where it stood
                        if at == 0:  # no page break right before: a page would start with lines a reader
                            # takes for the wrapped end of the item before the break
                            body[-2:] = [line._replace(keep=True) for line in body[-2:]]
                        body.append(PdfLine("    " + plain(item.text), keep=True))
                        continue
                    if block is lost and item.depth == 0:
                        marker = "–" if at == 2 else "•"
                    indent = "    " * item.depth + "  "
                    body += self.wrapped(item.text, indent + marker + " ", indent + " " * (len(marker) + 1))
            elif isinstance(block, Table):
                body += [PdfLine("    ".join(row)) for row in block.rows]
            else:  # a term stays on the page of its definition
                for term, text in block.entries:
                    body.append(PdfLine(term, keep=True))
                    body += [PdfLine("    " + line) for line in textwrap.wrap(text, self.WIDTH)]
        return self.paginate(doc, body, folder)

    def lost_glyphs(self, doc: Doc) -> ListBlock | None:
        """The list whose first two bullets are lost, if the document says so: the first bullet
        list whose first three items are at its top, and whose first two fit on a line each."""
        if not doc.lost_glyphs:
            return None
        for block in doc.blocks:
            if (
                isinstance(block, ListBlock)
                and len(block.items) >= 3
                and all(item.depth == 0 for item in block.items[:3])
                and not any(item.ordered for item in block.items if item.depth == 0)
                and all(len(plain(item.text)) <= self.WIDTH - 4 for item in block.items[:2])
            ):
                return block
        return None

    def wrapped(self, inline: Inline, first: str, rest: str) -> list[PdfLine]:
        """Lines of *inline*, wrapped, with the notes each line references; long words hyphenated."""
        lines = hyphenated(plain(inline, "{}"), self.WIDTH - len(first))  # a note number glued to its word
        notes = {piece.text for piece in inline if piece.kind == "note"}
        return [
            PdfLine(
                (first if index == 0 else rest) + line,
                tuple(int(number) for number in re.findall(r"(?<=[^\W\d_])(\d+)(?!\w)", line) if number in notes),
            )
            for index, line in enumerate(lines)
        ]

    def paginate(self, doc: Doc, body: list[PdfLine], folder: Path) -> Written:
        """Pages of at most LINES lines, three pages at least (a running header from the second page
        on is found where it repeats); a page breaks at any line, a paragraph's or a list's too, but
        not after a line that keeps with the next."""
        per_page = max(2, min(self.LINES, -(-len(body) // 3)))
        pages: list[list[PdfLine]] = [[]]
        for line in body:
            if len(pages[-1]) >= per_page:
                kept: list[PdfLine] = []
                while pages[-1] and pages[-1][-1].keep:
                    kept.insert(0, pages[-1].pop())
                pages.append(kept)
            if line.text or pages[-1]:
                pages[-1].append(line)
        while len(pages) < 3:
            pages.append([])
        _no_repeated_edges(pages)
        out: list[str] = []
        header, footer = f"Jaarverslag 2024 | {doc.title}", "Vzw Voorbeeld, Kerkstraat 1, 9000 Gent"
        for number, page in enumerate(pages, start=1):
            lines = [] if number == 1 else [header, ""]
            lines += [line.text for line in page]
            notes = [note for line in page for note in line.notes]
            if notes:
                lines.append("")
                lines += [f"{note} {doc.notes[note - 1]}" for note in notes]
            lines += ["", footer, f"Pagina {number} van {len(pages)}"]
            out.append("\n".join(lines))
        path = folder / f"{self.name}.txt"
        path.write_text("\n\f".join(out) + "\n", encoding="utf-8")
        return Written(path, [*words_of(header), *words_of(footer), "Pagina", "van"])


def _no_repeated_edges(pages: list[list[PdfLine]]) -> None:
    """Move page breaks so that no page's first or last line is another page's (the importer's rule:
    a line repeated at the same edge of two pages is a running header or footer; a document does
    not repeat a line at a page's edge, but a generated one may)."""
    for _ in range(10 * len(pages)):
        seen: dict[tuple[bool, str], int] = {}
        repeat: tuple[int, bool, int] | None = None
        for number, page in enumerate(pages):
            lines = [line.text for line in page if line.text.strip()]
            for top, line in ((True, lines[:1]), (False, lines[-1:])):
                key = (top, re.sub(r"\d+", "#", " ".join(" ".join(line).split())))
                if line and key in seen and repeat is None:
                    repeat = (number, top, seen[key])
                seen.setdefault(key, number)
        if repeat is None:
            return
        number, top, earlier = repeat
        if top:  # the page's first line goes to the end of the page before it (with the lines it keeps with)
            while pages[number] and not pages[number][0].text.strip():
                pages[number].pop(0)
            pages[number - 1].append(pages[number].pop(0))
            while pages[number] and pages[number - 1][-1].keep:
                pages[number - 1].append(pages[number].pop(0))
        else:  # the last line of a page (not the last page) goes to the next (with the lines kept with it)
            page = number if number + 1 < len(pages) else earlier
            while pages[page] and not pages[page][-1].text.strip():
                pages[page].pop()
            pages[page + 1].insert(0, pages[page].pop())
            while pages[page] and pages[page][-1].keep:
                pages[page + 1].insert(0, pages[page].pop())


# ----------------------------------------------------------------------------- Word saved as text


class WordText(Shape):
    """Text saved from Word as plain text: numbered headings ("1.", "1.1", "1.0.1" for a skipped
    level), bullets `•` and `o` (the second level, as Word writes it), numbers `1.` and letters
    `a.` below them; deeper levels indented by a tab each; `*` and `**` around emphasis (as the
    word-emphasis case). A paragraph is one line.

    What the shape cannot express: links (their text stays), footnotes (their texts stand at the
    end, without the references), tables and definition lists (their words, as lines)."""

    name = "word"
    suffix = ".txt"
    expresses = frozenset({"levels", "depth", "emphasis"})
    lead_ins_are_ambiguous = True

    def numbers(self, doc: Doc) -> dict[int, str]:
        return {index: number + ("." if "." not in number else "") for index, number in section_numbers(doc).items()}

    def item_label(self, item: Item, number: int) -> str:
        return f"{chr(ord('a') + number - 1)}." if item.ordered and item.depth else ""

    def write(self, doc: Doc, folder: Path) -> Written:
        numbers = self.numbers(doc)
        lines = [doc.title]
        for index, block in enumerate(doc.blocks):
            lines.append("")
            if isinstance(block, Heading):
                lines.append(f"{numbers[index]} {block.text}")
            elif isinstance(block, Paragraph):
                lines.append(self.inline(block.text))
            elif isinstance(block, ListBlock):
                for item, number in zip(block.items, item_numbers(block.items), strict=True):
                    if item.depth == 0:
                        marker = f"{number}." if item.ordered else "•"
                    else:
                        marker = self.item_label(item, number) or "o"
                    lines.append("\t" * max(0, item.depth - 1) + f"{marker}\t{self.inline(item.text)}")
            elif isinstance(block, Table):
                lines += ["\t".join(row) for row in block.rows]
            else:
                for term, text in block.entries:
                    lines += [term, "\t" + text]
        if doc.notes:
            lines += ["", *doc.notes]
        path = folder / f"{self.name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return Written(path)

    @staticmethod
    def inline(inline: Inline) -> str:
        out: list[str] = []
        for piece in inline:
            if piece.kind == "punct":
                out.append(piece.text)
            elif piece.kind != "note":
                text = {
                    "em": f"*{piece.text}*",
                    "strong": f"**{piece.text}**",
                    "initial": f"**{piece.text[:1]}**{piece.text[1:]}",
                }.get(piece.kind, piece.text)
                out.append((" " if out else "") + text)
        return "".join(out)
