"""Markdown passes for static-site exports (Jekyll, Hugo, Zola, Astro, Eleventy).

Their Markdown is their structure: it is parsed with markdown-it-py (CommonMark, tables,
strikethrough, footnotes and definition lists) and written back as MyST. Front-matter fields that
hold what a reader saw come first, in order (:mod:`.frontmatter`). HTML keeps its meaning: an
HTML block, a paragraph with inline tags, and a body that is HTML altogether go through the HTML
reader (:mod:`.html`). Template code is dropped and reported, the prose passed to it kept
(:mod:`.templates`). Links keep their text, and their target only when it is absolute
(``http(s)://`` or ``mailto:``); images keep their alt text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from missiekaart.importer.html import BLOCK as HTML_BLOCK_TAGS
from missiekaart.importer.html import html_blocks, html_fragment, html_inline
from missiekaart.importer.inline import escape, escape_line_start, render_inline
from missiekaart.importer.mdnotes import DEFINED, environment, keep_definitions
from missiekaart.importer.mdtree import Node, Tree
from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN, Block, Document, Line
from missiekaart.importer.nesting import PARSER_MAX_NESTING
from missiekaart.importer.templates import segments, strip_templates
from missiekaart.importer.writer import Out, backticks, code, emphasis, link, table

__all__ = ["PARSER", "is_html_body", "markdown_body", "render_heading", "render_markdown", "strip_templates"]

PARSER = keep_definitions(
    MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin).use(deflist_plugin)
)
PARSER.validateLink = lambda url: True  # type: ignore[method-assign]  # every link is parsed, to drop its target
# Deeper than MyST reads, to see the text MyST would drop (written flat, see mdtree.Tree); bounded, as
# markdown-it-py recurses per level. What is deeper still is kept as plain paragraphs.
PARSER.options.maxNesting = PARSER_MAX_NESTING
RENDERER = RendererHTML(PARSER)
_BREAKS = ("softbreak", "hardbreak")
_HTML_START = re.compile(r"\s*<(!doctype|html|body|head|[a-z][a-z0-9]*)\b", re.IGNORECASE)
_LABEL = re.compile(r"[\w-]+")


class _Notes:
    """A text's footnotes: their MyST (written at the page's end) and their words, by label; the
    labels referenced, in order; each definition's line."""

    def __init__(self, out: Out) -> None:
        self.out = out  # whose labels the page's other notes (an HTML block's) do not take
        self.myst: dict[str, list[str]] = {}
        self.pieces: dict[str, list[Line]] = {}
        self.labels: dict[str, str] = {}
        self.used: dict[str, None] = {}  # the labels referenced, in order of first reference
        self.lines: dict[str, int] = {}

    def label(self, source: str) -> str:
        """A label MyST takes for the source's label (its own, if it is a plain word)."""
        if source not in self.labels:
            plain = source if _LABEL.fullmatch(source) else f"noot-{len(self.labels) + 1}"
            self.labels[source] = self.out.note_label(plain)
        return self.labels[source]


def one_line(myst: str) -> str:
    """Inline MyST on one line, for a heading or a table cell: a hard line break becomes a space."""
    return " ".join(myst.replace("\\\n", " ").split("\n"))


def _text(content: str, line: int, out: Out) -> str:
    """Escaped text; stars CommonMark left unpaired (``**bold **text``) pair as the plain-text importer pairs them."""
    if "*" not in content or not content.strip():
        return escape(content)
    lead, trail = content[: len(content) - len(content.lstrip())], content[len(content.rstrip()) :]
    notes: list[str] = []
    rendered = render_inline(content, notes)
    for note in notes:
        out.decide(line, note)
    return lead + rendered + trail


def _inline(node: Node, line: int, out: Out, notes: _Notes) -> tuple[str, list[Line]]:
    """An inline node's MyST text and its reader text, piece by piece with source lines.

    An inline holding HTML tags is read by the HTML reader as a whole (markdown-it renders the
    Markdown around the tags as HTML first), so ``<strong>``, ``<a href>`` and ``<br>`` keep
    their meaning and the text inside ``<script>`` is left out.
    """
    if node.type == "inline" and any(child.type == "html_inline" for child in node.walk(include_self=False)):
        return _inline_html(node, line, out, notes)
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
            text(child.content, _text(child.content, line, out))
        elif kind in _BREAKS:
            myst.append(" ")
            line += 1
        elif kind == "code_inline":
            text(child.content, code(child.content))
        elif kind in ("em", "strong"):
            inner, inner_pieces = _inline(child, line, out, notes)
            myst.append(emphasis("*" if kind == "em" else "**", inner))
            pieces += inner_pieces
        elif kind == "s":
            inner, inner_pieces = _inline(child, line, out, notes)
            myst.append(inner)
            pieces += inner_pieces
        elif kind == "link":
            inner, inner_pieces = _inline(child, line, out, notes)
            pieces += inner_pieces
            myst.append(link(inner, str(child.attrs.get("href", "")), line, out))
        elif kind == "image":
            alt = "".join(grandchild.content for grandchild in child.walk() if grandchild.type == "text")
            text(alt, escape(alt))
            out.decide(line, f"image {child.attrs.get('src', '')!r} kept as its alt text {alt!r}")
        elif kind == "footnote_ref":
            label = notes.label(str(child.token.meta.get("label", "")))
            notes.used[label] = None
            myst.append(f"[^{label}]")
            # check-source reads a note's words where its reference is, as it reads the built page
            pieces += [Line(line, 0, NOTE_OPEN), *notes.pieces.get(label, []), Line(line, 0, NOTE_CLOSE)]
        line += breaks  # the line breaks inside emphasis or a link
    return "".join(myst), pieces


def _inline_html(node: Node, line: int, out: Out, notes: _Notes) -> tuple[str, list[Line]]:
    """An inline with HTML tags, as the HTML reader reads what markdown-it makes of it.

    Footnote references pass through as placeholders, which become ``[^label]`` again after."""
    tokens = list(node.token.children or [])
    labels: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "footnote_ref":
            labels.append(notes.label(str(token.meta.get("label", ""))))
            notes.used[labels[-1]] = None
            placeholder = token.__class__("text", "", 0)
            placeholder.content = f"\x01{len(labels) - 1}\x01"
            tokens[index] = placeholder
    html = RENDERER.renderInline(tokens, PARSER.options, {})
    myst, pieces = html_inline(html, out, line)
    if labels:
        myst = re.sub("\x01(\\d+)\x01", lambda match: f"[^{labels[int(match.group(1))]}]", myst)
        kept: list[Line] = []
        for piece in pieces:
            for part_index, part in enumerate(piece.text.split("\x01")):
                if part_index % 2 and part.isdigit():
                    label = labels[int(part)]
                    kept += [Line(line, 0, NOTE_OPEN), *notes.pieces.get(label, []), Line(line, 0, NOTE_CLOSE)]
                elif part.strip():
                    kept.append(Line(piece.no, piece.col, part))
        pieces = kept
    return myst, pieces


def _container(node: Node, out: Out, notes: _Notes) -> tuple[list[str], list[Line]]:
    """A block node inside a list or quote (or at the top) as MyST lines and reader text."""
    line = out.first_line + (node.map[0] if node.map else 0)
    kind = node.type
    if kind in ("paragraph", "heading", "dt"):
        myst, pieces = _inline(node.children[0], line, out, notes)
        if kind in ("heading", "dt"):  # a heading inside a list or quote, or a term: bold text
            myst = one_line(myst)
            if not myst.strip():
                if kind == "heading":
                    out.decide(line, "empty heading left out")
                return [], pieces
            myst = emphasis("**", myst)
        return [escape_line_start(myst)], pieces
    if kind in ("bullet_list", "ordered_list"):
        lines: list[str] = []
        pieces = []
        number = int(str(node.attrs.get("start", 1)))
        for item in node.children:
            marker = f"{number}{item.markup or '.'}" if kind == "ordered_list" else "-"
            number += 1
            body, item_pieces = _children(item, out, notes)
            pad = " " * (len(marker) + 1)
            lines += [f"{marker} {body[0]}" if body else marker] + [pad + text if text else "" for text in body[1:]]
            pieces += item_pieces
        return lines, pieces
    if kind in ("blockquote", "dl", "dd"):
        body, pieces = _children(node, out, notes)
        return ([f"> {text}" if text else ">" for text in body] if kind == "blockquote" else body), pieces
    if kind in ("code_block", "fence"):
        content = node.content.rstrip("\n")
        fence = backticks(content, 3)
        return [f"{fence}text", *content.split("\n"), fence], [
            Line(line + 1 + i, 0, text) for i, text in enumerate(content.split("\n"))
        ]
    if kind == "html_block":
        return html_fragment(node.content, out, line)
    if kind == "table":
        return _table(node, out, notes)
    if kind == "hr":
        return ["---"], []
    return [], []


def _children(node: Node, out: Out, notes: _Notes) -> tuple[list[str], list[Line]]:
    lines: list[str] = []
    pieces: list[Line] = []
    for child in node.children:
        body, child_pieces = _container(child, out, notes)
        if body:
            tight = not child.loose and (
                (child.type == "paragraph" and child.hidden) or (lines and node.children[0].hidden)
            )
            lines += ([""] if lines and not tight else []) + body
        pieces += child_pieces
    return lines, pieces


def _table(node: Node, out: Out, notes: _Notes) -> tuple[list[str], list[Line]]:
    rows: list[list[str]] = []
    pieces: list[Line] = []
    for row in (tr for section in node.children for tr in section.children):
        line = out.first_line + (row.map[0] if row.map else 0)
        cells = [_inline(cell.children[0], line, out, notes) if cell.children else ("", []) for cell in row.children]
        rows.append([one_line(myst) for myst, _ in cells])
        pieces += [piece for _, cell_pieces in cells for piece in cell_pieces]
    return table(rows), pieces


def _footnotes(root: Node, out: Out, notes: _Notes) -> None:
    """Read the footnote definitions first, so each reference can carry its note's words (a note
    already read, from another piece of the text, is not read again)."""
    for block in root.children:
        if block.type != "footnote_block":
            continue
        for note in block.children:
            if note.type != "footnote":
                continue
            label = notes.label(str(note.token.meta.get("label", "")))
            if notes.myst.get(label):
                continue
            body, pieces = _children(note, out, notes)
            notes.myst[label] = body
            notes.pieces[label] = pieces


def _definitions(text: str, env: dict[str, object], out: Out, notes: _Notes) -> None:
    """The notes defined in *text* (its parse's *env*), referenced in it or not: their MyST and words."""
    defined = env.get(DEFINED)
    if not isinstance(defined, dict):
        return
    for source, tokens in defined.items():
        label = notes.label(source)
        if notes.myst.get(label):
            continue
        notes.lines.setdefault(label, out.first_line + (tokens[0].map[0] if tokens and tokens[0].map else 0))
        notes.myst[label], notes.pieces[label] = _children(Tree(text, out, PARSER).blocks(tokens), out, notes)


def read_definitions(text: str, out: Out, notes: _Notes) -> set[str]:
    """The notes defined in a piece of a text read in pieces (see :mod:`.mdnotes`); their source labels."""
    env: dict[str, object] = {}
    PARSER.parse(text, env)
    _definitions(text, env, out, notes)
    defined = env.get(DEFINED)
    return set(defined) if isinstance(defined, dict) else set()


def write_notes(out: Out, notes: _Notes) -> None:
    """The notes after the text: a note no reference uses as its text (a paragraph), said so; then
    the referenced ones as MyST footnotes, in order of reference."""
    for label, body in notes.myst.items():
        if body and label not in notes.used:
            line = notes.lines.get(label, out.first_line)
            out.decide(line, f"footnote [^{label}] is referenced nowhere: its text kept")
            out.blocks.append(Block("myst", tuple(notes.pieces.get(label, [])), myst="\n".join(body)))
    for label in notes.used:
        note = notes.myst.get(label)
        if note:
            indented = [f"[^{label}]: {note[0]}"] + [f"    {line}" if line else "" for line in note[1:]]
            out.blocks.append(Block("footnote", (), myst="\n".join(indented)))


def render_markdown(text: str, out: Out, notes: _Notes | None = None, known: set[str] | None = None) -> None:
    """Parse Markdown *text* and append its blocks to *out*: headings and rules stay blocks, the
    rest MyST; footnote definitions follow at the end (unless *notes*, shared by the pieces of a
    text, are given: their caller writes them, and a reference to one of the *known* labels,
    defined in another piece, resolves)."""
    own = notes is None
    notes = notes if notes is not None else _Notes(out)
    env = environment(known or ())
    root = Tree(text, out, PARSER).blocks(PARSER.parse(text, env))
    _definitions(text, env, out, notes)
    _footnotes(root, out, notes)
    for node in root.children:
        line = out.first_line + (node.map[0] if node.map else 0)
        if node.type == "heading":
            myst, pieces = _inline(node.children[0], line, out, notes)
            myst = one_line(myst)
            level = int(node.tag[1:]) + out.heading_offset
            if myst.strip():
                out.blocks.append(Block("heading", tuple(pieces), level=level, myst=myst))
            else:
                out.decide(line, "empty heading left out")
        elif node.type == "hr":
            out.blocks.append(Block("rule", (Line(line, 0, node.markup),)))
        elif node.type == "html_block":
            html_blocks(node.content, out, line)
        elif node.type != "footnote_block":
            body, pieces = _container(node, out, notes)
            if body:
                out.blocks.append(Block("myst", tuple(pieces), myst="\n".join(body)))
    if own:
        write_notes(out, notes)


def render_heading(text: str, line: int, out: Out) -> tuple[str, list[Line]]:
    """A one-line Markdown title (from front matter) as MyST and its reader words."""
    root = Tree(text, out, PARSER).blocks(PARSER.parseInline(text, {}))
    if not root.children:
        return "", []
    myst, pieces = _inline(root.children[0], line, out, _Notes(out))
    return one_line(myst), pieces


def is_html_body(text: str) -> bool:
    """Whether a body is HTML altogether (as Zola and many Hugo themes write it): it starts with a
    document or block-level tag, and either Markdown would misread it (it reads some of its
    indented tags as code: an indented line after a blank line is code in Markdown), or Markdown
    finds nothing in it but HTML blocks, which a browser reads as one HTML text (a footnote's
    reference in one block finds its note in another). A Markdown text with HTML blocks in it is
    read block by block instead."""
    start = _HTML_START.match(text)
    if start is None or start.group(1).lower() not in {*HTML_BLOCK_TAGS, "!doctype", "html", "body", "head"}:
        return False
    if start.group(1).lower() in ("!doctype", "html", "body", "head"):
        return True
    blocks = [token for token in PARSER.parse(text, {}) if token.level == 0 and token.nesting >= 0]
    return all(token.type == "html_block" for token in blocks) or any(
        token.type == "code_block" and _HTML_START.match(token.content) for token in blocks
    )


def markdown_body(doc: Document) -> Document:
    """The Markdown body as blocks: Markdown, the prose of template code, or HTML altogether."""
    if not doc.source.lines:
        return doc
    first_line = doc.source.lines[0][0]
    pieces, dropped = segments("\n".join(text for _, text in doc.source.lines), first_line)
    out = Out(first_line)
    notes = _Notes(out)  # shared by the Markdown pieces: a reference finds its note in any of them
    known: set[str] = set()
    markdown = [piece for piece in pieces if piece.kind == "markdown" and not is_html_body(piece.text)]
    if len(markdown) > 1:  # every piece's notes first (see .mdnotes)
        for piece in markdown:
            out.first_line = piece.line
            known |= read_definitions(piece.text, out, notes)
    for piece in pieces:
        out.first_line = piece.line
        if piece.kind == "html":
            html_blocks(piece.text, out, piece.line)
        elif is_html_body(piece.text):
            out.decide(piece.line, "the body is HTML: read as HTML")
            html_blocks(piece.text, out, piece.line, whole=bool(re.match(r"\s*<(!doctype|html)", piece.text, re.I)))
        else:
            render_markdown(piece.text, out, notes, known)
    write_notes(out, notes)
    return replace(
        doc,
        blocks=doc.blocks + tuple(out.blocks),
        dropped=doc.dropped + tuple(dropped) + tuple(out.dropped),
        decisions=doc.decisions + tuple(out.decisions),
    )
