"""HTML exports: a web page saved from a browser (with the site's navigation, header, footer and
cookie banner around the document) and a Markdown file whose body is HTML (Zola). Footnotes are
written as kramdown writes them on the web page (``<sup id="fnref:1">`` around the reference, a
``div.footnotes`` list whose items link back) and as pandoc writes them in the HTML body (the
reference's own id, ``<sup>`` inside it, an ``<hr />`` before the notes' ``section``)."""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

from missiekaart.importer.readerwords import words_of

from .base import Shape, Written
from .model import Doc, Heading, ListBlock, Paragraph, Table
from .static_sites import Jekyll, md_inline


def html_list(block: ListBlock, indent: str) -> list[str]:
    """Nested ``<ul>``/``<ol>``, each item's sublist inside it, indented."""
    lines: list[str] = []
    open_lists: list[str] = []  # tags of the open lists, innermost last
    for index, item in enumerate(block.items):
        while len(open_lists) > item.depth + 1:
            lines.append(indent + "  " * (2 * len(open_lists) - 2) + f"</li></{open_lists.pop()}>")
        if len(open_lists) == item.depth + 1 and index:
            lines[-1] += "</li>"
        if len(open_lists) < item.depth + 1:
            tag = "ol" if item.ordered else "ul"
            lines.append(indent + "  " * (2 * len(open_lists)) + f"<{tag}>")
            open_lists.append(tag)
        lines.append(indent + "  " * (2 * len(open_lists) - 1) + f"<li>{md_inline(item.text, html_tags=True)}")
    while open_lists:
        lines.append(indent + "  " * (2 * len(open_lists) - 2) + f"</li></{open_lists.pop()}>")
    return lines


def html_blocks(doc: Doc, indent: str, notes: str = "kramdown") -> list[str]:
    """HTML of the document's blocks, indented, a blank line between blocks (as templates write them);
    a heading of level L is ``<hL+1>`` (the title is ``<h1>``); the notes as *notes* writes them
    ("kramdown" or "pandoc")."""
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"{indent}<h{block.level + 1}>{html.escape(block.text)}</h{block.level + 1}>")
        elif isinstance(block, Paragraph):
            text = md_inline(block.text, html_tags=True)
            text = re.sub(r"\[\^(\d+)\]", _kramdown_reference if notes == "kramdown" else _pandoc_reference, text)
            wrapped = textwrap.wrap(text, 90, break_on_hyphens=False)
            out.append(
                "\n".join([f"{indent}<p>{wrapped[0]}", *(indent + "  " + line for line in wrapped[1:])]) + "</p>"
            )
        elif isinstance(block, ListBlock):
            out.append("\n".join(html_list(block, indent)))
        elif isinstance(block, Table):
            header, *rows = block.rows
            lines = [
                f"{indent}<table>",
                f"{indent}  <thead><tr>" + "".join(f"<th>{cell}</th>" for cell in header) + "</tr></thead>",
            ]
            lines += [f"{indent}  <tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
            out.append("\n".join([*lines, f"{indent}</table>"]))
        else:
            lines = [f"{indent}<dl>"]
            for term, text in block.entries:
                lines += [f"{indent}  <dt>{term}</dt>", f"{indent}  <dd>{html.escape(text)}</dd>"]
            out.append("\n".join([*lines, f"{indent}</dl>"]))
    if doc.notes and notes == "kramdown":
        items = [
            f'{indent}    <li id="fn:{number}" role="doc-endnote"><p>{html.escape(text)}&nbsp;'
            f'<a href="#fnref:{number}" class="reversefootnote" role="doc-backlink">&#8617;</a></p></li>'
            for number, text in enumerate(doc.notes, start=1)
        ]
        start = [f'{indent}<div class="footnotes" role="doc-endnotes">', f"{indent}  <ol>"]
        out.append("\n".join([*start, *items, f"{indent}  </ol>", f"{indent}</div>"]))
    elif doc.notes:
        items = [
            f'{indent}    <li id="fn{number}"><p>{html.escape(text)}<a href="#fnref{number}" class="footnote-back" '
            'role="doc-backlink">↩︎</a></p></li>'
            for number, text in enumerate(doc.notes, start=1)
        ]
        start = [f'{indent}<section id="footnotes" class="footnotes" role="doc-endnotes">', f"{indent}  <hr />"]
        out.append("\n".join([*start, f"{indent}  <ol>", *items, f"{indent}  </ol>", f"{indent}</section>"]))
    return out


def _kramdown_reference(match: re.Match[str]) -> str:
    """A note reference as kramdown writes it."""
    number = match.group(1)
    return (
        f'<sup id="fnref:{number}" role="doc-noteref"><a href="#fn:{number}" class="footnote" rel="footnote">'
        f"{number}</a></sup>"
    )


def _pandoc_reference(match: re.Match[str]) -> str:
    """A note reference as pandoc writes it."""
    number = match.group(1)
    return f'<a href="#fn{number}" class="footnote-ref" id="fnref{number}" role="doc-noteref"><sup>{number}</sup></a>'


NAVIGATION = "Home Over ons Nieuws Contact"
FOOTER = "© 2024 Vzw Voorbeeld Privacyverklaring Sitemap"
COOKIES = "Deze website gebruikt cookies om je bezoek te verbeteren Akkoord Weigeren"


class WebPage(Shape):
    """A web page saved from a browser: a ``<head>`` with title, style and script; a cookie
    banner, a header with the site's name and its navigation, the document in ``<main><article>``
    (its notes as kramdown writes them), a sidebar, and a footer."""

    name = "html"
    suffix = ".html"
    expresses = Jekyll.expresses

    def write(self, doc: Doc, folder: Path) -> Written:
        nav = "".join(
            f'<li><a href="/{word.lower()}">{word}</a></li>'
            for word in NAVIGATION.replace("Over ons", "Over_ons").split()
        )
        nav = nav.replace("Over_ons", "Over ons")
        lines = [
            "<!DOCTYPE html>",
            '<html lang="nl">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{html.escape(doc.title)} | Vzw Voorbeeld</title>",
            "<style>body { font-family: sans-serif; } .cookie { position: fixed; }</style>",
            "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>",
            "</head>",
            "<body>",
            '<div id="cookie-notice" class="cookie-banner"><p>Deze website gebruikt cookies om je bezoek te '
            "verbeteren.</p><button>Akkoord</button> <button>Weigeren</button></div>",
            '<header class="site-header">',
            '  <a href="/" class="logo">Vzw Voorbeeld</a>',
            f'  <nav aria-label="Hoofdmenu"><ul>{nav}</ul></nav>',
            "</header>",
            "<main>",
            "  <article>",
            f"    <h1>{html.escape(doc.title)}</h1>",
            *("\n".join(html_blocks(doc, "    ")).split("\n")),
            "  </article>",
            "</main>",
            "<footer>",
            '  <p>© 2024 Vzw Voorbeeld · <a href="/privacy">Privacyverklaring</a> · <a href="/sitemap">Sitemap</a></p>',
            "</footer>",
            "</body>",
            "</html>",
        ]
        path = folder / f"{self.name}.html"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return Written(path, [*words_of(NAVIGATION), *words_of(FOOTER), *words_of(COOKIES), "Vzw", "Voorbeeld"])


class ZolaHtmlBody(Shape):
    """A Markdown file whose body is HTML (Zola, many Hugo themes): TOML front matter, then HTML
    indented as a template writes it, with blank lines that Markdown would misread as code; its
    notes as pandoc writes them (the HTML pasted from a pandoc export)."""

    name = "zola"
    suffix = ".md"
    expresses = Jekyll.expresses

    def write(self, doc: Doc, folder: Path) -> Written:
        front = ["+++", f'title = "{doc.title}"', "date = 2021-03-04", "[extra]", 'layout = "wide"', "+++"]
        blocks = html_blocks(doc, "    ", notes="pandoc")
        body = ['<div class="row">', '  <div class="col-md-8">', *blocks, "  </div>", "</div>"]
        path = folder / f"{self.name}.md"
        path.write_text(
            "\n".join(front) + "\n" + "\n\n".join(body).replace("\n\n  </div>", "\n  </div>") + "\n", encoding="utf-8"
        )
        return Written(path)
