"""Inline text: escaping for MyST, CommonMark emphasis kept, wrapped lines re-flowed.

Plain-text sources are shown literally except for their ``*`` and ``**`` emphasis, which is
paired by CommonMark's delimiter rules and read back with MyST's own parser, so no stray star
is ever shown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

__all__ = ["escape", "escape_line_start", "join_lines", "read_back", "render_inline"]

_FN_SENTINEL = re.compile("\x00([^\x00]+)\x00")

# Characters with a meaning anywhere in MyST inline text (roles, targets, HTML, emphasis, math,
# substitutions, footnotes, tables, escapes).
_ALWAYS_ESCAPE = set("\\`*_{}[]<|$~#")
_ESCAPES = str.maketrans({char: "\\" + char for char in _ALWAYS_ESCAPE})
# Characters with a meaning at the start of a line (comments, directives, lists, quotes, breaks).
_LINE_START = re.compile(r"^([%:+\-=>!]|\d+[.)]|\((?=[^)]*\)=))")
_ENTITY = re.compile(r"&(?=#?\w+;)")


_ESCAPED = re.compile(f"[{re.escape(''.join(sorted(_ALWAYS_ESCAPE)))}]")


def escape(text: str) -> str:
    """Escape *text* so MyST shows it literally."""
    # A short text (a list item's) most often has nothing to escape: finding that out is four times
    # faster than translating it; a long one is translated at once (the search would be slower).
    plain = len(text) < 256 and _ESCAPED.search(text) is None
    escaped = text if plain else text.translate(_ESCAPES)
    return _ENTITY.sub(r"\\&", escaped) if "&" in escaped else escaped


def escape_line_start(text: str) -> str:
    match = _LINE_START.match(text)
    if not match:
        return text
    token = match.group(1)
    return token[:-1] + "\\" + token[-1] + text[len(token) :]


# Emphasis

_ROLES = {"*": "emphasis", "**": "strong"}
MAX_EMPHASIS_DEPTH = 8  # emphasis in emphasis: deeper stays text (MyST's renderer and Sphinx's writers recurse)
#: A paragraph with more runs of stars than this is no text with emphasis (prose marks a few words):
#: its stars are shown as they are, not paired (pairing costs a few microseconds per run).
MAX_STAR_RUNS = 1_000
_STARS = re.compile(r"\*+")
# CommonMark's delimiter algorithm and nothing else: the pairing of stars into emphasis.
_PAIRING = MarkdownIt("zero").enable("emphasis")


@dataclass
class _Emphasis:
    """Emphasis (``*``) or strong emphasis (``**``) around inline content."""

    mark: str
    children: list[str | _Emphasis] = field(default_factory=list)
    role: bool = False  # written as a {emphasis} or {strong} role: its stars could not open or close


def _paired(text: str) -> list[tuple[int, str, int]]:
    """The pairing of the stars in *text*; only whitespace decides whether stars may open or close.

    Every other character is paired as a letter: CommonMark's punctuation rules would print
    ``**"wij"**gevoel`` as stars, which no author meant. The pairing is what markdown-it-py's
    ``parseInline`` with emphasis alone makes of the text so masked, as its tokens: (nesting,
    markup, length of text) for each run of text and each opening or closing of emphasis. The
    stars are paired by :class:`_StarPairs` and the pairs made emphasis as its ``emphasis``
    rule does: two pairs of stars side by side on both ends are strong emphasis.
    """
    pairs = _StarPairs()
    runs = [run.span() for run in _STARS.finditer(text)]
    for start, stop in runs:
        after_space = start == 0 or text[start - 1].isspace()
        before_space = stop == len(text) or text[stop].isspace()
        pairs.add(start, stop - start, not before_space, not after_space)
    roles: list[tuple[int, str] | None] = [None] * len(pairs.ends)  # each star: (nesting, markup), or plain text
    star = len(roles) - 1
    while star >= 0:
        end = pairs.ends[star]
        if end < 0:
            star -= 1
            continue
        strong = (
            star > 0
            and pairs.ends[star - 1] == end + 1
            and pairs.run_of[star - 1] == pairs.run_of[star]
            and pairs.run_of[end + 1] == pairs.run_of[end]
        )
        markup = "**" if strong else "*"
        roles[star], roles[end] = (1, markup), (-1, markup)
        if strong:  # the outer stars are taken by the inner ones' markup
            roles[star - 1] = roles[end + 1] = (0, "")
            star -= 1
        star -= 1
    tokens: list[tuple[int, str, int]] = []
    text_length = 0  # text since the last opening or closing
    done = star = 0
    for start, stop in runs:
        text_length += start - done
        for _ in range(start, stop):
            role = roles[star]
            star += 1
            if role is None:
                text_length += 1
            elif role[0]:
                if text_length:
                    tokens.append((0, "", text_length))
                tokens.append((role[0], role[1], 0))
                text_length = 0
        done = stop
    text_length += len(text) - done
    if text_length:
        tokens.append((0, "", text_length))
    return tokens


class _StarPairs:
    """CommonMark's pairing of star runs (markdown-it-py's ``balance_pairs``), fed one run at a time.

    It holds what :func:`_paired` would make of the text read so far: which stars paired, and
    the runs of stars still open outside all emphasis (``open_runs``, innermost last, each as
    [start, stars left, run number]); a run that is followed by whitespace cannot open and is
    never listed. Stars are paired as in a text where only whitespace and stars count (see
    :func:`_paired`). A run can be added on trial and taken back (:meth:`rollback`), to see
    what it would pair without pairing the whole text again.
    """

    def __init__(self) -> None:
        # One entry per star, as markdown-it-py's delimiters: may open, may close, its run's
        # length, the closer it paired with, the jump over paired stars, and its run's number.
        self.opens: list[bool] = []
        self.closes: list[bool] = []
        self.lengths: list[int] = []
        self.ends: list[int] = []
        self.jumps: list[int] = []
        self.run_of: list[int] = []
        self.bottom = [-1] * 6  # openersBottom for "*": lower bounds after failed searches
        self.open_runs: list[list[int]] = []
        self.runs = 0
        self._undo: list[Callable[[], None]] | None = None  # while a run is on trial
        self.kept = 0  # on trial: how many open runs, from the outermost, the run left as they were

    def top(self) -> tuple[int, int]:
        """The innermost open run: where it starts and its stars left; (-1, 0) if none."""
        return (self.open_runs[-1][0], self.open_runs[-1][1]) if self.open_runs else (-1, 0)

    def _set(self, values: list[Any], index: int, value: Any) -> None:
        if self._undo is not None:
            old = values[index]
            self._undo.append(lambda: values.__setitem__(index, old))
        values[index] = value

    def _pop_open_run(self) -> None:
        entry = self.open_runs.pop()
        self.kept = min(self.kept, len(self.open_runs))
        if self._undo is not None:
            self._undo.append(lambda: self.open_runs.append(entry))

    def _opened(self, opener: int) -> None:
        """The star *opener* paired: open runs after its run are inside the emphasis, and its run has a star less."""
        run = self.run_of[opener]
        while self.open_runs[-1][2] != run:
            self._pop_open_run()
        self.kept = min(self.kept, len(self.open_runs) - 1)
        self._set(self.open_runs[-1], 1, self.open_runs[-1][1] - 1)
        if not self.open_runs[-1][1]:
            self._pop_open_run()

    def add(self, start: int, count: int, can_open: bool, can_close: bool, trial: bool = False) -> int:
        """Pair the run of *count* stars at *start*; return how many of its stars closed emphasis.

        With *trial*, every change is remembered until :meth:`commit` or :meth:`rollback`.
        """
        self.kept = len(self.open_runs)
        if trial:
            self._undo = []
            size, runs = len(self.opens), self.runs
            self._undo.append(lambda: self._truncate(size, runs))
        run = self.runs
        self.runs += 1
        first = len(self.opens)
        self.opens += [can_open] * count
        self.closes += [can_close] * count
        self.lengths += [count] * count
        self.ends += [-1] * count
        self.run_of += [run] * count
        closed = 0
        header = first
        for closer in range(first, first + count):
            self.jumps.append(0)
            if not self.closes[closer]:
                continue
            key = (3 if self.opens[closer] else 0) + count % 3
            minimum = self.bottom[key]
            opener = header - self.jumps[header] - 1
            new_minimum = opener
            paired = False
            while opener > minimum:
                if self.opens[opener] and self.ends[opener] < 0:
                    odd = (
                        (self.closes[opener] or self.opens[closer])
                        and (self.lengths[opener] + count) % 3 == 0
                        and (self.lengths[opener] % 3 != 0 or count % 3 != 0)
                    )
                    if not odd:
                        last_jump = self.jumps[opener - 1] + 1 if opener > 0 and not self.opens[opener - 1] else 0
                        self.jumps[closer] = closer - opener + last_jump
                        self._set(self.jumps, opener, last_jump)
                        self.opens[closer] = False
                        self._set(self.ends, opener, closer)
                        self._set(self.closes, opener, False)
                        new_minimum = -1
                        paired = True
                        closed += 1
                        self._opened(opener)
                        break
                opener -= self.jumps[opener] + 1
            if new_minimum != -1:
                self._set(self.bottom, key, new_minimum)
            if paired:  # markdown-it starts a new run of closers after a pairing
                header = closer + 1
        if can_open and count > closed:
            self.open_runs.append([start, count - closed, run])
            if self._undo is not None:
                self._undo.append(lambda: self.open_runs.__delitem__(-1))
        return closed

    def _truncate(self, size: int, runs: int) -> None:
        for values in (self.opens, self.closes, self.lengths, self.ends, self.jumps, self.run_of):
            del values[size:]
        self.runs = runs

    def commit(self) -> None:
        self._undo = None

    def rollback(self) -> None:
        assert self._undo is not None
        for undo in reversed(self._undo):
            undo()
        self._undo = None


def _loosen(text: str) -> str:
    """Move whitespace out of bold the sources write with it inside, so that CommonMark pairs its stars.

    A run of two or more stars after whitespace closes the open run before it when that run has
    its length (``**sociale werkplaats **willen``), and one before whitespace opens when the next
    run has its length and can close (``** Punt** een``). A single star beside whitespace is left
    to CommonMark: it is too often meant as a star (``5 * 3``).

    The runs are paired as they are read (:class:`_StarPairs`), so each run is paired once,
    whatever the length of the text before it; a move only ever changes the text between the
    run and the next one.
    """
    runs = list(_STARS.finditer(text))
    chars = list(text)
    stuck: set[int] = set()  # runs of a pairing that no move of whitespace makes: they pair no other way
    pairs = _StarPairs()
    for index, run in enumerate(runs):
        start, stop = run.span()
        stars = run.group()
        after_space = start == 0 or chars[start - 1].isspace()
        before_space = stop == len(chars) or chars[stop].isspace()
        if len(stars) < 2:
            pairs.add(start, len(stars), not before_space, not after_space)
            continue
        before = start  # the text before the run, without the whitespace at its end
        while before and chars[before - 1].isspace():
            before -= 1
        top, left = pairs.top()
        if before < start and left == len(stars) and top not in stuck:  # it closes across whitespace
            # Moved, the run follows the text before it (it closes unless that is the text's start) and
            # whitespace follows it: the move is made if it closes the innermost open run and nothing else.
            if not (before and chars[before - 1] == "*"):
                height = len(pairs.open_runs)
                pairs.add(before, len(stars), False, before > 0, trial=True)
                if len(pairs.open_runs) == pairs.kept == height - 1:  # only the innermost open run closed
                    pairs.commit()
                    chars[before:stop] = [*stars, *chars[before:start]]
                    continue
                pairs.rollback()
            stuck |= {top, start}
            pairs.add(start, len(stars), not before_space, False)
            continue
        end = runs[index + 1].start() if index + 1 < len(runs) and runs[index + 1].group() == stars else stop
        gap = "".join(chars[stop:end])
        inner = gap.lstrip()
        if inner and inner != gap and inner == inner.rstrip():  # it opens across whitespace
            # Where it is, whitespace follows the run: it cannot open, and closes unless whitespace is before it.
            if pairs.add(start, len(stars), False, not after_space, trial=True):  # it closed stars before it
                pairs.commit()
                stuck |= {start, end}
            else:
                pairs.rollback()
                space = len(gap) - len(inner)
                chars[start:end] = [*gap[:space], *stars, *inner]
                pairs.add(start + space, len(stars), True, False)
            continue
        pairs.add(start, len(stars), not before_space, not after_space)
    return "".join(chars)


def _append(nodes: list[str | _Emphasis], node: str | _Emphasis) -> None:
    """Append *node* to *nodes*, joined to text before it if it is text."""
    if isinstance(node, str) and nodes and isinstance(nodes[-1], str):
        nodes[-1] += node
    elif node:
        nodes.append(node)


def _emphasis_tree(text: str) -> tuple[list[str | _Emphasis], bool]:
    """Parse *text* into text and emphasis; stars that pair with none stay text.

    Emphasis nested deeper than :data:`MAX_EMPHASIS_DEPTH` stays text, with its stars; the
    second value says whether there was any.
    """
    root: list[str | _Emphasis] = []
    open_spans = [root]
    kept: list[bool] = []  # for each open pairing: whether it is a span
    flattened = False
    position = 0
    for nesting, token_markup, length in _paired(text):
        markup = ""
        if nesting == 1:
            kept.append(len(open_spans) <= MAX_EMPHASIS_DEPTH)
            if kept[-1]:
                span = _Emphasis(token_markup)
                open_spans[-1].append(span)
                open_spans.append(span.children)
            else:
                markup, flattened = token_markup, True
        elif nesting == -1:
            if kept.pop():
                open_spans.pop()
            else:
                markup = token_markup
        _append(open_spans[-1], text[position : position + len(markup) + length])
        position += len(token_markup) + length
    return root, flattened


def _plain(nodes: list[str | _Emphasis]) -> str:
    return "".join(node if isinstance(node, str) else _plain(node.children) for node in nodes)


def _unit(text: str, at: int, last: bool) -> str:
    """The unit of *text* (a character, or a footnote sentinel as a whole) that starts at *at* (ends there, if *last*).

    As the expression ``\\x00[^\\x00]*\\x00|.`` cuts the text from its start, without reading the
    rest of the text; sentinels come in pairs (a source has no NUL character), so a NUL that ends
    a text closes a sentinel.
    """
    if last:
        if text[at - 1] == "\x00" and at > 1 and (opening := text.rfind("\x00", 0, at - 1)) >= 0:
            return text[opening:at]
        return text[at - 1]
    if text[at] == "\x00" and (closing := text.find("\x00", at + 1)) > 0:
        return text[at : closing + 1]
    return text[at]


def _edge(node: str | _Emphasis, last: bool) -> str:
    """What CommonMark sees at one edge of *node* (stars of a span merge with its edge)."""
    if isinstance(node, str):
        return _render_text(_unit(node, len(node) if last else 0, last)) if node else " "
    if node.role or not node.children:
        return "`"  # {role}`...`
    return _edge(node.children[-1 if last else 0], last)


def _flanks(inner: str, beside: str, last: bool) -> bool:
    """Whether stars open between *beside* and a span's edge *inner* (close between *inner* and *beside*, if *last*)."""
    before = inner if last else beside
    scanned = StateInline(before + "*" + (beside if last else inner), _PAIRING, {}, []).scanDelims(len(before), True)
    return scanned.can_close if last else scanned.can_open


def _delimits(span: _Emphasis, beside: str, last: bool) -> bool:
    """Whether *span*'s stars open after the text *beside* (close before it, if *last*), by CommonMark's flanking."""
    return _flanks(_edge(span.children[-1 if last else 0], last), beside, last)


def _peel(span: _Emphasis, outside: str, last: bool) -> str:
    """Move text off *span*'s first (or *last*) edge until its stars work beside *outside*; return that text.

    Each unit is looked at once where it stands in its text (the text is cut once, at the end),
    and the stars are tried against the unit moved last.
    """
    moved: list[str] = []
    beside = outside
    index = -1 if last else 0
    while span.children and isinstance(span.children[index], str):
        edge = span.children[index]
        assert isinstance(edge, str)  # checked by the loop's condition
        at = len(edge) if last else 0  # where the text left on the span ends (starts)
        while at != (0 if last else len(edge)):
            unit = _unit(edge, at, last)  # a footnote sentinel moves as a whole
            if _flanks(_render_text(unit), beside, last):
                span.children[index] = edge[:at] if last else edge[at:]
                return "".join(reversed(moved) if last else moved)
            moved.append(unit)
            beside = _render_text(unit)
            at += -len(unit) if last else len(unit)
        span.children.pop(index)
    return "".join(reversed(moved) if last else moved)


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
    if "\x00" not in text:
        return escape(text)
    out: list[str] = []
    for index, part in enumerate(text.split("\x00")):
        if index % 2:
            out.append(f"[^{part}]")
        else:
            out.append(("\\" if index and part.startswith("(") else "") + escape(part))
    return "".join(out)


def _render_nodes(nodes: list[str | _Emphasis]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_render_text(node))
        elif node.role:
            out.append(f"{{{_ROLES[node.mark]}}}`{_plain(node.children)}`")
        else:
            out += [node.mark, _render_nodes(node.children), node.mark]
    return "".join(out)


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
def myst_inline() -> MarkdownIt:
    """MyST's own Markdown parser, to read back what the importer writes."""
    return create_md_parser(MdParserConfig(), RendererHTML)


def read_back(markdown: str) -> list[tuple[str, bool, bool]] | None:
    """The characters MyST shows for inline *markdown*, each with whether it is emphasised and strong;
    ``None`` if it made more than text and emphasis (a link, a role other than emphasis, HTML)."""
    return _read_back(markdown)


def _read_back(markdown: str) -> list[tuple[str, bool, bool]] | None:
    """The characters MyST shows for inline *markdown*, styled; ``None`` if it made more than text and emphasis."""
    depth = {"em": 0, "strong": 0}
    chars: list[tuple[str, bool, bool]] = []
    for token in myst_inline().parseInline(markdown)[0].children or []:
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


def render_inline(text: str, notes: list[str] | None = None) -> str:
    """Render source text as MyST inline text: emphasis kept, everything else literal.

    What is written is read back with MyST's own parser: should it not show exactly the text
    and emphasis meant, the text is written without emphasis, never with a stray star.
    Emphasis nested deeper than :data:`MAX_EMPHASIS_DEPTH` is written as text with its stars,
    and so is every star of a paragraph with more than :data:`MAX_STAR_RUNS` runs of them; both are
    said in *notes*.
    """
    if "*" not in text:  # no emphasis: the text as it is, escaped (what the pairing below gives)
        return escape_line_start(_render_text(text.strip()))
    runs = text.count("*") if text.count("*") <= MAX_STAR_RUNS else sum(1 for _ in _STARS.finditer(text))
    if runs > MAX_STAR_RUNS:
        if notes is not None:
            notes.append(f"{runs} runs of stars in one paragraph shown as they are, not read as emphasis")
        return escape_line_start(_render_text(text.strip()))
    # Whitespace moved out of bold at either end goes: leading whitespace would make a code block.
    tree, flattened = _emphasis_tree(_loosen(text.strip()).strip())
    if flattened and notes is not None:
        notes.append(f"emphasis nested deeper than {MAX_EMPHASIS_DEPTH} levels written as text, with its stars")
    nodes = _shape(tree, " ", " ")
    rendered = _render_nodes(nodes)
    emphasis = len(nodes) > 1 or any(isinstance(node, _Emphasis) for node in nodes)
    if emphasis and _read_back(rendered) != _styled(nodes):  # (a text alone is written as the fallback writes it)
        rendered = _render_text(_plain(nodes))
    return escape_line_start(rendered)


_LINE_END_HYPHEN = re.compile(r"[^\W\d_]-$")


def join_lines(texts: list[str]) -> str:
    """Re-flow wrapped lines into one.

    A hyphen that ends a line (with no space after it) joins the next line and stays:
    ``draagkracht-`` + ``draaglast`` gives ``draagkracht-draaglast``.
    """
    if len(texts) == 1:  # a list item's one line, most often
        return texts[0].strip()
    joined: list[str] = []
    hyphenated = False
    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        if joined and not (hyphenated and text[:1].isalpha()):
            joined.append(" ")
        joined.append(text)
        hyphenated = bool(_LINE_END_HYPHEN.search(raw))
    return "".join(joined)
