"""Generated projects of N organisations with short pages, for layout tests of what grows with N.

:func:`write_short_corpus` writes a corpus of tests/corpus.py (real concept pages, drawn names,
regions and concepts, every content rule kept) and cuts each organisation's page to its cards and
first few blocks, without its source text: a 30-organisation PDF then builds in seconds, and the
overviews (the comparison matrix above all) are as wide and as long as in the full corpus.
"""

from __future__ import annotations

from pathlib import Path

from corpus import SOURCE_TEXTS, Corpus, body_markdown, cards_markdown, write_corpus

BLOCKS = 5  # title, "Onze missie", the mission, "Onze waarden", the values


def short_page(organisation) -> str:
    """The organisation's page without front matter: its cards, then the first blocks of its text."""
    cards = "\n\n".join(cards_markdown(organisation))
    return f"# {organisation.name}\n\n{cards}\n\n" + body_markdown(organisation.blocks[:BLOCKS])


def write_short_corpus(root: Path, organisations: int, seed: int = 0) -> Corpus:
    corpus = write_corpus(root, organisations, seed)
    for slug, organisation in corpus.organisations.items():
        corpus.page(slug).write_text(short_page(organisation), encoding="utf-8")
        corpus.source(slug).unlink()
    (root / SOURCE_TEXTS / "SHA256SUMS").write_text("", encoding="utf-8")
    return corpus
