"""What the ``mk`` domain keeps per page, and how a page's data comes and goes: the recording
side of :class:`~missiekaart.extension.domain.MissiekaartDomain`, which adds the views.

All state lives in ``self.data`` as strings and tuples keyed by docname, so ``clear_doc`` and
``merge_domaindata`` (parallel reads) stay exact. A page's concepts, cards and references are
saved with the environment as they were when it was read, and loaded only when used
(:class:`~missiekaart.core.shelf.Shelf`, frozen: once saved they are tuples, never changed in
place). What is made from one page alone (:data:`KEPT_STORES`) is kept until the page is read
again or forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import Any, ClassVar, TypeVar, cast

from sphinx.domains import Domain

from missiekaart.core.shelf import Shelf
from missiekaart.extension.records import Card, Concept, Reference

__all__ = ["DOC_KEYS", "KEPT_STORES", "SHELVED", "DomainStore"]

T = TypeVar("T")

DOC_KEYS = ("concepts", "cards", "missions", "references", "overviews", "whole", "empty")  # the data kept per document
# What is made from one page and kept with the environment until it is read again (MissiekaartDomain._kept).
KEPT_STORES = ("quotes", "places", "exported", "objects", "usage")
# Of those, the ones read only for the pages a build writes, kept pickled per page (core/shelf.py): a
# page's own pickle costs more to load than its share of one pickle of all, so a store every build
# reads whole (the usage, for who shares what) stays a dict. Measured at 10,000 organisations: the
# quotes were 0.17 s of a 0.82 s save and 0.13 s of a 0.52 s load; all five shelved saved 0.42 s and
# cost 0.43 s of loading the pages' entries one by one.
SHELVED = ("quotes",)


def _empty_kept(store: str) -> dict[str, Any] | Shelf[Any]:
    """A kept store with no page in it: a frozen shelf for the :data:`SHELVED` ones."""
    return Shelf(frozen=True) if store in SHELVED else {}


class DomainStore(Domain):
    """The domain's data per page: recorded while pages are read, forgotten with them, merged from
    parallel readers; a memo of the views made from it, dropped whenever it changes."""

    initial_data: ClassVar[dict[str, Any]] = {
        # The largest per-page data is kept pickled, page by page, until it is used (core/shelf.py).
        "concepts": Shelf(frozen=True),  # docname -> [Concept]
        "cards": Shelf(frozen=True),  # docname -> [Card]
        "missions": Shelf(frozen=True),  # docname -> [Card] its mission cards, which organisations() reads
        "references": Shelf(frozen=True),  # docname -> [Reference]
        "overviews": {},  # docname -> [kind] of the overview directives on that page
        "whole": {},  # docname -> [kind] of those without :limit: (a website pages them, paging.py)
        "empty": {},  # docname -> [1] for an organisation page that was empty (already reported)
        "digests": {},  # docname -> digest of the generated content and navigation it shows
        "searched": {},  # docname -> digest of what search indexes of that (freshness, searchindex)
        "tocs": {},  # docname -> its title and headings, as a toctree that lists it shows them (freshness)
        "related": ("", {}),  # (digest of its input, related_organisations()) of the last build
        # What is made from one page alone (KEPT_STORES), for as long as the vocabulary is the one
        # named by "kept vocabulary" (forget_stale_kept). By store, docname ->
        #   quotes: {(card anchor, concept id): tuple(Quote)}, see card_quote()
        #   places: {"": {concept id: digest}, "mission": digest}, see place_digests(), mission_digest()
        #   exported: {builder, address and card: its JSON parts}, see exported()
        #   objects: {"": what get_objects() says of it}, see objects_of()
        #   usage: {"": tuple(Usage)}, see usage()
        "kept vocabulary": "",
        **{store: _empty_kept(store) for store in KEPT_STORES},
    }
    data_version = 15  # 15: what is kept per page, in shelves

    _views: dict[str, Any] | None = None  # memo of derived views; dropped whenever the data changes

    def _changed(self) -> None:
        self._views = None

    def forget_stale_kept(self, vocabulary: str) -> None:
        """Drop every page's kept entries (:data:`KEPT_STORES`) unless they were made with *vocabulary*
        (:meth:`~missiekaart.extension.domain.MissiekaartDomain.vocabulary_key`): one value for all of
        them, so a page's entries are found without unpickling them."""
        if self.data["kept vocabulary"] != vocabulary:
            for store in KEPT_STORES:
                self.data[store] = _empty_kept(store)
            self.data["kept vocabulary"] = vocabulary

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """A view of the data made by *compute* once, until the data changes (a page read or forgotten)."""
        return self._memo(name, compute)

    def _memo(self, name: str, compute: Callable[[], T]) -> T:
        if self._views is None:
            self._views = {}
        if name not in self._views:
            self._views[name] = compute()
        return cast(T, self._views[name])

    def add_concept(self, concept: Concept) -> None:
        self._changed()
        self.data["concepts"].setdefault(concept.docname, []).append(concept)

    def add_card(self, card: Card) -> None:
        self._changed()
        self.data["cards"].setdefault(card.docname, []).append(card)
        if card.kind == "mission":
            self.data["missions"].setdefault(card.docname, []).append(card)

    def add_reference(self, reference: Reference) -> None:
        self._changed()
        self.data["references"].setdefault(reference.docname, []).append(reference)

    def set_quotes(self, docname: str, quotes: dict[str, tuple[str, int, int]]) -> None:
        """Give the role references of *docname* (by anchor) the sentence they stand in."""
        self._changed()
        self.data["references"][docname] = [
            reference._replace(
                quote=quotes[reference.anchor][0], start=quotes[reference.anchor][1], end=quotes[reference.anchor][2]
            )
            if reference.anchor in quotes
            else reference
            for reference in self.data["references"].get(docname, [])
        ]

    def add_overview(self, docname: str, kind: str, whole: bool = True) -> None:
        self.data["overviews"].setdefault(docname, []).append(kind)
        if whole:
            self.data["whole"].setdefault(docname, []).append(kind)

    def rename_organisation(self, docname: str, name: str) -> None:
        """Give the mission card of *docname* its name once the page title is known."""
        self._changed()
        for key in ("cards", "missions"):
            if docname in self.data[key]:
                self.data[key][docname] = [
                    card._replace(title=name) if card.kind == "mission" else card for card in self.data[key][docname]
                ]

    def add_empty_page(self, docname: str) -> None:
        self.data["empty"][docname] = [1]  # a list, like every per-document entry

    def is_empty_page(self, docname: str) -> bool:
        return docname in self.data["empty"]

    def clear_doc(self, docname: str) -> None:
        self._changed()
        for key in DOC_KEYS:
            self.data[key].pop(docname, None)
        for store in KEPT_STORES:
            self.data[store].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self._changed()
        for key in DOC_KEYS:
            for docname, entries in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = list(entries)
