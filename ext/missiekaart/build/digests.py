"""Page digests: what each page shows from other pages' data, so that an incremental build re-writes
exactly the pages whose content changed (:mod:`missiekaart.build.freshness`) and re-indexes for search
only what search reads (:mod:`missiekaart.build.searchindex`).

A page's digest covers its generated content (each overview kind its own, a concept's concordance,
related concepts and organisations) and, apart, what its own text shows of other pages (the titles
of the concepts its cards and references link to). The parts that only change when a page is read
again are hashed once and kept in the domain's data (:meth:`MissiekaartDomain.place_digests`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from missiekaart.extension.domain import MissiekaartDomain
from missiekaart.extension.store import DOC_KEYS

__all__ = ["overview_digests", "page_digests"]


def page_digests(domain: MissiekaartDomain) -> dict[str, tuple[str, str]]:
    """Per page, two digests of what is shown on it from other pages' data: of everything (a page
    whose digest changes is re-written on an incremental build, see :mod:`missiekaart.build.freshness`),
    and of the part search indexes: the concept titles its cards and references show, not the
    generated lists, which search leaves out (see :mod:`missiekaart.build.searchindex`)."""
    related = domain.related_organisations()
    # Each organisation's mission card, once: its page's lists and the overviews show it (70,000 times at 10,000).
    missions = {card.docname: domain.mission_digest(card.docname) for card in domain.organisations()}
    vocabulary = _digest(repr(sorted(tuple(concept) for concept in domain.concepts())))

    tops = domain.tops()

    @functools.cache
    def concept_key(key: str) -> str:  # what a link to it shows and where it lands
        concept = domain.lookup(key)
        return repr(concept and (*concept[:4], (concept.docname, concept.anchor) in tops))

    concept_places = domain.concept_places()

    @functools.cache
    def concordance(concept_id: str) -> str:
        places = concept_places.get(concept_id, {})  # in docname order
        return _digest(SEPARATOR.join(f"{docname}={digest}" for docname, digest in places.items()))

    overview = overview_digests(domain, vocabulary, concordance, missions.__getitem__)
    docnames = set().union(*(domain.data[key] for key in DOC_KEYS))
    below: dict[str, list[str]] = {}  # a page -> the documents in the folder of its name
    for name in sorted(domain.env.all_docs):
        if "/" in name:
            below.setdefault(name.rsplit("/", 1)[0], []).append(name)
    result = {}
    # Parts are strings joined by a separator no part contains (each is a digest or a repr): far
    # cheaper than the repr of nested lists, for every page on every build.
    for docname in sorted(docnames):
        # In the page's own text, indexed by search: the concepts its cards, then its references, name.
        shown = [concept_key(key) for key in domain.usage(docname).keys]
        generated: list[str] = [overview(kind) for kind in domain.data["overviews"].get(docname, [])]
        if docname in below and (docname in domain.data["overviews"] or docname in domain.data["concepts"]):
            # A document at the address of one of its list's pages is reported there and not linked
            # (render.clashing): the documents in the page's folder are part of what it shows.
            generated.append(RECORD.join(below[docname]))
        for concept in domain.data["concepts"].get(docname, []):
            generated += [vocabulary, concordance(concept.id)]
            generated += [f"{other}={concept_key(other)}" for other, _count in domain.related(concept.id)]
        if docname in missions:
            # A related organisation shows its mission card and the concepts it shares with this
            # one (other.concepts), in its list and in the organisation's concept map.
            for other in related.get(docname, []):
                generated.append(missions[other.docname])
                generated += [concept_key(c) for c in other.concepts]
        searched = _digest(SEPARATOR.join(shown))
        result[docname] = (_digest(SEPARATOR.join([searched, *generated])), searched)
    return result


SEPARATOR = "\x1f"  # the unit separator: a repr escapes it, a digest has none
RECORD = "\x1e"  # the record separator, between the names in one part: no name holds a control character


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def overview_digests(
    domain: MissiekaartDomain,
    vocabulary: str,
    concordance: Callable[[str], str],
    mission: Callable[[str], str],
) -> Callable[[str], str]:
    """Per overview kind, a digest of what it shows (:mod:`missiekaart.views.overviews`), so that a page
    is re-written only when its own overviews change: linking one more word changes no list of
    organisations. ``""`` covers everything, for a kind not listed here. Each is made when a
    page first asks for it, from the digests of the parts it shows: *concordance* of a concept's
    places, *mission* of an organisation's mission card."""
    sharers = domain.sharers()
    small = len(domain.organisations()) <= domain.env.config.missiekaart_matrix_limit

    def missions() -> str:
        return SEPARATOR.join(f"{card.docname}={mission(card.docname)}" for card in domain.organisations())

    @functools.cache
    def owned() -> str:
        concepts = domain.organisation_concepts()
        return SEPARATOR.join(f"{docname}={sorted(concepts[docname])!r}" for docname in sorted(concepts))

    def counts() -> str:
        return repr(sorted((concept_id, len(places)) for concept_id, places in sharers.items()))

    def card_concepts() -> str:
        return SEPARATOR.join(
            f"{docname}#{anchor}={RECORD.join(ids)}"
            for docname in sorted(domain.data["cards"])
            for anchor, _kind, ids in domain.usage(docname).cards
        )

    def places() -> str:
        return repr(sorted((concept_id, concordance(concept_id)) for concept_id in sharers))

    def everything() -> str:
        return repr(sorted(tuple(card) for card in domain.all_cards()))

    shown: dict[str, Callable[[], list[str]]] = {
        "organisation-overview": lambda: [missions(), owned()],
        "organisation-cards": lambda: [missions(), card_concepts()],
        "concept-index": lambda: [counts()],
        "concept-map": lambda: [counts(), owned()],
        # The matrix links each cell to its places up to missiekaart_matrix_limit organisations, then shows counts.
        "concept-matrix": lambda: [counts(), places() if small else owned()],
        "": lambda: [everything(), owned(), places()],
    }
    where = repr(sorted(domain.data["overviews"].items()))  # the matrix links to the overview's page

    @functools.cache
    def digest(kind: str) -> str:
        return _digest(SEPARATOR.join([kind, vocabulary, where, *shown.get(kind, shown[""])()]))

    return digest
