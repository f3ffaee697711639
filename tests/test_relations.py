"""The pure functions behind the concordance and the related lists (ext/missiekaart/relations.py)."""

from __future__ import annotations

import math
import random

import pytest

from missiekaart.relations import Quote, related_organisations, sentence_around, shortened

TEXT = (
    "Wij werken elke dag samen met de buurt. Met partners bouwen we aan een samenleving waarin iedereen "
    "kan meedoen, ook wie het moeilijk heeft, en waarin zelfredzaamheid en eigen regie voorop staan voor "
    "alle bewoners van de wijk en daarbuiten in de hele regio. Dat is ons doel."
)
WORD = "zelfredzaamheid"


def highlighted(quote: Quote) -> str:
    return quote.text[quote.start : quote.end]


def test_the_quote_is_the_sentence_that_holds_the_words():
    start = TEXT.index(WORD)
    quote = sentence_around(TEXT, start, start + len(WORD))
    assert quote.text.startswith("Met partners") and quote.text.endswith("hele regio.")
    assert highlighted(quote) == WORD


@pytest.mark.parametrize("width", [40, 60, 100, 140])
def test_a_shortened_quote_keeps_the_highlight_and_whole_words(width):
    sentence = sentence_around(TEXT, TEXT.index(WORD), TEXT.index(WORD) + len(WORD))
    quote = shortened(sentence, width)
    assert highlighted(quote) == WORD
    assert len(quote.text) <= width + 4  # the two "… " marks
    inner = quote.text.removeprefix("… ").removesuffix(" …")
    assert inner in sentence.text
    assert sentence.text.split().count(inner.split()[0]) and sentence.text.split().count(inner.split()[-1])


def test_a_short_quote_is_left_as_it_is():
    quote = Quote("Kort en goed.", 0, 4)
    assert shortened(quote, 140) is quote


def test_related_organisations_weigh_rare_concepts_and_break_ties_by_name():
    concepts = {
        "a": {"common", "rare"},
        "b": {"common", "rare"},
        "c": {"common"},
        "d": {"common"},
        "e": {"common"},
    }
    names = {key: key.upper() for key in concepts}
    related = related_organisations(concepts, names, k=2)
    assert [r.docname for r in related["a"]] == ["b", "c"]  # the rare share first, then a tie broken by name
    assert related["a"][0].concepts == ("rare", "common")  # rarest first
    assert all(len(entries) <= 2 for entries in related.values())


def pairwise(concepts: dict[str, set[str]], names: dict[str, str], k: int) -> dict[str, list[tuple[str, float]]]:
    """The definition, organisation against organisation: the rarity-weighted sum of what two share."""
    total = len(concepts)
    weight = {
        c: math.log((total + 1) / sum(c in own for own in concepts.values())) for own in concepts.values() for c in own
    }
    result = {}
    for docname, own in concepts.items():
        scores = []
        for other, theirs in concepts.items():
            score = 0.0
            for concept in sorted(own):
                if concept in theirs:
                    score += weight[concept]
            if other != docname and score:
                scores.append((-score, names[other].casefold(), other))
        result[docname] = [(other, -negative) for negative, _name, other in sorted(scores)[:k]]
    return result


@pytest.mark.parametrize("seed", range(5))
def test_related_organisations_equal_a_comparison_of_every_pair(seed):
    """Comparing concept sets instead of organisations changes nothing: the same organisations, in
    the same order, with the same scores to the last bit; many share a set, some share nothing."""
    rng = random.Random(seed)
    pool = [f"c{n}" for n in range(8)]
    concepts = {f"org{n:03}": set(rng.sample(pool, rng.randint(0, 3))) for n in range(150)}
    names = {docname: rng.choice(["De Brug", "Het Anker", "Atelier"]) + f" {docname}" for docname in concepts}
    for k in (1, 5):
        related = related_organisations(concepts, names, k)
        assert {d: [(r.docname, r.score) for r in entries] for d, entries in related.items()} == pairwise(
            concepts, names, k
        )
