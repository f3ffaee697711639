"""Unlinked mentions: concept names in running text that carry no ``{concept}`` role.

``missiekaart suggest PAGE...`` finds them in the Markdown, without a build; the opt-in
``missiekaart_suggest_links`` setting reports the same during the build (``unlinked-concept``).
Both match the vocabulary by lemma, so "kwetsbare gezinnen" is no mention but "zelfredzame" is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform

from missiekaart.core.vocabulary import Entry, Mention, Vocabulary
from missiekaart.extension.domain import get_domain
from missiekaart.extension.nodes import mk_card
from missiekaart.extension.problems import warn

__all__ = ["SuggestLinks", "Suggestion", "role_for", "suggestions"]


@dataclass(frozen=True)
class Suggestion:
    line: int
    mention: Mention

    @property
    def role(self) -> str:
        return role_for(self.mention)


def role_for(mention: Mention) -> str:
    """The role to write instead of the mention's words."""
    if " ".join(mention.text.split()).casefold() == mention.concept.replace("-", " "):
        return f"{{concept}}`{mention.text}`"
    return f"{{concept}}`{mention.text} <{mention.concept}>`"


def _text_runs(tokens: list[Any]) -> Iterator[tuple[int, str]]:
    """(line, text) of the running text of *tokens*: paragraphs outside roles, code and links."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.map or not token.children:
            continue
        if index and tokens[index - 1].type == "heading_open":
            continue
        line, in_link = token.map[0] + 1, 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text" and not in_link:
                yield line, child.content


def suggestions(markdown: str, vocabulary: Vocabulary) -> list[Suggestion]:
    """Every unlinked mention of a concept in the running text of a MyST page."""
    parser = create_md_parser(MdParserConfig(), RendererHTML)
    return [
        Suggestion(line, mention)
        for line, text in _text_runs(parser.parse(markdown))
        for mention in vocabulary.find(text)
    ]


class SuggestLinks(SphinxPostTransform):
    """With ``missiekaart_suggest_links = True``: warn about unlinked mentions on organisation pages."""

    default_priority = 4  # before the generated content is filled in: only the page's own text

    def is_supported(self) -> bool:
        return bool(self.config.missiekaart_suggest_links) and super().is_supported()

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        docname = self.env.docname
        if domain.organisation(docname) is None:
            return
        vocabulary = Vocabulary(Entry(c.id, c.title, c.aliases) for c in domain.concepts())
        skip = (
            nodes.reference,
            nodes.literal,
            nodes.literal_block,
            nodes.title,
            nodes.rubric,
            mk_card,
            pending_xref,
            nodes.footnote,
            nodes.FixedTextElement,
        )
        for paragraph in self.document.findall(nodes.paragraph):
            if any(isinstance(parent, skip) for parent in _ancestors(paragraph)):
                continue
            for text in paragraph.findall(nodes.Text):
                if any(isinstance(parent, skip) for parent in _ancestors(text, stop=paragraph)):
                    continue
                for mention in vocabulary.find(str(text)):
                    warn(
                        "%r names the concept %r without a link; write %s",
                        (docname, paragraph.line),
                        "unlinked-concept",
                        mention.text,
                        mention.concept,
                        role_for(mention),
                    )


def _ancestors(node: nodes.Node, stop: nodes.Node | None = None) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent
