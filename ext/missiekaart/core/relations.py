"""How an organisation names a concept, for the concordance on concept pages: pure functions, no docutils.

:func:`sentence_around` and :func:`card_quote` find the sentence in which an organisation names a
concept, with the words to highlight. Which organisations are related is :mod:`missiekaart.core.ranking`.
"""

from __future__ import annotations

from typing import NamedTuple

from missiekaart.core.sentences import sentence_spans
from missiekaart.core.vocabulary import Vocabulary

__all__ = ["Quote", "card_quote", "sentence_around", "shortened"]

MAX_QUOTE = 280  # characters of a quoted sentence; longer ones are cut around the highlight
SHORT_QUOTE = 140  # characters of a quote where a concept page lists hundreds of organisations


class Quote(NamedTuple):
    text: str
    start: int  # the highlighted words: text[start:end]
    end: int


def sentence_around(text: str, start: int, end: int) -> Quote:
    """The sentence of *text* that holds ``text[start:end]`` (all of them, if it spans several), cut
    to :data:`MAX_QUOTE` characters; sentences as :func:`~missiekaart.core.sentences.sentence_spans` finds them."""
    spans = sentence_spans(text)
    first = next((span for span in spans if span[1] > start), (0, len(text)))
    last = next((span for span in spans if span[1] >= max(end, start + 1)), (0, len(text)))
    sentence_start, sentence_end = first[0], max(last[1], first[1])
    quoted = text[sentence_start:sentence_end].rstrip().replace("\n", " ")
    return shortened(Quote(quoted, start - sentence_start, end - sentence_start))


def shortened(quote: Quote, width: int = MAX_QUOTE) -> Quote:
    """*quote* cut to about *width* characters around its highlight, "…" marking each cut."""
    text, start, end = quote
    if len(text) <= width:
        return quote
    left = max(0, min(start - width // 3, len(text) - width))
    right = left + width
    if left and (space := text.find(" ", left, start)) != -1:  # cut between words
        left = space + 1
    if right < len(text) and (space := text.rfind(" ", end, right)) != -1:
        right = space
    prefix = "… " if left else ""
    suffix = " …" if right < len(text) else ""
    start, end = max(start, left) - left + len(prefix), min(max(end, left), right) - left + len(prefix)
    return Quote(prefix + text[left:right] + suffix, start, end)


def card_quote(text: str, concept: str, vocabulary: Vocabulary) -> Quote:
    """The sentence of a card's *text* that names *concept* (by lemma), or its first sentence."""
    mention = next((m for m in vocabulary.find(text) if m.concept == concept), None)
    if mention is None:
        return sentence_around(text, 0, 0)
    return sentence_around(text, mention.start, mention.end)
