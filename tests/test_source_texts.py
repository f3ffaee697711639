"""The organisations' original texts are kept byte for byte."""

import hashlib

import pytest

from conftest import SEED_NAMES, SOURCE_TEXTS

PINNED_SHA256 = {
    "de-cocon": "469170c7a20f2cc01b24fb73d122606f1fb9c66d32096eeea80fdbdfafa8811d",
    "thuiswerkt": "e5f7a29357eaea43fc48d8779ab9f1f75485ccabcdebc9814d782b1804266d48",
    "twerk": "c2144e52fa183aaf2e1c560638d107b8cbedbbc9e2121ff3cf3c141db462dc4a",
    "werkplaats-sociaal-domein-twente": "47407475520892c262b7f3675411f27daa2fe76ba6c7b0201ca323241a76d924",
    "wijk-werk-leie-en-schelde": "1e554f8036dc88dfd67f30bc0b41b3b99ebd37cd4280825d7ebca4bcd44e1b48",
}


def test_exactly_the_five_seed_texts_are_present():
    assert sorted(path.stem for path in SOURCE_TEXTS.glob("*.txt")) == sorted(PINNED_SHA256)
    assert sorted(SEED_NAMES) == sorted(PINNED_SHA256)


@pytest.mark.parametrize("slug", sorted(PINNED_SHA256))
def test_source_text_is_unchanged(slug):
    digest = hashlib.sha256((SOURCE_TEXTS / f"{slug}.txt").read_bytes()).hexdigest()
    assert digest == PINNED_SHA256[slug]
