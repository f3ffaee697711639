"""A real Word file, made with python-docx: styles for the title and headings, numbering levels
for nested lists, bold and italic runs, hyperlinks, a table, and footnotes (a ``footnotes.xml``
part written directly: python-docx has no API for them)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from binary_sources import hyperlink, list_level

from .base import Shape, Written
from .model import Doc, Heading, Inline, ListBlock, Paragraph, Table

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class Docx(Shape):
    """A Word file made with python-docx: Title and Heading 1-4 styles, List Bullet and List Number
    paragraphs put at their level of the list (numbering ``w:ilvl``), bold and italic runs,
    hyperlinks, a table, footnotes (a ``footnotes.xml`` part written directly: python-docx has no
    footnote API) and a definition list as a bold term paragraph and its definition."""

    name = "docx"
    suffix = ".docx"
    expresses = frozenset({"levels", "depth", "ordered", "emphasis", "links", "footnotes", "tables"})

    def write(self, doc: Doc, folder: Path) -> Written:
        import docx
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        document = docx.Document()
        document.add_paragraph(doc.title, style="Title")
        for block in doc.blocks:
            if isinstance(block, Heading):
                document.add_heading(block.text, level=block.level)
            elif isinstance(block, Paragraph):
                self.runs(document.add_paragraph(), block.text)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    style = "List Number" if item.ordered else "List Bullet"
                    paragraph = document.add_paragraph(style=style)
                    list_level(paragraph, document, item.depth, style)
                    self.runs(paragraph, item.text)
            elif isinstance(block, Table):
                table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
                for row, cells in zip(table.rows, block.rows, strict=True):
                    for cell, text in zip(row.cells, cells, strict=True):
                        cell.text = text
            else:
                for term, text in block.entries:
                    document.add_paragraph().add_run(term).bold = True
                    document.add_paragraph(text)
        if doc.notes:
            notes = "".join(
                f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {xml_escape(text)}</w:t></w:r></w:p></w:footnote>'
                for number, text in enumerate(doc.notes, start=1)
            )
            xml = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NAMESPACE}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                f"</w:p></w:footnote>{notes}</w:footnotes>"
            )
            part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, xml.encode(), document.part.package)
            document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        path = folder / f"{self.name}.docx"
        document.save(str(path))
        return Written(path)

    @staticmethod
    def runs(paragraph: object, inline: Inline) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for index, piece in enumerate(inline):
            space = "" if piece.kind in ("punct", "note") or index == 0 else " "
            if piece.kind == "note":
                run = OxmlElement("w:r")
                properties = OxmlElement("w:rPr")
                align = OxmlElement("w:vertAlign")
                align.set(qn("w:val"), "superscript")
                properties.append(align)
                run.append(properties)
                reference = OxmlElement("w:footnoteReference")
                reference.set(qn("w:id"), piece.text)
                run.append(reference)
                paragraph._p.append(run)  # type: ignore[attr-defined]
            elif piece.kind == "link":
                if space:
                    paragraph.add_run(space)  # type: ignore[attr-defined]
                hyperlink(paragraph, piece.text, piece.href)
            elif piece.kind == "initial":
                paragraph.add_run(space)  # type: ignore[attr-defined]
                paragraph.add_run(piece.text[:1]).bold = True  # type: ignore[attr-defined]
                paragraph.add_run(piece.text[1:])  # type: ignore[attr-defined]
            else:
                if space:
                    paragraph.add_run(space)  # type: ignore[attr-defined]
                run = paragraph.add_run(piece.text)  # type: ignore[attr-defined]
                run.bold = piece.kind == "strong" or None
                run.italic = piece.kind == "em" or None
