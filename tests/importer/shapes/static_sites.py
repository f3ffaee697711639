"""Static-site Markdown: Jekyll (YAML front matter, kramdown) and Hugo (TOML front matter,
shortcodes). :func:`md_inline` and :func:`md_blocks` write the document's Markdown, which
:mod:`.web_pages` also uses for the HTML of inline text."""

from __future__ import annotations

import html
import textwrap
from pathlib import Path

from .base import Shape, Written
from .model import Block, Doc, Heading, Inline, ListBlock, Paragraph, Table


def md_inline(inline: Inline, html_tags: bool = False) -> str:
    """Markdown inline text (or HTML inline markup, with *html_tags*)."""
    out: list[str] = []
    for piece in inline:
        if piece.kind == "punct":
            out.append(piece.text)
            continue
        if piece.kind == "note":
            out.append(f"[^{piece.text}]")
            continue
        out.append(" " if out else "")
        text = html.escape(piece.text, quote=False) if html_tags else piece.text
        if piece.kind == "word":
            out.append(text)
        elif piece.kind == "em":
            out.append(f"<em>{text}</em>" if html_tags else f"*{text}*")
        elif piece.kind == "strong":
            out.append(f"<strong>{text}</strong>" if html_tags else f"**{text}**")
        elif piece.kind == "initial":
            out.append(f"<strong>{text[0]}</strong>{text[1:]}" if html_tags else f"**{text[0]}**{text[1:]}")
        elif piece.kind == "link":
            out.append(f"<a href='{piece.href}'>{text}</a>" if html_tags else f"[{text}]({piece.href})")
    return "".join(out)


def md_list(block: ListBlock) -> list[str]:
    lines: list[str] = []
    indents: list[int] = []  # per depth: the content column of the open item
    numbers: list[int] = []
    for item in block.items:
        del indents[item.depth :], numbers[item.depth + 1 :]
        if len(numbers) <= item.depth:
            numbers.append(0)
        numbers[item.depth] += 1
        marker = f"{numbers[item.depth]}." if item.ordered else "-"
        indent = indents[-1] if indents else 0
        lines.append(" " * indent + f"{marker} {md_inline(item.text)}")
        indents.append(indent + len(marker) + 1)
    return lines


def md_blocks(doc: Doc, blocks: list[Block] | tuple[Block, ...]) -> list[str]:
    """Markdown of *blocks*: a heading of level L is ``#`` times L + 1 (the title is ``#``)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append("#" * (block.level + 1) + " " + block.text)
        elif isinstance(block, Paragraph):
            out.append("\n".join(textwrap.wrap(md_inline(block.text), 100, break_on_hyphens=False)))
        elif isinstance(block, ListBlock):
            out.append("\n".join(md_list(block)))
        elif isinstance(block, Table):
            header, *rows = block.rows
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            out.append("\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]))
        else:
            out.append("\n\n".join(f"{term}\n: {text}" for term, text in block.entries))
    return out


def md_notes(doc: Doc) -> list[str]:
    return [f"[^{number}]: {text}" for number, text in enumerate(doc.notes, start=1)]


class Jekyll(Shape):
    """Jekyll: YAML front matter (the title, configuration keys), a Markdown body (kramdown's
    footnotes and definition lists), a Liquid include that passes no prose."""

    name = "jekyll"
    suffix = ".md"
    expresses = frozenset({"levels", "depth", "ordered", "emphasis", "links", "footnotes", "tables", "definitions"})

    def write(self, doc: Doc, folder: Path) -> Written:
        front = [
            "---",
            "layout: page",
            f'title: "{doc.title}"',
            "permalink: /over-ons/",
            "seo:",
            "  description: Onze missie in een notendop",
            "---",
        ]
        body = md_blocks(doc, doc.blocks)
        body.insert(min(1, len(body)), '{% include cta.html url="/contact" button="Doe mee" %}')
        path = folder / f"{self.name}.md"
        path.write_text("\n".join(front) + "\n" + "\n\n".join(body + md_notes(doc)) + "\n", encoding="utf-8")
        return Written(path, ["include", "cta", "contact"])


class Hugo(Shape):
    """Hugo: TOML front matter (``+++``), Markdown with shortcodes. The first section whose heading
    is of the top level and is followed by a paragraph is written as ``{{< details title="..." >}}``
    (its title a heading, as the theme shows it; its paragraph inside, Markdown); the next such
    section, if its paragraph has no note reference, as a Liquid-style include that passes the
    heading and the paragraph (as HTML) in its parameters. Shortcodes that pass no prose are dropped."""

    name = "hugo"
    suffix = ".md"
    expresses = Jekyll.expresses

    def write(self, doc: Doc, folder: Path) -> Written:
        front = [
            "+++",
            f'title = "{doc.title}"',
            "draft = false",
            "weight = 10",
            "[params]",
            '  banner = "team.jpg"',
            "+++",
        ]
        blocks = list(doc.blocks)
        body: list[str] = ['{{< hero image="/img/team.jpg" >}}']
        chrome = ["hero", "image", "img", "team", "jpg"]
        index = 0
        details = include = False
        while index < len(blocks):
            block = blocks[index]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Heading) and block.level == 1 and isinstance(following, Paragraph):
                if not details:
                    details = True
                    inside = md_blocks(doc, [following])[0]
                    body.append(f'{{{{< details title="{block.text}" >}}}}\n{inside}\n{{{{< /details >}}}}')
                    index += 2
                    continue
                if not include and not any(piece.kind == "note" for piece in following.text):
                    include = True
                    text = md_inline(following.text, html_tags=True)
                    body.append(f'{{% include section.html title="{block.text}" text="{text}" %}}')
                    index += 2
                    continue
            body += md_blocks(doc, [block])
            index += 1
        last = max((at for at, text in enumerate(body) if text[:1].isalpha()), default=None)
        if last is not None:  # the last paragraph in a shortcode that passes no prose
            body[last] = f"{{{{% notice info %}}}}\n{body[last]}\n{{{{% /notice %}}}}"
            chrome += ["notice", "info"]
        path = folder / f"{self.name}.md"
        path.write_text("\n".join(front) + "\n" + "\n\n".join(body + md_notes(doc)) + "\n", encoding="utf-8")
        return Written(path, chrome)
