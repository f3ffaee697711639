"""The page's runs of text aligned, in order and in linear time, with the text an extractor found.

An extractor's text is not the page: it normalises white space, glues or drops an inline piece
(trafilatura writes ``<em>a</em> <a>b</a>`` as ``ab``), drops a heading here and there, and very
rarely reorders. :func:`align` says which of the page's runs (the text between two block
boundaries, see :func:`.maincontent.read_page`) the extracted text holds, so that
:mod:`.maincontent` can choose the page's own elements.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["ANCHOR", "KEPT_SHARE", "NEAR", "Extracted", "align", "extracted_words", "words"]

_WORD = re.compile(r"\w+")
_UNIT = re.compile(r"[\n|]")
ANCHOR = 3  # words of a run looked up together in the extracted text
STARTS = 4  # places in a run tried as its start (an extractor may drop a run's first words)
SKIP = 3  # extracted words a run's next word may be ahead of the last one matched
NEAR = 8  # extracted words between a short run (ANCHOR words or fewer) and the run found next to it
BACK = 2 * (SKIP + 1)  # extracted words a run may start before the end of the last match (it may overshoot)
KEPT_SHARE = 0.8  # share of a run's words found in order for the run to be main content


def words(text: str) -> list[str]:
    """Words compared between the page and the extracted text: case folded."""
    return [word.casefold() for word in _WORD.findall(text)]


@dataclass(frozen=True)
class Extracted:
    """The extracted text as words, and where its units (lines, table cells) begin and end."""

    words: list[str]
    starts: frozenset[int]  # indexes of words that begin a unit
    ends: frozenset[int]  # indexes of words that end one


def extracted_words(text: str) -> Extracted:
    """The words of an extractor's plain text; a line or table cell is a unit."""
    found: list[str] = []
    starts: set[int] = set()
    ends: set[int] = set()
    for unit in _UNIT.split(text):
        unit_words = words(unit)
        if unit_words:
            starts.add(len(found))
            found += unit_words
            ends.add(len(found) - 1)
    return Extracted(found, frozenset(starts), frozenset(ends))


class _Index:
    """Where each key occurs in a sequence, looked up from a place that only moves ahead: a first
    occurrence per key and a chain to the next one, each link followed once (linear, and small: no
    list of places per key)."""

    def __init__(self, keys: Sequence[Hashable | None]) -> None:
        self.first: dict[Hashable, int] = {}
        self.following = [-1] * len(keys)
        for at in range(len(keys) - 1, -1, -1):
            key = keys[at]
            if key is not None:
                self.following[at] = self.first.get(key, -1)
                self.first[key] = at

    def ahead(self, key: Hashable, position: int) -> int:
        """The first place of *key* at or after *position* (-1: none); *position* never moves back."""
        at = self.first.get(key, -1)
        while 0 <= at < position:
            at = self.following[at]
        if at >= 0 or key in self.first:
            self.first[key] = at
        return at


def align(runs: Sequence[Sequence[str]], extracted: Extracted) -> list[bool]:
    """Which *runs* the *extracted* words hold, in order.

    A run of more than ANCHOR words is looked up by ANCHOR words at one of its first STARTS places,
    at the nearest place ahead of the last match, then checked word by word (each next word at most
    SKIP words further); it is held when KEPT_SHARE of its words are found so, wherever ahead it
    starts (what the extractor kept of runs not found, or its own words, lie between). A run is
    looked up from BACK words before the end of the last match: a run whose last words the extractor
    lost or glued (trafilatura writes ``<em>a</em> <a>b</a>`` as ``ab``) may have matched its next
    words in the next run's first ones.

    A shorter run (a heading, a menu item, the site's name) must be a whole unit of the extracted text
    (a line, a table cell) between the matches of the long runs around it, and next to what it belongs
    to: looked for from the next long run back, at most NEAR words before the last short run found
    (after the last long run: ahead, from it). So the page's title in the text is the title's, not
    the same words of the site's name or a menu item before it; and the site's name in the header is
    not the first words of the mission's first paragraph. Linear: an index, a bounded check per run.
    """
    text = extracted.words
    # ANCHOR words by their hash (a clash only costs a check)
    grams = _Index([hash(tuple(text[at : at + ANCHOR])) for at in range(len(text) - ANCHOR + 1)])
    kept = [False] * len(runs)
    long_runs: list[tuple[int, int, int]] = []  # each long run held: its number, where it starts and ends
    position = 0
    for number, run in enumerate(runs):
        if len(run) <= ANCHOR:
            continue
        since = max(0, position - BACK)  # never less than before: *position* only moves ahead
        for start in range(min(STARTS, len(run) - ANCHOR + 1)):
            at = grams.ahead(hash(tuple(run[start : start + ANCHOR])), since)
            if at < 0:
                continue
            matched, end = _matched(run, start, text, at)
            if matched >= KEPT_SHARE * len(run):
                kept[number] = True
                long_runs.append((number, max(since, at - start), end))
                position = max(position, end)
                break
    units: dict[tuple[str, ...], list[int]] = {}  # where each short unit starts, in order
    for at in range(len(text)):
        key = _unit_key(extracted, at)
        if key is not None:
            units.setdefault(key, []).append(at)
    previous, after = -1, 0
    for number, at, end in [*long_runs, (len(runs), len(text), len(text))]:
        short = [run for run in range(previous + 1, number) if 0 < len(runs[run]) <= ANCHOR]
        if number < len(runs):
            _back(runs, short, units, max(0, after - BACK), at, kept)
        else:
            _ahead(runs, short, units, max(0, after - BACK), kept)
        previous, after = number, end
    return kept


def _back(
    runs: Sequence[Sequence[str]],
    short: list[int],
    units: dict[tuple[str, ...], list[int]],
    low: int,
    high: int,
    kept: list[bool],
) -> None:
    """Hold the *short* runs found as units between *low* and *high*, from the last run back: each ending at
    most NEAR words before the one found after it (before *high*, at first)."""
    cursor = high
    for number in reversed(short):
        key = tuple(runs[number])
        places = units.get(key, [])
        index = bisect.bisect_right(places, cursor - len(key)) - 1
        if index >= 0 and places[index] >= low and cursor - (places[index] + len(key)) <= NEAR:
            kept[number] = True
            cursor = places[index]


def _ahead(
    runs: Sequence[Sequence[str]],
    short: list[int],
    units: dict[tuple[str, ...], list[int]],
    low: int,
    kept: list[bool],
) -> None:
    """Hold the *short* runs found as units from *low* on, each starting at most NEAR words after the last."""
    cursor = low
    for number in short:
        key = tuple(runs[number])
        places = units.get(key, [])
        index = bisect.bisect_left(places, cursor)
        if index < len(places) and places[index] <= cursor + NEAR:
            kept[number] = True
            cursor = places[index] + len(key)


def _unit_key(extracted: Extracted, at: int) -> tuple[str, ...] | None:
    """The key of the unit of at most ANCHOR words that starts at *at* (None: none starts there)."""
    if at not in extracted.starts:
        return None
    for size in range(1, ANCHOR + 1):
        if at + size - 1 in extracted.ends:
            return tuple(extracted.words[at : at + size])
    return None


def _matched(run: Sequence[str], start: int, extracted: Sequence[str], at: int) -> tuple[int, int]:
    """How many words of *run* from *start* follow in *extracted* from *at*, and where the match ends."""
    matched = 0
    cursor = at
    for word in run[start:]:
        for ahead in range(cursor, min(cursor + SKIP + 1, len(extracted))):
            if extracted[ahead] == word:
                matched += 1
                cursor = ahead + 1
                break
    return matched, cursor
