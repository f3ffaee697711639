"""HTML in a contributor's Markdown is shown as the text it is, and reported where it is.

MyST passes raw HTML through to the page (CommonMark's ``html_block`` and ``html_inline``): a
``<script>`` in an organisation page's heading reached the page, its mission card and the theme's
"next page" link as markup. :func:`show_html_as_text` turns both syntaxes off for every project
that uses the extension, so the writer escapes such text like any other; MyST's ``%`` comments
take the place of ``<!-- -->``. Since a contributor who wrote ``<br>`` or ``<b>`` now sees it
literally, :func:`check_page` (at ``source-read``) and :func:`html_in_title` (for card titles)
find it with a CommonMark parser, HTML on, and say where, with what to write instead.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from sphinx.application import Sphinx
from sphinx.config import Config

from missiekaart.extension.problems import warn

__all__ = ["check_page", "html_in", "html_in_title", "show_html_as_text"]

HTML_SYNTAX = ("html_block", "html_inline")
_parser = MarkdownIt("commonmark")  # HTML recognised: to find it, never to render it


def show_html_as_text(app: Sphinx, config: Config) -> None:
    """``config-inited``: MyST's HTML syntax off (``myst_disable_syntax``), whatever ``conf.py`` says."""
    given = list(getattr(config, "myst_disable_syntax", None) or [])
    config.myst_disable_syntax = given + [name for name in HTML_SYNTAX if name not in given]


def _options_end(lines: list[str]) -> int:
    """The first line of a directive's body: after its ``:option:`` lines (and the blank line)."""
    index = 0
    while index < len(lines) and lines[index].startswith(":"):
        index += 1
    return index


def html_in(text: str) -> list[tuple[int, str]]:
    """Where *text* (Markdown) holds HTML: (0-based line, the HTML), in order; also in the bodies of
    MyST directives (fences whose info starts with ``{``), which CommonMark reads as code."""
    if "<" not in text:
        return []
    found: list[tuple[int, str]] = []
    for token in _parser.parse(text):
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            found.append((line, token.content.strip().split("\n")[0]))
        elif token.type == "inline":
            found += [(line, html) for html in _inline_html(token)]
        elif token.type == "fence" and token.info.startswith("{"):
            lines = token.content.split("\n")
            start = _options_end(lines)
            found += [(line + 1 + start + inner, html) for inner, html in html_in("\n".join(lines[start:]))]
    return found


def html_in_title(title: str) -> list[str]:
    """The HTML in a one-line title (``<img ...>``), in order."""
    if "<" not in title:
        return []
    return [html for token in _parser.parseInline(title) for html in _inline_html(token)]


def _inline_html(token: Token) -> list[str]:
    """The HTML in an ``inline`` token's text, in order."""
    return [child.content for child in token.children or [] if child.type == "html_inline"]


def check_page(text: str, docname: str) -> None:
    """Warn at the first HTML in a page's Markdown (and say how many more there are)."""
    found = html_in(text)
    if not found:
        return
    line, html = found[0]
    more = f" (and {len(found) - 1} more on this page)" if len(found) > 1 else ""
    warn(
        "this page holds HTML (%r)%s, which the site shows as text, not as markup; write Markdown "
        "instead (*emphasis*, **bold**, [text](https://...), a blank line for a new paragraph) and "
        "'%% ...' for a comment",
        (docname, line + 1),
        "html-in-page",
        html[:80],
        more,
    )
