"""The pure functions behind the concordance (ext/missiekaart/core/relations.py) and the related lists
(ext/missiekaart/core/ranking.py).

The related lists are checked against a reference that scores every pair (kept here, not in the
package), on small generated projects full of ties and near-duplicates, for both ways of scoring
candidates; and for the two properties incremental builds rely on: a newcomer enters a list only by
scoring strictly more than the organisation it displaces, and a removed organisation changes only
the lists it was in, as long as no concept's weight moved to another class.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from missiekaart.core.ranking import Related, concept_weights, is_date, related_organisations, seniority, weight
from missiekaart.core.relations import Quote, sentence_around, shortened

PROPERTY = settings(
    max_examples=150, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

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


# ---------------------------------------------------------------------------- related organisations


def reference(
    concepts_of: dict[str, set[str]], order: list[str], k: int, weights: dict[str, int] | None = None
) -> dict[str, list[Related]]:
    """The definition, organisation against organisation: the weights of what two share, summed; the
    higher score first, then the more senior (earlier in *order*); the shared concepts heaviest first."""
    weights = concept_weights(concepts_of) if weights is None else weights
    place = {docname: number for number, docname in enumerate(order)}
    result = {}
    for docname, own in concepts_of.items():
        scored = sorted(
            (-sum(weights[c] for c in own & theirs), place[other], other)
            for other, theirs in concepts_of.items()
            if other != docname and own & theirs
        )
        result[docname] = [
            Related(other, -negative, tuple(sorted(own & concepts_of[other], key=lambda c: (-weights[c], c))))
            for negative, _place, other in scored[:k]
        ]
    return result


@st.composite
def projects(draw: st.DrawFn, fewest: int = 1, most: int = 40) -> tuple[dict[str, set[str]], list[str]]:
    """Organisations (docname -> concepts) and their seniority order: copies of a few concept sets with
    small changes (near-duplicates: many organisations score the same), some sharing nothing."""
    pool = [f"c{n}" for n in range(draw(st.integers(1, 9)))]
    templates = draw(st.lists(st.sets(st.sampled_from(pool), max_size=len(pool)), min_size=1, max_size=4))
    concepts_of = {}
    for number in range(draw(st.integers(fewest, most))):
        own = set(draw(st.sampled_from(templates)))
        if draw(st.booleans()):  # a small change: one concept more or less
            own ^= {draw(st.sampled_from(pool))}
        concepts_of[f"org{number:02}"] = own
    order = draw(st.permutations(sorted(concepts_of)))
    return concepts_of, list(order)


def test_a_weight_is_the_middle_of_its_half_octave_class():
    """log((N + 1) / n), the inverse document frequency, in classes of half an octave: 1, 3, 5, ..."""
    assert [weight(users, 100) for users in (100, 72, 71, 51, 50, 36, 35, 26, 25, 1)] == [1, 1, 3, 3, 5, 5, 7, 7, 9, 27]
    for total in range(1, 60):
        for users in range(1, total + 1):
            exact = 2 * math.log2((total + 1) / users)
            if abs(exact - round(exact)) > 1e-9:  # (on a boundary, the float may fall either side)
                assert weight(users, total) == 2 * math.floor(exact) + 1, (users, total)
    with pytest.raises(ValueError):
        weight(0, 5)


def test_a_weight_changes_with_the_number_of_organisations_only_at_a_class_boundary():
    """The reason for classes: add organisations one by one, from 100 to 1,100, and a concept that 100
    of them use changes weight 6 times (where its share crosses a power of √2), not 1,000 times."""
    changed = [total + 1 for total in range(100, 1100) if weight(100, total) != weight(100, total + 1)]
    assert changed == [141, 199, 282, 399, 565, 799]


def test_seniority_is_the_date_added_then_the_name_and_no_date_is_the_oldest():
    names = {"a": "Zon", "b": "Maan", "c": "Aarde", "d": "Ster", "e": "Komeet"}
    added = {"a": "2024-05-01", "b": "2023-01-15", "d": "2024-05-01"}
    assert seniority(added, names) == ["c", "e", "b", "d", "a"]
    assert is_date("2024-02-29") and not any(map(is_date, ["2023-02-29", "2024-5-1", "20240501", "gisteren", ""]))


def test_related_organisations_weigh_rare_concepts_and_keep_the_senior_among_equals():
    concepts = {"a": {"common", "rare"}, "b": {"common", "rare"}, "c": {"common"}, "d": {"common"}, "e": {"common"}}
    order = ["a", "b", "e", "c", "d"]  # e came before c and d
    related = related_organisations(concepts, order, k=2)
    assert [r.docname for r in related["a"]] == ["b", "e"]  # the rare share first, then the senior of equals
    assert related["a"][0] == Related("b", weight(2, 5) + weight(5, 5), ("rare", "common"))  # rarest first
    assert [r.docname for r in related["c"]] == ["a", "b"]
    assert all(len(entries) <= 2 for entries in related.values())
    assert related_organisations({"x": set(), "y": {"c"}}, ["x", "y"], 3) == {"x": [], "y": []}
    assert related_organisations(concepts, order, 0) == {docname: [] for docname in concepts}
    with pytest.raises(ValueError, match="seniority"):
        related_organisations(concepts, order[1:], 2)


@PROPERTY
@given(projects(), st.integers(1, 6), st.sampled_from([0, 1, 10**9]), st.booleans())
def test_related_organisations_equal_a_comparison_of_every_pair(project, k, sliced_from, own_weights):
    """The threshold algorithm over the inverted index finds what comparing every pair finds: the same
    organisations in the same order, scores and shared concepts, whether candidates are scored one by
    one or bit-parallel, with the project's weights or any others."""
    concepts_of, order = project
    concepts = sorted(set().union(*concepts_of.values()))
    weights = {c: (7 * n) % 5 + 1 for n, c in enumerate(concepts)} if own_weights else None
    assert related_organisations(concepts_of, order, k, weights, sliced_from=sliced_from) == reference(
        concepts_of, order, k, weights
    )


def entered(before: list[Related], newcomer: Related | None, k: int) -> list[Related]:
    """*before* after *newcomer* came, the most junior of all: it goes after every organisation that
    scores as much, so it enters only past one that scores strictly less (or into a list not full)."""
    if newcomer is None:
        return before
    place = next((n for n, r in enumerate(before) if r.score < newcomer.score), len(before))
    return [*before[:place], newcomer, *before[place:]][:k]


@PROPERTY
@given(projects(), st.data(), st.integers(1, 5))
def test_a_newcomer_enters_a_list_only_by_sharing_strictly_more(project, data, k):
    """Add an organisation, the most junior: every other list is the list it was (with the new weights)
    or that list with the newcomer in it, ahead only of organisations that score strictly less. When
    no concept changed weight class, that holds for the list of the build before, which is what keeps
    an incremental build from re-writing the pages."""
    concepts_of, order = project
    pool = sorted(set().union(*concepts_of.values()) | {"c0", "new"})
    grown = {**concepts_of, "zz-new": set(data.draw(st.sets(st.sampled_from(pool), max_size=4)))}
    after = related_organisations(grown, [*order, "zz-new"], k)
    weights = concept_weights(grown)
    before = reference(concepts_of, order, k, {c: weights[c] for c in set().union(*concepts_of.values())})
    unmoved = concept_weights(concepts_of).items() <= weights.items()
    event(f"no weight of the others moved: {unmoved}")
    if unmoved:  # the lists of the build before
        assert related_organisations(concepts_of, order, k) == before
    for docname in concepts_of:
        shared = grown[docname] & grown["zz-new"]
        newcomer = Related(
            "zz-new", sum(weights[c] for c in shared), tuple(sorted(shared, key=lambda c: (-weights[c], c)))
        )
        assert after[docname] == entered(before[docname], newcomer if shared else None, k), docname


@PROPERTY
@given(projects(fewest=2), st.data(), st.integers(1, 5))
def test_a_removed_organisation_changes_only_the_lists_it_was_in(project, data, k):
    """Remove an organisation: a list it was not in stays as it was (with the new weights; when no
    concept changed weight class, as it was in the build before); a list it was in loses it and may
    take the next one in at the end."""
    concepts_of, order = project
    gone = data.draw(st.sampled_from(order))
    rest = {docname: concepts for docname, concepts in concepts_of.items() if docname != gone}
    after = related_organisations(rest, [d for d in order if d != gone], k)
    weights = concept_weights(rest)
    before = reference(concepts_of, order, k, {**concept_weights(concepts_of), **weights})
    unmoved = all(concept_weights(concepts_of)[c] == weights[c] for c in weights)
    event(f"no weight of the others moved: {unmoved}")
    if unmoved:  # the lists of the build before
        assert {d: before[d] for d in rest} == {d: related_organisations(concepts_of, order, k)[d] for d in rest}
    for docname in rest:
        kept = [r for r in before[docname] if r.docname != gone]
        assert after[docname][: len(kept)] == kept, docname
        if len(kept) == len(before[docname]):
            assert after[docname] == before[docname], docname
