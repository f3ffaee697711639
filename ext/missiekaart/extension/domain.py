"""The ``mk`` domain: concepts, cards and concept references, and the views made from them.

What is stored per page, and how it is recorded, forgotten and merged, is :mod:`.store`. Derived
views (who shares a concept) are computed from that data on demand, never stored as nodes; what a
view needs of each page is made from that page alone and kept (:meth:`MissiekaartDomain._kept`),
so a build that read one page of 10,000 does not unpickle every page's cards.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, ClassVar, TypeVar, cast

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import ObjType
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.locale import get_translation
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode
from sphinx.util.typing import RoleFunction

from missiekaart.core.ranking import Related, related_organisations, seniority
from missiekaart.core.relations import Quote, card_quote
from missiekaart.core.vocabulary import LEMMATIZER_VERSION, Entry, Vocabulary, lemma_key, name_keys
from missiekaart.extension.nodes import PLAIN_LINK
from missiekaart.extension.problems import warn
from missiekaart.extension.records import Card, Concept, Reference, Usage, normalise
from missiekaart.extension.roles import ConceptRole
from missiekaart.extension.store import DomainStore

_ = get_translation("missiekaart")
logger = logging.getLogger(__name__)
T = TypeVar("T")


class MissiekaartDomain(DomainStore):
    """Concepts shared between organisations, and the cards that carry them."""

    name = "mk"
    label = "Missiekaart"
    object_types: ClassVar[dict[str, ObjType]] = {
        "concept": ObjType(_("concept"), "concept"),
        "organisation": ObjType(_("organisation"), "organisation"),
    }
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {
        "concept": ConceptRole(lowercase=True, innernodeclass=nodes.inline, warn_dangling=False)
    }
    # ------------------------------------------------------------------ views

    def all_concepts(self) -> Iterator[Concept]:
        for docname in sorted(self.data["concepts"]):
            yield from self.data["concepts"][docname]

    def all_cards(self) -> Iterator[Card]:
        for docname in sorted(self.data["cards"]):
            yield from self.data["cards"][docname]

    def cards_outside_organisations(self) -> Iterator[Card]:
        """The cards of the pages without a mission card, by page name (the rest are not unpickled)."""
        for docname in sorted(self.data["cards"].keys() - self.data["missions"].keys()):
            yield from self.data["cards"][docname]

    def concepts(self) -> list[Concept]:
        """One concept per id, the first definition winning (as in :meth:`concept_index`);
        a second definition is reported as a duplicate and shown nowhere."""
        return self._memo("concepts", self._concepts)

    def _concepts(self) -> list[Concept]:
        first: dict[str, Concept] = {}
        for concept in self.all_concepts():
            first.setdefault(concept.id, concept)
        return list(first.values())

    def concept_index(self) -> dict[str, Concept]:
        """Ids and aliases (normalised) to their concept: an id wins over an alias, else the first
        definition (by page name) wins."""
        return self._memo("index", self._concept_index)

    def _concept_index(self) -> dict[str, Concept]:
        # Ids before aliases: a new concept's alias never takes the links of another concept's id.
        index: dict[str, Concept] = {}
        for concept in self.all_concepts():
            index.setdefault(normalise(concept.id), concept)
        for concept in self.all_concepts():
            for key in concept.aliases:
                index.setdefault(normalise(key), concept)
        return index

    def _lemma_index(self) -> dict[str, Concept]:
        index: dict[str, Concept] = {}
        for names in (lambda c: (c.id, c.title), lambda c: c.aliases):
            for concept in self.all_concepts():
                for name in names(concept):
                    for key in name_keys(name):
                        index.setdefault(key, concept)
        return index

    def lookup(self, key: str) -> Concept | None:
        """The concept that *key* names: its id or an alias as written, else any inflection of
        its id, title or an alias ("kwetsbare groep" finds *kwetsbare-groepen*)."""
        found: dict[str, Concept | None] = self._memo("lookups", dict)  # a card's keys are looked up often
        if key not in found:
            concept = self.concept_index().get(normalise(key))
            found[key] = concept or self._memo("lemmas", self._lemma_index).get(lemma_key(key))
        return found[key]

    def overview_page(self, kind: str) -> str | None:
        """The first page (by name) that shows the overview *kind*, if any."""
        return next((docname for docname, kinds in sorted(self.data["overviews"].items()) if kind in kinds), None)

    def cards_of(self, docname: str) -> list[Card]:
        """The cards on page *docname*, in page order."""
        return list(self.data["cards"].get(docname, []))

    def organisation(self, docname: str) -> Card | None:
        """The mission card that makes *docname* an organisation page. A look at the page's own
        cards, not a view: directives ask while pages are read, when every new card drops the views."""
        return next(iter(self.data["missions"].get(docname, ())), None)

    def tops(self) -> frozenset[tuple[str, str]]:
        """(docname, anchor) of the places that are the top of their page: an organisation's
        mission card, and the concept of a page that defines one."""
        return self._memo(
            "tops",
            lambda: frozenset(
                [(card.docname, card.anchor) for card in self.organisations()]
                + [(c[0].docname, c[0].anchor) for c in self.data["concepts"].values() if len(c) == 1]
            ),
        )

    def landing(self, builder: Builder, fromdoc: str, todoc: str, anchor: str) -> str:
        """The anchor a link from *fromdoc* to ``todoc#anchor`` needs. In HTML none where that is
        the top of another page: the page's own address shows its title, and the ``#concept-...``
        or ``#mission-...`` the 35 links of an organisation page carried were 1 KB of it."""
        if builder.format == "html" and fromdoc != todoc and (todoc, anchor) in self.tops():
            return ""
        return anchor

    def refnode(
        self,
        builder: Builder,
        fromdoc: str,
        todoc: str,
        anchor: str,
        child: nodes.Node | list[nodes.Node],
        title: str = "",
    ) -> nodes.reference:
        """A link to ``todoc#anchor`` as every link the extension makes: without the anchor where
        that is the top of the page (:meth:`landing`), written as a bare ``<a>`` (:data:`PLAIN_LINK`).
        Raises :class:`~sphinx.errors.NoUri` where the builder has no address for *todoc*."""
        reference = make_refnode(builder, fromdoc, todoc, self.landing(builder, fromdoc, todoc, anchor), child, title)
        reference[PLAIN_LINK] = True
        return reference

    def usage(self, docname: str) -> Usage:
        """What the whole-site views need of page *docname* (:class:`Usage`): made from that page
        alone and kept with the environment (:meth:`_kept`), so that a build that reads one page of
        10,000 again unpickles one page's cards to know who uses which concept, not every page's.
        Looked up once per build and page (every view of the whole site asks for every page's)."""
        return Usage._make(self._keep_for_build("usage", docname, "", self._usage))

    def _usage(self, docname: str) -> tuple[Any, ...]:
        cards = self.cards_of(docname)
        keys = [key for card in cards for key in card.concepts]
        keys += [reference.concept for reference in self.data["references"].get(docname, [])]
        # A plain tuple, as quotes are kept; interned: 10,000 pages name the same few hundred
        # concepts, pickled once each.
        return (
            tuple(map(sys.intern, keys)),
            tuple(map(sys.intern, self.page_uses(docname))),
            tuple(
                (card.anchor, sys.intern(card.kind), tuple(sys.intern(c.id) for c in self.card_concepts(card)))
                for card in cards
            ),
        )

    def page_uses(self, docname: str) -> dict[str, list[Reference]]:
        """Concept id -> the card and text references on organisation page *docname* that name
        it, cards first (a key written twice on a card is one place); none on another page."""
        made: dict[str, dict[str, list[Reference]]] = self._memo("page uses", dict)
        if docname not in made:
            result: dict[str, list[Reference]] = {}
            if self.organisation(docname) is not None:
                references = [
                    Reference(key, docname, card.anchor, card.lineno, True)
                    for card in self.cards_of(docname)
                    for key in dict.fromkeys(card.concepts)
                ]
                references += self.data["references"].get(docname, [])  # each has an anchor of its own
                for reference in references:
                    if (concept := self.lookup(reference.concept)) is not None:
                        result.setdefault(concept.id, []).append(reference)
            made[docname] = result
        return made[docname]

    def places(self, concept_id: str, docname: str) -> list[Reference]:
        """The card and text references of organisation *docname* to the concept."""
        return self.page_uses(docname).get(concept_id, [])

    def sharers(self) -> dict[str, frozenset[str]]:
        """Concept id -> the docnames of the organisations that use it (on cards or in their text)."""

        def compute() -> dict[str, frozenset[str]]:
            result: dict[str, set[str]] = defaultdict(set)
            for docname, concepts in self.organisation_concepts().items():
                for concept_id in concepts:
                    result[concept_id].add(docname)
            return {concept_id: frozenset(docnames) for concept_id, docnames in result.items()}

        return self._memo("sharers", compute)

    def organisation_concepts(self) -> dict[str, set[str]]:
        """Organisation docname -> the ids of the concepts it uses (on cards or in its text)."""
        return self._memo(
            "organisation concepts",
            lambda: {card.docname: set(self.usage(card.docname).concepts) for card in self.organisations()},
        )

    def related_organisations(self) -> dict[str, list[Related]]:
        """Organisation docname -> the ``missiekaart_related`` organisations closest to it."""

        def compute() -> dict[str, list[Related]]:
            # 0.06 s at 1,000 organisations, 1 s at 10,000 (ranking.py), kept with the environment
            # and made again only when a concept set, the seniority order (a date or a name) or the
            # setting changed, so an edited text (the most common change) does not pay for it.
            cards = self.organisations()
            order = seniority(
                {card.docname: card.added for card in cards}, {card.docname: card.title for card in cards}
            )
            concepts, k = self.organisation_concepts(), self.env.config.missiekaart_related
            key = repr((k, [(docname, sorted(concepts[docname])) for docname in order]))
            digest = hashlib.sha256(key.encode()).hexdigest()
            if self.data["related"][0] != digest:
                self.data["related"] = (digest, related_organisations(concepts, order, k))
            return cast(dict[str, list[Related]], self.data["related"][1])

        return self._memo("related organisations", compute)

    def vocabulary(self) -> Vocabulary:
        """The defined concepts as a :class:`~missiekaart.core.vocabulary.Vocabulary`, to find them in text."""
        return self._memo("vocabulary", lambda: Vocabulary(Entry(c.id, c.title, c.aliases) for c in self.concepts()))

    def place_digests(self, docname: str) -> dict[str, str]:
        """Concept id -> a digest of what that concept's page shows of organisation *docname*: its
        cards (name, fields, the text quotes come from) and its places of the concept. Kept with the
        environment (:meth:`_kept`), like the quotes; looked up once per build (the page digests and
        the concept list pages ask for each organisation once per concept it shares)."""
        return self._keep_for_build("places", docname, "", self._place_digests)

    def _place_digests(self, docname: str) -> dict[str, str]:
        cards = repr(sorted(tuple(card) for card in self.cards_of(docname)))
        return {
            concept_id: hashlib.sha256(repr((cards, [tuple(ref) for ref in places])).encode()).hexdigest()
            for concept_id, places in self.page_uses(docname).items()
        }

    def concept_places(self) -> dict[str, dict[str, str | None]]:
        """Concept id -> the organisations that use it (:meth:`sharers`), in docname order, -> the
        digest of what its page shows of each (:meth:`place_digests`): the concordance of every
        concept, read by the page digests and the concept list pages, made once per build."""

        def compute() -> dict[str, dict[str, str | None]]:
            result: dict[str, dict[str, str | None]] = {concept_id: {} for concept_id in self.sharers()}
            for docname, concepts in sorted(self.organisation_concepts().items()):
                digests = self.place_digests(docname)
                for concept_id in concepts:
                    result[concept_id][docname] = digests.get(concept_id)
            return result

        return self._memo("concept places", compute)

    def mission_digest(self, docname: str) -> str:
        """A digest of organisation *docname*'s mission card, every field: what the overviews and the
        related lists of other pages show of it. Kept with the environment beside its place digests
        (:meth:`_kept`): a build asks for every organisation's, and reads one page again."""
        return self._keep_for_build("places", docname, "mission", self._mission_digest)

    def _mission_digest(self, docname: str) -> str:
        cards = [tuple(card) for card in self.data["missions"].get(docname, [])]
        return hashlib.sha256(repr(cards).encode()).hexdigest()

    def exported(self, docname: str, key: str, make: Callable[[], T]) -> T:
        """A part of the JSON export (:mod:`missiekaart.build.export`) made from the organisation's page
        alone, named by *key* (the part, the builder and the page's address, which its links depend
        on): made by *make* once and kept with the environment (:meth:`_kept`), so a build that
        reads one page again makes that page's parts again, not 1,000 organisations'."""
        return self._keep("exported", docname, key, make)

    def _keep(self, store: str, docname: str, key: Hashable, make: Callable[[], T]) -> T:
        """The page's entry *key* in *store* (:meth:`_kept`), made by *make* the first time."""
        entries = self._kept(store, docname)
        if key not in entries:
            entries[key] = make()
            self.data[store][docname] = entries  # set again: a frozen shelf saves it anew
        return cast(T, entries[key])

    def _keep_for_build(self, store: str, docname: str, key: str, make: Callable[[str], T]) -> T:
        """:meth:`_keep` of ``make(docname)``, looked up once per build and page: for what a build
        asks of every page many times (a page's place digests once per concept it shares)."""
        known: dict[str, T] = self._memo(f"kept {store} {key}", dict)
        if docname not in known:
            known[docname] = self._keep(store, docname, key, functools.partial(make, docname))
        return known[docname]

    def _kept(self, store: str, docname: str) -> dict[Any, Any]:
        """The page's entries in *store* (one of :data:`KEPT_STORES`), kept with the
        environment: dropped when the page is read again (:meth:`clear_doc`), and every page's when
        the vocabulary is not the one they were made with (``kept vocabulary``)."""
        self._memo("stale kept forgotten", lambda: self.forget_stale_kept(self.vocabulary_key()))  # once per data
        return cast("dict[Any, Any]", self.data[store].get(docname, {}))

    def vocabulary_key(self) -> str:
        """What finding concepts in a text, and the concept a key names, depend on: the lemmatiser and
        every definition's names, in page order (the first definition of a name wins, see :meth:`lookup`)."""

        def key() -> str:  # a digest: 10,000 pages' kept data each hold it
            names = repr((LEMMATIZER_VERSION, [(c.id, c.title, c.aliases) for c in self.all_concepts()]))
            return hashlib.sha256(names.encode()).hexdigest()

        return self._memo("vocabulary key", key)

    def card_quote(self, card: Card, concept_id: str) -> Quote:
        """The sentence of *card* that names the concept (:func:`~missiekaart.core.relations.card_quote`).

        Finding it takes a pass of the vocabulary over the card, for every concept page that quotes
        it: at 1,000 organisations, a second per build that adds one. So quotes are kept with the
        environment (:func:`remember_kept`) until the page is read again or the vocabulary changes."""

        def make() -> tuple[str, int, int]:  # a plain tuple: 150,000 named tuples were 0.24 s of every save at 10,000
            quote = card_quote(card.text, concept_id, self.vocabulary())
            return quote.text, quote.start, quote.end

        return Quote._make(self._keep("quotes", card.docname, (card.anchor, concept_id), make))

    def mention(self, text: str, concept_id: str) -> tuple[int, int] | None:
        """Where short *text* (a card's title) first names the concept, by a form of a name, or None."""
        found = next((m for m in self.vocabulary().find(text) if m.concept == concept_id), None)
        return None if found is None else (found.start, found.end)

    def organisations(self) -> list[Card]:
        """Every mission card, ordered by the organisation's name."""
        return self._memo(
            "organisations",
            lambda: sorted(
                (card for docname in self.data["missions"] for card in self.data["missions"][docname]),
                key=lambda card: (card.title.casefold(), card.docname),
            ),
        )

    def card_concepts(self, card: Card) -> list[Concept]:
        """The defined concepts a card carries, in the card's order, without repeats. Remembered:
        the related concepts, the overviews, their digests and the export each ask for every card."""
        known: dict[Card, list[Concept]] = self._memo("card concepts", dict)
        if card not in known:
            found = (self.lookup(key) for key in card.concepts)
            known[card] = list(dict.fromkeys(concept for concept in found if concept is not None))
        return known[card]

    def related(self, concept_id: str) -> list[tuple[str, int]]:
        """Concepts that share cards with *concept_id*, most shared first."""
        return self._memo("related concepts", self._related_concepts).get(concept_id, [])

    def _related_concepts(self) -> dict[str, list[tuple[str, int]]]:
        # Cards with the same concepts count once per set (10,000 organisations' cards hold a few
        # thousand different sets): the pairs of each set are counted with its number of cards.
        sets = Counter(
            frozenset(ids) for docname in self.data["cards"] for _anchor, _kind, ids in self.usage(docname).cards
        )
        pairs: Counter[tuple[str, str]] = Counter()
        for ids, cards in sets.items():
            for pair in itertools.permutations(ids, 2):
                pairs[pair] += cards
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for (concept_id, other), count in pairs.items():
            counts[concept_id][other] = count
        return {
            concept_id: sorted(others.items(), key=lambda item: (-item[1], item[0]))
            for concept_id, others in counts.items()
        }

    def suggest(self, key: str) -> list[str]:
        return difflib.get_close_matches(normalise(key), sorted(self.concept_index()), n=3, cutoff=0.6)

    # ------------------------------------------------------------------ references

    def resolve_xref(  # type: ignore[override]  # an unknown concept resolves to its words, not a reference
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> Element | None:
        if typ == "organisation":
            card = self.organisation(target)
            if card is None:
                return None
            return self.refnode(builder, fromdocname, card.docname, card.anchor, contnode, card.title)
        concept = self.lookup(target)
        if concept is None:
            suggestions = self.suggest(target)
            hint = (
                f"did you mean {', '.join(map(repr, suggestions))}?"
                if suggestions
                else ("define it with a 'concept' directive in docs/concepts/")
            )
            warn("unknown concept %r; %s", node, "unknown-concept", target, hint)
            # Handled: the words stay readable and Sphinx adds no second, generic warning.
            return nodes.inline("", "", contnode, classes=["mk-concept-missing"], ids=list(node["ids"]))
        words: nodes.Node = nodes.Text(concept.title) if node.get("mk_title") else contnode
        # A title only where it says more than the words: "zelfredzame" -> "Zelfredzaamheid".
        title = concept.title if words.astext().casefold() != concept.title.casefold() else ""
        try:
            refnode = self.refnode(builder, fromdocname, concept.docname, concept.anchor, words, title)
        except NoUri:  # a builder without the concept's page: the words stay, and so does their anchor
            return nodes.inline("", "", words, classes=list(node["classes"]), ids=list(node["ids"]))
        refnode["ids"] += node["ids"]  # the place's anchor, for "Gedeeld door" and the export
        refnode["classes"] += node["classes"]
        return refnode

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        concept = self.lookup(target)
        if concept is None:
            return []
        return [
            ("mk:concept", self.refnode(builder, fromdocname, concept.docname, concept.anchor, contnode, concept.title))
        ]

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for docname in sorted(self.data["concepts"].keys() | self.data["cards"].keys()):
            yield from self.objects_of(docname)

    def objects_of(self, docname: str) -> list[tuple[str, str, str, str, str, int]]:
        """The concepts and the organisation of page *docname*, as :meth:`get_objects` gives them to
        ``objects.inv``: made when the page was read (:func:`remember_kept`) and kept (:meth:`_kept`),
        so that Sphinx's inventory, written by every build, does not unpickle every page's cards."""
        return self._keep(
            "objects",
            docname,
            "",
            lambda: [
                *((c.id, c.title, "concept", c.docname, c.anchor, 1) for c in self.data["concepts"].get(docname, [])),
                *(
                    (card.docname, card.title, "organisation", card.docname, card.anchor, 1)
                    for card in self.data["missions"].get(docname, [])
                ),
            ],
        )


def remember_kept(app: object, env: BuildEnvironment) -> None:
    """``env-updated``: find the quotes of the pages read in this build (of every page when the
    vocabulary changed), their objects for ``objects.inv`` and their :class:`Usage`, so that they
    are saved with the environment for the builds to come."""
    domain = get_domain(env)
    cards, concepts, references = (domain.data[key].keys() for key in ("cards", "concepts", "references"))
    domain.forget_stale_kept(domain.vocabulary_key())  # every page's, when the vocabulary changed
    quotes = domain.data["quotes"]
    for docname in cards | concepts | references:  # a build that read none finds every page's kept
        if docname in cards and docname not in quotes:
            for card in domain.cards_of(docname):
                for concept in domain.card_concepts(card):
                    domain.card_quote(card, concept.id)
        if docname in cards or docname in concepts:
            domain.objects_of(docname)
        if docname in cards or docname in references:
            domain.usage(docname)


def get_domain(env: BuildEnvironment) -> MissiekaartDomain:
    """The ``mk`` domain of *env*, typed."""
    domain = env.domains["mk"]
    if not isinstance(domain, MissiekaartDomain):
        raise TypeError(f"the 'mk' domain is {type(domain).__name__}, not MissiekaartDomain")
    return domain
