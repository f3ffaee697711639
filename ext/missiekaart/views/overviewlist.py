"""The organisation overview's parts, shared by its page and the pages that continue it.

The filter controls (:data:`FACETS`, each with at most :data:`~missiekaart.extension.paging.FACET_OPTIONS`
options), an organisation's entry (its name linked, its region, country, sector, target group and
concepts), the groups by province, and the filter data of a paged overview: every organisation
in one small script (``<page>-filters.js``) that ``missiekaart-facets.js`` loads when a reader
filters or sorts a list that its page shows in part (:mod:`missiekaart.extension.paging`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import get_translation

from missiekaart.core.places import province_label
from missiekaart.extension.domain import MissiekaartDomain
from missiekaart.extension.nodes import mk_overview_item
from missiekaart.extension.paging import FACET_OPTIONS
from missiekaart.extension.records import Card
from missiekaart.extension.render import link, province_groups_of

__all__ = ["FACETS", "Controls", "entry", "facet_values", "filter_data", "groups", "item"]

_ = get_translation("missiekaart")

#: The facets of the organisation overview: (card field or "concept", label, URL parameter).
#: Province and country are controlled values (:mod:`missiekaart.core.places`); the free-text region is
#: shown, not a filter (each of its values would match one organisation).
FACETS = (
    ("province", _("Province"), "provincie"),
    ("country", _("Country"), "land"),
    ("sector", _("Sector"), "sector"),
    ("target-group", _("Target group"), "doelgroep"),
    ("concept", _("Concept"), "begrip"),
)
DETAILS = ("region", "country", "sector", "target-group")  # shown after the name, in this order
#: The address of a paged overview's filter data, beside its page: ``overzicht-filters.js``.
FILTER_DATA = "{}-filters.js"
#: The global the filter data sets; ``missiekaart-facets.js`` reads it.
FILTER_GLOBAL = "missiekaartOverview"


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


class Controls:
    """The overview's filter controls and each organisation's option numbers in them.

    A control offers the values organisations give, sorted by name; past
    :data:`~missiekaart.extension.paging.FACET_OPTIONS` values, the ones most organisations give."""

    def __init__(self, domain: MissiekaartDomain, organisations: list[Card]) -> None:
        titles = {concept.id: concept.title for concept in domain.concepts()}
        self.titles = titles
        self.values = {card.docname: facet_values(domain, card) for card in organisations}
        counts: dict[str, Counter[str]] = {field: Counter() for field, _label, _parameter in FACETS}
        for values in self.values.values():
            for field, given in values.items():
                counts[field].update(given)
        self.controls: list[tuple[str, str, str, list[tuple[str, str]]]] = []
        for field, label, parameter in FACETS:
            if not counts[field]:
                continue
            kept = sorted(counts[field], key=lambda value: (-counts[field][value], value))[:FACET_OPTIONS]
            options = sorted(((value, titles.get(value, value)) for value in kept), key=lambda o: o[1].casefold())
            self.controls.append((field, str(label), parameter, options))
        # Each item carries its facet values as option numbers of the controls: a few bytes an
        # organisation, where names would make the overview of 1,000 organisations twice as large.
        self.numbers = [
            {value: number for number, (value, _text) in enumerate(options)} for _f, _l, _p, options in self.controls
        ]

    def of(self, card: Card) -> list[list[int]]:
        """Per control, in order, the numbers of the organisation's options."""
        values = self.values[card.docname]
        return [
            sorted(number[value] for value in values[field] if value in number)
            for (field, _label, _parameter, _options), number in zip(self.controls, self.numbers, strict=True)
        ]


def controls_of(domain: MissiekaartDomain) -> Controls:
    """The controls of an overview of every organisation: made once per build (the overview's page,
    its list pages and its filter data each need them; 0.14 s at 10,000 organisations)."""
    return domain.memo("overview controls", lambda: Controls(domain, domain.organisations()))


def groups(domain: MissiekaartDomain) -> list[tuple[str, list[Card]]]:
    """Every organisation by province label (those without one last), each group by name."""
    return province_groups_of(domain)


def details(card: Card, concepts: list[str], titles: Mapping[str, str]) -> str:
    """What follows the organisation's name: " — region · country · sector · target group — concepts: ..."."""
    fields = dict(card.fields)
    given = [fields.get(field, "") for field in DETAILS]
    text = ""
    if any(given):
        text += " — " + " · ".join(detail for detail in given if detail)
    if concepts:
        text += " — " + _("concepts") + ": " + ", ".join(titles[c] for c in concepts)
    return text


def entry(builder: Builder, docname: str, card: Card, controls: Controls) -> nodes.paragraph:
    """The organisation's line: its name, linked, and its details."""
    line = nodes.paragraph()
    line += link(builder, docname, card.docname, "", nodes.Text(card.title))
    text = details(card, controls.values[card.docname]["concept"], controls.titles)
    if text:
        line += nodes.Text(text)
    return line


def item(builder: Builder, docname: str, card: Card, controls: Controls) -> mk_overview_item:
    """The organisation as an item of the filtered list: in HTML ``<li data-facets="2|0|5|1,4,7">``."""
    result = mk_overview_item()
    result["mk_facets"] = controls.of(card)
    result += entry(builder, docname, card, controls)
    return result


def filter_data(domain: MissiekaartDomain, builder: Builder, docname: str, controls: Controls) -> str:
    """A paged overview's filter data, a script that sets :data:`FILTER_GLOBAL`: the groups' labels
    and per organisation its name, address (from *docname*'s page), details, group and option
    numbers, in the list's order (by province, then name). About 230 bytes an organisation."""
    labels: list[str] = []
    entries: list[list[object]] = []
    for label, cards in groups(domain):
        labels.append(label)
        for card in cards:
            numbers = "|".join(",".join(map(str, n)) for n in controls.of(card))
            text = details(card, controls.values[card.docname]["concept"], controls.titles)
            address = builder.get_relative_uri(docname, card.docname)
            entries.append([card.title, address, text, len(labels) - 1, numbers])
    data = {"groups": labels, "notGiven": str(_("Province not given")), "entries": entries}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.{FILTER_GLOBAL}={payload};\n"
