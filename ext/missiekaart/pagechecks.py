"""Checks on a page's raw Markdown, before MyST parses it (``source-read``).

Some mistakes are invisible once the page is parsed: broken front matter (MyST reports it at
line 1 and drops the metadata), an empty page (its title-less toctree entry warns elsewhere),
and a card title with backticks inside a backtick fence (CommonMark then reads no fence at all,
so the card vanishes and its closing fence swallows the page). Each is reported here at its own
line, and the page is mended so the build goes on with every line number unchanged.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config

from .domain import get_domain
from .problems import warn
from .sourcefile import load_yaml

__all__ = ["FrontMatterError", "load_front_matter", "on_source_read"]

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
    block = front_matter_block(text)
    if block is None:
        return {}
    lines = text.split("\n")
    if lines[block[1]].rstrip() not in ("---", "...") or block[1] == 0:
        raise FrontMatterError("the front matter has no closing '---' line", 1, 1)
    try:
        _node, data = load_yaml("\n".join(lines[1 : block[1]]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line, column = (mark.line + 2, mark.column + 1) if mark is not None else (2, 1)
        raise FrontMatterError(problem, line, column) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("the front matter must be 'key: value' lines", 2, 1)
    return data


def _blank(text: str, first: int, last: int) -> str:
    lines = text.split("\n")
    lines[first : last + 1] = [""] * (last - first + 1)
    return "\n".join(lines)


def organisation_dir(config: Config) -> str:
    """The folder of organisation pages (``missiekaart_organisations``), with a trailing slash."""
    folder = config.missiekaart_organisations.strip("/")
    return f"{folder}/" if folder else ""


def on_source_read(app: Sphinx, docname: str, content: list[str]) -> None:
    text = content[0]
    env = app.env
    env.temp_data["mk_line_count"] = text.count("\n") + (0 if text.endswith("\n") else 1)
    try:
        metadata = load_front_matter(text)
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
        metadata = {}
    env.temp_data["mk_source"] = metadata.get("mk-source")

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
        if closing is None:
            continue
        text = (
            text[: match.start()]
            + tildes(match)
            + text[match.end() : closing.start()]
            + closing.group().replace("`", "~")
            + text[closing.end() :]
        )
    content[0] = text
