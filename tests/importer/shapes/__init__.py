"""Documents in a small model, and the export shapes an organisation's text arrives in.

The round trip (``test_roundtrip.py``) draws a document, writes it in each shape, imports the
file and checks the page against the document. Where to find what:

- :mod:`.model`: the document (title, headings, paragraphs, lists, a table, definitions, notes)
  and its reader words;
- :mod:`.strategies`: :func:`documents`, the hypothesis strategy that draws one;
- :mod:`.base`: :class:`Shape`, what every shape is: a writer, and what it can express
  (:attr:`Shape.expresses`: plain text has no links, a PDF's text no emphasis);
- :mod:`.static_sites`: Jekyll (YAML front matter, kramdown) and Hugo (TOML front matter,
  shortcodes, template prose);
- :mod:`.web_pages`: a web page saved from a browser, and a Markdown file whose body is HTML;
- :mod:`.plain_text`: PDF-like text (pages, page labels, running headers, notes at page
  bottoms, hyphenated line ends, lost bullets) and Word-like text;
- :mod:`.word_files`: a real ``.docx`` made with python-docx.

What is still ambiguous in a shape (a reader could read it two ways) is said where the shape
is written, and the round trip does not ask for it.
"""

from .base import Shape, Written
from .model import Doc, Heading, Item, ListBlock, Paragraph, Piece, Tokens, plain
from .plain_text import PdfText, WordText
from .static_sites import Hugo, Jekyll
from .strategies import documents
from .web_pages import WebPage, ZolaHtmlBody
from .word_files import Docx

__all__ = [
    "SHAPES",
    "Doc",
    "Heading",
    "Item",
    "ListBlock",
    "Paragraph",
    "Piece",
    "Shape",
    "Tokens",
    "Written",
    "documents",
    "plain",
]

SHAPES: list[Shape] = [Jekyll(), Hugo(), WebPage(), ZolaHtmlBody(), PdfText(), WordText(), Docx()]
