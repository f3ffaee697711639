"""What the hostile-input tests check on a built site, whatever the input was.

- :func:`live_markup`: elements and attributes in the HTML that would run code or load a page
  (``on*`` handlers, ``javascript:``/``data:``/``vbscript:`` URLs, script-like elements that
  carry the input's marker);
- :func:`latex_commands`: how often the ``.tex`` body uses the control sequences that read or
  write files (``\\input``, ``\\write18``, ``\\openin``, ...), to compare with a build of the same
  project without the input;
- :class:`OpenedFiles`: every file the Python process opens while a build runs (an audit hook),
  to find any outside the project and the installed software.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup

URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcdoc",
    "background",
    "codebase",
}
CODE_SCHEMES = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)
LOADING = {"src", "srcset", "srcdoc", "data", "poster", "background", "codebase"}  # what a page loads by itself
EMBEDDING = {"iframe", "object", "embed", "frame", "frameset", "base", "applet"}
FILE_COMMANDS = re.compile(
    r"\\(input|include|InputIfFileExists|write|immediate|openin|openout|read|readline|catcode|csname|"
    r"directlua|special|ShellEscape|includegraphics)(?![a-zA-Z])|\^\^"
)


def _clean(value: str) -> str:
    """A URL as a browser reads it: controls and whitespace inside the scheme are ignored."""
    return "".join(char for char in value if char.isprintable() and not char.isspace())


def live_markup(html: str, marker: str) -> list[str]:
    """Everything in *html* that would run code or load what the input chose, one line each.

    Text in harmless attributes (``title``, ``alt``, ``aria-label``, a description's ``content``,
    a link's target: the importer keeps ``http(s)`` links) is text; the input's *marker* in what a
    page loads by itself (``src``, ...), in a script or style, or in an embedding element means
    the input became markup.
    """
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all(True):

        def live(why: str, element: object = element) -> None:
            found.append(f"{why}: {str(element)[:160]!r}")

        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                live(f"<{element.name} {name}>")
            if name.lower() in URL_ATTRIBUTES and CODE_SCHEMES.match(_clean(text)):
                live(f"<{element.name} {name}> with a code URL")
            if name.lower() in LOADING and marker in text:
                live(f"<{element.name} {name}> loading what the input chose")
        if element.name in ("script", "style") and marker in element.get_text():
            live(f"<{element.name}> holding the input")
        if element.name in EMBEDDING and any(marker in str(value) for value in element.attrs.values()):
            live(f"<{element.name}> made by the input")
        if element.name == "meta" and element.get("http-equiv") and marker in str(element.get("content", "")):
            live("<meta http-equiv> made by the input")
    return found


def latex_commands(tex: str) -> Counter[str]:
    """The file and catcode commands in the document body of *tex* (the preamble is Sphinx's)."""
    body = tex.split(r"\begin{document}", 1)[-1]
    return Counter(match.group() for match in FILE_COMMANDS.finditer(body))


def site_files(outdir: Path) -> Iterator[Path]:
    return (path for path in outdir.rglob("*") if path.is_file())


class OpenedFiles:
    """The files the process opens between :meth:`watch` calls (a ``sys.addaudithook`` hook, which
    cannot be removed: it records only while watching)."""

    _instance: OpenedFiles | None = None

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.watching = False

    @classmethod
    def get(cls) -> OpenedFiles:
        if cls._instance is None:
            cls._instance = cls()
            sys.addaudithook(cls._instance._hook)
        return cls._instance

    def _hook(self, event: str, args: tuple[object, ...]) -> None:
        if self.watching and event in ("open", "os.listdir", "os.scandir", "shutil.copyfile") and args:
            path = args[0]
            if isinstance(path, (str, bytes, os.PathLike)):
                self.paths.add(os.path.realpath(os.fsdecode(path)))

    @contextmanager
    def watch(self) -> Iterator[set[str]]:
        self.paths = set()
        self.watching = True
        try:
            yield self.paths
        finally:
            self.watching = False

    @staticmethod
    def outside(paths: set[str], *allowed: Path) -> list[str]:
        """The paths not inside the project (*allowed*), Python and its packages, or docutils' config."""
        roots = [os.path.realpath(root) for root in (*allowed, sys.prefix, sys.base_prefix, sys.exec_prefix)]
        roots += [os.path.realpath(path) for path in sys.path if path]
        known = {"/dev/null", "/etc/docutils.conf", os.path.realpath(Path("~/.docutils").expanduser())}
        return sorted(
            path
            for path in paths
            if path not in known and not any(path == root or path.startswith(root + os.sep) for root in roots)
        )
