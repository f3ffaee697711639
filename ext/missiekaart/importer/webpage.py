"""A web page saved from a browser: its main content, through the HTML reader.

The page's ``<title>`` is not reader text of the organisation's mission (the browser shows it in
its tab); what is in ``<body>`` is read by :func:`.html.html_blocks`, which leaves out what no
reader sees and the site's chrome (navigation, the page's own header, footer and aside, forms,
cookie banners), each left-out piece itemised in the report.
"""

from __future__ import annotations

from dataclasses import replace

from .html import html_blocks
from .model import Document
from .writer import Out

__all__ = ["web_page"]


def web_page(doc: Document) -> Document:
    """The page's main content as blocks."""
    if not doc.source.lines:
        return doc
    first_line = doc.source.lines[0][0]
    out = Out(first_line)
    html_blocks("\n".join(text for _, text in doc.source.lines), out, first_line, whole=True)
    return replace(
        doc,
        blocks=doc.blocks + tuple(out.blocks),
        dropped=doc.dropped + tuple(out.dropped),
        decisions=doc.decisions + tuple(out.decisions),
    )
