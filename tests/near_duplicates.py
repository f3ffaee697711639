"""A corpus of near-duplicates, where hundreds of organisations share the same concepts: the case
that made ties in the related lists decide everything (issue 26).

``write_near_duplicate_corpus(root, organisations, seed)`` writes a project as tests/corpus.py does,
but only the first ``TEMPLATES`` organisations are drawn: every other one is a copy of one of them
(organisation *n* of template ``n % TEMPLATES``) under a name of its own, word for word the same
text, and half of the copies tag one concept more on a value card (drawn at random). A concept the
templates leave out is given to copies that have no change yet, so every concept is shared by
``MIN_USES``. ``add_organisation`` (tests/corpus.py) adds the next copy.

:func:`concept_sets` gives what either corpus would tag, organisation by organisation, without
writing (or even drawing) a text: the benchmark of the related lists (tests/benchmark_relations.py)
relates 10,000 organisations in seconds.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from corpus import (
    MIN_USES,
    REPOSITORY,
    Block,
    Corpus,
    Organisation,
    Sentence,
    ValueCard,
    concept_ranking,
    draw_identity,
    draw_name,
    draw_organisation,
    new_corpus,
    share_every_concept,
    slugify,
    write_organisations,
)

from missiekaart.core.vocabulary import Entry, read_concept_pages

TEMPLATES = 5  # organisations drawn; all others copy one of them
GENERATED, NEAR_DUPLICATES = "generated", "near-duplicates"
KINDS = (GENERATED, NEAR_DUPLICATES)


def extra_concept(number: int, seed: int, template: tuple[str, ...], pool: list[str]) -> str | None:
    """The concept copy *number* tags more than its template, if any (one copy in two)."""
    rng = random.Random(f"near:{seed}:{number}")
    if number < TEMPLATES or rng.random() < 0.5:
        return None
    return rng.choice([concept for concept in pool if concept not in template])


def plan(organisations: int, seed: int, templates: list[tuple[str, ...]], pool: list[str]) -> list[str | None]:
    """Per organisation, the concept it tags more than its template: drawn, and then every concept that
    fewer than MIN_USES use goes to the first copies without a change that lack it."""
    extras = [extra_concept(n, seed, templates[n % TEMPLATES], pool) for n in range(organisations)]
    uses = Counter(c for n in range(organisations) for c in (*templates[n % TEMPLATES], extras[n]) if c)
    for concept in pool:
        for number in range(TEMPLATES, organisations):
            if uses[concept] >= min(MIN_USES, organisations):
                break
            if extras[number] is None and concept not in templates[number % TEMPLATES]:
                extras[number] = concept
                uses[concept] += 1
    if min(uses[concept] for concept in pool) < min(MIN_USES, organisations):
        raise ValueError(f"{organisations} near-duplicates are too few to share every concept: take more")
    return extras


def copy_of(template: Organisation, number: int, seed: int, extra: str | None, taken: set[str]) -> Organisation:
    """Organisation *number*: *template*'s text under a name of its own, with *extra* on a value card."""
    name = draw_name(random.Random(f"near-name:{seed}:{number}"), template.region, taken)

    def renamed(text: str) -> str:
        return text.replace(template.name, name)

    blocks = [
        Block(block.kind, tuple(Sentence(renamed(s.plain), renamed(s.markup)) for s in block.items))
        for block in template.blocks
    ]
    values = list(template.values)
    if extra is not None:
        values[0] = ValueCard(values[0].title, (*values[0].concepts, extra), values[0].body)
    concepts = (*template.concepts, extra) if extra else template.concepts
    return replace(
        template,
        number=number,
        slug=slugify(name),
        name=name,
        mission=renamed(template.mission),
        concepts=concepts,
        values=values,
        blocks=blocks,
    )


def templates_of(seed: int, entries: list[Entry]) -> list[Organisation]:
    by_id = {entry.id: entry for entry in entries}
    ranking = concept_ranking(entries, seed)
    drawn: list[Organisation] = []
    for number in range(TEMPLATES):
        drawn.append(draw_organisation(number, seed, by_id, ranking, {o.slug for o in drawn}))
    return drawn


def write_near_duplicate_corpus(root: Path, organisations: int, seed: int = 0, repository: Path = REPOSITORY) -> Corpus:
    """A buildable project of *organisations* near-duplicates in *root* (created)."""
    corpus = new_corpus(root, seed, repository)
    templates = templates_of(seed, corpus.concepts)
    pool = sorted(entry.id for entry in corpus.concepts)
    extras = plan(organisations, seed, [t.concepts for t in templates], pool)
    drawn = list(templates)
    taken = {o.slug for o in drawn}
    for number in range(TEMPLATES, organisations):
        drawn.append(copy_of(templates[number % TEMPLATES], number, seed, extras[number], taken))
        taken.add(drawn[-1].slug)

    def draw_next(corpus: Corpus, number: int) -> Organisation:
        template = templates[number % TEMPLATES]
        return copy_of(
            template, number, seed, extra_concept(number, seed, template.concepts, pool), set(corpus.organisations)
        )

    corpus.draw = draw_next
    return write_organisations(corpus, drawn)


def concept_sets(kind: str, organisations: int, seed: int = 0) -> dict[str, set[str]]:
    """``org<number>`` -> the concepts organisation *number* of a corpus of *kind* tags, in number
    order (the order they were added): what write_corpus or write_near_duplicate_corpus would write."""
    entries = read_concept_pages(REPOSITORY / "docs" / "concepts")
    ranking = concept_ranking(entries, seed)
    if kind == NEAR_DUPLICATES:
        templates = [tuple(draw_identity(n, seed, ranking, set())[5]) for n in range(TEMPLATES)]
        extras = plan(organisations, seed, templates, sorted(entry.id for entry in entries))
        sets = [{*templates[n % TEMPLATES], *filter(None, [extras[n]])} for n in range(organisations)]
    elif kind == GENERATED:
        drawn: list[Any] = [
            SimpleNamespace(number=n, concepts=tuple(draw_identity(n, seed, ranking, set())[5]))
            for n in range(organisations)
        ]
        share_every_concept(drawn, ranking, seed, spread=lambda organisation, rng: None)
        sets = [set(organisation.concepts) for organisation in drawn]
    else:
        raise ValueError(f"no corpus of kind {kind!r}: {', '.join(KINDS)}")
    width = len(str(organisations))
    return {f"org{number:0{width}}": concepts for number, concepts in enumerate(sets)}
