"""When generated content is made: placeholders at read time, their content at write time.

At read time (``doctree-read``) an organisation page gets its mission card above its value cards
(wherever it was written), a placeholder for its related organisations after its last card, a
mission card above the page title gets the page's name,
and each ``{concept}`` role records the sentence it stands in (for the concordance).

At write time (a post-transform, once all pages are read) every placeholder is filled from
the whole project's data by the function :data:`RENDERERS` names for it; the links are built
directly for the builder at hand. Pages whose generated content changed are re-written on an
incremental build (see :func:`missiekaart.build.digests.page_digests`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform

from missiekaart.build.sphinx_internals import builder_format
from missiekaart.core.relations import sentence_around
from missiekaart.extension.domain import MissiekaartDomain, get_domain
from missiekaart.extension.nodes import mk_backlinks, mk_card, mk_concept_map, mk_overview
from missiekaart.extension.records import CONCEPT_REF
from missiekaart.extension.render import concordance, related_concepts, related_section
from missiekaart.views import conceptmap
from missiekaart.views.overviews import OVERVIEWS

__all__ = ["RENDERERS", "RenderGenerated", "RenderGeneratedHTML", "on_doctree_read", "remember_builder"]

_ = get_translation("missiekaart")

Renderer = Callable[[MissiekaartDomain, Builder, BuildEnvironment, nodes.Element], list[nodes.Node]]


def _related(
    domain: MissiekaartDomain, builder: Builder, env: BuildEnvironment, node: nodes.Element
) -> list[nodes.Node]:
    docname = node["docname"]
    result = related_section(domain, builder, docname, titled=node.get("titled", True))
    layout = conceptmap.organisation_layout(domain, docname)
    if layout is not None and builder.format in ("html", "latex"):
        title = str(_("The organisation, its related organisations and the concepts they share"))
        description = str(conceptmap.ORGANISATION_DESCRIPTION)
        listing = next(
            (n for n in result if isinstance(n, nodes.Element) and "mk-related-organisations" in n["classes"]), None
        )
        ident = conceptmap.list_id(node, listing, "mk-related-organisations") if listing is not None else ""
        result.append(
            mk_concept_map(layout=layout, title=title, description=description, docname=docname, list_id=ident)
        )
    return result


def _concept(
    domain: MissiekaartDomain, builder: Builder, env: BuildEnvironment, node: nodes.Element
) -> list[nodes.Node]:
    docname, concept_id = node["docname"], node["concept"]
    return [
        *concordance(domain, builder, env, docname, concept_id),
        *related_concepts(domain, builder, docname, concept_id),
    ]


def _overview(
    domain: MissiekaartDomain, builder: Builder, env: BuildEnvironment, node: nodes.Element
) -> list[nodes.Node]:
    assert isinstance(node, mk_overview)
    return OVERVIEWS[node["kind"]](domain, builder, node)


#: Placeholder kind -> the function that renders it.
RENDERERS: dict[str, Renderer] = {"related": _related, "concept": _concept, **dict.fromkeys(OVERVIEWS, _overview)}


_builders: WeakKeyDictionary[BuildEnvironment, Builder] = WeakKeyDictionary()


def remember_builder(app: Sphinx) -> None:
    """``builder-inited``: the builder the generated links are made for (see :class:`RenderGenerated`)."""
    _builders[app.env] = app.builder


class RenderGenerated(SphinxPostTransform):
    """Fill every placeholder from the whole project's data, at write time, for the builder at hand.

    Early (priority 5) for LaTeX and every format but HTML: the content exists before the
    builders' own post-transforms run, so the LaTeX ones (page references, table widths) treat it
    like the rest of the page. For HTML late, see :class:`RenderGeneratedHTML`."""

    default_priority = 5
    for_html = False

    def is_supported(self) -> bool:
        return (builder_format(self.env) == "html") == self.for_html

    def run(self, **kwargs: Any) -> None:
        placeholders: list[nodes.Element] = [
            node for node in self.document.findall(nodes.Element) if isinstance(node, (mk_backlinks, mk_overview))
        ]
        if not placeholders:
            return
        domain = get_domain(self.env)
        builder = _builders[self.env]
        for node in placeholders:
            node.replace_self(RENDERERS[node["kind"]](domain, builder, self.env, node))


class RenderGeneratedHTML(RenderGenerated):
    """For HTML, late (priority 450): after the post-transforms of Sphinx, MyST and sphinx-design
    (references, only-nodes, images, dropdowns, tabs, code), none of which has work in generated
    content (its links are built directly), so their walks over every doctree skip it. At 1,000
    organisations a concept page's list alone is about 8,000 nodes. Before Furo's table wrapper
    (500), which the comparison matrix scrolls in, and before :class:`~missiekaart.views.search.SearchTerms`,
    which gives the overview's cards their filters."""

    default_priority = 450
    for_html = True


def _paragraph_text(paragraph: nodes.Element, target: nodes.Element) -> tuple[str, int, int]:
    """The paragraph's text and where *target*'s words stand in it."""
    before = []
    for text in paragraph.findall(nodes.Text):
        if text.parent is target or target in _ancestors(text):
            break
        before.append(str(text))
    start = len("".join(before))
    return paragraph.astext(), start, start + len(target.astext())


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def record_quotes(domain: MissiekaartDomain, docname: str, doctree: nodes.document) -> None:
    """Each role reference's sentence, for the concordance on the concept's page."""
    quotes: dict[str, tuple[str, int, int]] = {}
    for reference in doctree.findall(pending_xref):
        if CONCEPT_REF not in reference["classes"] or not reference["ids"]:
            continue
        paragraph = next((p for p in _ancestors(reference) if isinstance(p, nodes.TextElement)), None)
        if paragraph is None or any(isinstance(p, mk_card) for p in _ancestors(reference)):
            continue
        text, start, end = _paragraph_text(paragraph, reference)
        quote = sentence_around(text, start, end)
        quotes[reference["ids"][0]] = (quote.text, quote.start, quote.end)
    if quotes:
        domain.set_quotes(docname, quotes)


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    domain = get_domain(app.env)
    docname = app.env.docname
    record_quotes(domain, docname, doctree)
    if domain.organisation(docname) is None:
        return
    cards = [card for card in doctree.findall(mk_card) if not any(isinstance(p, mk_card) for p in _ancestors(card))]
    mission = next((card for card in cards if card.get("mission")), None)
    if mission is not None and cards[0] is not mission and cards[0].parent is mission.parent:
        # A mission card written below value cards comes first all the same, in HTML and in the PDF.
        mission.parent.remove(mission)
        cards[0].parent.insert(cards[0].parent.index(cards[0]), mission)
        cards = [mission, *(card for card in cards if card is not mission)]
    if cards:
        last = cards[-1]
        last.parent.insert(last.parent.index(last) + 1, mk_backlinks(kind="related", docname=docname))
