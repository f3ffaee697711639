"""A Markdown text's parse as a tree of nodes, never nested deeper than MyST reads it back.

markdown-it-py's ``SyntaxTreeNode`` builds its tree by recursion, one level per nesting level;
:class:`Tree` builds it with a stack, and writes flat what MyST would not read where it stands
(see :mod:`.nesting`), each time with a decision in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from missiekaart.importer.nesting import MAX_INLINE_DEPTH, MAX_LIST_DEPTH, MYST_MAX_NESTING, PARSER_MAX_NESTING, fits
from missiekaart.importer.writer import Out

__all__ = ["Node", "Tree"]

# Markers of quotes and list items at the start of a line, taken off text kept as plain paragraphs.
_CONTAINER_MARK = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?")


@dataclass
class Node:
    """A node of the parse, as markdown-it-py's ``SyntaxTreeNode`` has it, made without recursion.

    *loose* marks a block that came out of a quote or list written flat: it stands apart, after a
    blank line.
    """

    type: str
    token: Token
    children: list[Node] = field(default_factory=list)
    hidden: bool = False
    loose: bool = False

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

    def walk(self, include_self: bool = True) -> Iterator[Node]:
        """This node (if *include_self*) and all below it, in order."""
        stack = [self] if include_self else self.children[::-1]
        while stack:
            node = stack.pop()
            yield node
            stack += node.children[::-1]


def _node(token: Token) -> Node:
    kind = token.type.removesuffix("_open") if token.nesting == 1 else token.type
    return Node(kind, token, hidden=token.hidden)


class Tree:
    """The parse of a Markdown text as nodes, never nested deeper than MyST reads it back.

    A quote or list that MyST would no longer read where it stands (:func:`.nesting.fits`) is
    written flat: its blocks join the block around it, each standing apart. Emphasis and links
    inside each other deeper than :data:`.nesting.MAX_INLINE_DEPTH` are written as their text.
    A quote or list item too deep for the importer's own parser (which then reads nothing in it,
    nor the text after it in its list) keeps its source lines as plain paragraphs. Each is a
    decision in the report, at its line. The nodes are made without recursion on the depth.
    """

    _CONTAINERS = ("blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open")

    def __init__(self, text: str, out: Out, parser: MarkdownIt) -> None:
        self.lines = text.split("\n")
        self.out = out
        self.parser = parser

    def _decide(self, line: int, text: str) -> None:
        self.out.decide(self.out.first_line + line, text)

    def blocks(self, tokens: list[Token]) -> Node:
        root = Node("root", Token("root", "", 0))
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

    def inline(self, tokens: list[Token], line: int) -> list[Node]:
        """The nodes of an inline token's children; emphasis and links nested too deep become their text."""
        root = Node("inline", Token("inline", "", 0))
        stack = [root]
        kept: list[bool] = []  # for each open token: whether it is a node
        flattened = False
        for token in tokens:
            if token.nesting == -1:
                if kept.pop():
                    stack.pop()
                continue
            node = _node(token)
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

    def _beyond_parser(self, token: Token) -> list[Node]:
        """The source lines of a quote or list item too deep for the parser, as plain paragraphs, without marks."""
        assert token.map is not None
        first, end = token.map
        texts = [_without_containers(text) for text in self.lines[first:end]]
        paragraphs: list[Node] = []
        start = first
        for index, text in enumerate([*texts, ""], first):
            if text:
                continue
            if index > start:
                opening = Token("paragraph_open", "p", 1)
                opening.map = [start, index]
                inline = self.parser.parseInline("\n".join(texts[start - first : index - first]))[0]
                paragraph = Node("paragraph", opening, loose=True)
                paragraph.children = [Node("inline", inline, self.inline(inline.children or [], start))]
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
