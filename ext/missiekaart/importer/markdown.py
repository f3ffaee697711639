"""Markdown passes for static-site exports (Jekyll, Hugo, Astro, Eleventy).

Their Markdown is their structure: it is parsed with markdown-it-py and written back as MyST.
Front-matter fields that hold what a reader saw come first, in order; template code is dropped
and reported; raw HTML keeps only its text; links keep their text, and their target only when it
is absolute (``http(s)://`` or ``mailto:``); images keep their alt text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .inline import escape, escape_line_start, render_inline
from .model import Block, Decision, Document, Dropped, Line

__all__ = ["front_matter_text", "markdown_body", "strip_templates"]

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]  # every link is parsed, to drop its target
# Liquid / Jinja / Nunjucks statements, expressions and comments; Hugo shortcodes are expressions too.
_TEMPLATE_ENDS = {"{%": "%}", "{{": "}}", "{#": "#}"}
_TEMPLATE_START = re.compile(r"\{[%{#]")
_KEPT_LINK = re.compile(r"(?:https?://|mailto:)\S+", re.I)
_HTML_NOT_TEXT = ("script", "style", "template", "noscript")
_BREAKS = ("softbreak", "hardbreak")

HEADING_KEYS = ("title", "heading", "headline")
TEXT_KEYS = ("subtitle", "description", "summary", "lead", "intro", "tagline", "excerpt", "text", "content", "body")
# Mappings that describe the page rather than show text on it.
META_KEYS = (
    "seo",
    "meta",
    "og",
    "opengraph",
    "twitter",
    "social",
    "publisher",
    "author",
    "authors",
    "menu",
    "params",
    "cascade",
    "build",
    "sitemap",
    "image",
    "images",
    "resources",
    "outputs",
)


@dataclass
class _Out:
    """What rendering a Markdown text produced: blocks, and the choices made on the way."""

    first_line: int  # the source line of the text's first line
    heading_offset: int = 0
    blocks: list[Block] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def strip_templates(text: str, first_line: int) -> tuple[str, list[Dropped]]:
    """Remove template code, keeping the line breaks inside it; each removal is reported with its line.

    Template code is ``{% ... %}``, ``{{ ... }}`` or ``{# ... #}``, each to its first end, read
    from left to right as the expression ``\\{%.*?%\\}|\\{\\{.*?\\}\\}|\\{#.*?#\\}`` would read it.
    That expression looked for the end again from every opening without one (66,000 ``{{``
    took most of a minute); an opening whose end is missing now says so for every later one.
    """
    dropped: list[Dropped] = []
    kept: list[str] = []
    unclosed: set[str] = set()  # openings with no end after them: none after them has one either
    line, counted = first_line, 0  # the line of position *counted*
    position = 0  # the text before this is done
    search = 0
    while match := _TEMPLATE_START.search(text, search):
        start = match.start()
        opening = match.group()
        end = -1 if opening in unclosed else text.find(_TEMPLATE_ENDS[opening], start + 2)
        if end < 0:
            unclosed.add(opening)
            search = start + 1
            continue
        end += 2
        code = text[start:end]
        line += text.count("\n", counted, start)
        counted = start
        dropped.append(Dropped(line, " ".join(code.split()), "template code"))
        kept += [text[position:start], "\n" * code.count("\n")]
        position = search = end
    return "".join([*kept, text[position:]]), dropped


def _backticks(text: str, at_least: int = 1) -> str:
    """A run of backticks longer than any in *text*, to fence it."""
    return "`" * max(at_least, max((len(run) for run in re.findall("`+", text)), default=0) + 1)


def _code(text: str) -> str:
    fence = _backticks(text)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _text(content: str) -> str:
    """Escaped text; stars CommonMark left unpaired (``**bold **text``) pair as the plain-text importer pairs them."""
    if "*" not in content or not content.strip():
        return escape(content)
    lead, trail = content[: len(content) - len(content.lstrip())], content[len(content.rstrip()) :]
    return lead + render_inline(content) + trail


def _inline(node: SyntaxTreeNode, line: int, out: _Out) -> tuple[str, list[Line]]:
    """An inline node's MyST text and its reader text, piece by piece with source lines."""
    myst: list[str] = []
    pieces: list[Line] = []

    def text(shown: str, written: str) -> None:
        myst.append(written)
        if shown.strip():
            pieces.append(Line(line, 0, shown))

    for child in node.children:
        kind = child.type
        breaks = sum(1 for grandchild in child.walk(include_self=False) if grandchild.type in _BREAKS)
        if kind == "text":
            text(child.content, _text(child.content))
        elif kind in _BREAKS:
            myst.append(" ")
            line += 1
        elif kind == "code_inline":
            text(child.content, _code(child.content))
        elif kind in ("em", "strong"):
            inner, inner_pieces = _inline(child, line, out)
            mark = "*" if kind == "em" else "**"
            myst.append(f"{mark}{inner}{mark}" if inner.strip() else inner)
            pieces += inner_pieces
        elif kind == "s":
            inner, inner_pieces = _inline(child, line, out)
            myst.append(inner)
            pieces += inner_pieces
        elif kind == "link":
            inner, inner_pieces = _inline(child, line, out)
            href = str(child.attrs.get("href", ""))
            pieces += inner_pieces
            if _KEPT_LINK.fullmatch(href) and inner.strip():
                myst.append(f"[{inner}](<{href}>)")
            else:
                myst.append(inner)
                out.decisions.append(Decision(line, f"link to {href!r} kept as its text only"))
        elif kind == "image":
            alt = "".join(grandchild.content for grandchild in child.walk() if grandchild.type == "text")
            text(alt, escape(alt))
            out.decisions.append(Decision(line, f"image {child.attrs.get('src', '')!r} kept as its alt text {alt!r}"))
        elif kind == "html_inline":
            out.decisions.append(Decision(line, f"raw HTML tag dropped: {child.content!r}"))
        line += breaks  # the line breaks inside emphasis or a link
    return "".join(myst), pieces


def _html_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.find_all(_HTML_NOT_TEXT):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def _container(node: SyntaxTreeNode, out: _Out) -> tuple[list[str], list[Line]]:
    """A block node inside a list or quote (or at the top) as MyST lines and reader text."""
    line = out.first_line + (node.map[0] if node.map else 0)
    kind = node.type
    if kind in ("paragraph", "heading"):
        myst, pieces = _inline(node.children[0], line, out)
        if kind == "heading":  # a heading inside a list or quote stays text, in bold
            myst = f"**{myst}**"
        return [escape_line_start(myst)], pieces
    if kind in ("bullet_list", "ordered_list"):
        lines: list[str] = []
        pieces = []
        number = int(str(node.attrs.get("start", 1)))
        for item in node.children:
            marker = f"{number}{item.markup or '.'}" if kind == "ordered_list" else "-"
            number += 1
            body, item_pieces = _children(item, out)
            pad = " " * (len(marker) + 1)
            lines += [f"{marker} {body[0]}" if body else marker] + [pad + text if text else "" for text in body[1:]]
            pieces += item_pieces
        return lines, pieces
    if kind == "blockquote":
        body, pieces = _children(node, out)
        return [f"> {text}" if text else ">" for text in body], pieces
    if kind in ("code_block", "fence"):
        content = node.content.rstrip("\n")
        fence = _backticks(content, 3)
        return [f"{fence}text", *content.split("\n"), fence], [
            Line(line + 1 + i, 0, text) for i, text in enumerate(content.split("\n"))
        ]
    if kind == "html_block":
        shown = _html_text(node.content)
        out.decisions.append(Decision(line, "raw HTML block kept as its text only"))
        return ([escape_line_start(escape(shown))], [Line(line, 0, shown)]) if shown else ([], [])
    if kind == "table":
        return _table(node, out)
    if kind == "hr":
        return ["---"], []
    return [], []


def _children(node: SyntaxTreeNode, out: _Out) -> tuple[list[str], list[Line]]:
    lines: list[str] = []
    pieces: list[Line] = []
    for child in node.children:
        body, child_pieces = _container(child, out)
        if body:
            tight = (child.type == "paragraph" and child.hidden) or (lines and node.children[0].hidden)
            lines += ([""] if lines and not tight else []) + body
        pieces += child_pieces
    return lines, pieces


def _table(node: SyntaxTreeNode, out: _Out) -> tuple[list[str], list[Line]]:
    rows: list[list[str]] = []
    pieces: list[Line] = []
    for row in (tr for section in node.children for tr in section.children):
        line = out.first_line + (row.map[0] if row.map else 0)
        cells = [_inline(cell.children[0], line, out) if cell.children else ("", []) for cell in row.children]
        rows.append([myst for myst, _ in cells])
        pieces += [piece for _, cell_pieces in cells for piece in cell_pieces]
    if not rows:
        return [], []
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return lines + ["| " + " | ".join(row) + " |" for row in rows[1:]], pieces


def _render(text: str, out: _Out) -> None:
    """Parse Markdown *text* and append its blocks to *out*: headings and rules stay blocks, the rest MyST."""
    for node in SyntaxTreeNode(_PARSER.parse(text)).children:
        line = out.first_line + (node.map[0] if node.map else 0)
        if node.type == "heading":
            myst, pieces = _inline(node.children[0], line, out)
            level = int(node.tag[1:]) + out.heading_offset
            out.blocks.append(Block("heading", tuple(pieces), level=level, myst=myst))
        elif node.type == "hr":
            out.blocks.append(Block("rule", (Line(line, 0, node.markup),)))
        else:
            body, pieces = _container(node, out)
            if body:
                out.blocks.append(Block("myst", tuple(pieces), myst="\n".join(body)))


def _scalar_line(node: yaml.Node) -> int:
    """The file line of a front matter scalar's text (the YAML starts on line 2, after '---')."""
    block_scalar = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
    return node.start_mark.line + 2 + block_scalar


def _fields(node: yaml.Node, depth: int, out: _Out) -> None:
    """The reader text of a front matter mapping or list, in order: titles as headings, texts as Markdown."""
    entries = node.value if isinstance(node, yaml.MappingNode) else [(None, item) for item in node.value]
    for key_node, value in entries:
        key = str(key_node.value).lower() if key_node is not None else ""
        if isinstance(value, (yaml.MappingNode, yaml.SequenceNode)) and key not in META_KEYS:
            _fields(value, depth + isinstance(value, yaml.SequenceNode), out)
        elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str") and value.value.strip():
            if key in HEADING_KEYS:
                line = _scalar_line(value)
                myst, pieces = _inline(
                    SyntaxTreeNode(_PARSER.parseInline(value.value.strip())).children[0], line, _Out(line)
                )
                out.blocks.append(Block("heading", tuple(pieces), level=depth, myst=myst))
            elif key in TEXT_KEYS:
                out.first_line, out.heading_offset = _scalar_line(value), depth
                _render(value.value, out)


def front_matter_text(doc: Document) -> Document:
    """The front matter's reader text as blocks: the page's title, description, and sections in order."""
    if doc.source.front_matter_node is None or not isinstance(doc.source.front_matter_node, yaml.MappingNode):
        return doc
    out = _Out(1)
    _fields(doc.source.front_matter_node, 1, out)
    return replace(doc, blocks=doc.blocks + tuple(out.blocks), decisions=doc.decisions + tuple(out.decisions))


def markdown_body(doc: Document) -> Document:
    """The Markdown body, without template code, as blocks."""
    if not doc.source.lines:
        return doc
    first_line = doc.source.lines[0][0]
    text, dropped = strip_templates("\n".join(text for _, text in doc.source.lines), first_line)
    out = _Out(first_line)
    _render(text, out)
    return replace(
        doc,
        blocks=doc.blocks + tuple(out.blocks),
        dropped=doc.dropped + tuple(dropped),
        decisions=doc.decisions + tuple(out.decisions),
    )
