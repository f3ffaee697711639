"""Dutch sentences for quotes (missiekaart.core.sentences): abbreviations never end a sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missiekaart.core.relations import sentence_around
from missiekaart.core.sentences import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[start:end].strip() for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Wij helpen mensen in armoede, bv. gezinnen met kinderen.",
        "Wij werken o.a. met scholen en buurten.",
        "Wij bieden huiswerkbegeleiding, kookateliers enz. aan iedereen.",
        "Dat betekent m.a.w. dat wij er zijn voor wie het moeilijk heeft.",
        "Wij zijn er voor iedereen, d.w.z. ook voor wie geen papieren heeft.",
        "Wij werken in zaal nr. 3 van het buurthuis.",
        "Wij werken met ca. 20 vrijwilligers.",
        "Onze missie: samen sterk, nl. door mensen te verbinden.",
        "Dhr. Peeters en Mevr. Janssens leiden de organisatie.",
        "Wij werken o.a. via de vzw. in de regio.",
        "Zij kwam bijv. elke week naar het buurthuis.",
    ],
)
def test_an_abbreviation_does_not_end_the_sentence(sentence):
    text = f"Dit is de eerste zin. {sentence} Dit is de laatste zin."
    assert sentences(text) == ["Dit is de eerste zin.", sentence, "Dit is de laatste zin."]


def test_real_ends_stay_ends():
    text = "Kom langs! Wil je meer weten? Bel ons. “Samen sterk.” Het kost 5 euro. 20 mensen kwamen."
    assert sentences(text) == [
        "Kom langs!",
        "Wil je meer weten?",
        "Bel ons.",
        "“Samen sterk.”",
        "Het kost 5 euro.",
        "20 mensen kwamen.",
    ]


def test_a_quote_is_the_whole_sentence_around_an_abbreviation():
    text = "Wij helpen gezinnen. Wij bieden o.a. opvoedingsondersteuning, bv. thuis. Daarna meer."
    start = text.index("opvoedingsondersteuning")
    quote = sentence_around(text, start, start + len("opvoedingsondersteuning"))
    assert quote.text == "Wij bieden o.a. opvoedingsondersteuning, bv. thuis."
    assert quote.text[quote.start : quote.end] == "opvoedingsondersteuning"


@settings(max_examples=200, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list("ab. !?\n“”'0123456789AB")), max_size=300))
def test_the_sentences_cover_the_text_in_order(text):
    spans = sentence_spans(text)
    assert "".join(text[start:end] for start, end in spans) == text
    assert all(start < end for start, end in spans)
