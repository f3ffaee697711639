"""Dutch sentences: where each sentence of a text starts and ends, in linear time.

`sentencex <https://github.com/wikimedia/sentencex>`_ (Wikimedia, in Rust) finds the candidate
boundaries; it splits after every abbreviation it does not know, and Dutch texts are full of
them ("bv.", "o.a.", "enz.", "m.a.w.", "d.w.z.", "nr. 3", "ca. 20"). A boundary is therefore
undone where the next sentence cannot start there: before a lower-case letter, before a number
after a known abbreviation (pysbd's list of Dutch abbreviations, with the few it lacks), and after
a title ("dhr.", "mevr."). pysbd itself finds the same sentences but takes time quadratic in the
text (55 s for 100 KB); this takes milliseconds.
"""

from __future__ import annotations

import functools
import re

from sentencex import get_sentence_boundaries

__all__ = ["sentence_spans"]

# Words before a name: the sentence goes on whatever follows.
TITLES = frozenset({"dhr", "mevr", "mr", "dr", "prof", "ir", "ing", "drs", "st", "sr", "jr", "mgr", "ds"})
EXTRA = frozenset({"mevr", "vzw", "incl", "excl", "tel", "ong", "jr", "ca", "bv", "bijv", "nl", "resp", "evt"})
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
_NEXT = re.compile(r"""\s*[“"‘'(\[]*(\S)""")


@functools.cache
def abbreviations() -> frozenset[str]:
    """Dutch abbreviations without their last full stop, lower case (``o.a``, ``d.w.z``, ``nr``)."""
    from pysbd.lang.dutch import Dutch  # its data only: pysbd's segmenter is quadratic

    known = {str(item).lower().rstrip(".") for item in Dutch.Abbreviation.ABBREVIATIONS}
    return frozenset(known | EXTRA | TITLES)


def _continues(before: str, after: str) -> bool:
    """Whether a sentence that ends with *before* really goes on into *after*."""
    word = _LAST_WORD.search(before)
    following = _NEXT.match(after)
    if word is None or following is None:
        return False
    token = word.group(1).lower().lstrip("(“\"'‘")
    first = following.group(1)
    if first.islower():
        return True
    if token in TITLES:
        return True
    return first.isdigit() and token in abbreviations()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of *text*, in order, together covering the whole text."""
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for boundary in get_sentence_boundaries("nl", text):
        start, end = int(boundary["start_index"]), int(boundary["end_index"])
        if spans and _continues(text[spans[-1][0] : spans[-1][1]], text[start:end]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans
