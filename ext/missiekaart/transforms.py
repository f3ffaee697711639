"""Render generated content at write time: backlinks ("Ook bij", "Gedeeld door", related
concepts) and the overviews (organisation cards, concept matrix, concept index).

This runs as a post-transform before the reference resolver (priority 10), so the links it
makes are ordinary ``pending_xref`` nodes: each builder resolves them, and where a builder has
no URI for a target the resolver falls back to plain text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.locale import get_translation, get_translator
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_design.grids import gutter_option, row_columns_option
from sphinx_design.shared import create_component

from . import conceptmap
from .directives import MISSION_FIELDS, card_title, concept_line, field_list
from .domain import Card, MissiekaartDomain, Reference, get_domain
from .nodes import mk_backlinks, mk_card, mk_concept_map, mk_overview

_ = get_translation("missiekaart")


def ngettext(singular: str, plural: str, count: int) -> str:
    return get_translator("missiekaart").ngettext(singular, plural, count)


def place_link(reference: Reference, text: str, docname: str) -> pending_xref:
    return pending_xref("", nodes.inline(text=text), refdomain="mk", reftype="place",
                        reftarget=f"{reference.docname}#{reference.anchor}", refdoc=docname, refexplicit=True)


def organisation_link(card: Card, docname: str) -> pending_xref:
    return pending_xref("", nodes.inline(text=card.title), refdomain="mk", reftype="organisation",
                        reftarget=card.docname, refdoc=docname, refexplicit=True)


def concept_title_link(concept_id: str, title: str, docname: str) -> pending_xref:
    return pending_xref("", nodes.inline(text=title), refdomain="mk", reftype="concept",
                        reftarget=concept_id, refdoc=docname, refexplicit=True)


def card_backlinks(domain: MissiekaartDomain, node: mk_backlinks) -> list[nodes.Node]:
    """"Ook bij": other organisations sharing this card's concepts, linking to each place."""
    uses = domain.uses()
    docname = node["docname"]
    shared: dict[str, list[tuple[str, Reference]]] = {}
    for key in node["concepts"]:
        concept = domain.lookup(key)
        if concept is None:
            continue
        for other, places in uses.get(concept.id, {}).items():
            if other != docname:
                shared.setdefault(other, []).append((concept.title, places[0]))
    paragraph = nodes.paragraph(classes=["mk-backlinks"])
    paragraph += nodes.inline(text=_("Also at") + ": ", classes=["mk-label"])
    if not shared:
        paragraph += nodes.emphasis(text=_("no other organisation yet"))
        return [paragraph]
    organisations = sorted(shared, key=lambda other: domain.organisation(other).title.casefold())
    for number, other in enumerate(organisations):
        if number:
            paragraph += nodes.Text("; ")
        paragraph += organisation_link(domain.organisation(other), docname)
        paragraph += nodes.Text(" (")
        for position, (title, reference) in enumerate(shared[other]):
            if position:
                paragraph += nodes.Text(", ")
            paragraph += place_link(reference, title, docname)
        paragraph += nodes.Text(")")
    return [paragraph]

def concept_sections(domain: MissiekaartDomain, node: mk_backlinks) -> list[nodes.Node]:
    """Under a definition: who shares the concept (with every place) and related concepts."""
    docname, concept_id = node["docname"], node["concept"]
    shared = domain.uses().get(concept_id, {})
    result: list[nodes.Node] = [nodes.rubric(text=_("Shared by"), classes=["mk-backlinks-title"])]
    if shared:
        items = nodes.bullet_list(classes=["mk-backlinks"])
        for other in sorted(shared, key=lambda other: domain.organisation(other).title.casefold()):
            paragraph = nodes.paragraph()
            paragraph += organisation_link(domain.organisation(other), docname)
            paragraph += nodes.Text(": ")
            for position, reference in enumerate(shared[other]):
                if position:
                    paragraph += nodes.Text(", ")
                label = _("card") if reference.on_card else _("text")
                paragraph += place_link(reference, label, docname)
            items += nodes.list_item("", paragraph)
        result.append(items)
    else:
        result.append(nodes.paragraph(text=_("No organisation shares this concept yet."),
                                      classes=["mk-backlinks"]))
    related = domain.related(concept_id)
    if related:
        index = {concept.id: concept for concept in domain.concepts()}  # the first definition wins
        result.append(nodes.rubric(text=_("Related concepts"), classes=["mk-related-title"]))
        paragraph = nodes.paragraph(classes=["mk-related"])
        for position, (other, count) in enumerate(related):
            if position:
                paragraph += nodes.Text(", ")
            paragraph += concept_title_link(other, index[other].title, docname)
            paragraph += nodes.Text(f" ({count})")
        result.append(paragraph)
    return result


class RenderGenerated(SphinxPostTransform):
    """Replace every ``mk_backlinks`` and ``mk_overview`` placeholder with content computed
    from the whole project's data, at write time, so it is never stale."""

    default_priority = 5

    def run(self) -> None:
        placeholders = list(self.document.findall(lambda node: isinstance(node, (mk_backlinks, mk_overview))))
        if not placeholders:
            return
        domain = get_domain(self.env)
        for node in placeholders:
            node.replace_self(RENDERERS[node["kind"]](domain, node))


def concept_map(domain: MissiekaartDomain, node: mk_overview) -> list[nodes.Node]:
    """An ``mk_concept_map`` node: each builder draws the same layout its own way (see
    :mod:`missiekaart.conceptmap`); its children, a list per organisation, are the fallback."""
    graph = conceptmap.layout(domain)
    if not graph.edges:
        return [nodes.paragraph(text=_("No organisation shares a concept yet."), classes=["mk-overview-empty"])]
    title = _("Organisations and the concepts they share")
    result = mk_concept_map(graph=graph, title=str(title), docname=node["docname"])
    result += nodes.paragraph(text=f"{title}:")
    items = nodes.bullet_list()
    for organisation, concepts in conceptmap.to_text(graph):
        items += nodes.list_item("", nodes.paragraph(text=f"{organisation}: {', '.join(concepts)}"))
    result += items
    return [result]

def organisation_cards(domain: MissiekaartDomain, node: mk_overview) -> list[nodes.Node]:
    """A responsive sphinx-design grid (one column on a phone, three on a wide screen) of
    summary cards; builders without the grid's CSS show the cards one after the other."""
    docname = node["docname"]
    organisations = domain.organisations()
    if not organisations:
        return [nodes.paragraph(text=_("No organisation has a mission card yet."), classes=["mk-overview-empty"])]
    row = create_component("grid-row", ["sd-row", *row_columns_option("1 1 2 3"), *gutter_option("3")])
    for card in organisations:
        summary = mk_card(classes=["mk-card", "mk-mission-card", "mk-summary-card"], mission=True)
        summary += card_title(_("Mission"), nodes.strong("", "", organisation_link(card, docname)))
        summary += field_list(MISSION_FIELDS, dict(card.fields))
        body = nodes.container(classes=["mk-card-body"])
        body += [nodes.paragraph(text=paragraph) for paragraph in card.text.split("\n\n") if paragraph]
        summary += body
        concepts = [concept.id for concept in domain.card_concepts(card)]
        if concepts:
            summary += concept_line(concepts, docname)
        row += create_component("grid-item", ["sd-col", "sd-d-flex-row"], children=[summary])
    grid = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4",
                                               "mk-organisation-cards"], children=[row])
    return [grid]


def shared_concepts(domain: MissiekaartDomain) -> list[tuple[str, str, dict[str, list[Reference]]]]:
    """(id, title, organisation docname -> places) per concept, most shared first, then by title."""
    uses = domain.uses()
    rows = [(concept.id, concept.title, uses.get(concept.id, {})) for concept in domain.concepts()]
    return sorted(rows, key=lambda row: (-len(row[2]), row[1].casefold()))


def concept_matrix(domain: MissiekaartDomain, node: mk_overview) -> list[nodes.Node]:
    """Concepts (rows) by organisations (columns); each cell links to the card and the text
    that reference the concept there. A ``longtable`` in LaTeX, so it breaks across pages."""
    docname = node["docname"]
    organisations = domain.organisations()
    rows = shared_concepts(domain)
    table = nodes.table(classes=["mk-concept-matrix", "longtable", "colwidths-given"])
    group = nodes.tgroup(cols=len(organisations) + 2)
    table += group
    group += nodes.colspec(colwidth=24)
    group += [nodes.colspec(colwidth=14) for _card in organisations]
    group += nodes.colspec(colwidth=8)
    head = nodes.row()
    head += cell(nodes.Text(_("Concept")))
    head += [cell(organisation_link(card, docname)) for card in organisations]
    head += cell(nodes.Text(_("Total")))
    group += nodes.thead("", head)
    body = nodes.tbody()
    for concept_id, title, shared in rows:
        row = nodes.row()
        row += cell(concept_title_link(concept_id, title, docname))
        for card in organisations:
            places = shared.get(card.docname, [])
            links: list[nodes.Node] = []
            for on_card, label in ((True, _("card")), (False, _("text"))):
                found = [place for place in places if place.on_card == on_card]
                if found:
                    if links:
                        links.append(nodes.Text(", "))
                    links.append(place_link(found[0], label, docname))
                    if len(found) > 1:
                        links.append(nodes.Text(f" ({len(found)})"))
            row += cell(*links)
        row += cell(nodes.Text(str(len(shared))))
        body += row
    group += body
    return [table]


def cell(*content: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *content))


def concept_index(domain: MissiekaartDomain, node: mk_overview) -> list[nodes.Node]:
    """Every concept (or the ``limit`` most shared) with the number of organisations sharing it."""
    docname = node["docname"]
    rows = shared_concepts(domain)[: node.get("limit")]
    if not rows:
        return [nodes.paragraph(text=_("No concept is defined yet."), classes=["mk-overview-empty"])]
    items = nodes.bullet_list(classes=["mk-concept-index"])
    for concept_id, title, shared in rows:
        paragraph = nodes.paragraph()
        paragraph += concept_title_link(concept_id, title, docname)
        paragraph += nodes.Text(" — " + ngettext("%d organisation", "%d organisations", len(shared)) % len(shared))
        items += nodes.list_item("", paragraph)
    return [items]


#: Placeholder kind -> the function that renders it.
RENDERERS = {
    "card": card_backlinks,
    "concept": concept_sections,
    "organisation-cards": organisation_cards,
    "concept-matrix": concept_matrix,
    "concept-index": concept_index,
    "concept-map": concept_map,
}
