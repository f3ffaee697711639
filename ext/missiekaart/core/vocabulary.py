"""The concept vocabulary, matched by Dutch lemma: "kwetsbare groepen" finds *kwetsbare groep*.

One matcher serves the role (an alias need not list every inflection), ``missiekaart import``'s
draft cards, ``missiekaart suggest`` and the opt-in build warning for unlinked mentions. Lemmas
come from simplemma's Dutch dictionary; Snowball's stemmer is not enough ("kwetsbaar" -> kwets,
but "kwetsbare" -> kwetsbar).
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

__all__ = ["Entry", "Mention", "Vocabulary", "lemma_key", "name_keys", "read_concept_pages", "words"]

# Words: letters, with inner hyphens or apostrophes ("draagkracht-draaglast", "'s").
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


#: Word (case-folded) -> its lemma. Loading simplemma's dictionary takes a second or two; the
#: extension keeps this table with the Sphinx environment (see :func:`missiekaart.build.freshness`), so an
#: incremental build whose pages use known words never loads it.
LEMMAS: dict[str, str] = {}
LEMMATIZER_VERSION = importlib.metadata.version("simplemma")


def lemma(word: str) -> str:
    folded = word.casefold()
    found = LEMMAS.get(folded)
    if found is None:
        import simplemma  # here: a build whose words are all in LEMMAS does without it (0.1 s)

        found = LEMMAS[folded] = simplemma.lemmatize(folded, lang="nl").casefold()
    return found


def words(text: str) -> list[tuple[str, int, int]]:
    """Each word of *text* as (lemma, start, end)."""
    return [(lemma(match.group()), match.start(), match.end()) for match in WORD.finditer(text)]


def lemma_key(text: str) -> str:
    """The lemmas of *text*'s words, space-separated: the form that concept names are matched in.

    Ids are written with hyphens for spaces ("kwetsbare-groepen"), so a hyphen between words
    counts as a space here."""
    return " ".join(lemma(part) for match in WORD.finditer(text) for part in match.group().split("-") if part)


def name_keys(name: str) -> list[str]:
    """The lemma keys a concept name is found by: its own, and for a noun made with "-heid" from an
    adjective, the adjective's ("zelfredzaamheid" is found by "zelfredzame", "duurzaamheid" by
    "duurzaam")."""
    key = lemma_key(name)
    keys = [key] if key else []
    if key.endswith("heid") and len(key.rpartition(" ")[2]) > len("heid") + 3:
        keys.append(key[: -len("heid")])
    return keys


@dataclass(frozen=True)
class Entry:
    """A concept as the vocabulary knows it: its id, title and aliases."""

    id: str
    title: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.title, *self.aliases)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    concept: str
    text: str


class Vocabulary:
    """Concept names by lemma sequence; finds the longest mention at each place in a text."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self.keys: dict[tuple[str, ...], str] = {}
        for entry in self.entries:
            for name in entry.names:
                for key in name_keys(name):
                    self.keys.setdefault(tuple(key.split()), entry.id)
        self.longest = max((len(key) for key in self.keys), default=0)
        self._found: dict[str, tuple[Mention, ...]] = {}  # a card is quoted on every concept page it names

    def __bool__(self) -> bool:
        return bool(self.keys)

    def lookup(self, name: str) -> str | None:
        """The concept id that *name* (in any inflection) names, if any."""
        return self.keys.get(tuple(lemma_key(name).split()))

    def find(self, text: str) -> list[Mention]:
        """Every mention of a concept in *text*, longest first at each word, left to right."""
        if text not in self._found:
            self._found[text] = tuple(self._find(text))
        return list(self._found[text])

    def _find(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        tokens = words(text)
        index = 0
        while index < len(tokens):
            for size in range(min(self.longest, len(tokens) - index), 0, -1):
                key = tuple(token[0] for token in tokens[index : index + size])
                concept = self.keys.get(key)
                if concept is not None:
                    start, end = tokens[index][1], tokens[index + size - 1][2]
                    found.append(Mention(start, end, concept, text[start:end]))
                    index += size
                    break
            else:
                index += 1
        return found

    def concepts_in(self, text: str) -> list[str]:
        """The concepts *text* mentions, in order of first mention."""
        return list(dict.fromkeys(mention.concept for mention in self.find(text)))


def _option(content: str, name: str) -> str:
    for line in content.splitlines():
        if line.startswith(f":{name}:"):
            return line[len(name) + 2 :].strip()
    return ""


def read_concept_pages(folder: Path) -> list[Entry]:
    """The concepts defined by ``concept`` directives in the Markdown pages under *folder*.

    For the command line, without a Sphinx build: the same fences that the build reads."""
    parser = MarkdownIt("commonmark")
    entries = []
    for page in sorted(folder.rglob("*.md")):
        for token in parser.parse(page.read_text(encoding="utf-8")):
            info = token.info.split(maxsplit=1) if token.type == "fence" else []
            if len(info) == 2 and info[0] == "{concept}":
                concept_id = info[1].strip().casefold()
                aliases = tuple(a.strip() for a in _option(token.content, "aliases").split(",") if a.strip())
                entries.append(Entry(concept_id, _option(token.content, "title") or concept_id, aliases))
    return entries
