"""MyST output: the page's metadata, its title, the blocks and the footnotes."""

from __future__ import annotations

import yaml

from missiekaart.importer.blocks import note_markers, with_markers
from missiekaart.importer.inline import escape, join_lines, render_inline
from missiekaart.importer.model import Block, Decision, Document, Span

__all__ = ["ENCODING_KEY", "FRONT_MATTER_PREFIX", "SOURCE_KEY", "render", "render_page"]

FRONT_MATTER_PREFIX = "mk-source-"  # the source's own front matter: mk-source-<key>
# The importer's own metadata. No key starts with FRONT_MATTER_PREFIX, so no front matter key can overwrite one.
SOURCE_KEY = "mk-source"
ENCODING_KEY = "mk-import-encoding"


def _metadata(doc: Document, source_path: str) -> str:
    """The page's metadata: the importer's own keys, then the source's front matter under its prefix."""
    data: dict[str, object] = {SOURCE_KEY: source_path}
    if doc.source.encoding not in ("utf-8", "utf-8-sig"):
        data[ENCODING_KEY] = doc.source.encoding
    for key, value in doc.source.front_matter.items():
        data[FRONT_MATTER_PREFIX + key] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _item_marker(block: Block, previous: Block | None, delimiter: str) -> tuple[str, str]:
    """The list marker for *block* after the item *previous* at its depth, and the delimiter now in use.

    An ordered list keeps the source's delimiter. CommonMark numbers a list on from its
    first number, so an item whose number does not follow the previous item's starts a new
    list that keeps its own number; if its delimiter is the one in use, it takes the other
    (``1.`` / ``1)``), which is what separates two lists.
    """
    if not block.ordered:
        return "-", delimiter
    if previous is None or not previous.ordered:
        delimiter = block.delimiter
    elif block.number != previous.number + 1:
        delimiter = block.delimiter if block.delimiter != delimiter else {".": ")", ")": "."}[delimiter]
    return f"{block.number}{delimiter}", delimiter


def _text(block: Block, markers: dict[int, list[Span]], decisions: list[Decision]) -> str:
    if block.myst:
        return block.myst
    notes: list[str] = []
    text = render_inline(join_lines([with_markers(line, markers) for line in block.lines]), notes)
    decisions += [Decision(block.line, note) for note in notes]
    return text


def _list_lines(items: list[Block], markers: dict[int, list[Span]], decisions: list[Decision]) -> list[str]:
    """A run of list items as nested MyST lists: each level indented under its parent item's text."""
    out: list[str] = []
    open_items: list[tuple[Block, str, int]] = []  # per depth: last item, delimiter in use, content indent
    for block in items:
        depth = min(block.depth, len(open_items))
        del open_items[depth + 1 :]
        previous, delimiter, _ = open_items[depth] if depth < len(open_items) else (None, ".", 0)
        if previous is not None and previous.ordered != block.ordered:
            out.append("")
            previous = None
        marker, delimiter = _item_marker(block, previous, delimiter)
        indent = open_items[depth - 1][2] if depth else 0
        out.append(" " * indent + f"{marker} {_text(block, markers, decisions)}")
        entry = (block, delimiter, indent + len(marker) + 1)
        open_items[depth:] = [entry]
    return [*out, ""]


def render(doc: Document, source_path: str) -> str:
    """Write the document as a MyST page."""
    return render_page(doc, source_path)[0]


def render_page(doc: Document, source_path: str) -> tuple[str, tuple[Decision, ...]]:
    """Write the document as a MyST page; also return what was decided while writing its text."""
    out = ["---", _metadata(doc, source_path).rstrip("\n"), "---", "", f"# {escape(doc.title)}", ""]
    markers = note_markers(doc.markup)  # the footnote markers by line, found once
    decisions: list[Decision] = []
    items: list[Block] = []
    for block in (*doc.blocks, Block("end", ())):
        if block.kind == "item":
            items.append(block)
            continue
        if items:
            out += _list_lines(items, markers, decisions)
            items = []
        if block.kind == "heading":
            out += ["#" * block.level + " " + _text(block, markers, decisions), ""]
        elif block.kind == "paragraph":
            out += [_text(block, markers, decisions), ""]
        elif block.kind == "rule":
            out += ["---", ""]
        elif block.kind in ("myst", "footnote"):
            out += [block.myst, ""]
    for note in doc.footnotes:
        notes: list[str] = []
        out += [f"[^{note.label}]: {render_inline(join_lines([line.text for line in note.lines]), notes)}", ""]
        decisions += [Decision(note.marker.line, text) for text in notes]
    return "\n".join(out).rstrip("\n") + "\n", tuple(decisions)
