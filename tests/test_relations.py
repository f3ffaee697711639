"""The pure functions behind the concordance and the related lists (ext/missiekaart/relations.py)."""

from __future__ import annotations

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
