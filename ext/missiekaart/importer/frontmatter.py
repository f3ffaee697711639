"""Front matter that a reader saw: a static-site page's title, description and sections, in order.

Static-site generators show some front-matter fields on the page (``title``, ``description``,
sections' ``title`` and ``content``, ...) and use others for configuration (``layout``,
``permalink``, ``seo``, ...). The first become blocks before the body, titles as headings and
texts as Markdown; the others are kept as the page's ``mk-source-*`` metadata only. YAML front
matter comes with its node tree; TOML (``+++``) is handed over as one (:mod:`..tomlmatter`).
"""

from __future__ import annotations

from dataclasses import replace

import yaml

from missiekaart.importer.markdown import render_heading, render_markdown
from missiekaart.importer.model import Block, Document
from missiekaart.importer.writer import Out

__all__ = ["HEADING_KEYS", "META_KEYS", "TEXT_KEYS", "front_matter_text"]

HEADING_KEYS = ("title", "heading", "headline")
TEXT_KEYS = ("subtitle", "description", "summary", "lead", "intro", "tagline", "excerpt", "text", "content", "body")
# Mappings that describe the page rather than show text on it.
META_KEYS = (
    "seo",
    "meta",
    "og",
    "opengraph",
    "twitter",
    "social",
    "publisher",
    "author",
    "authors",
    "menu",
    "params",
    "cascade",
    "build",
    "sitemap",
    "image",
    "images",
    "resources",
    "outputs",
)


def _scalar_line(node: yaml.Node) -> int:
    """The file line of a front matter scalar's text (the YAML starts on line 2, after '---')."""
    block_scalar = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
    return node.start_mark.line + 2 + block_scalar


def _fields(node: yaml.Node, depth: int, out: Out) -> None:
    """The reader text of a front matter mapping or list, in order: titles as headings, texts as Markdown."""
    entries = node.value if isinstance(node, yaml.MappingNode) else [(None, item) for item in node.value]
    for key_node, value in entries:
        key = str(key_node.value).lower() if key_node is not None else ""
        if isinstance(value, (yaml.MappingNode, yaml.SequenceNode)) and key not in META_KEYS:
            _fields(value, depth + isinstance(value, yaml.SequenceNode), out)
        elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str") and value.value.strip():
            if key in HEADING_KEYS:
                line = _scalar_line(value)
                text = value.value.strip()
                myst, pieces = render_heading(text, line, out)
                if myst.strip():
                    out.blocks.append(Block("heading", tuple(pieces), level=depth, myst=myst))
                else:
                    out.decide(line, f"empty heading left out: {key} {text!r}")
            elif key in TEXT_KEYS:
                out.first_line, out.heading_offset = _scalar_line(value), depth
                render_markdown(value.value, out)


def front_matter_text(doc: Document) -> Document:
    """The front matter's reader text as blocks: the page's title, description, and sections in order."""
    if doc.source.front_matter_node is None or not isinstance(doc.source.front_matter_node, yaml.MappingNode):
        return doc
    out = Out(1)
    _fields(doc.source.front_matter_node, 1, out)
    return replace(
        doc,
        blocks=doc.blocks + tuple(out.blocks),
        dropped=doc.dropped + tuple(out.dropped),
        decisions=doc.decisions + tuple(out.decisions),
    )
