"""The overviews of the whole project, rendered at write time from the domain data.

``organisation-overview`` (every organisation, filterable by facets), ``organisation-cards`` (a
grid of mission cards), ``concept-matrix`` (concepts by organisations, or counts past a
threshold), ``concept-index`` and ``concept-map``. Each is a function of (domain, builder,
placeholder node) in :data:`OVERVIEWS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Sized
from typing import Any

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.util.osutil import relative_uri
from sphinx_design.grids import gutter_option, row_columns_option
from sphinx_design.shared import create_component

from missiekaart.extension.domain import MissiekaartDomain
from missiekaart.extension.nodes import mk_card, mk_concept_map, mk_facets, mk_overview
from missiekaart.extension.paging import (
    Page,
    flat_pages,
    group_slugs,
    is_paged,
    pager_html,
    shares,
    where,
)
from missiekaart.extension.render import (
    GENERATED,
    MISSION_FIELDS,
    card_title,
    clashing,
    field_list,
    link,
    linked_concept_line,
    more_link,
    ngettext,
    organisation_link,
)
from missiekaart.views import conceptmap, matrix, overviewlist
from missiekaart.views.matrix import shared_concepts

_ = get_translation("missiekaart")


def empty(text: str) -> list[nodes.Node]:
    return [nodes.paragraph(text=text, classes=["mk-overview-empty"])]


def organisation_cards(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """A responsive sphinx-design grid (one column on a phone, three on a wide screen) of summary
    cards, ``:limit:`` of them at most; builders without the grid's CSS show them one after the other."""
    docname = node["docname"]
    organisations = domain.organisations()[: node.get("limit")]
    if not organisations:
        return empty(_("No organisation has a mission card yet."))
    row = create_component("grid-row", ["sd-row", *row_columns_option("1 1 2 3"), *gutter_option("3")])
    for card in organisations:
        summary = mk_card(classes=["mk-card", "mk-mission-card", "mk-summary-card"], mission=True)
        summary += card_title(_("Mission"), nodes.strong("", "", organisation_link(builder, docname, card)))
        fields = field_list(MISSION_FIELDS, dict(card.fields))
        if fields is not None:
            summary += fields
        body = nodes.container(classes=["mk-card-body"])
        body += [nodes.paragraph(text=paragraph) for paragraph in card.text.split("\n\n") if paragraph]
        summary += body
        concepts = [concept.id for concept in domain.card_concepts(card)]
        if concepts:
            summary += linked_concept_line(domain, builder, docname, concepts)
        row += create_component("grid-item", ["sd-col", "sd-d-flex-row"], children=[summary])
    return [
        create_component(
            "grid-container",
            ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", "mk-organisation-cards"],
            children=[row],
        )
    ]


def organisation_overview(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """Every organisation with its province, country, region, sector, target group and concepts,
    grouped by province; in HTML, facet controls filter the list (state in the URL, count announced).

    Past ``missiekaart_overview_page_size`` organisations a website's page shows each province's
    first few and links to the province's own pages (:mod:`missiekaart.extension.paging`); the filters then
    load every organisation from the page's filter data (:func:`.overviewlist.filter_data`)."""
    docname = node["docname"]
    organisations = domain.organisations()
    if not organisations:
        return empty(_("No organisation has a mission card yet."))
    controls = overviewlist.controls_of(domain)
    size = max(1, domain.env.config.missiekaart_overview_page_size)
    paged = is_paged(builder) and len(organisations) > size
    facets = mk_facets(facets=controls.controls, total=len(organisations))
    if paged:
        facets["source"] = relative_uri(builder.get_target_uri(docname), overviewlist.FILTER_DATA.format(docname))
    result: list[nodes.Node] = [facets]
    container = nodes.container(classes=["mk-overview-list", GENERATED])
    grouped = overviewlist.groups(domain)
    counts = [len(cards) for _label, cards in grouped]
    shown = shares(size, counts) if paged else counts
    for (region, cards), part, share in zip(
        grouped, group_slugs([label for label, _cards in grouped]), shown, strict=True
    ):
        section = nodes.container(classes=["mk-overview-group"])
        section += nodes.rubric(
            text=f"{region or _('Province not given')} ({len(cards)})", ids=[f"mk-{part}"] if paged else []
        )
        if cards[:share]:
            items = nodes.bullet_list(classes=["mk-overview-items"])
            items += [overviewlist.item(builder, docname, card, controls) for card in cards[:share]]
            section += items
        if len(cards) > share:
            section += more_link(builder, docname, part, cards, size, region, node)
        container += section
    result.append(container)
    return result


def concept_matrix(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """Concepts by organisations, or counts past ``missiekaart_matrix_limit`` (see :mod:`missiekaart.views.matrix`)."""
    return matrix.concept_matrix(domain, builder, node["docname"])


def concept_index(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """Every concept (or the ``limit`` most shared) with the number of organisations sharing it. A
    website's page lists ``missiekaart_index_page_size`` at most: the whole list goes on on pages
    of its own, linked below it (a ``:limit:`` list is cut there)."""
    docname = node["docname"]
    rows = shared_concepts(domain)[: node.get("limit")]
    if not rows:
        return empty(_("No concept is defined yet."))
    size = max(1, domain.env.config.missiekaart_index_page_size)
    if not is_paged(builder) or len(rows) <= size:
        return [index_list(domain, builder, docname, rows)]
    if node.get("limit") is not None:
        return [index_list(domain, builder, docname, rows[:size])]
    pages = flat_pages(docname, rows, size)
    if clashing(builder, node, [page.pagename for page in pages]):
        return [index_list(domain, builder, docname, rows[:size])]
    return [index_list(domain, builder, docname, rows[:size]), index_pager(builder, docname, pages, 1)]


def index_list(
    domain: MissiekaartDomain, builder: Builder, docname: str, rows: Sequence[tuple[str, str, Sized]]
) -> nodes.Element:
    """Concepts with the number of organisations that use each, linked to their pages."""
    concepts = {concept.id: concept for concept in domain.concepts()}
    items = nodes.bullet_list(classes=["mk-concept-index", GENERATED])
    for concept_id, _title, shared in rows:
        concept = concepts[concept_id]
        paragraph = nodes.paragraph()
        paragraph += link(builder, docname, concept.docname, concept.anchor, nodes.Text(concept.title))
        paragraph += nodes.Text(" — " + ngettext("used by %d organisation", "used by %d organisations", len(shared)))
        items += nodes.list_item("", paragraph)
    return items


def index_pager(builder: Builder, fromdoc: str, pages: Sequence[Page[Any]], number: int) -> nodes.raw:
    """The concept index's pager on page *number* of it (1 is the index's own page), written on
    *fromdoc*; *pages* are its further pages."""
    page = pages[0]
    html = pager_html(
        number,
        page.count,
        lambda n: builder.get_relative_uri(fromdoc, page.address(n)),
        str(_("Pages of the list")),
        where(number, page.count, page.size, page.total),
    )
    return nodes.raw("", html, format="html")


def concept_map(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """An ``mk_concept_map`` node: each builder draws the same layout its own way (see
    :mod:`missiekaart.views.conceptmap`); its children, the same data as a list, are the accessible fallback."""
    graph = conceptmap.concept_graph(domain)
    if not graph.nodes:
        return empty(_("No organisation shares a concept yet."))
    listing = conceptmap.as_list(graph, builder, node["docname"])
    if builder.format not in ("html", "latex"):
        return [listing]
    layout = conceptmap.laid_out(graph, node)
    if layout is None:
        return [listing]
    result = mk_concept_map(
        layout=layout,
        title=str(_("The concepts and how often organisations combine them")),
        description=str(conceptmap.GLOBAL_DESCRIPTION),
        docname=node["docname"],
        list_id=conceptmap.list_id(node, listing, "mk-concept-map-list"),
    )
    return [result, listing]


#: Overview directive name -> the function that renders it.
OVERVIEWS: dict[str, Callable[[MissiekaartDomain, Builder, mk_overview], list[nodes.Node]]] = {
    "organisation-overview": organisation_overview,
    "organisation-cards": organisation_cards,
    "concept-matrix": concept_matrix,
    "concept-index": concept_index,
    "concept-map": concept_map,
}
