"""How organisations relate, computed from the domain's data: pure functions, no docutils.

- :func:`related_organisations`: per organisation, the *k* that share the most with it, each
  shared concept weighted by its rarity (inverse document frequency), ties broken by name.
- :func:`sentence_around` and :func:`card_quote`: the sentence in which an organisation names a
  concept, with the words to highlight, for the concordance on concept pages.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from .vocabulary import Vocabulary

__all__ = ["Quote", "Related", "card_quote", "related_organisations", "sentence_around", "shortened"]

MAX_QUOTE = 280  # characters of a quoted sentence; longer ones are cut around the highlight
SHORT_QUOTE = 140  # characters of a quote where a concept page lists hundreds of organisations
SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’')]*\s+")


class Related(NamedTuple):
    docname: str
    score: float
    concepts: tuple[str, ...]  # the shared concept ids, rarest first


class Quote(NamedTuple):
    text: str
    start: int  # the highlighted words: text[start:end]
    end: int


def related_organisations(
    concepts_of: Mapping[str, set[str]], names: Mapping[str, str], k: int
) -> dict[str, list[Related]]:
    """For each organisation (docname -> its concept ids), the *k* most related others.

    A shared concept counts ``log(N / n)`` where ``n`` of the ``N`` organisations use it: one that
    everybody shares says little. Only organisations sharing at least one concept are related.
    """
    total = len(concepts_of)
    # Each organisation's place in name order: the tie-breaker, computed once (not per pair).
    rank = {docname: place for place, docname in enumerate(sorted(concepts_of, key=lambda d: (names[d].casefold(), d)))}
    users: dict[str, list[str]] = defaultdict(list)
    for docname in sorted(concepts_of):
        for concept in concepts_of[docname]:
            users[concept].append(docname)
    weight = {concept: math.log((total + 1) / len(docs)) for concept, docs in users.items()}
    result: dict[str, list[Related]] = {}
    for docname, own in concepts_of.items():
        scores: dict[str, float] = defaultdict(float)
        for concept in sorted(own):  # one order of addition: the same sums, to the last bit, every build
            share = weight[concept]
            for other in users[concept]:
                scores[other] += share
        scores.pop(docname, None)
        best = heapq.nsmallest(k, ((-score, rank[other], other) for other, score in scores.items()))
        result[docname] = [
            Related(other, -score, tuple(sorted(own & concepts_of[other], key=lambda c: (-weight[c], c))))
            for score, _rank, other in best
        ]
    return result


def sentence_around(text: str, start: int, end: int) -> Quote:
    """The sentence of *text* that holds ``text[start:end]``, cut to :data:`MAX_QUOTE` characters."""
    sentence_start = 0
    for match in SENTENCE_END.finditer(text):
        if match.end() <= start:
            sentence_start = match.end()
        elif match.start() >= end:
            text = text[: match.start()]
            break
    text = text[sentence_start:].replace("\n", " ")
    return shortened(Quote(text, start - sentence_start, end - sentence_start))


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
        first = SENTENCE_END.search(text)
        return sentence_around(text[: first.start()] if first else text, 0, 0)
    return sentence_around(text, mention.start, mention.end)
