"""Text for LaTeX that pdflatex can always set: escaped, with a fallback for what it cannot.

pdflatex with ``inputenc`` stops with "Unicode character ... not set up for use with LaTeX" at
the first character its encodings do not declare: an emoji, a Cyrillic or Chinese letter, a
bidirectional control. Such text passes the HTML build, so the PDF would be the first to fail.
:func:`escape` is the one way text reaches the ``.tex``: the writer's (``latex.Translator``) and
the extension's own. Characters the loaded encodings declare (``latex/pdflatex-characters.txt``,
found by compiling them) are escaped as Sphinx escapes them; invisible ones (controls, format
characters such as U+200B and U+202E, variation selectors) are left out; any other is printed as
its code point in a small frame (``\\missiekaartglyph``, and ``[U+1F600]`` in PDF bookmarks),
so no word is lost without a trace and ``make pdf`` never stops on a character. Other LaTeX
engines set any character and get the plain escape.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from sphinx.util import texescape

from missiekaart.core import PACKAGE_DATA

__all__ = ["escape", "replace_unsettable", "settable"]

DATA = PACKAGE_DATA / "latex" / "pdflatex-characters.txt"
_NON_ASCII = re.compile(r"[^\x20-\x7e\n\t]+")
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Mn", "Me"}  # controls, format characters, separators, combining marks


@functools.cache
def settable() -> frozenset[int]:
    """The code points above ASCII that pdflatex sets with the project's preamble."""
    texescape.init()  # Sphinx's escape maps, as the LaTeX builder fills them (idempotent)
    points: set[int] = set()
    for line in DATA.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


def _fallback(character: str) -> str:
    if unicodedata.category(character) in _INVISIBLE or 0xFE00 <= ord(character) <= 0xFE0F:
        return ""  # nothing a reader sees; an unpaired combining mark after NFC has no letter to go on
    return rf"\missiekaartglyph{{{ord(character):04X}}}"


def escape(text: str, engine: str = "pdflatex") -> str:
    """*text* as LaTeX for *engine*: escaped, and for pdflatex every character it cannot set replaced."""
    if engine != "pdflatex":
        return texescape.escape("".join(char for char in text if unicodedata.category(char) != "Cc"), engine)
    known = settable()
    out: list[str] = []
    position = 0
    for run in _NON_ASCII.finditer(unicodedata.normalize("NFC", text)):
        out.append(run.string[position : run.start()])
        for character in run.group():
            out.append(character if ord(character) in known else "\x00" + _fallback(character) + "\x00")
        position = run.end()
    out.append(unicodedata.normalize("NFC", text)[position:])
    # Escape the text between the fallbacks, never the fallbacks themselves (marked by NUL, which
    # no text holds: controls are among the characters replaced).
    parts = "".join(out).split("\x00")
    return "".join(part if index % 2 else texescape.escape(part, engine) for index, part in enumerate(parts))


def replace_unsettable(latex: str, engine: str = "pdflatex") -> str:
    """*latex* (already LaTeX, such as Pygments' highlighted code) with each character pdflatex
    cannot set replaced by its fallback, as :func:`escape` does; unchanged for other engines."""
    if engine != "pdflatex":
        return latex
    known = settable()
    return _NON_ASCII.sub(
        lambda run: "".join(char if ord(char) in known else _fallback(char) for char in run.group()),
        unicodedata.normalize("NFC", latex),
    )
