"""Related organisations ("Verwante organisaties"): per organisation, the *k* that share the most with it.

Pure functions over concept sets, no docutils. Three choices make the lists stable, so that an
incremental build re-writes only the pages whose list really changed (:mod:`missiekaart.build.digests`):

- **Weights in classes.** A shared concept weighs by its rarity, the inverse document frequency
  ``log((N + 1) / n)`` where *n* of the *N* organisations use it, rounded to the middle of its
  half-octave class: ``2 * floor(2 * log2((N + 1) / n)) + 1`` (:func:`weight`), in units of log(2) / 4.
  So 1 for a concept that more than 1/√2 of them use, 3 from there down to a half, 5 down to a
  quarter... A weight changes only when a concept's share crosses a power of √2, not with every
  organisation added or removed: of 200 organisations added one by one to the generated corpora
  of the tests (tests/near_duplicates.py), one moved a concept to another class at 1,000, none at
  10,000 (then the lists that rank by it may change). Scores are sums of integers: exact, the same
  whatever the order of summing. Organisations whose scores differ by less than a class may tie,
  and then the senior goes first.
- **Ties by seniority.** Of organisations that score the same, the one that came to Missiekaart
  first goes first (:func:`seniority`: the mission card's ``:added:`` date, then the name). A newcomer
  enters another organisation's list only by sharing strictly more with it than the last one listed,
  in a clean build as in an incremental one, since the order is written in the pages themselves.
- **Top-k from an inverted index, never all pairs.** Organisations with the same concepts score the
  same against everyone, so concept sets are compared, each once. Per set, its concepts are taken
  rarest first; each brings the sets that use it and were not seen yet, and those are scored. It
  stops as soon as the *k*-th best score beats what the remaining concepts could add together: a set
  that uses none of the concepts taken so far cannot reach it (the threshold algorithm). A concept's
  sets are a bitset, in seniority order, and many new ones are scored word-parallel
  (:func:`_best_of_many`): a bit-sliced sum, then a radix select of the best, which takes the most
  senior of equals as the lowest bits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence, Set
from datetime import date
from typing import NamedTuple

__all__ = ["Related", "concept_weights", "is_date", "related_organisations", "seniority", "weight"]

#: Fewer new candidate sets than this (of one concept) are scored one by one; this many or more, bit-parallel.
SLICED_FROM = 16


class Related(NamedTuple):
    docname: str
    score: int  # the weights of the shared concepts, summed
    concepts: tuple[str, ...]  # the shared concept ids, heaviest (rarest) class first, then by id


def weight(users: int, total: int) -> int:
    """The weight of a concept that *users* of the *total* organisations use: ``2 * floor(2 * log2((total
    + 1) / users)) + 1``, computed in integers (``floor(log2(x))`` of ``x = (total + 1)² / users²``),
    so exactly."""
    if not 0 < users <= total:
        raise ValueError(f"{users} users of {total} organisations")
    return 2 * ((total + 1) ** 2 // users**2).bit_length() - 1


def concept_weights(concepts_of: Mapping[str, Set[str]]) -> dict[str, int]:
    """Concept id -> its :func:`weight` among the organisations of *concepts_of*."""
    users = Counter(concept for concepts in concepts_of.values() for concept in concepts)
    return {concept: weight(count, len(concepts_of)) for concept, count in users.items()}


def is_date(value: str) -> bool:
    """Whether *value* is a day written ``YYYY-MM-DD`` (so that dates sort as text), as ``:added:`` takes."""
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(date.fromisoformat(value))
    except ValueError:
        return False


def seniority(added: Mapping[str, str], names: Mapping[str, str]) -> list[str]:
    """The docnames of *names* (docname -> name), the organisation that came first first: by the date it
    was added (``YYYY-MM-DD``; none counts as the oldest: pages from before dates were kept), then by
    name, then by docname."""
    return sorted(names, key=lambda docname: (added.get(docname, ""), names[docname].casefold(), docname))


def related_organisations(
    concepts_of: Mapping[str, Set[str]],
    order: Sequence[str],
    k: int,
    weights: Mapping[str, int] | None = None,
    *,
    sliced_from: int = SLICED_FROM,
) -> dict[str, list[Related]]:
    """For each organisation (docname -> its concept ids), the *k* others with the highest score, the
    more senior first among equals (*order*: every docname, the most senior first, see :func:`seniority`).

    The score is the sum of the shared concepts' *weights* (by default :func:`concept_weights`); only
    organisations that share a concept are related. *sliced_from* only chooses how candidates are
    scored (the tests give both ways), never the result.
    """
    if sorted(order) != sorted(concepts_of):
        raise ValueError("the seniority order must name every organisation once")
    index = _Index(concepts_of, order, concept_weights(concepts_of) if weights is None else weights)
    result: dict[str, list[Related]] = {}
    for group, members in enumerate(index.members):
        best = index.best(group, k + 1, sliced_from) if k > 0 else []
        # The k + 1 best sets hold the k + 1 best organisations (one may be the organisation itself):
        # any set ranked before one of them has a member, its most senior, ranked before it too.
        ranked = sorted(
            (-score, place, docname) for score, other in best for place, docname in index.members[other][: k + 1]
        )[: k + 1]
        listed = [
            Related(other, -negative, index.shared(group, index.group_of[other])) for negative, _, other in ranked
        ]
        for _place, docname in members:
            result[docname] = [related for related in listed if related.docname != docname][:k]
    return result


def _bits(number: int) -> Iterator[int]:
    """The places of the set bits of *number*, lowest first."""
    while number:
        low = number & -number
        yield low.bit_length() - 1
        number ^= low


class _Index:
    """Concept sets (groups) numbered in seniority order of their most senior member, each with its
    members (most senior first), its concepts as a bit mask (heaviest first), and per concept the
    bitset of the groups that use it."""

    def __init__(self, concepts_of: Mapping[str, Set[str]], order: Sequence[str], weights: Mapping[str, int]) -> None:
        self.weights = weights
        self.concepts = sorted(weights, key=lambda concept: (-weights[concept], concept))
        bit = {concept: 1 << place for place, concept in enumerate(self.concepts)}
        number: dict[frozenset[str], int] = {}
        self.members: list[list[tuple[int, str]]] = []  # per group: (place in order, docname)
        self.group_of: dict[str, int] = {}
        for place, docname in enumerate(order):
            group = number.setdefault(frozenset(concepts_of[docname]), len(number))
            if group == len(self.members):
                self.members.append([])
            self.members[group].append((place, docname))
            self.group_of[docname] = group
        self.sets = list(number)
        self.masks = [sum(bit[concept] for concept in concepts) for concepts in self.sets]
        self.postings = dict.fromkeys(self.concepts, 0)
        for group, concepts in enumerate(self.sets):
            for concept in concepts:
                self.postings[concept] |= 1 << group
        self.sums: dict[int, int] = {}  # shared mask -> its score

    def score(self, mask: int) -> int:
        total = self.sums.get(mask)
        if total is None:
            total = self.sums[mask] = sum(self.weights[self.concepts[place]] for place in _bits(mask))
        return total

    def shared(self, group: int, other: int) -> tuple[str, ...]:
        return tuple(self.concepts[place] for place in _bits(self.masks[group] & self.masks[other]))

    def best(self, group: int, need: int, sliced_from: int) -> list[tuple[int, int]]:
        """(score, group) of the *need* best groups for *group* (itself among them), by score and
        then seniority: its concepts rarest first, until no group unseen can reach the last one."""
        mask = self.masks[group]
        own = [self.concepts[place] for place in _bits(mask)]  # the rarest first
        remaining = sum(self.weights[concept] for concept in own)  # what a group unseen can still score
        best: list[tuple[int, int]] = []  # (-score, group), best first
        seen = 0
        for concept in own:
            if len(best) == need and -best[-1][0] > remaining:
                break
            new = self.postings[concept] & ~seen
            seen |= new
            remaining -= self.weights[concept]
            if new.bit_count() < sliced_from:
                found: Iterator[int] | list[int] = _bits(new)
            else:
                weighted = [(self.postings[each] & new, self.weights[each]) for each in own]
                found = _best_of_many(new, weighted, need)
            best = sorted(best + [(-self.score(mask & self.masks[other]), other) for other in found])[:need]
        return [(-negative, other) for negative, other in best]


def _best_of_many(candidates: int, weighted: list[tuple[int, int]], need: int) -> list[int]:
    """The *need* best groups of the bitset *candidates*, by score and then lowest bit, where a
    group's score is the sum of the weights of the bitsets in *weighted* that hold it.

    The scores are summed bit-sliced (``slices[t]`` holds bit *t* of every group's score), one
    ripple-carry addition per set bit of each weight, then the *need*-th best score is found from
    the highest bit down (a radix select): the groups above it, and of those equal to it the lowest.
    """
    slices: list[int] = []
    for posting, value in weighted:
        for start in _bits(value):
            carry, place = posting, start
            while carry:
                while place >= len(slices):
                    slices.append(0)
                total = slices[place]
                slices[place] = total ^ carry
                carry &= total
                place += 1
    above, count = 0, 0
    for bits in reversed(slices):
        ones = candidates & bits
        found = ones.bit_count()
        if count + found >= need:
            candidates = ones
        else:
            above |= ones
            count += found
            candidates ^= ones
    chosen = list(_bits(above))
    for group in _bits(candidates):
        if len(chosen) == need:
            break
        chosen.append(group)
    return chosen
