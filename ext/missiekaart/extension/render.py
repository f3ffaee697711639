"""Every generated component, built in one place for every builder.

Cards (title, fields, concept chips), links to places, the related-organisations section of an
organisation page, and the concordance and related concepts of a concept page. Links whose
target is known are built directly with :func:`link` (as Sphinx builds its toctree links), not
as one ``pending_xref`` each; a builder without a URI for the target gets the plain text.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.locale import get_translation, get_translator

from missiekaart.core.relations import SHORT_QUOTE, Quote, shortened
from missiekaart.extension.domain import MissiekaartDomain, get_domain
from missiekaart.extension.nodes import mk_mark
from missiekaart.extension.paging import group_slugs, is_paged, page_count, pagename, province_groups, shares
from missiekaart.extension.problems import warn
from missiekaart.extension.records import CONCEPT_REF, Card, Reference

_ = get_translation("missiekaart")

__all__ = [
    "card_title",
    "clashing",
    "concept_line",
    "concordance",
    "field_list",
    "link",
    "more_link",
    "places_of",
    "related_concepts",
    "related_section",
]

# Labels are lazy translations: they follow the project's `language` when a page is written.
MISSION_FIELDS = (
    ("region", _("Region")),
    ("province", _("Province")),
    ("country", _("Country")),
    ("sector", _("Sector")),
    ("target-group", _("Target group")),
    ("website", _("Website")),
)
GENERATED = "mk-generated"  # the class of everything generated from other pages (not the page's own words)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural label for *count*, with the count filled in where it has ``%d``."""
    text = get_translator("missiekaart").ngettext(singular, plural, count)
    return text % count if "%d" in text else text


def link(builder: Builder, fromdoc: str, todoc: str, anchor: str, *children: nodes.Node) -> nodes.Element:
    """A reference to ``todoc#anchor``, made as every link of the extension
    (:meth:`~missiekaart.extension.domain.MissiekaartDomain.refnode`); the children alone where the builder
    has no URI for it."""
    try:
        return get_domain(builder.env).refnode(builder, fromdoc, todoc, anchor, list(children))
    except NoUri:
        return nodes.inline("", "", *children)


def organisation_link(builder: Builder, fromdoc: str, card: Card) -> nodes.Node:
    return link(builder, fromdoc, card.docname, card.anchor, nodes.Text(card.title))


def concept_link(key: str, docname: str) -> pending_xref:
    """A link to a concept from a card, shown with the concept's title once resolved (a
    ``pending_xref``, so an unknown concept is reported at the card's line)."""
    return pending_xref(
        "",
        nodes.Text(key),
        refdomain="mk",
        reftype="concept",
        reftarget=key.casefold(),
        refdoc=docname,
        refexplicit=False,
        mk_title=True,
        classes=[CONCEPT_REF],
    )


def card_title(kind_label: str, title: nodes.Node) -> nodes.paragraph:
    heading = nodes.paragraph(classes=["mk-card-title"])
    heading += nodes.inline(text=kind_label, classes=["mk-card-kind"])
    heading += nodes.Text(" ")
    heading += title
    return heading


def field_list(fields: tuple[tuple[str, object], ...], values: dict[str, str]) -> nodes.field_list | None:
    """The fields the organisation gives, in the same order on every card; none if it gives none."""
    result = nodes.field_list(classes=["mk-card-fields"])
    for option, label in fields:
        value = values.get(option)
        if not value:
            continue
        if option == "website":  # checked by the directive: http, https or mailto only
            body = nodes.paragraph("", "", nodes.reference(value, value, refuri=value))
        else:
            body = nodes.paragraph(text=value)
        result += nodes.field("", nodes.field_name(text=str(label)), nodes.field_body("", body))
    return result if len(result) else None


def concept_line(concepts: tuple[str, ...] | list[str], docname: str) -> nodes.paragraph:
    line = nodes.paragraph(classes=["mk-card-concepts"])
    line += nodes.inline(text=_("Concepts") + ": ", classes=["mk-label"])
    for index, key in enumerate(concepts):
        if index:
            line += nodes.Text(", ")
        line += concept_link(key, docname)
    return line


def linked_concept_line(
    domain: MissiekaartDomain, builder: Builder, docname: str, concept_ids: list[str]
) -> nodes.paragraph:
    """Like :func:`concept_line`, for content made at write time: links built directly."""
    titles = {concept.id: concept for concept in domain.concepts()}
    line = nodes.paragraph(classes=["mk-card-concepts"])
    line += nodes.inline(text=_("Concepts") + ": ", classes=["mk-label"])
    for index, concept_id in enumerate(concept_ids):
        if index:
            line += nodes.Text(", ")
        concept = titles[concept_id]
        chip = link(builder, docname, concept.docname, concept.anchor, nodes.Text(concept.title))
        chip["classes"].append(CONCEPT_REF)
        line += chip
    return line


def quoted(quote: Quote) -> list[nodes.Node]:
    """The quote's words, its highlighted part marked (``<mark>`` in HTML)."""
    parts: list[nodes.Node] = [nodes.Text(quote.text[: quote.start])]
    if quote.end > quote.start:
        parts.append(mk_mark(text=quote.text[quote.start : quote.end]))
    parts.append(nodes.Text(quote.text[quote.end :]))
    return [part for part in parts if part.astext()]


def related_section(domain: MissiekaartDomain, builder: Builder, docname: str, titled: bool = True) -> list[nodes.Node]:
    """ "Verwante organisaties": the few organisations that share the most with this one; headed by a
    rubric unless *titled* is false (the website gives it a section of its own)."""
    related = domain.related_organisations().get(docname, [])
    titles = {concept.id: concept for concept in domain.concepts()}
    result: list[nodes.Node] = []
    if titled:
        result.append(nodes.rubric(text=_("Related organisations"), classes=["mk-related-title"]))
    if not related:
        result.append(
            nodes.paragraph(
                text=_("No other organisation shares a concept with this one yet."), classes=["mk-related", GENERATED]
            )
        )
        return result
    items = nodes.bullet_list(classes=["mk-related", "mk-related-organisations", GENERATED])
    for other in related:
        card = domain.organisation(other.docname)
        assert card is not None
        paragraph = nodes.paragraph()
        paragraph += organisation_link(builder, docname, card)
        # The shared concepts named, not linked: this page's cards and map link each of them already.
        shared = ", ".join(titles[concept_id].title for concept_id in other.concepts)
        paragraph += nodes.Text(" — " + _("shares") + " " + shared)
        items += nodes.list_item("", paragraph)
    result.append(items)
    return result


def places_of(domain: MissiekaartDomain, concept_id: str, docname: str) -> list[tuple[Reference, Quote]]:
    """The places where organisation *docname* names the concept, each with its quote; cards first."""
    cards = {card.anchor: card for card in domain.cards_of(docname)}
    places: list[tuple[Reference, Quote]] = []
    for reference in domain.places(concept_id, docname):
        if reference.on_card and reference.anchor in cards:
            quote = led_by_title(domain, cards[reference.anchor], concept_id)
        else:
            quote = Quote(reference.quote, reference.start, reference.end)
        if quote.text and all(quote.text != seen.text for _reference, seen in places):
            places.append((reference, quote))
    return places


def led_by_title(domain: MissiekaartDomain, card: Card, concept_id: str) -> Quote:
    """A card's quote for a concept: the sentence of its text that names the idea, marked. Where the
    text does not name it (the card carries the concept as a whole), the card's heading leads the
    quote and is what is marked: the words of the title that name the idea, else the whole title (a
    mission card's heading is "Missie": its title is the organisation's name, shown beside it)."""
    quote = domain.card_quote(card, concept_id)
    if quote.end > quote.start:
        return quote
    lead = card.title if card.kind != "mission" else str(_("Mission"))
    mention = domain.mention(lead, concept_id)
    start, end = mention if mention is not None else (0, len(lead))
    separator = ": " if quote.text else ""
    return Quote(f"{lead}{separator}{quote.text}", start, end)


def concordance(
    domain: MissiekaartDomain, builder: Builder, env: BuildEnvironment, docname: str, concept_id: str
) -> list[nodes.Node]:
    """ "Gedeeld door": per organisation, the sentences in which it names the idea, each linking to
    its exact place. Past ``missiekaart_group_above`` organisations, grouped by province, one quote each."""
    concept = next((c for c in domain.concepts() if c.id == concept_id), None)
    shared = domain.sharers().get(concept_id, frozenset())
    organisations = [card for card in domain.organisations() if card.docname in shared]
    result: list[nodes.Node] = []
    if concept is not None and concept.aliases:
        aliases = nodes.paragraph(classes=["mk-aliases"])
        aliases += nodes.inline(text=_("Also called") + ": ", classes=["mk-aliases-label"])
        aliases += nodes.Text(", ".join(concept.aliases))
        result.append(aliases)
    result.append(nodes.rubric(text=_("Shared by"), classes=["mk-backlinks-title"]))
    if not organisations:
        result.append(
            nodes.paragraph(text=_("No organisation shares this concept yet."), classes=["mk-backlinks", GENERATED])
        )
        return result
    result.append(
        nodes.paragraph(
            text=ngettext(
                "%d organisation uses this concept on its cards or in its text:",
                "%d organisations use this concept on their cards or in their text:",
                len(organisations),
            ),
            classes=["mk-backlinks-count"],
        )
    )
    size = max(1, env.config.missiekaart_concept_page_size)
    paged = is_paged(builder) and len(organisations) > size
    grouped = paged or len(organisations) > env.config.missiekaart_group_above
    groups = province_groups_of(domain, shared) if grouped else [("", organisations)]
    counts = [len(cards) for _label, cards in groups]
    shown = shares(size, counts) if paged else counts
    for (region, cards), part, share in zip(
        groups, group_slugs([label for label, _cards in groups]), shown, strict=True
    ):
        if grouped:
            label = region or _("Province not given")
            rubric = nodes.rubric(text=f"{label} ({len(cards)})", classes=["mk-backlinks-group"])
            if paged:
                rubric["ids"].append(f"mk-{part}")
            result.append(rubric)
        items = nodes.bullet_list(classes=["mk-backlinks", "mk-concordance", GENERATED])
        for card in cards[:share]:
            places = places_of(domain, concept_id, card.docname)
            if grouped:
                items += nodes.list_item("", compact_entry(builder, docname, card, places))
            else:
                items += nodes.list_item("", *concordance_entry(builder, docname, card, places))
        if len(items):
            result.append(items)
        if len(cards) > share:
            result.append(
                more_link(
                    builder,
                    docname,
                    part,
                    cards,
                    size,
                    region,
                    (docname, concept.lineno if concept is not None else None),
                )
            )
    return result


def place_of(card: Card) -> tuple[str, str]:
    """The (country, province) a card gives."""
    fields = dict(card.fields)
    return fields.get("country", ""), fields.get("province", "")


def province_groups_of(domain: MissiekaartDomain, shared: Set[str] | None = None) -> list[tuple[str, list[Card]]]:
    """The organisations (those in *shared*, if given) by province, as :func:`.paging.province_groups`
    gives them: every organisation grouped once per build, then each concept's list filtered from it."""
    places = domain.env.config.missiekaart_places
    every = domain.memo("province groups", lambda: province_groups(domain.organisations(), place_of, places))
    if shared is None:
        return every
    kept = ((label, [card for card in cards if card.docname in shared]) for label, cards in every)
    return [(label, cards) for label, cards in kept if cards]


def more_link(
    builder: Builder, docname: str, part: str, cards: Sequence[Card], size: int, region: str, location: object
) -> nodes.paragraph:
    """ "Alle 435 organisaties in Antwerpen (op 2 pagina's)": the link from *docname*'s list, which
    shows a province's first few *cards*, to the province's own pages ``<docname>/<part>``, ... of at
    most *size* (:mod:`missiekaart.extension.paging`); the words alone if a document has the address
    of one of them (reported at *location*)."""
    total, pages = len(cards), page_count(docname, [card.docname for card in cards], size)
    translator = get_translator("missiekaart")
    if region:
        text = translator.ngettext(
            "The %(count)d organisation in %(group)s", "All %(count)d organisations in %(group)s", total
        ) % {"count": total, "group": region}
    else:
        text = ngettext("The %d organisation without a province", "All %d organisations without a province", total)
    line = nodes.paragraph(classes=["mk-more", GENERATED])
    if clashing(builder, location, [pagename(docname, part, number) for number in range(1, pages + 1)]):
        line += nodes.Text(text)
    else:
        line += link(builder, docname, pagename(docname, part, 1), "", nodes.Text(text))
    if pages > 1:
        line += nodes.Text(" (" + ngettext("on %d page", "on %d pages", pages) + ")")
    return line


def clashing(builder: Builder, location: object, pagenames: list[str]) -> bool:
    """True, and reported, when a page that would continue a list has the address of a document
    (:mod:`missiekaart.views.listpages` leaves it out). Reported when the list's own page is written,
    so an incremental build that does not write it gives the warning again (:mod:`.outstanding`)."""
    taken = [name for name in pagenames if name in builder.env.all_docs]
    for name in taken:
        warn(
            "the list page %r would have the address of a document, so it is not written and the list "
            "does not link it; rename or move the document %r",
            location,
            "list-page-clash",
            name,
            name,
        )
    return bool(taken)


def concordance_entry(
    builder: Builder, docname: str, card: Card, places: list[tuple[Reference, Quote]]
) -> list[nodes.paragraph]:
    """The organisation's name (linked, strong), then up to three quotes, each a paragraph of its
    own in the text's colour, linking to its place."""
    name = nodes.paragraph(classes=["mk-concordance-name"])
    name += nodes.strong("", "", organisation_link(builder, docname, card))
    entry: list[nodes.paragraph] = [name]
    for reference, quote in places[:3]:
        line = nodes.paragraph(classes=["mk-concordance-quote"])
        place = link(builder, docname, reference.docname, reference.anchor, *quotation(quote))
        place["classes"].append("mk-quote-link")
        line += place
        entry.append(line)
    more_places(entry[-1], len(places) - 3)
    return entry


def compact_entry(builder: Builder, docname: str, card: Card, places: list[tuple[Reference, Quote]]) -> nodes.paragraph:
    """For a concept shared by hundreds: one link, the organisation's name and one shortened quote,
    to the quote's place, so the page stays small (about 300 bytes of HTML per organisation)."""
    entry = nodes.paragraph()
    if not places:
        entry += organisation_link(builder, docname, card)
        return entry
    reference, quote = places[0]
    quote = shortened(quote, SHORT_QUOTE)
    entry += link(
        builder,
        docname,
        reference.docname,
        reference.anchor,
        nodes.strong(text=card.title),
        nodes.Text(": "),
        *quotation(quote),
    )
    return more_places(entry, len(places) - 1)


def quotation(quote: Quote) -> list[nodes.Node]:
    return [nodes.Text("“"), nodes.inline("", "", *quoted(quote), classes=["mk-quote"]), nodes.Text("”")]


def more_places(entry: nodes.paragraph, more: int) -> nodes.paragraph:
    if more > 0:
        entry += nodes.Text(" " + ngettext("(and %d more place)", "(and %d more places)", more))
    return entry


def related_concepts(domain: MissiekaartDomain, builder: Builder, docname: str, concept_id: str) -> list[nodes.Node]:
    """Concepts that stand on the same cards, most often first, with what the number counts."""
    related = domain.related(concept_id)[:10]
    if not related:
        return []
    index = {concept.id: concept for concept in domain.concepts()}  # the first definition wins
    result: list[nodes.Node] = [nodes.rubric(text=_("Related concepts"), classes=["mk-related-title"])]
    items = nodes.bullet_list(classes=["mk-related", GENERATED])
    for other, count in related:
        concept = index[other]
        paragraph = nodes.paragraph()
        paragraph += link(builder, docname, concept.docname, concept.anchor, nodes.Text(concept.title))
        paragraph += nodes.Text(" — " + ngettext("together on %d card", "together on %d cards", count))
        items += nodes.list_item("", paragraph)
    result.append(items)
    return result
