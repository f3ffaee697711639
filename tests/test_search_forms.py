"""The word forms a concept's page is found by (missiekaart.views.search), without a build: every form
simplemma's Dutch dictionary maps to a concept's lemma, read the same however the dictionary is kept."""

from __future__ import annotations

from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

from missiekaart.views import search

LEMMAS = {"netwerk", "zorg", "zelfredzaam", "participatie", "geen-lemma-van-het-woordenboek"}


def reference(lemmas: set[str]) -> dict[str, tuple[str, ...]]:
    """Each lemma's forms read through the dictionary's public mapping, entry by entry."""
    found: dict[str, list[str]] = {}
    for form, lemma in DEFAULT_DICTIONARY_FACTORY.get_dictionary("nl").items():
        if lemma in lemmas:
            found.setdefault(lemma, []).append(form)
    return {lemma: tuple(sorted(forms)) for lemma, forms in found.items()}


def test_the_forms_of_a_lemma_are_every_form_the_dictionary_maps_to_it():
    forms = search.dutch_forms(LEMMAS)
    assert forms == reference(LEMMAS)
    assert {"netwerken", "netwerkje"} <= set(forms["netwerk"])  # inflections a page may never write
    assert "zelfredzame" in forms["zelfredzaam"]
    assert "geen-lemma-van-het-woordenboek" not in forms


def test_a_dictionary_of_another_shape_is_read_through_its_mapping(monkeypatch):
    """simplemma keeps the dictionary as bytes and dutch_forms compares them undecoded; a
    dictionary kept otherwise (another simplemma) gives the same forms through the mapping."""
    plain = dict(DEFAULT_DICTIONARY_FACTORY.get_dictionary("nl").items())
    monkeypatch.setattr(type(DEFAULT_DICTIONARY_FACTORY), "get_dictionary", lambda _self, _language: plain)
    assert search.dutch_forms(LEMMAS) == reference(LEMMAS)
