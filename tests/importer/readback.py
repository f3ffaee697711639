"""Read an imported page back as MyST would, without a Sphinx build, and compare its words with the source's.

The page side is every word in the tokens of MyST's own parser (the one ``myst_parser`` builds
the site with), the visible text of an inline joined first (``**V**erbinding`` is one word, as
on the built page): what MyST does not read, because it is nested too deep, is missing there as
it would be on the site. Each footnote's words are read at its reference, as check-source reads a
built page. The words are check-source's (``missiekaart.importer.checksource``), and so is the alignment.

The source side is check-source's for a plain text (its reader words, less what the importer
declared dropped). For a Markdown source it is read here independently of the importer:
markdown-it-py without a nesting limit (on a thread with a deep stack), template code and raw
HTML tags left out, raw HTML blocks as their text (as the importer defines it), and the text of
inline script and style elements left out.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from missiekaart.importer import Document, is_markdown
from missiekaart.importer.checksource import NOTE_CLOSE, NOTE_OPEN, Problem, Words, compare, source_words
from missiekaart.importer.html import scan_text
from missiekaart.importer.readerwords import deep
from missiekaart.importer.readerwords import words_of as _words
from missiekaart.importer.templates import strip_templates

_MYST = create_md_parser(MdParserConfig(), RendererHTML)
_HIDDEN = ("script", "style", "template")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _hidden(children: list[Token]) -> set[int]:
    """The indexes of inline tokens between an inline script, style or template tag and its closing tag."""
    tags = []
    for index, child in enumerate(children):
        tag = _TAG.match(child.content) if child.type == "html_inline" else None
        if tag and tag.group(2).lower() in _HIDDEN and not child.content.rstrip().endswith("/>"):
            tags.append((index, tag.group(2).lower(), bool(tag.group(1))))
    hidden: set[int] = set()
    opened: tuple[int, str] | None = None
    for index, name, closing in tags:
        if opened is None and not closing and any(c and n == name and i > index for i, n, c in tags):
            opened = (index, name)
        elif opened is not None and closing and name == opened[1]:
            hidden.update(range(opened[0] + 1, index))
            opened = None
    return hidden


def _inline_words(children: list[Token], out: list[str], notes: dict[str, list[str]] | None) -> None:
    """The words of inline tokens in order, their visible text joined first (``**V**erbinding`` is one
    word, as check-source reads a built page); a footnote reference brings its note's words (if *notes*)."""
    hidden = _hidden(children)
    text: list[str] = []
    for index, child in enumerate(children):
        if index in hidden:
            continue
        if child.type == "footnote_ref" and notes is not None:
            out += [*_words("".join(text)), NOTE_OPEN, *notes.get(child.meta["label"], []), NOTE_CLOSE]
            text.clear()
        elif child.type in ("text", "code_inline", "myst_role", "text_special", "math_inline"):
            text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            text.append(" ")
        elif child.type == "image":
            text += [grandchild.content for grandchild in child.children or [] if grandchild.type == "text"]
    out += _words("".join(text))


def page_words(page: str) -> list[str]:
    """The words MyST reads on *page* (not its metadata), each footnote's at its reference."""
    tokens = _MYST.parse(page)
    notes: dict[str, list[str]] = {}
    main: list[Token] = []
    label = None
    for token in tokens:
        if token.type == "footnote_reference_open":
            label = token.meta["label"]
            notes[label] = []
        elif token.type == "footnote_reference_close":
            label = None
        elif label is not None:
            if token.children is not None:
                _inline_words(token.children, notes[label], None)
        elif token.type != "front_matter":
            main.append(token)
    words: list[str] = []
    for token in main:
        if token.children is not None:
            _inline_words(token.children, words, notes)
        elif token.type in ("fence", "code_block"):
            words += _words(token.content)
    return words


def _html_words(html: str) -> list[str]:
    """A raw HTML block's words: its text is what the importer takes for it (BeautifulSoup, or one pass if long)."""
    return _words(scan_text(html))


def markdown_words(text: str) -> list[str]:
    """The reader words of a Markdown body, read without the importer and without a nesting limit."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    parser.options.maxNesting = 10**9
    body, _ = strip_templates(text, 1)
    tokens = deep(lambda: parser.parse(body))
    words: list[str] = []
    for token in tokens:
        if token.children is not None:
            _inline_words(token.children, words, None)
        elif token.type in ("fence", "code_block"):
            words += _words(token.content)
        elif token.type == "html_block":
            words += _html_words(token.content)
    return words


def lost_words(doc: Document, page: str, body: str | None = None) -> list[Problem]:
    """The source's reader words that *page*, read by MyST, does not show in order.

    For a Markdown source, *body* is its text after the front matter; its title and other
    front-matter text are not compared.
    """
    if is_markdown(doc.source):
        assert body is not None
        texts = markdown_words(body)
        expected = Words(texts, [0] * len(texts))
    else:
        expected = source_words(doc)
    return compare(expected, page_words(page))
