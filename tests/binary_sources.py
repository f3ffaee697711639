"""PDF and Word source files made by the tests: fpdf2 lays out PDFs, python-docx writes Word files.

``python tests/binary_sources.py`` writes the committed regression cases made here into
``tests/importer/cases/`` (``pdf-file-*.pdf``, ``word-file-*.docx``); the cases
``*-libreoffice-*`` were exported once by LibreOffice 7.4 from a flat ODT (real fonts, footnotes,
a header and a footer on every page) and are kept as they are.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

CASES = Path(__file__).parent / "importer" / "cases"

# A page is a list of (kind, ...) items: "title", "h" (heading), "p" (lines; "^N" a raised note
# number), "b1"/"b2"/"n" (bullet, nested bullet, numbered item: marker and text), "fn" (a note at
# the page bottom: number and text).
POLICY_PLAN = [
    [
        ("title", "De Brug vzw"),
        ("h", "Onze missie"),
        (
            "p",
            [
                "De Brug ondersteunt gezinnen in kwetsbare situaties. De dienst werd erkend door de",
                "overheid^1 en werkt in de hele regio met vrijwilligers en professionals, die samen-",
                "werken aan een sterk sociaal netwerk rond elk gezin.",
            ],
        ),
        ("h", "Wat we doen"),
        ("p", ["Wij bieden:"]),
        ("b1", "•", "begeleiding op maat van elk gezin"),
        ("b1", "•", "vorming en ontmoeting voor"),
        ("b2", "–", "ouders"),
        ("b2", "–", "kinderen en jongeren"),
        ("b1", "•", "een plek waar iedereen welkom is."),
        ("p", ["Onze werking is laagdrempelig en gratis. We werken samen met scholen, het OCMW en de"]),
        ("fn", "1", "Via het Agentschap Opgroeien, sinds 2019."),
    ],
    [
        ("p", ["buurtwerking, zodat elke vraag snel bij de juiste partner terechtkomt."]),
        ("h", "Kernwaarden"),
        ("n", "1.", "Respect voor elk gezin en zijn eigen keuzes."),
        ("n", "2.", "Samenwerking met partners in de buurt."),
        ("n", "3.", "Zelfredzaamheid: we versterken wat gezinnen zelf kunnen."),
        ("h", "Hoe we werken"),
        (
            "p",
            [
                "Elk gezin krijgt een vaste begeleider^2. Die begeleider volgt het gezin op zolang dat nodig",
                "is en zoekt samen met het gezin naar oplossingen die passen bij hun buurt.",
            ],
        ),
        ("fn", "2", "Een maatschappelijk werker of een ervaren vrijwilliger."),
    ],
    [
        ("h", "Contact"),
        ("p", ["Meer weten? Kom langs in ons huis aan de Brugstraat 12 in Gent."]),
    ],
]


def write_pdf(path: Path, pages: list | None = None, repeat: int = 1, header: str = "Beleidsplan 2024 – De Brug vzw"):
    """A PDF laid out like a policy plan: a running header from page 2, "Pagina N van M" at the bottom."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    pdf.core_fonts_encoding = "windows-1252"
    every = (pages or POLICY_PLAN) * repeat
    for number, page in enumerate(every, start=1):
        pdf.add_page()
        if header and number > 1:
            pdf.set_font("helvetica", "", 8)
            pdf.set_xy(20, 10)
            pdf.cell(0, 4, header)
        y = 25.0
        for index, item in enumerate(page):
            kind = item[0]
            if kind == "title":
                pdf.set_font("helvetica", "B", 20)
                pdf.set_xy(20, y)
                pdf.cell(0, 10, item[1])
                y += 16
            elif kind == "h":
                pdf.set_font("helvetica", "B", 14)
                pdf.set_xy(20, y + 3)
                pdf.cell(0, 7, item[1])
                y += 13
            elif kind == "p":
                for text in item[1]:
                    x = 20.0
                    for piece in re.split(r"(\^\d+)", text):
                        if piece.startswith("^"):
                            pdf.set_font("helvetica", "", 7)
                            pdf.set_xy(x, y - 0.2)
                            width = pdf.get_string_width(piece[1:])
                            pdf.cell(width, 4, piece[1:])
                        elif piece:
                            pdf.set_font("helvetica", "", 11)
                            pdf.set_xy(x, y)
                            width = pdf.get_string_width(piece)
                            pdf.cell(width, 5.5, piece)
                        else:
                            width = 0
                        x += width
                    y += 5.5
                y += 4
            elif kind in ("b1", "b2", "n"):
                indent = 32 if kind == "b2" else 25
                pdf.set_font("helvetica", "", 11)
                pdf.set_xy(indent, y)
                pdf.cell(5, 5.5, item[1])
                pdf.set_xy(indent + 6, y)
                pdf.cell(0, 5.5, item[2])
                y += 6
                if index + 1 == len(page) or page[index + 1][0] not in ("b1", "b2", "n"):
                    y += 4
            elif kind == "fn":
                pdf.set_font("helvetica", "", 8)
                pdf.set_xy(20, 262)
                pdf.cell(4, 4, item[1])
                pdf.set_xy(24, 262)
                pdf.cell(0, 4, item[2])
        pdf.set_font("helvetica", "", 9)
        pdf.set_xy(0, 280)
        pdf.cell(210, 5, f"Pagina {number} van {len(every)}", align="C")
    pdf.output(str(path))
    return path


def hyperlink(paragraph, text: str, url: str) -> None:
    """A hyperlink run (python-docx has no API for one); a target starting with "#" is internal."""
    link = OxmlElement("w:hyperlink")
    if url.startswith("#"):
        link.set(qn("w:anchor"), url[1:])
    else:
        relation = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def list_level(paragraph, document, level: int, style: str = "List Bullet", glyph: str | None = None) -> None:
    """Put a list paragraph at *level* (0 is the top) of its *style*'s list, adding the level to the
    list's definition if python-docx's template lacks it (drawn with *glyph*, if given)."""
    number = document.styles[style].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract = numbering.xpath(f'w:num[@w:numId="{number}"]/w:abstractNumId/@w:val')[0]
    levels = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract}"]')[0]
    names = {"w": qn("w:x")[1:].partition("}")[0]}
    if not levels.xpath(f'w:lvl[@w:ilvl="{level}"]', namespaces=names):  # python-docx's template: the top level only
        deeper = copy.deepcopy(levels.xpath('w:lvl[@w:ilvl="0"]', namespaces=names)[0])
        deeper.set(qn("w:ilvl"), str(level))
        for removed in deeper.xpath("w:pStyle", namespaces=names):
            deeper.remove(removed)
        if glyph is not None:
            deeper.xpath("w:lvlText", namespaces=names)[0].set(qn("w:val"), glyph)
        levels.append(deeper)
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", number)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(value))
        numbering.append(element)
    properties.append(numbering)


def write_docx(path: Path) -> Path:
    """A Word file with headings, nested lists, bold lead-ins, a table and a hyperlink."""
    document = docx.Document()
    document.add_paragraph("De Brug vzw", style="Title")
    document.add_heading("Onze missie", level=1)
    document.add_paragraph(
        "De Brug ondersteunt gezinnen in kwetsbare situaties, met vrijwilligers en professionals die samen "
        "een sterk sociaal netwerk rond elk gezin bouwen."
    )
    document.add_heading("Wat we doen", level=1)
    document.add_paragraph("Wij bieden:")
    document.add_paragraph("begeleiding op maat van elk gezin", style="List Bullet")
    document.add_paragraph("vorming en ontmoeting voor", style="List Bullet")
    for text in ("ouders", "kinderen en jongeren"):  # demoted with Tab, as Word does: level 2 of the same list
        list_level(document.add_paragraph(text, style="List Bullet"), document, 1, glyph="–")
    document.add_paragraph("een plek waar iedereen welkom is", style="List Bullet")
    document.add_heading("Kernwaarden", level=1)
    for lead, rest in [("Respect", ": voor elk gezin."), ("Samenwerking", ": met de buurt."), ("Zorg", ": *altijd*.")]:
        item = document.add_paragraph(style="List Number")
        item.add_run(lead).bold = True
        item.add_run(rest)
    document.add_heading("Aanbod", level=2)
    table = document.add_table(rows=3, cols=2)
    rows = [("Dienst", "Voor wie"), ("Huiswerkklas", "Kinderen | jongeren"), ("Café", "")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    contact = document.add_paragraph("Meer weten? Kijk op ")
    hyperlink(contact, "onze website", "https://www.debrug.be")
    contact.add_run(" of lees ons ")
    italic = contact.add_run("jaarverslag")
    italic.italic = True
    contact.add_run(".")
    document.save(str(path))
    return path


def write_docx_paragraphs(path: Path, paragraphs: list[str]) -> Path:
    """A Word file of plain paragraphs (none: an empty document)."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


if __name__ == "__main__":
    write_pdf(CASES / "pdf-file-policy-plan.pdf")
    write_docx(CASES / "word-file-structure.docx")
    sys.exit(0)
