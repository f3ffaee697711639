"""Who uses which concept is kept per page (:meth:`MissiekaartDomain.usage`): a build that reads one
organisation of many unpickles that page's cards and references for the whole-site views (who
shares a concept, the page digests, the checks, the related concepts), no other page's, and the
views are the ones made from every page's cards, after an edit and after a concept is removed. The
quotes of each card, kept pickled page by page, are unpickled for the page read only by then, and
are the ones found again in every card after the vocabulary changed."""

from __future__ import annotations

from typing import Any

from corpus import concept_page, edit_organisation, write_corpus

from conftest import write_project

ORGANISATIONS = 12


def from_every_card(domain: Any) -> tuple[dict[str, set[str]], dict[tuple[str, str], tuple[str, ...]], dict[str, int]]:
    """Made again from every page's cards and references with the domain's lookup, apart from
    the kept usage: organisation -> the concepts it uses, card -> its concepts, organisation -> its
    value cards."""
    cards = {docname: list(domain.data["cards"][docname]) for docname in domain.data["cards"]}
    organisations = {docname for docname, page in cards.items() if any(card.kind == "mission" for card in page)}
    uses: dict[str, set[str]] = {}
    for docname in organisations:
        keys = [key for card in cards[docname] for key in card.concepts]
        keys += [reference.concept for reference in domain.data["references"].get(docname, [])]
        uses[docname] = {concept.id for key in keys if (concept := domain.lookup(key)) is not None}
    carried = {
        (card.docname, card.anchor): tuple(dict.fromkeys(c.id for k in card.concepts if (c := domain.lookup(k))))
        for page in cards.values()
        for card in page
    }
    values = {docname: sum(card.kind == "value" for card in cards[docname]) for docname in organisations}
    return uses, carried, values


def kept_views(domain: Any) -> tuple[dict[str, set[str]], dict[tuple[str, str], tuple[str, ...]], dict[str, int]]:
    usage = {docname: domain.usage(docname) for docname in domain.data["cards"]}
    carried = {(docname, anchor): ids for docname, kept in usage.items() for anchor, _kind, ids in kept.cards}
    values = {
        card.docname: sum(kind == "value" for _anchor, kind, _ids in usage[card.docname].cards)
        for card in domain.organisations()
    }
    return domain.organisation_concepts(), carried, values


def assert_views_are_made_from_every_card(domain: Any) -> None:
    uses, carried, values = from_every_card(domain)
    assert kept_views(domain) == (uses, carried, values)
    shared: dict[str, set[str]] = {}
    for docname, concepts in uses.items():
        for concept_id in concepts:
            shared.setdefault(concept_id, set()).add(docname)
    assert {concept_id: set(docnames) for concept_id, docnames in domain.sharers().items()} == shared
    for docname, concepts in uses.items():
        assert set(domain.page_uses(docname)) == concepts


def test_a_build_that_reads_one_organisation_unpickles_its_cards_only(make_app, tmp_path):
    from missiekaart.extension.domain import get_domain

    corpus = write_corpus(tmp_path / "project", ORGANISATIONS, seed=5)
    srcdir = corpus.root / "docs"
    write_project(srcdir, corpus.root)
    make_app("html", srcdir=srcdir, freshenv=True).build()

    slug = edit_organisation(corpus)
    docname = corpus.page(slug).relative_to(srcdir).with_suffix("").as_posix()
    app = make_app("html", srcdir=srcdir)
    unpickled: dict[str, set[str]] = {}

    def before_writing(_app: Any, builder: Any) -> None:  # the whole-site views are made by now
        data = get_domain(builder.env).data
        unpickled.update(
            cards=data["cards"].in_use(), references=data["references"].in_use(), quotes=data["quotes"].in_use()
        )

    app.connect("write-started", before_writing)
    app.build()
    assert app.statuscode == 0
    assert unpickled == {"cards": {docname}, "references": {docname}, "quotes": {docname}}
    domain = get_domain(app.env)
    assert len(domain.organisations()) == ORGANISATIONS
    assert_views_are_made_from_every_card(domain)
    assert_kept_quotes_are_found_again(domain)

    # A concept removed: what every page's keys name changes, though no organisation page is read again.
    concept_id = max(corpus.uses().items(), key=lambda item: (item[1], item[0]))[0]
    concept_page(corpus, concept_id).unlink()
    removed = make_app("html", srcdir=srcdir)
    removed.build()
    domain = get_domain(removed.env)
    assert concept_id not in domain.sharers()
    assert all(concept_id not in concepts for concepts in domain.organisation_concepts().values())
    assert_views_are_made_from_every_card(domain)
    assert_kept_quotes_are_found_again(domain)
    assert all(
        concept != concept_id
        for docname in domain.data["quotes"]
        for _anchor, concept in domain.data["quotes"][docname]
    )


def assert_kept_quotes_are_found_again(domain: Any) -> None:
    """Every card's quote of every concept it carries, kept for every organisation, is the one
    found again in the card's text with the vocabulary of now."""
    from missiekaart.core.relations import card_quote

    organisations = {card.docname for card in domain.organisations()}
    assert set(domain.data["quotes"]) == organisations
    for docname in organisations:
        kept = domain.data["quotes"][docname]
        cards = {card.anchor: card for card in domain.cards_of(docname)}
        expected = {
            (card.anchor, concept.id): tuple(card_quote(card.text, concept.id, domain.vocabulary()))
            for card in cards.values()
            for concept in domain.card_concepts(card)
        }
        assert {key: tuple(quote) for key, quote in kept.items()} == expected
