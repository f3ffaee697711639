"""Related-lists benchmark: what relating every organisation costs, and how many lists one change moves.

Run with ``.venv/bin/python tests/benchmark_relations.py [--orgs 1000 10000] [--repeat R] [--changes C]``.
For each size and each kind of corpus (tests/near_duplicates.py: ``generated``, the concept sets of
tests/corpus.py; ``near-duplicates``, copies of five of them, hundreds sharing the same concepts),
the concept sets are made without texts, in the order the organisations were added, and reported:
the seconds :func:`missiekaart.core.ranking.related_organisations` takes (median of R), the number of
different concept sets, and, over C organisations added one at a time (each the next of the corpus,
so the most junior) and C removed, how many other organisations' lists (names and shared concepts,
what a page shows) changed: the pages an incremental build re-writes for the lists. Not a test:
pytest does not collect it, and nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from near_duplicates import KINDS, concept_sets

from missiekaart.core.ranking import Related, related_organisations

K = 5  # missiekaart_related


def shown(lists: dict[str, list[Related]]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """What an organisation page shows of its list: names (docnames) and shared concepts, in order."""
    return {docname: [(r.docname, r.concepts) for r in entries] for docname, entries in lists.items()}


def changed(before: dict[str, list[tuple[str, tuple[str, ...]]]], after: dict[str, list[Related]], *gone: str) -> int:
    now = shown(after)
    return sum(now[docname] != entries for docname, entries in before.items() if docname not in gone)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--changes", type=int, default=10, help="organisations added, and removed, one at a time")
    options = parser.parse_args()
    print(
        f"| N | corpus | concept sets | seconds (median of {options.repeat}) | lists moved per addition "
        "(mean / max) | per removal (mean / max) |"
    )
    print("|---:|---|---:|---:|---:|---:|")
    for organisations in options.orgs:
        for kind in KINDS:
            grown = concept_sets(kind, organisations + options.changes)
            order = list(grown)
            corpus = {docname: grown[docname] for docname in order[:organisations]}
            times = []
            for _ in range(options.repeat):
                started = time.perf_counter()
                lists = related_organisations(corpus, order[:organisations], K)
                times.append(time.perf_counter() - started)
            before = shown(lists)
            added = []
            for count in range(1, options.changes + 1):
                bigger = {docname: grown[docname] for docname in order[: organisations + count]}
                after = related_organisations(bigger, order[: organisations + count], K)
                added.append(changed(before, after))
                before = shown(after)
            before, removed = shown(lists), []
            for gone in order[: organisations : max(1, organisations // options.changes)][: options.changes]:
                smaller = {docname: concepts for docname, concepts in corpus.items() if docname != gone}
                after = related_organisations(smaller, [d for d in order[:organisations] if d != gone], K)
                removed.append(changed(before, after, gone))
            print(
                f"| {organisations} | {kind} | {len({frozenset(c) for c in corpus.values()})} "
                f"| {statistics.median(times):.2f} | {statistics.mean(added):.1f} / {max(added)} "
                f"| {statistics.mean(removed):.1f} / {max(removed)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
