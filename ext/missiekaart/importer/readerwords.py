"""The words a reader of the source saw, with their lines, read independently of the importer.

``check-source`` and the build's card check compare pages with these. For a plain text they are
the text's own words (``**W**aardevol`` is one word: stars are dropped first). For a structured
source they come from its parse, not from what the importer made of it, so a word the importer
loses shows up as missing:

- Markdown: markdown-it-py with CommonMark, tables, footnotes and definition lists, without a
  nesting limit (on a thread with a deep stack: markdown-it-py recurses per level); the visible
  text of each inline is joined before it is cut into words (``**V**erbinding`` is one word,
  ``&amp;`` is ``&``), a footnote's words stand at its reference, HTML blocks and inline tags
  give their text, without what no reader sees (script, style); link targets are not text.
- HTML (a web page, an HTML body, template prose): the text of the markup, read in one pass
  (:func:`.importer.htmltext.scan_text`), line by line; a footnote's words stand at its reference
  (:func:`html_notes`: the elements found in one pass, :func:`.importer.htmltext.scan_elements`).
- Template code (``{% ... %}``, ``{{< ... >}}``) gives the prose of its parameters only
  (:mod:`.importer.templates`); front matter the fields a reader saw (:mod:`.importer.frontmatter`).
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple, TypeVar
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from missiekaart.importer.frontmatter import HEADING_KEYS, META_KEYS, TEXT_KEYS
from missiekaart.importer.html import HEADINGS, NOTE_MARK
from missiekaart.importer.htmltext import BLOCK as HTML_BLOCK_TAGS
from missiekaart.importer.htmltext import Scanned, scan_elements, scan_text
from missiekaart.importer.markdown import is_html_body
from missiekaart.importer.mdnotes import DEFINED, environment, keep_definitions, referenced
from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN
from missiekaart.importer.sourcefile import SourceText
from missiekaart.importer.templates import segments

__all__ = ["Words", "deep", "reader_words", "words_of"]

T = TypeVar("T")
_WORD = re.compile(rf"\w+|[{NOTE_OPEN}{NOTE_CLOSE}]")
_HIDDEN = ("script", "style", "template")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_PARSER = keep_definitions(
    MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin).use(deflist_plugin)
)
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]
_PARSER.options.maxNesting = 10**6
_TEXT_TOKENS = ("text", "code_inline", "text_special", "myst_role", "math_inline")


def words_of(text: str) -> list[str]:
    """Words; ``*`` is dropped first, so ``**W**aardevol`` is one word (as a plain text shows it)."""
    return _WORD.findall(text.replace("*", ""))


class Words(NamedTuple):
    """A word sequence and each word's source line, side by side (800,000 words stay cheap)."""

    texts: list[str]
    lines: list[int]

    def add(self, text: str, line: int) -> None:
        found = words_of(text)
        self.texts.extend(found)
        self.lines.extend([line] * len(found))

    def extend(self, other: Words) -> None:
        self.texts.extend(other.texts)
        self.lines.extend(other.lines)


def deep(function: Callable[[], T]) -> T:
    """Run *function* on a thread with a deep stack and recursion limit (markdown-it-py recurses per
    level); the limit, which is the process's, is set back after it."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(1_000_000)
        try:
            result.append(function())
        except BaseException as error:  # handed to the caller
            errors.append(error)
        finally:
            sys.setrecursionlimit(limit)

    size = threading.stack_size(512 * 1024 * 1024)
    try:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(size)
    if errors:
        raise errors[0]
    return result[0]


class HtmlNote(NamedTuple):
    """A footnote of an HTML text: its reference's and its own elements, the note's links back."""

    reference: Scanned
    note: Scanned
    back_links: list[Scanned]


#: The markup of a note's reference is short (``<sup>1</sup>``): a longer one is not read (an
#: unclosed ``<a>`` runs to the text's end, and reading each would be quadratic).
MAX_MARK_MARKUP = 1_000


def _alone_in(elements: list[Scanned], children: Counter[int], anchor: Scanned, html: str) -> Scanned:
    """The inline element that holds *anchor* and nothing else, or *anchor*."""
    if anchor.parent < 0:
        return anchor
    parent = elements[anchor.parent]
    if (
        parent.name in HTML_BLOCK_TAGS
        or children[anchor.parent] != 1
        or parent.close - parent.inner > MAX_MARK_MARKUP + anchor.end - anchor.start
        or scan_text(html[parent.inner : anchor.start]).strip()
        or scan_text(html[anchor.end : parent.close]).strip()
    ):
        return anchor
    return parent


def html_notes(html: str, elements: list[Scanned]) -> list[HtmlNote]:
    """The footnotes of HTML, found as the importer's HTML reader defines them (a link whose text
    is a note mark, to an element that links back to it; see :func:`.importer.html.find_notes`),
    from the elements of one pass over the markup rather than from the parser's tree."""
    ids: dict[str, Scanned] = {}
    links: dict[str, list[Scanned]] = {}
    for element in elements:
        if element.id and element.id not in ids:
            ids[element.id] = element
        href = element.href.strip() if element.name == "a" else ""
        if href.startswith("#") and len(href) > 1:
            links.setdefault(unquote(href[1:]), []).append(element)
    headings = [element.start for element in elements if element.name in HEADINGS]  # in order
    children = Counter(element.parent for element in elements)

    def holds_heading(note: Scanned) -> bool:
        at = bisect.bisect_right(headings, note.start)
        return note.name in HEADINGS or (at < len(headings) and headings[at] < note.end)

    found_back: dict[tuple[int, str], list[Scanned]] = {}  # by note and name, found once

    def back_links(note: Scanned, name: str) -> list[Scanned]:
        if (note.start, name) not in found_back:
            found_back[note.start, name] = [back for back in links[name] if note.start < back.start < note.end]
        return found_back[note.start, name]

    candidates: list[HtmlNote] = []
    for target, sources in links.items():
        note = ids.get(target)
        if note is None or holds_heading(note):
            continue
        for anchor in sources:
            if anchor.close - anchor.inner > MAX_MARK_MARKUP:
                continue
            if not NOTE_MARK.fullmatch(" ".join(scan_text(html[anchor.inner : anchor.close]).split())):
                continue
            reference = _alone_in(elements, children, anchor, html)
            names = {name for name in (anchor.id, reference.id) if name and name in links}
            if not names or note.start < anchor.start < note.end:
                continue
            back = (
                back_links(note, next(iter(names)))
                if len(names) == 1
                else [back for name in names for back in back_links(note, name)]
            )
            if back:
                candidates.append(HtmlNote(reference, note, back))
    # A link inside a note is no reference: the notes' spans, merged, are looked up by bisection.
    spans: list[list[int]] = []
    for start, end in sorted({(found.note.start, found.note.end) for found in candidates}):
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    starts = [span[0] for span in spans]

    def in_a_note(position: int) -> bool:
        at = bisect.bisect_right(starts, position) - 1
        return at >= 0 and spans[at][0] < position < spans[at][1]

    return [found for found in candidates if not in_a_note(found.reference.start)]


def _cut(html: str, start: int, end: int, holes: list[tuple[int, int, str]]) -> str:
    """``html[start:end]`` with each hole (in order, not overlapping) written as its text, keeping its line breaks."""
    pieces: list[str] = []
    position = start
    for hole_start, hole_end, text in holes:
        if hole_start < position or hole_end > end:
            continue
        pieces += [html[position:hole_start], "\n" * html.count("\n", hole_start, hole_end), text or " "]
        position = hole_end
    pieces.append(html[position:end])
    return "".join(pieces)


def _lines(text: str, first_line: int, words: Words, notes: dict[int, Words] | None = None) -> None:
    """The words of scanned *text*, line by line; ``\x00N\x00`` stands for note N's words."""
    for offset, line in enumerate(scan_text(text, keep_lines=True).split("\n")):
        if notes is None or "\x00" not in line:
            words.add(line, first_line + offset)
            continue
        for index, part in enumerate(line.split("\x00")):
            if index % 2 and part.isdigit():
                words.texts.append(NOTE_OPEN)
                words.lines.append(first_line + offset)
                words.extend(notes[int(part)])
                words.texts.append(NOTE_CLOSE)
                words.lines.append(first_line + offset)
            else:
                words.add(part, first_line + offset)


def html_words(html: str, first_line: int, words: Words) -> None:
    """The words of HTML, each with the line it stands on; a footnote's at its reference."""
    html = html.replace("\x00", " ")  # the mark of a note's place below
    found = html_notes(html, scan_elements(html)) if "#" in html else []
    if not found:
        _lines(html, first_line, words)
        return
    notes = sorted({id(item.note): item.note for item in found}.values(), key=lambda note: note.start)
    index = {id(note): number for number, note in enumerate(notes)}
    lists = {id(item.back_links): item.back_links for item in found}.values()  # shared by references to one id
    backs = sorted({(back.start, back.end, "") for back_links in lists for back in back_links})
    back_starts = [back[0] for back in backs]
    breaks = [at for at, char in enumerate(html) if char == "\n"]
    note_words: dict[int, Words] = {}
    for number, note in enumerate(notes):
        inside = []  # the notes in this one (they follow it), and its links back
        for other in notes[number + 1 :]:
            if other.start >= note.end:
                break
            inside.append((other.start, other.end, ""))
        low, high = bisect.bisect_right(back_starts, note.start), bisect.bisect_left(back_starts, note.end)
        holes = _outermost(sorted(inside + backs[low:high]))
        note_words[number] = Words([], [])
        text = _cut(html, note.inner, note.close, holes)
        _lines(text, first_line + bisect.bisect_left(breaks, note.inner), note_words[number])
    edits = [(note.start, note.end, "") for note in notes]
    edits += [(item.reference.start, item.reference.end, f"\x00{index[id(item.note)]}\x00") for item in found]
    _lines(_cut(html, 0, len(html), _outermost(sorted(edits))), first_line, words, note_words)


def _outermost(holes: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The holes (sorted) that no hole before them holds."""
    kept: list[tuple[int, int, str]] = []
    for hole in holes:
        if not kept or hole[0] >= kept[-1][1]:
            kept.append(hole)
    return kept


def _hidden(children: list[Token]) -> set[int]:
    """Indexes of inline tokens between an inline script, style or template tag and its closing tag."""
    tags = []
    for index, child in enumerate(children):
        tag = _TAG.match(child.content) if child.type == "html_inline" else None
        if tag and tag.group(2).lower() in _HIDDEN and not child.content.rstrip().endswith("/>"):
            tags.append((index, tag.group(2).lower(), bool(tag.group(1))))
    closing = {name: index for index, name, closed in tags if closed}
    hidden: set[int] = set()
    opened: tuple[int, str] | None = None
    for index, name, closed in tags:
        if opened is None and not closed:
            opened = (index, name)  # a browser hides the rest when no closing tag follows
        elif opened is not None and closed and name == opened[1]:
            hidden.update(range(opened[0] + 1, index))
            opened = None
    if opened is not None and opened[1] not in closing:
        hidden.update(range(opened[0] + 1, len(children)))
    return hidden


def _inline(children: list[Token], line: int, words: Words, notes: dict[str, Words] | None) -> None:
    """The words of an inline: its visible text joined line by line, then cut into words."""
    hidden = _hidden(children)
    text: list[str] = []
    for index, child in enumerate(children):
        if index in hidden:
            continue
        if child.type in ("softbreak", "hardbreak"):
            words.add("".join(text), line)
            text, line = [], line + 1
        elif child.type == "footnote_ref" and notes is not None:
            words.add("".join(text), line)
            text = []
            words.texts.append(NOTE_OPEN)
            words.lines.append(line)
            words.extend(notes.get(str(child.meta.get("label", "")), Words([], [])))
            words.texts.append(NOTE_CLOSE)
            words.lines.append(line)
        elif child.type in _TEXT_TOKENS:
            text.append(child.content)
        elif child.type == "html_inline":
            text.append(" " if not _TAG.match(child.content) or child.content.startswith("<br") else "")
        elif child.type == "image":
            text.append("".join(grandchild.content for grandchild in child.children or [] if grandchild.type == "text"))
    words.add("".join(text), line)


class _Notes:
    """The notes of a Markdown text read in pieces: each note's words by label, and the labels referenced."""

    def __init__(self) -> None:
        self.words: dict[str, Words] = {}
        self.used: set[str] = set()

    def define(self, env: dict[str, object], first_line: int) -> set[str]:
        """The words of the notes defined in a parse (its *env*); their labels."""
        defined = env.get(DEFINED)
        if not isinstance(defined, dict):
            return set()
        for label, tokens in defined.items():
            if label not in self.words:
                self.words[label] = Words([], [])
                for token in tokens:
                    _block(token, first_line, self.words[label], None)
        return set(defined)

    def unreferenced(self, words: Words) -> None:
        """The words of the notes no reference uses, after the text (where the importer keeps them)."""
        for label, found in self.words.items():
            if label not in self.used:
                words.extend(found)


def markdown_words(
    text: str, first_line: int, words: Words, notes: _Notes | None = None, known: set[str] | None = None
) -> None:
    """The reader words of Markdown *text*, whose first line is *first_line*; notes at their references.

    A text read in pieces shares its *notes*, and references to the *known* labels (defined in
    another piece) resolve; the words of a note no reference uses come after the text (after the
    last piece)."""
    if is_html_body(text):
        html_words(text, first_line, words)
        return
    own = notes is None
    notes = notes if notes is not None else _Notes()
    env = environment(known or ())
    tokens = deep(lambda: _PARSER.parse(text, env))
    notes.define(env, first_line)
    notes.used |= referenced(env)
    sink: Words | None = None  # the words of the note being read
    main: list[Token] = []
    for token in tokens:
        if token.type == "footnote_open":
            label = str(token.meta.get("label", ""))
            # a note defined in the text was read above; another (an inline note) is read here
            sink = Words([], []) if label in notes.words else notes.words.setdefault(label, Words([], []))
        elif token.type == "footnote_close":
            sink = None
        elif sink is not None:
            _block(token, first_line, sink, None)
        elif not token.type.startswith("footnote_block"):
            main.append(token)
    for token in main:
        _block(token, first_line, words, notes.words)
    if own:
        notes.unreferenced(words)


def _block(token: Token, first_line: int, words: Words, notes: dict[str, Words] | None) -> None:
    line = first_line + (token.map[0] if token.map else 0)
    if token.children is not None:
        _inline(token.children, line, words, notes)
    elif token.type in ("fence", "code_block"):
        for offset, content in enumerate(token.content.split("\n")):
            words.add(content, line + 1 + offset if token.type == "fence" else line + offset)
    elif token.type == "html_block":
        html_words(token.content, line, words)


def _front_matter(node: yaml.Node, words: Words) -> None:
    """The words of the front-matter fields a reader saw, in order (as the importer shows them).
    Front matter nests at most 32 levels (:data:`~missiekaart.importer.sourcefile.MAX_FRONT_MATTER_DEPTH`)."""
    entries = node.value if isinstance(node, yaml.MappingNode) else [(None, item) for item in node.value]
    for key_node, value in entries:
        key = str(key_node.value).lower() if key_node is not None else ""
        if isinstance(value, (yaml.MappingNode, yaml.SequenceNode)) and key not in META_KEYS:
            _front_matter(value, words)
        elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str") and key in (*HEADING_KEYS, *TEXT_KEYS):
            block_scalar = value.style in ("|", ">")
            markdown_words(value.value, value.start_mark.line + 2 + block_scalar, words)


def reader_words(source: SourceText) -> Words:
    """The words a reader of *source* saw, with their lines (see the module's docstring)."""
    words = Words([], [])
    if not source.lines:
        return words
    text = "\n".join(line for _number, line in source.lines)
    first_line = source.lines[0][0]
    from missiekaart.importer import is_html, is_markdown  # the importer's package imports this module's siblings

    if is_html(source):
        html_words(text, first_line, words)
    elif is_markdown(source):
        if isinstance(source.front_matter_node, yaml.MappingNode):
            _front_matter(source.front_matter_node, words)
        pieces, _dropped = segments(text, first_line)
        notes = _Notes()  # shared by the Markdown pieces (see importer.mdnotes)
        known: set[str] = set()
        markdown = [piece for piece in pieces if piece.kind == "markdown" and not is_html_body(piece.text)]
        if len(markdown) > 1:
            for piece in markdown:
                env: dict[str, object] = {}
                deep(functools.partial(_PARSER.parse, piece.text, env))
                known |= notes.define(env, piece.line)
        for piece in pieces:
            if piece.kind == "html":
                html_words(piece.text, piece.line, words)
            else:
                markdown_words(piece.text, piece.line, words, notes, known)
        notes.unreferenced(words)
    else:
        for number, line in source.lines:
            words.add(line, number)
    return words
