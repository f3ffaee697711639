"""Markdown passes for static-site exports (Jekyll, Hugo, Astro, Eleventy).

Their Markdown is their structure: it is parsed with markdown-it-py and written back as MyST.
Front-matter fields that hold what a reader saw come first, in order; template code is dropped
and reported; raw HTML keeps only its text; links keep their text, and their target only when it
is absolute (``http(s)://`` or ``mailto:``); images keep their alt text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html import unescape

import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .inline import escape, escape_line_start, render_inline
from .model import Block, Decision, Document, Dropped, Line
from .nesting import MAX_INLINE_DEPTH, MAX_LIST_DEPTH, MYST_MAX_NESTING, PARSER_MAX_NESTING, fits

__all__ = ["front_matter_text", "markdown_body", "strip_templates"]

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]  # every link is parsed, to drop its target
# Deeper than MyST reads, to see the text MyST would drop (written flat, see _Tree); bounded, as
# markdown-it-py recurses per level. What is deeper still is kept as plain paragraphs (_beyond_parser).
_PARSER.options.maxNesting = PARSER_MAX_NESTING
# Liquid / Jinja / Nunjucks statements, expressions and comments; Hugo shortcodes are expressions too.
_TEMPLATE_ENDS = {"{%": "%}", "{{": "}}", "{#": "#}"}
_TEMPLATE_START = re.compile(r"\{[%{#]")
_KEPT_LINK = re.compile(r"(?:https?://|mailto:)\S+", re.I)
_HTML_NOT_TEXT = ("script", "style", "template", "noscript")
_INLINE_NOT_TEXT = ("script", "style", "template")  # an inline element whose text no reader sees
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_UNFINISHED_TAG = re.compile(r"<[A-Za-z/!?]")  # what starts a tag, comment or declaration
_TAG_END = re.compile(r"<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>")  # a tag to its '>' outside quotes
_SOUP_MAX = 2_000  # raw HTML blocks longer than this are read in one pass (see _html_text)
_BREAKS = ("softbreak", "hardbreak")
_INLINE_NESTING = ("em", "strong", "s", "link")
# Markers of quotes and list items at the start of a line, taken off text kept as plain paragraphs.
_CONTAINER_MARK = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?")

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
    dropped: list[Dropped] = field(default_factory=list)
    hidden: str = ""  # the inline element whose text is being left out (script, style), if any


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


@dataclass
class _Node:
    """A node of the parse, as markdown-it-py's ``SyntaxTreeNode`` has it, made without recursion.

    *loose* marks a block that came out of a quote or list written flat: it stands apart, after a
    blank line. *hides* is the name of the inline element an ``html_inline`` tag opens whose text
    no reader sees (it is closed later in the same text), *ends* the name of the one it closes.
    """

    type: str
    token: Token
    children: list[_Node] = field(default_factory=list)
    hidden: bool = False
    loose: bool = False
    hides: str = ""
    ends: str = ""

    @property
    def tag(self) -> str:
        return self.token.tag

    @property
    def attrs(self) -> dict[str, str | int | float]:
        return self.token.attrs

    @property
    def map(self) -> list[int] | None:
        return self.token.map

    @property
    def markup(self) -> str:
        return self.token.markup

    @property
    def content(self) -> str:
        return self.token.content

    def walk(self, include_self: bool = True) -> Iterator[_Node]:
        """This node (if *include_self*) and all below it, in order."""
        stack = [self] if include_self else self.children[::-1]
        while stack:
            node = stack.pop()
            yield node
            stack += node.children[::-1]


def _node(token: Token) -> _Node:
    kind = token.type.removesuffix("_open") if token.nesting == 1 else token.type
    return _Node(kind, token, hidden=token.hidden)


def _hidden_tags(tokens: list[Token]) -> dict[int, tuple[str, str]]:
    """The ``html_inline`` tags among *tokens* that open an element whose text no reader sees, and those that close one.

    By index: ("hides", name) for an opening tag that a closing tag of its name follows, and
    ("ends", name) for the first such closing tag after it (a browser ends a script there).
    """
    tags: list[tuple[int, str, bool]] = []  # index, element, closing
    for index, token in enumerate(tokens):
        tag = _HTML_TAG.match(token.content) if token.type == "html_inline" else None
        if tag and tag.group(2).lower() in _INLINE_NOT_TEXT and not token.content.rstrip().endswith("/>"):
            tags.append((index, tag.group(2).lower(), bool(tag.group(1))))
    last_close = {name: index for index, name, closing in tags if closing}
    found: dict[int, tuple[str, str]] = {}
    hiding = ""
    for index, name, closing in tags:
        if not hiding and not closing and last_close.get(name, -1) > index:
            found[index], hiding = ("hides", name), name
        elif hiding and closing and name == hiding:
            found[index], hiding = ("ends", name), ""
    return found


class _Tree:
    """The parse of a Markdown text as nodes, never nested deeper than MyST reads it back.

    A quote or list that MyST would no longer read where it stands (:func:`.nesting.fits`) is
    written flat: its blocks join the block around it, each standing apart. Emphasis and links
    inside each other deeper than :data:`.nesting.MAX_INLINE_DEPTH` are written as their text.
    A quote or list item too deep for the importer's own parser (which then reads nothing in it,
    nor the text after it in its list) keeps its source lines as plain paragraphs. Each is a
    decision in the report, at its line. The nodes are made without recursion on the depth.
    """

    _CONTAINERS = ("blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open")

    def __init__(self, text: str, out: _Out) -> None:
        self.lines = text.split("\n")
        self.out = out

    def _decide(self, line: int, text: str) -> None:
        self.out.decisions.append(Decision(self.out.first_line + line, text))

    def blocks(self, tokens: list[Token]) -> _Node:
        root = _Node("root", Token("root", "", 0))
        stack = [root]  # the nodes open, with the nesting level MyST reads their content at
        levels = [0]
        opened: list[tuple[str, bool]] = []  # every open token: its type and whether it is a node
        flat = 0  # how many of them are written flat
        for token in tokens:
            if token.nesting == -1:
                if opened.pop()[1]:
                    stack.pop()
                    levels.pop()
                else:
                    flat -= 1
                continue
            line = token.map[0] if token.map else 0
            node = _node(token)
            if opened and not opened[-1][1]:  # in a quote or list item written flat: it stands apart
                node.hidden, node.loose = False, True
            keep = True  # (inside a quote or list written flat, the decision is made there)
            if token.type == "blockquote_open":
                keep = fits(levels[-1], 1)
                if not keep and not flat:
                    self._decide(line, f"quotes nested deeper than {MYST_MAX_NESTING - 1} levels written without '>'")
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                keep = fits(levels[-1], 2)
                if not keep and not flat:
                    self._decide(line, f"lists nested deeper than {MAX_LIST_DEPTH} levels written as paragraphs")
            elif token.type == "list_item_open":
                keep = opened[-1][1]  # an item of a list written flat is written flat
            if token.children is not None:
                node.children = self.inline(token.children, line)
            if token.nesting == 0:
                stack[-1].children.append(node)
                continue
            opened.append((token.type, keep))
            flat += not keep
            if keep:
                stack[-1].children.append(node)
                stack.append(node)
                levels.append(levels[-1] + (token.type in self._CONTAINERS))
            if token.type in ("blockquote_open", "list_item_open") and token.level + 1 >= PARSER_MAX_NESTING:
                stack[-1].children += self._beyond_parser(token)
        return root

    def inline(self, tokens: list[Token], line: int) -> list[_Node]:
        """The nodes of an inline token's children; emphasis and links nested too deep become their text."""
        marks = _hidden_tags(tokens)
        root = _Node("inline", Token("inline", "", 0))
        stack = [root]
        kept: list[bool] = []  # for each open token: whether it is a node
        flattened = False
        for index, token in enumerate(tokens):
            if token.nesting == -1:
                if kept.pop():
                    stack.pop()
                continue
            node = _node(token)
            if index in marks:
                kind, name = marks[index]
                node.hides, node.ends = (name, "") if kind == "hides" else ("", name)
            if token.nesting == 1:
                kept.append(len(stack) <= MAX_INLINE_DEPTH)
                if kept[-1]:
                    stack[-1].children.append(node)
                    stack.append(node)
                flattened = flattened or not kept[-1]
                continue
            if token.children is not None:  # an image's description
                node.children = self.inline(token.children, line)
            stack[-1].children.append(node)
        if flattened:
            self._decide(line, f"emphasis or links nested deeper than {MAX_INLINE_DEPTH} levels written as their text")
        return root.children

    def _beyond_parser(self, token: Token) -> list[_Node]:
        """The source lines of a quote or list item too deep for the parser, as plain paragraphs, without marks."""
        assert token.map is not None
        first, end = token.map
        texts = [_without_containers(text) for text in self.lines[first:end]]
        paragraphs: list[_Node] = []
        start = first
        for index, text in enumerate([*texts, ""], first):
            if text:
                continue
            if index > start:
                opening = Token("paragraph_open", "p", 1)
                opening.map = [start, index]
                inline = _PARSER.parseInline("\n".join(texts[start - first : index - first]))[0]
                paragraph = _Node("paragraph", opening, loose=True)
                paragraph.children = [_Node("inline", inline, self.inline(inline.children or [], start))]
                paragraphs.append(paragraph)
            start = index + 1
        if paragraphs:
            self._decide(
                first,
                f"Markdown nested deeper than {PARSER_MAX_NESTING} levels: lines {self.out.first_line + first}-"
                f"{self.out.first_line + end - 1} kept as plain paragraphs",
            )
        return paragraphs


def _without_containers(text: str) -> str:
    """A source line without the quote and list item marks at its start, stripped."""
    position = 0
    while (mark := _CONTAINER_MARK.match(text, position)) and mark.end() > position:
        position = mark.end()
    return text[position:].strip()


def _backticks(text: str, at_least: int = 1) -> str:
    """A run of backticks longer than any in *text*, to fence it."""
    return "`" * max(at_least, max((len(run) for run in re.findall("`+", text)), default=0) + 1)


def _code(text: str) -> str:
    fence = _backticks(text)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _text(content: str, line: int, out: _Out) -> str:
    """Escaped text; stars CommonMark left unpaired (``**bold **text``) pair as the plain-text importer pairs them."""
    if "*" not in content or not content.strip():
        return escape(content)
    lead, trail = content[: len(content) - len(content.lstrip())], content[len(content.rstrip()) :]
    notes: list[str] = []
    rendered = render_inline(content, notes)
    out.decisions += [Decision(line, note) for note in notes]
    return lead + rendered + trail


def _inline(node: _Node, line: int, out: _Out) -> tuple[str, list[Line]]:
    """An inline node's MyST text and its reader text, piece by piece with source lines.

    The text between an inline ``<script>`` or ``<style>`` tag and its closing tag is dropped:
    a browser never shows it.
    """
    myst: list[str] = []
    pieces: list[Line] = []

    def text(shown: str, written: str) -> None:
        myst.append(written)
        if shown.strip():
            pieces.append(Line(line, 0, shown))

    for child in node.children:
        kind = child.type
        breaks = sum(1 for grandchild in child.walk(include_self=False) if grandchild.type in _BREAKS)
        if out.hidden and kind in ("text", "code_inline", "image"):
            shown = "".join(grandchild.content for grandchild in child.walk() if grandchild.type == "text")
            if kind == "code_inline":
                shown = child.content
            if shown.strip():
                out.dropped.append(Dropped(line, " ".join(shown.split()), f"text inside an inline <{out.hidden}>"))
        elif kind == "text":
            text(child.content, _text(child.content, line, out))
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
            if child.hides:
                out.hidden = child.hides
            elif child.ends == out.hidden:
                out.hidden = ""
        line += breaks  # the line breaks inside emphasis or a link
    return "".join(myst), pieces


def _html_text(html: str) -> str:
    """The text of raw HTML, without the elements no reader sees (script, style, template, noscript).

    Python's html.parser, under BeautifulSoup, reads each tag it cannot finish on to the end of
    the text, from each one: quadratic in a block of unfinished tags (20,000 took most of a
    minute). A block longer than :data:`_SOUP_MAX` is read by :func:`_scan_html_text`, in one pass.
    """
    if len(html) > _SOUP_MAX:
        return " ".join(_scan_html_text(html).split())
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.find_all(_HTML_NOT_TEXT):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def _scan_html_text(html: str) -> str:
    """The text of raw HTML in one pass: tags, comments and declarations out, and the elements no reader sees.

    Markup runs from a '<' that starts a tag, comment or declaration to the next '>' outside
    quotes (to '-->' for a comment); markup that never ends is text, as is everything after it
    that holds no '>'. Character references are decoded.
    """
    text: list[str] = []
    position = 0
    while (start := _UNFINISHED_TAG.search(html, position)) is not None:
        at = start.start()
        if html.startswith("<!--", at):
            end = html.find("-->", at + 4)
            end = end + 3 if end >= 0 else -1
        else:
            tag = _TAG_END.match(html, at)
            end = tag.end() if tag else -1
        if end < 0:  # never ends: text from here on (a later '>' ends no tag that starts after this)
            break
        text += [unescape(html[position:at]), " "]
        name = _HTML_TAG.match(html, at)
        position = end
        if name and not name.group(1) and name.group(2).lower() in _HTML_NOT_TEXT:
            close = re.compile(rf"</{name.group(2)}\s*>", re.I).search(html, end)
            position = close.end() if close else len(html)
    text.append(unescape(html[position:]))
    return "".join(text)


def _container(node: _Node, out: _Out) -> tuple[list[str], list[Line]]:
    """A block node inside a list or quote (or at the top) as MyST lines and reader text."""
    line = out.first_line + (node.map[0] if node.map else 0)
    kind = node.type
    if kind in ("paragraph", "heading"):
        myst, pieces = _inline(node.children[0], line, out)
        if kind == "heading":  # a heading inside a list or quote stays text, in bold
            if not myst.strip():
                out.decisions.append(Decision(line, "empty heading left out"))
                return [], pieces
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


def _children(node: _Node, out: _Out) -> tuple[list[str], list[Line]]:
    lines: list[str] = []
    pieces: list[Line] = []
    for child in node.children:
        body, child_pieces = _container(child, out)
        if body:
            tight = not child.loose and (
                (child.type == "paragraph" and child.hidden) or (lines and node.children[0].hidden)
            )
            lines += ([""] if lines and not tight else []) + body
        pieces += child_pieces
    return lines, pieces


def _table(node: _Node, out: _Out) -> tuple[list[str], list[Line]]:
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
    for node in _Tree(text, out).blocks(_PARSER.parse(text)).children:
        line = out.first_line + (node.map[0] if node.map else 0)
        if node.type == "heading":
            myst, pieces = _inline(node.children[0], line, out)
            level = int(node.tag[1:]) + out.heading_offset
            if myst.strip():
                out.blocks.append(Block("heading", tuple(pieces), level=level, myst=myst))
            else:
                out.decisions.append(Decision(line, "empty heading left out"))
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
                text = value.value.strip()
                title = _Out(line)
                myst, pieces = _inline(_Tree(text, title).blocks(_PARSER.parseInline(text)).children[0], line, title)
                out.dropped += title.dropped
                if myst.strip():
                    out.blocks.append(Block("heading", tuple(pieces), level=depth, myst=myst))
                else:
                    out.decisions.append(Decision(line, f"empty heading left out: {key} {text!r}"))
            elif key in TEXT_KEYS:
                out.first_line, out.heading_offset = _scalar_line(value), depth
                _render(value.value, out)


def front_matter_text(doc: Document) -> Document:
    """The front matter's reader text as blocks: the page's title, description, and sections in order."""
    if doc.source.front_matter_node is None or not isinstance(doc.source.front_matter_node, yaml.MappingNode):
        return doc
    out = _Out(1)
    _fields(doc.source.front_matter_node, 1, out)
    return replace(
        doc,
        blocks=doc.blocks + tuple(out.blocks),
        dropped=doc.dropped + tuple(out.dropped),
        decisions=doc.decisions + tuple(out.decisions),
    )


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
        dropped=doc.dropped + tuple(dropped) + tuple(out.dropped),
        decisions=doc.decisions + tuple(out.decisions),
    )
