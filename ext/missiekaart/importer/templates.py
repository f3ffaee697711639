"""Template code in static-site exports: its syntax is not reader text, the prose passed to it is.

Jekyll, Eleventy and Hugo pages hold template code: Liquid and Jinja statements, expressions and
comments (``{% ... %}``, ``{{ ... }}``, ``{# ... #}``) and Hugo shortcodes (``{{< ... >}}``,
``{{% ... %}}``). What the reader saw of ``{% include section.html title="Onze missie" text="Wij
..." %}`` is the title and the text: string parameters that hold prose (:data:`PROSE_KEYS`) are
kept where the code stands (a title as a heading, a text as paragraphs, ``<br><br>`` a paragraph
break); the rest of the code is dropped and reported, as is code that passes no prose.

:func:`segments` cuts a body into Markdown and the prose of template code, in order, each with
its first source line; one pass, linear in the text.
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass

from missiekaart.importer.model import Dropped

__all__ = ["HEADING_PARAMETERS", "PROSE_KEYS", "Segment", "segments", "strip_templates"]

_ENDS = {"{%": "%}", "{{": "}}", "{#": "#}"}
_START = re.compile(r"\{[%{#]")
HEADING_PARAMETERS = ("title", "heading", "headline", "header", "name")
TEXT_PARAMETERS = (
    "subtitle", "text", "content", "description", "caption", "summary", "body", "lead", "intro", "quote", "label",
    "excerpt", "tagline", "alt",
)  # fmt: skip
PROSE_KEYS = HEADING_PARAMETERS + TEXT_PARAMETERS
_WORDS = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Segment:
    """A piece of a body: ``"markdown"`` text, or ``"html"`` made of a template's prose parameters."""

    kind: str
    text: str
    line: int  # the source line of its first line


def _prose(code: str) -> list[tuple[str, str]]:
    """The prose parameters of template *code* (its inside, without the delimiters), in order."""
    inner = code.strip().strip("<>%").strip()
    try:
        words = shlex.split(inner, posix=True)
    except ValueError:  # an unbalanced quote: no parameters to trust
        return []
    found = []
    for word in words[1:]:  # the first word names the include or shortcode
        key, equals, value = word.partition("=")
        if equals and key.strip().lower() in PROSE_KEYS and _WORDS.search(value):
            found.append((key.strip().lower(), value.strip()))
    return found


def _as_html(parameters: list[tuple[str, str]]) -> str:
    """Prose parameters as HTML: a title as a heading, a text as a paragraph (its HTML kept)."""
    parts = []
    for key, value in parameters:
        if key in HEADING_PARAMETERS:
            parts.append(f"<h2>{html.escape(value, quote=False)}</h2>")
        else:  # a text parameter may hold HTML itself: <br><br>, <strong>
            parts.append(f"<div>{value}</div>")
    return "\n".join(parts)


def _template_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each piece of template code, left to right, each to its first end.

    An opening whose end is missing says so for every later one of its kind (searching again
    from each of 66,000 unclosed ``{{`` took most of a minute)."""
    spans: list[tuple[int, int]] = []
    unclosed: set[str] = set()
    search = 0
    while match := _START.search(text, search):
        start = match.start()
        opening = match.group()
        end = -1 if opening in unclosed else text.find(_ENDS[opening], start + 2)
        if end < 0:
            unclosed.add(opening)
            search = start + 1
            continue
        spans.append((start, end + 2))
        search = end + 2
    return spans


def segments(text: str, first_line: int) -> tuple[list[Segment], list[Dropped]]:
    """*text* cut into Markdown and the prose of its template code; template syntax is dropped
    (reported), keeping the line breaks inside it so every line keeps its number."""
    found: list[Segment] = []
    dropped: list[Dropped] = []
    kept: list[str] = []
    line, counted = first_line, 0  # the source line of position *counted*
    markdown_line = first_line  # where the Markdown being collected starts
    position = 0
    for start, end in _template_spans(text):
        code = text[start:end]
        line += text.count("\n", counted, start)
        counted = start
        prose = _prose(code[2:-2])
        if prose:
            found.append(Segment("markdown", "".join([*kept, text[position:start]]), markdown_line))
            found.append(Segment("html", _as_html(prose), line))
            kept = ["\n" * code.count("\n")]
            markdown_line = line
            dropped.append(Dropped(line, " ".join(code.split()), "template code (its prose is kept)"))
        else:
            kept += [text[position:start], "\n" * code.count("\n")]
            dropped.append(Dropped(line, " ".join(code.split()), "template code"))
        position = end
    found.append(Segment("markdown", "".join([*kept, text[position:]]), markdown_line))
    return [segment for segment in found if segment.text.strip()], dropped


def strip_templates(text: str, first_line: int) -> tuple[str, list[Dropped]]:
    """*text* without template code (prose parameters too), each removal reported with its line."""
    pieces, dropped = segments(text, first_line)
    return "".join(segment.text for segment in pieces if segment.kind == "markdown"), dropped
