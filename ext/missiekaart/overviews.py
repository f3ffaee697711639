"""The overviews of the whole project, rendered at write time from the domain data.

``organisation-overview`` (every organisation, filterable by facets), ``organisation-cards`` (a
grid of mission cards), ``concept-matrix`` (concepts by organisations, or counts past a
threshold), ``concept-index`` and ``concept-map``. Each is a function of (domain, builder,
placeholder node) in :data:`OVERVIEWS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx_design.grids import gutter_option, row_columns_option
from sphinx_design.shared import create_component

from . import conceptmap, matrix
from .domain import Card, MissiekaartDomain
from .matrix import shared_concepts
from .nodes import mk_card, mk_concept_map, mk_facets, mk_overview, mk_overview_item
from .places import province_label
from .render import (
    GENERATED,
    MISSION_FIELDS,
    card_title,
    field_list,
    link,
    linked_concept_line,
    ngettext,
    organisation_link,
)

_ = get_translation("missiekaart")

#: The facets of the organisation overview: (card field or "concept", label, URL parameter).
#: Province and country are controlled values (:mod:`missiekaart.places`); the free-text region is
#: shown, not a filter (each of its values would match one organisation).
FACETS = (
    ("province", _("Province"), "provincie"),
    ("country", _("Country"), "land"),
    ("sector", _("Sector"), "sector"),
    ("target-group", _("Target group"), "doelgroep"),
    ("concept", _("Concept"), "begrip"),
)


def empty(text: str) -> list[nodes.Node]:
    return [nodes.paragraph(text=text, classes=["mk-overview-empty"])]


def concept_title_link(domain: MissiekaartDomain, builder: Builder, docname: str, concept_id: str) -> nodes.Node:
    concept = next(c for c in domain.concepts() if c.id == concept_id)
    return link(builder, docname, concept.docname, concept.anchor, nodes.Text(concept.title))


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


def facet_values(domain: MissiekaartDomain, card: Card) -> dict[str, list[str]]:
    """The values of each facet for one organisation (concepts by id)."""
    fields = dict(card.fields)
    values = {field: [fields[field]] if fields.get(field) else [] for field, _label, _parameter in FACETS[:-1]}
    if fields.get("province"):  # "Limburg" is a province of two countries: the option says which
        values["province"] = [
            province_label(fields.get("country", ""), fields["province"], domain.env.config.missiekaart_places)
        ]
    values["concept"] = sorted(domain.organisation_concepts().get(card.docname, ()))
    return values


def organisation_overview(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """Every organisation with its province, country, region, sector, target group and concepts,
    grouped by province; in HTML, facet controls filter the list (state in the URL, count announced)."""
    docname = node["docname"]
    organisations = domain.organisations()
    if not organisations:
        return empty(_("No organisation has a mission card yet."))
    titles = {concept.id: concept.title for concept in domain.concepts()}
    options: dict[str, set[tuple[str, str]]] = defaultdict(set)
    groups: dict[str, list[Card]] = defaultdict(list)
    values_of = {card.docname: facet_values(domain, card) for card in organisations}
    for card in organisations:
        for field, values in values_of[card.docname].items():
            options[field].update((value, titles.get(value, value)) for value in values)
        groups[next(iter(values_of[card.docname]["province"]), "")].append(card)
    controls = [
        (field, str(label), parameter, sorted(options[field], key=lambda option: option[1].casefold()))
        for field, label, parameter in FACETS
        if options[field]
    ]
    # Each item carries its facet values as option numbers of the controls: a few bytes an
    # organisation, where names would make the overview of 1,000 organisations twice as large.
    numbers = [{value: number for number, (value, _text) in enumerate(choices)} for _f, _l, _p, choices in controls]
    result: list[nodes.Node] = [mk_facets(facets=controls, total=len(organisations))]
    container = nodes.container(classes=["mk-overview-list", GENERATED])
    for region in sorted(groups, key=lambda name: (not name, name.casefold())):
        section = nodes.container(classes=["mk-overview-group"])
        section += nodes.rubric(text=f"{region or _('Province not given')} ({len(groups[region])})")
        items = nodes.bullet_list(classes=["mk-overview-items"])
        for card in groups[region]:
            facets_of = values_of[card.docname]
            item = mk_overview_item()
            item["mk_facets"] = [
                sorted(number[value] for value in facets_of[field])
                for (field, _label, _parameter, _choices), number in zip(controls, numbers, strict=True)
            ]
            line = nodes.paragraph()
            line += link(builder, docname, card.docname, "", nodes.Text(card.title))
            details = [dict(card.fields).get(field, "") for field in ("region", "country", "sector", "target-group")]
            if any(details):
                line += nodes.Text(" — " + " · ".join(detail for detail in details if detail))
            if facets_of["concept"]:
                line += nodes.Text(" — " + _("concepts") + ": " + ", ".join(titles[c] for c in facets_of["concept"]))
            item += line
            items += item
        section += items
        container += section
    result.append(container)
    return result


def concept_matrix(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """Concepts by organisations, or counts past ``missiekaart_matrix_limit`` (see :mod:`missiekaart.matrix`)."""
    return matrix.concept_matrix(domain, builder, node["docname"])


def concept_index(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """Every concept (or the ``limit`` most shared) with the number of organisations sharing it."""
    docname = node["docname"]
    rows = shared_concepts(domain)[: node.get("limit")]
    if not rows:
        return empty(_("No concept is defined yet."))
    items = nodes.bullet_list(classes=["mk-concept-index", GENERATED])
    for concept_id, _title, shared in rows:
        paragraph = nodes.paragraph()
        paragraph += concept_title_link(domain, builder, docname, concept_id)
        paragraph += nodes.Text(" — " + ngettext("used by %d organisation", "used by %d organisations", len(shared)))
        items += nodes.list_item("", paragraph)
    return [items]


def concept_map(domain: MissiekaartDomain, builder: Builder, node: mk_overview) -> list[nodes.Node]:
    """An ``mk_concept_map`` node: each builder draws the same layout its own way (see
    :mod:`missiekaart.conceptmap`); its children, the same data as a list, are the accessible fallback."""
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
