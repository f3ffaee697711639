"""Checks on a page's raw Markdown, before MyST parses it (``source-read``).

Some mistakes are invisible once the page is parsed: broken front matter (MyST reports it at
line 1 and drops the metadata), an empty page (its title-less toctree entry warns elsewhere),
and a card title with backticks inside a backtick fence (CommonMark then reads no fence at all,
so the card vanishes and its closing fence swallows the page). Each is reported here at its own
line, and the page is mended so the build goes on with every line number unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.application import Sphinx
from sphinx.config import Config

from missiekaart.extension.domain import get_domain
from missiekaart.extension.problems import warn
from missiekaart.extension.rawhtml import check_page as check_html
from missiekaart.importer.sourcefile import MissingSource, SourceError, load_yaml, page_source

__all__ = ["FrontMatterError", "load_front_matter", "on_source_read", "source_of_page"]

FENCE_DIRECTIVES = ("mission-card", "value-card", "concept")
# A backtick fence whose info string has a backtick: not a fence for CommonMark.
_NAMES = "|".join(FENCE_DIRECTIVES)
BACKTICK_TITLE = re.compile(r"^( {0,3})(`{3,})(\{(?:" + _NAMES + r")\}[^\n]*`[^\n]*)$", re.M)


class FrontMatterError(ValueError):
    """Front matter that cannot be read: *line* and *column* are 1-based, in the page."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def front_matter_block(text: str) -> tuple[int, int] | None:
    """The (first, last) 0-based line indexes of the front matter's ``---`` lines, if any."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return 0, index
    return 0, len(lines) - 1


def load_front_matter(text: str) -> dict[str, Any]:
    """The page's front matter as a mapping ({} if it has none); :class:`FrontMatterError` if broken."""
    return _front_matter(text)[0]


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """The page line of each top-level key of the front matter (the YAML starts on line 2)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 2 for key, _value in node.value if isinstance(key, yaml.ScalarNode)}


def _front_matter(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter and the line of each of its keys."""
    block = front_matter_block(text)
    if block is None:
        return {}, {}
    lines = text.split("\n")
    if lines[block[1]].rstrip() not in ("---", "...") or block[1] == 0:
        raise FrontMatterError("the front matter has no closing '---' line", 1, 1)
    try:
        node, data = load_yaml("\n".join(lines[1 : block[1]]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line, column = (mark.line + 2, mark.column + 1) if mark is not None else (2, 1)
        raise FrontMatterError(problem, line, column) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise FrontMatterError("the front matter must be 'key: value' lines", 2, 1)
    return data, _key_lines(node)


def _blank(text: str, first: int, last: int) -> str:
    lines = text.split("\n")
    lines[first : last + 1] = [""] * (last - first + 1)
    return "\n".join(lines)


def source_of_page(config: Config, value: object, real_folder: str | None = None) -> Path:
    """The source text a page's ``mk-source`` names, resolved inside the project's folder of source
    texts (``missiekaart_source_texts``; *real_folder*: that folder resolved, by a caller that asks for
    many pages); :class:`~missiekaart.importer.sourcefile.SourceError` if it may not be used."""
    return page_source(value, config.missiekaart_source_root, config.missiekaart_source_texts, real_folder=real_folder)


def _warn_source(config: Config, value: object, error: SourceError, location: tuple[str, int]) -> None:
    if isinstance(error, MissingSource):
        path = Path(config.missiekaart_source_root) / str(value)
        warn(
            f"the page's front matter says 'mk-source: {value}', but there is no such file ({path}); "
            "correct the path or import the text again",
            location,
            "missing-source",
        )
    else:
        warn(
            f"the page's 'mk-source: {value}' is not used: {error.message}; nothing of it is published",
            location,
            "unsafe-source",
        )


def organisation_dir(config: Config) -> str:
    """The folder of organisation pages (``missiekaart_organisations``), with a trailing slash."""
    folder = config.missiekaart_organisations.strip("/")
    return f"{folder}/" if folder else ""


def on_source_read(app: Sphinx, docname: str, content: list[str]) -> None:
    text = content[0]
    env = app.env
    env.temp_data["mk_line_count"] = text.count("\n") + (0 if text.endswith("\n") else 1)
    try:
        metadata, key_lines = _front_matter(text)
    except FrontMatterError as error:
        warn(
            "the front matter is not valid YAML (line %d, column %d: %s); the page's metadata is "
            "ignored until it is fixed: check quotes, brackets and the indentation of 'key: value' lines",
            (docname, error.line),
            "front-matter",
            error.line,
            error.column,
            error,
        )
        block = front_matter_block(text)
        assert block is not None
        text = _blank(text, *block)
        metadata, key_lines = {}, {}
    env.temp_data["mk_source"] = None
    env.temp_data["mk_source_line"] = key_lines.get("mk-source", 1)
    if "mk-source" in metadata:
        try:
            path = source_of_page(app.config, metadata["mk-source"])
            env.temp_data["mk_source"] = (metadata["mk-source"], path)
            # The page's words and its cards are checked against the text: read the page again when it changes.
            env.note_dependency(str(path))
        except SourceError as error:
            _warn_source(app.config, metadata["mk-source"], error, (docname, key_lines.get("mk-source", 1)))

    folder = organisation_dir(app.config)
    body = text
    if (block := front_matter_block(text)) is not None:
        body = "\n".join(text.split("\n")[block[1] + 1 :])
    if folder and docname.startswith(folder) and docname != f"{folder}index" and not body.strip():
        warn(
            "this organisation page is empty; import the organisation's text with "
            "'missiekaart import source_texts/<slug>.txt --name \"...\"', or delete the file",
            (docname, 1),
            "empty-page",
        )
        text = text.rstrip("\n") + f"\n\n# {PurePosixPath(docname).name}\n"
        get_domain(env).add_empty_page(docname)

    def tildes(match: re.Match[str]) -> str:
        return f"{match.group(1)}{'~' * len(match.group(2))}{match.group(3)}"

    for match in reversed(list(BACKTICK_TITLE.finditer(text))):
        # Support markup in a card title: turn the fence into a tilde fence, which may hold backticks,
        # closing it at the next line that is the same backtick run alone.
        fence = match.group(2)
        closing = re.compile(rf"^ {{0,3}}{fence}[ \t]*$", re.M).search(text, match.end())
        if closing is None:  # CommonMark reads no fence here: the card would be a paragraph of its source
            warn(
                "this card's title holds backticks and its fence of %d backticks is never closed, so the "
                "card is shown as plain text; close it with a line of %d backticks right after its text",
                (docname, text.count("\n", 0, match.start()) + 1),
                "unclosed-card",
                len(fence),
                len(fence),
            )
            continue
        text = (
            text[: match.start()]
            + tildes(match)
            + text[match.end() : closing.start()]
            + closing.group().replace("`", "~")
            + text[closing.end() :]
        )
    check_nesting(text, docname)
    check_html(text, docname)
    check_file_name(docname)
    content[0] = text


#: MyST's block parser stops at this depth of nested containers (markdown-it's ``maxNesting`` in
#: the CommonMark preset) and silently drops the rest of the page.
MAX_NESTING = 20
_PREFIX = re.compile(r"[ \t>*+\-0-9.)]*")


def check_nesting(text: str, docname: str) -> None:
    """Warn where lists or quotes nest deeper than MyST parses: it would drop the rest of the page.

    Nesting that deep needs a prefix of at least :data:`MAX_NESTING` columns of indentation, list
    markers and ``>`` on some line, so only a page with such a line is parsed (with markdown-it's
    limit raised) to find where the nesting passes the limit.
    """
    if not any(len(_PREFIX.match(line).group().expandtabs(4)) >= MAX_NESTING for line in text.split("\n")):  # type: ignore[union-attr]
        return
    parser = create_md_parser(MdParserConfig(), RendererHTML)
    parser.options["maxNesting"] = 5 * MAX_NESTING
    try:
        tokens = parser.parse(text)
    except RecursionError:
        tokens = []
    deep = next((token for token in tokens if token.level >= MAX_NESTING and token.map), None)
    if deep is not None or not tokens:
        line = deep.map[0] + 1 if deep is not None and deep.map else 1
        warn(
            "lists or quotes are nested more than %d levels deep here; MyST drops such text, and "
            "everything after it on the page: nest less deeply (an indented line is a level too)",
            (docname, line),
            "too-deep",
            MAX_NESTING // 2,
        )


#: What a page's file name may hold: it is the page's address, and "#", "?", "%" or spaces break
#: every link to it.
_SAFE_DOCNAME = re.compile(r"[\w.-]+(/[\w.-]+)*")


def check_file_name(docname: str) -> None:
    if not _SAFE_DOCNAME.fullmatch(docname):
        bad = next(char for char in docname if not (char.isalnum() or char in "_.-/"))
        warn(
            "the file name holds %r, which breaks the links to this page (its name is its address); "
            "rename the file with letters, digits and hyphens only",
            (docname, 1),
            "unsafe-file-name",
            bad,
        )
