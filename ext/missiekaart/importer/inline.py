"""Inline text: escaping for MyST, CommonMark emphasis kept, wrapped lines re-flowed.

Plain-text sources are shown literally except for their ``*`` and ``**`` emphasis, which is
paired by CommonMark's delimiter rules and read back with MyST's own parser, so no stray star
is ever shown.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

__all__ = ["escape", "escape_line_start", "join_lines", "render_inline"]

_FN_SENTINEL = re.compile("\x00([^\x00]+)\x00")

# Characters with a meaning anywhere in MyST inline text (roles, targets, HTML, emphasis, math,
# substitutions, footnotes, tables, escapes).
_ALWAYS_ESCAPE = set("\\`*_{}[]<|$~#")
# Characters with a meaning at the start of a line (comments, directives, lists, quotes, breaks).
_LINE_START = re.compile(r"^([%:+\-=>!]|\d+[.)]|\((?=[^)]*\)=))")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape(text: str) -> str:
    """Escape *text* so MyST shows it literally."""
    escaped = "".join("\\" + char if char in _ALWAYS_ESCAPE else char for char in text)
    return _ENTITY.sub(r"\\&", escaped)


def escape_line_start(text: str) -> str:
    match = _LINE_START.match(text)
    if not match:
        return text
    token = match.group(1)
    return token[:-1] + "\\" + token[-1] + text[len(token) :]


# Emphasis

_ROLES = {"*": "emphasis", "**": "strong"}
_STARS = re.compile(r"\*+")
_UNIT = re.compile("\x00[^\x00]*\x00|.", re.S)  # a character, or a footnote sentinel as a whole
# CommonMark's delimiter algorithm and nothing else: the pairing of stars into emphasis.
_PAIRING = MarkdownIt("zero").enable("emphasis")


@dataclass
class _Emphasis:
    """Emphasis (``*``) or strong emphasis (``**``) around inline content."""

    mark: str
    children: list[str | _Emphasis] = field(default_factory=list)
    role: bool = False  # written as a {emphasis} or {strong} role: its stars could not open or close


def _paired(text: str) -> list[Token]:
    """The pairing of the stars in *text*; only whitespace decides whether stars may open or close.

    Every other character is paired as a letter: CommonMark's punctuation rules would print
    ``**"wij"**gevoel`` as stars, which no author meant. Text tokens keep the length of the text.
    """
    masked = "".join(char if char == "*" else " " if char.isspace() else "a" for char in text)
    return _PAIRING.parseInline(masked)[0].children or []


def _open_runs(text: str) -> list[tuple[int, int]]:
    """The runs of stars still open at the end of *text*, innermost last: where each starts, and its stars left."""
    run_at = {index: run.span() for run in _STARS.finditer(text) for index in range(*run.span())}
    left: Counter[tuple[int, int]] = Counter()
    level = position = 0
    for token in _paired(text):
        level += token.nesting
        if not level:  # stars in text outside all emphasis
            left.update(run_at[index] for index in range(position, position + len(token.content)) if index in run_at)
        position += len(token.markup) + len(token.content)
    return [(start, count) for (start, end), count in left.items() if text[end : end + 1].strip()]


def _loosen(text: str) -> str:
    """Move whitespace out of bold the sources write with it inside, so that CommonMark pairs its stars.

    A run of two or more stars after whitespace closes the open run before it when that run has
    its length (``**sociale werkplaats **willen``), and one before whitespace opens when the next
    run has its length and can close (``** Punt** een``). A single star beside whitespace is left
    to CommonMark: it is too often meant as a star (``5 * 3``).
    """
    runs = list(_STARS.finditer(text))
    stuck: set[int] = set()  # runs of a pairing that no move of whitespace makes: they pair no other way
    for index, run in enumerate(runs):
        stars, before = run.group(), text[: run.start()].rstrip()
        if len(stars) < 2:
            continue
        opened = _open_runs(text[: run.start()])
        top, left = opened[-1] if opened else (-1, 0)
        if len(before) < run.start() and left == len(stars) and top not in stuck:  # it closes across whitespace
            moved = before + stars + text[len(before) : run.start()] + text[run.end() :]
            if before.endswith("*") or _open_runs(moved[: run.end()]) != opened[:-1]:
                stuck |= {top, run.start()}
            else:
                text = moved
            continue
        end = runs[index + 1].start() if index + 1 < len(runs) and runs[index + 1].group() == stars else run.end()
        gap = text[run.end() : end]
        inner = gap.lstrip()
        if inner and inner != gap and inner == inner.rstrip():  # it opens across whitespace
            if _open_runs(text[: run.end()]) != opened:  # it closed stars before it
                stuck |= {run.start(), end}
            else:
                text = text[: run.start()] + gap[: len(gap) - len(inner)] + stars + inner + text[end:]
    return text


def _append(nodes: list[str | _Emphasis], node: str | _Emphasis) -> None:
    """Append *node* to *nodes*, joined to text before it if it is text."""
    if isinstance(node, str) and nodes and isinstance(nodes[-1], str):
        nodes[-1] += node
    elif node:
        nodes.append(node)


def _emphasis_tree(text: str) -> list[str | _Emphasis]:
    """Parse *text* into text and emphasis; stars that pair with none stay text."""
    root: list[str | _Emphasis] = []
    open_spans = [root]
    position = 0
    for token in _paired(text):
        if token.nesting == 1:
            span = _Emphasis(token.markup)
            open_spans[-1].append(span)
            open_spans.append(span.children)
        elif token.nesting == -1:
            open_spans.pop()
        _append(open_spans[-1], text[position : position + len(token.content)])
        position += len(token.markup) + len(token.content)
    return root


def _plain(nodes: list[str | _Emphasis]) -> str:
    return "".join(node if isinstance(node, str) else _plain(node.children) for node in nodes)


def _edge(node: str | _Emphasis, last: bool) -> str:
    """What CommonMark sees at one edge of *node* (stars of a span merge with its edge)."""
    if isinstance(node, str):
        units = _UNIT.findall(node)
        return _render_text(units[-1 if last else 0]) if units else " "
    if node.role or not node.children:
        return "`"  # {role}`...`
    return _edge(node.children[-1 if last else 0], last)


def _delimits(span: _Emphasis, beside: str, last: bool) -> bool:
    """Whether *span*'s stars open after the text *beside* (close before it, if *last*), by CommonMark's flanking."""
    inner = _edge(span.children[-1 if last else 0], last)
    before = inner if last else beside
    scanned = StateInline(before + "*" + (beside if last else inner), _PAIRING, {}, []).scanDelims(len(before), True)
    return scanned.can_close if last else scanned.can_open


def _peel(span: _Emphasis, outside: str, last: bool) -> str:
    """Move text off *span*'s first (or *last*) edge until its stars work beside *outside*; return that text."""
    moved = ""
    index = -1 if last else 0
    while span.children and isinstance(span.children[index], str):
        if _delimits(span, _edge(moved, not last) if moved else outside, last):
            break
        edge = span.children[index]
        assert isinstance(edge, str)  # checked by the loop's condition
        units = _UNIT.findall(edge)  # a footnote sentinel moves as a whole
        unit = units.pop(index)
        span.children[index] = "".join(units)
        if not units:
            span.children.pop(index)
        moved = unit + moved if last else moved + unit
    return moved


def _fit(span: _Emphasis, before: str, after: str) -> tuple[str, str]:
    """Make *span*'s stars open and close in CommonMark; return the text moved out before and after it.

    If they cannot (``**"wij"**gevoel``: punctuation inside, a letter outside), a span of plain
    text becomes a role; any other span gives up its edge characters until its stars work.
    """
    if _delimits(span, before, last=False) and _delimits(span, after, last=True):
        return "", ""
    if len(span.children) == 1 and isinstance(span.children[0], str) and not set("\x00`") & set(span.children[0]):
        span.role = True
        return "", ""
    return _peel(span, before, last=False), _peel(span, after, last=True)


def _merge_touching(nodes: list[str | _Emphasis]) -> list[str | _Emphasis]:
    """Merge touching spans of one kind: ``**a****b**`` would not pair in CommonMark."""
    merged: list[str | _Emphasis] = []
    for node in nodes:
        previous = merged[-1] if merged else None
        if isinstance(node, _Emphasis) and isinstance(previous, _Emphasis) and previous.mark == node.mark:
            for child in node.children:
                _append(previous.children, child)
        else:
            _append(merged, node)
    return merged


def _shape(nodes: list[str | _Emphasis], before: str, after: str) -> list[str | _Emphasis]:
    """Make every span in *nodes* work in CommonMark between the characters *before* and *after*.

    A span's own spans are shaped first, with its outside as their outside at its edges
    (their stars merge with its stars). A span left without text is dropped, its text kept.
    """
    nodes = _merge_touching(nodes)
    out: list[str | _Emphasis] = []
    carry = ""  # text moved out after the previous span
    for index, node in enumerate(nodes):
        if isinstance(node, str):
            _append(out, carry + node)
            carry = ""
            continue
        _append(out, carry)
        previous = _edge(out[-1], last=True) if out else before
        following = _edge(nodes[index + 1], last=False) if index + 1 < len(nodes) else after
        node.children = _shape(node.children, previous, following)
        lead, carry = _fit(node, previous, following)
        _append(out, lead)
        if _plain(node.children).strip():
            out.append(node)
        else:
            _append(out, _plain(node.children))
    _append(out, carry)
    return out


def _render_text(text: str) -> str:
    """Escape *text*; footnote sentinels become references, and a parenthesis after one stays text."""
    out = ""
    for index, part in enumerate(text.split("\x00")):
        if index % 2:
            out += f"[^{part}]"
        else:
            out += ("\\" if index and part.startswith("(") else "") + escape(part)
    return out


def _render_nodes(nodes: list[str | _Emphasis]) -> str:
    out = ""
    for node in nodes:
        if isinstance(node, str):
            out += _render_text(node)
        elif node.role:
            out += f"{{{_ROLES[node.mark]}}}`{_plain(node.children)}`"
        else:
            out += node.mark + _render_nodes(node.children) + node.mark
    return out


def _styled(nodes: list[str | _Emphasis], em: bool = False, strong: bool = False) -> list[tuple[str, bool, bool]]:
    """The characters *nodes* are meant to show, each with whether it is emphasised and strong."""
    chars: list[tuple[str, bool, bool]] = []
    for node in nodes:
        if isinstance(node, str):
            chars += [(char, em, strong) for char in _FN_SENTINEL.sub(lambda m: f"[^{m.group(1)}]", node)]
        else:
            chars += _styled(node.children, em or node.mark == "*", strong or node.mark == "**")
    return chars


@functools.cache
def _myst_inline() -> MarkdownIt:
    """MyST's own Markdown parser, to read back what the importer writes."""
    return create_md_parser(MdParserConfig(), RendererHTML)


def _read_back(markdown: str) -> list[tuple[str, bool, bool]] | None:
    """The characters MyST shows for inline *markdown*, styled; ``None`` if it made more than text and emphasis."""
    depth = {"em": 0, "strong": 0}
    chars: list[tuple[str, bool, bool]] = []
    for token in _myst_inline().parseInline(markdown)[0].children or []:
        kind, _, edge = token.type.rpartition("_")
        if kind in depth and edge in ("open", "close"):
            depth[kind] += 1 if edge == "open" else -1
            continue
        em, strong = depth["em"] > 0, depth["strong"] > 0
        if token.type in ("text", "text_special"):
            shown = token.content
        elif token.type == "footnote_ref":
            shown = f"[^{token.meta['label']}]"
        elif token.type == "myst_role" and token.meta.get("name") in _ROLES.values():
            shown = token.content
            em, strong = em or token.meta["name"] == "emphasis", strong or token.meta["name"] == "strong"
        else:
            return None
        chars += [(char, em, strong) for char in shown]
    return chars


def render_inline(text: str) -> str:
    """Render source text as MyST inline text: emphasis kept, everything else literal.

    What is written is read back with MyST's own parser: should it not show exactly the text
    and emphasis meant, the text is written without emphasis, never with a stray star.
    """
    # Whitespace moved out of bold at either end goes: leading whitespace would make a code block.
    nodes = _shape(_emphasis_tree(_loosen(text.strip()).strip()), " ", " ")
    rendered = _render_nodes(nodes)
    if _read_back(rendered) != _styled(nodes):
        rendered = _render_text(_plain(nodes))
    return escape_line_start(rendered)


_LINE_END_HYPHEN = re.compile(r"[^\W\d_]-$")


def join_lines(texts: list[str]) -> str:
    """Re-flow wrapped lines into one.

    A hyphen that ends a line (with no space after it) joins the next line and stays:
    ``draagkracht-`` + ``draaglast`` gives ``draagkracht-draaglast``.
    """
    joined = ""
    hyphenated = False
    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        if joined and not (hyphenated and text[:1].isalpha()):
            joined += " "
        joined += text
        hyphenated = bool(_LINE_END_HYPHEN.search(raw))
    return joined
