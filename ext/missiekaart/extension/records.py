"""What the ``mk`` domain stores of each page: its concepts, cards and references, and the usage
of concepts the whole-site views read; plain named tuples, saved with the environment."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CONCEPT_REF", "Card", "Concept", "Reference", "Usage", "normalise"]

CONCEPT_REF = "mk-concept-ref"  # the class of a link to a concept, on a card or in running text


class Concept(NamedTuple):
    id: str
    docname: str
    anchor: str
    title: str
    aliases: tuple[str, ...]
    lineno: int
    definition: str = ""  # the body as plain text: the checks read it (no organisation named)


class Card(NamedTuple):
    kind: str  # "mission" or "value"
    docname: str
    anchor: str
    title: str
    concepts: tuple[str, ...]  # as written by the contributor
    fields: tuple[tuple[str, str], ...]  # (option, value) for the options given, in display order
    text: str  # the body as plain text, for overviews and the JSON export
    lineno: int
    added: str = ""  # a mission card's :added: date, YYYY-MM-DD (seniority among related organisations)


class Usage(NamedTuple):
    """What the whole-site views need of one page, made from that page alone (:meth:`.MissiekaartDomain.usage`)
    and kept with the environment, so that they do not unpickle 10,000 pages' cards and references."""

    keys: tuple[str, ...]  # the concept keys as written: on its cards, then in its text
    concepts: tuple[str, ...]  # the ids of the concepts an organisation page uses (none on other pages)
    cards: tuple[tuple[str, str, tuple[str, ...]], ...]  # per card: its anchor, kind and concepts' ids


class Reference(NamedTuple):
    """A concept reference in running text (the role) or on a card."""

    concept: str  # as written
    docname: str
    anchor: str
    lineno: int
    on_card: bool
    quote: str = ""  # for a role: the sentence around it, with the role's words at quote[start:end]
    start: int = 0
    end: int = 0


def normalise(key: str) -> str:
    return " ".join(key.split()).casefold()
