"""What the structured readers (Markdown, HTML) share: where their output goes, and how they write
the MyST of what both know (code, links, tables, emphasis).

A structured source is parsed by a real parser (markdown-it-py, lxml) and written out as MyST
text directly: each top-level heading and rule stays a :class:`~.model.Block` of its own (the
block passes number and check them), everything else becomes a ``"myst"`` block holding its
MyST lines and, beside them, the reader's words with their source lines (:class:`~.model.Line`
pieces, which ``check-source`` compares with the built page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from missiekaart.importer.model import Block, Decision, Dropped

__all__ = ["KEPT_LINK", "Out", "backticks", "code", "emphasis", "link", "table"]

#: The link targets a page keeps: absolute web and e-mail addresses (any case: ``HTTPS:`` too).
KEPT_LINK = re.compile(r"(?:https?://|mailto:)\S+", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z]+:")


@dataclass
class Out:
    """What reading a structured text produced: blocks, and the choices made on the way."""

    first_line: int  # the source line of the text's first line
    heading_offset: int = 0
    blocks: list[Block] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    hidden: str = ""  # the inline element whose text is being left out (script, style), if any
    note_labels: set[str] = field(default_factory=set)  # the footnote labels taken on the page
    next_note: int = 1  # numbered labels below this one are taken

    def note_label(self, wanted: str = "") -> str:
        """A footnote label no other note of the page has: *wanted* if it is free (with a number
        after it if not), or the next free number."""
        if wanted:
            label, number = wanted, 1
            while label in self.note_labels:
                label, number = f"{wanted}-{number}", number + 1
        else:
            while str(self.next_note) in self.note_labels:
                self.next_note += 1
            label = str(self.next_note)
        self.note_labels.add(label)
        return label

    def decide(self, line: int, text: str) -> None:
        self.decisions.append(Decision(line, text))

    def drop(self, line: int, text: str, reason: str, prose: int = -1, column: int = 0) -> None:
        """Itemise *text* as left out, and why; *prose*: the most ordinary words in one run of it (-1: one
        run); *column*: where on its line it starts, if known (a hint for ``check-source``)."""
        shown = " ".join(text.split())
        if shown:
            self.dropped.append(Dropped(line, shown, reason, start=column, prose=prose))


def backticks(text: str, at_least: int = 1) -> str:
    """A run of backticks longer than any in *text*, to fence it."""
    return "`" * max(at_least, max((len(run) for run in re.findall("`+", text)), default=0) + 1)


def code(text: str) -> str:
    """Inline code, fenced with enough backticks."""
    fence = backticks(text)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def emphasis(mark: str, inner: str) -> str:
    """*inner* (MyST) in *mark* (``*`` or ``**``), the whitespace at its edges moved outside, where
    CommonMark lets stars open and close."""
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def link(inner: str, href: str, line: int, out: Out) -> str:
    """A link to *href* around the MyST *inner*, if the page may keep it (``http(s)``, ``mailto``,
    its scheme written in lower case); else its text, and a decision in the report."""
    href = href.strip()
    if KEPT_LINK.fullmatch(href) and inner.strip():
        scheme = _SCHEME.match(href)
        target = href if scheme is None else scheme.group().lower() + href[scheme.end() :]
        return f"[{inner}](<{target.replace('>', '%3E').replace('<', '%3C')}>)"
    out.decide(line, f"link to {href!r} kept as its text only")
    return inner


def table(rows: list[list[str]]) -> list[str]:
    """Rows of MyST cells (the first the header) as a pipe table, every row as wide as the widest."""
    if not rows:
        return []
    width = max(len(row) for row in rows)
    padded = [[cell.replace("\n", " ") for cell in row] + [""] * (width - len(row)) for row in rows]  # cells escaped
    lines = ["| " + " | ".join(padded[0]) + " |", "|" + "---|" * width]
    return lines + ["| " + " | ".join(row) + " |" for row in padded[1:]]
