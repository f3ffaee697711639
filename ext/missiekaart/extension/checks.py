"""The content rules of the contributor guide, checked during the build.

Rules about one card run where the card is read (:func:`verbatim_problem`, :func:`url_problem`);
rules that need every page run once after reading, in :func:`on_check_consistency`, so they give
the same warnings under ``-j 1`` and ``-j 2``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from missiekaart.extension.domain import MissiekaartDomain, get_domain
from missiekaart.extension.pagechecks import organisation_dir
from missiekaart.extension.problems import warn
from missiekaart.extension.records import Concept, normalise
from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN
from missiekaart.importer.readerwords import words_of
from missiekaart.importer.sourcefile import SourceText

__all__ = ["normal_url", "on_check_consistency", "source_words", "url_problem", "verbatim_problem"]

SAFE_SCHEMES = ("http", "https", "mailto")


def _words(text: str) -> list[str]:
    return [word for word in words_of(text) if word not in (NOTE_OPEN, NOTE_CLOSE)]


def url_problem(value: str) -> str | None:
    """Why *value* may not be a link on a card (``None`` if it may)."""
    if any(character.isspace() for character in value):
        return "it contains spaces"
    hidden = next((character for character in value if unicodedata.category(character)[0] in "CZ"), None)
    if hidden is not None:  # a control, format (U+202E turns text around, U+200B is invisible) or separator
        return f"it contains the invisible character U+{ord(hidden):04X}, which can disguise an address"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  # a port that is not a number raises here
    except ValueError as error:
        return f"it is not a valid address ({error})"
    if parts.scheme.casefold() not in SAFE_SCHEMES:
        scheme = f"the scheme '{parts.scheme}:'" if parts.scheme else "no scheme"
        return f"it has {scheme}, and only http, https and mailto links are allowed"
    if parts.scheme.casefold() != "mailto" and not parts.hostname:
        return "it names no host"
    if parts.scheme.casefold() == "mailto" and "@" not in parts.path:
        return "it names no e-mail address"
    return None


def normal_url(value: str) -> str:
    """A safe URL (see :func:`url_problem`) with its scheme in lower case, as browsers and MyST expect."""
    scheme, colon, rest = value.partition(":")
    return scheme.lower() + colon + rest


@functools.lru_cache(maxsize=64)
def _source_words(path: str, _mtime: int) -> tuple[str, ...]:
    from missiekaart.importer.readerwords import reader_words
    from missiekaart.importer.sourcefile import read_source

    source = read_source(Path(path))
    if source.format == "pdf":
        return _reader_words(source)
    words = reader_words(source).texts
    return tuple(word.casefold() for word in words if word not in (NOTE_OPEN, NOTE_CLOSE))


def _reader_words(source: SourceText) -> tuple[str, ...]:
    """A PDF's words as the importer reads them: without page debris, footnote markers and footnote areas
    (each note's words follow the text, after a break no card spans), so a card quoting a paragraph that
    runs over a page break, or past a note's marker, is found."""
    from missiekaart.importer import analyse
    from missiekaart.importer.checksource import source_words as importer_words

    body: list[str] = []
    notes: list[str] = []
    depth = 0
    for word in importer_words(analyse(source)).texts:
        if word in (NOTE_OPEN, NOTE_CLOSE):
            depth += 1 if word == NOTE_OPEN else -1
            notes.append("\x00")  # no card's words run across a note's edge
        else:
            (notes if depth else body).extend(found.casefold() for found in _words(word))
    return (*body, "\x00", *notes)


def source_words(path: Path) -> tuple[str, ...]:
    """The words a reader of the source text saw, case-folded: its own words for a plain text, for
    a Markdown or HTML export its parse's text (entities decoded, markup and link targets left out;
    :mod:`missiekaart.importer.readerwords`)."""
    return _source_words(str(path), path.stat().st_mtime_ns)


def verbatim_problem(text: str, source: tuple[str, ...]) -> str | None:
    """If *text* is not found word for word in *source*, a description of where it differs."""
    haystack = f" {' '.join(source)} "
    for paragraph in text.split("\n\n"):
        card = [word.casefold() for word in _words(paragraph)]
        if not card or f" {' '.join(card)} " in haystack:
            continue
        low, high = 0, len(card)  # the longest prefix of the paragraph that the source has
        while low < high:
            middle = (low + high + 1) // 2
            if f" {' '.join(card[:middle])} " in haystack:
                low = middle
            else:
                high = middle - 1
        words = _words(paragraph)
        after = f"after '{' '.join(words[max(0, low - 4) : low])}' " if low else ""
        return f"{after}the card has '{' '.join(words[low : low + 6])}', which the source text does not"
    return None


def _check_duplicates(env: BuildEnvironment, owners: dict[str, Concept], concepts: list[Concept]) -> set[str]:
    """Warn where an id or alias is defined twice; return the ids of the concepts warned about.

    The concept that keeps a key (:meth:`~missiekaart.extension.domain.MissiekaartDomain.concept_index`: an
    id over an alias, else the first page) is the one its links go to. A second definition of an
    id is warned about where it stands; any other clash at both definitions, each naming the
    other: the build cannot know which page is the new one, and the author of either must see it.
    """
    duplicates: set[str] = set()
    reported: set[tuple[str, str]] = set()

    def report(concept: Concept, key: str, other: Concept) -> None:
        if (concept.id, key) in reported:
            return
        reported.add((concept.id, key))
        duplicates.add(concept.id)
        warn(
            "concept id or alias %r is already defined by concept %r in %s, line %d; "
            "an id or alias may belong to one concept only: rename or remove one",
            (concept.docname, concept.lineno),
            "duplicate-concept",
            key,
            other.id,
            env.doc2path(other.docname),
            other.lineno,
        )

    for concept in concepts:
        for key in dict.fromkeys(normalise(k) for k in (concept.id, *concept.aliases)):
            owner = owners[key]
            if owner is concept:
                continue
            report(concept, key, owner)
            if normalise(owner.id) != normalise(concept.id):
                report(owner, key, concept)
    return duplicates


NameIndex = dict[str, list[tuple[str, ...]]]  # a name's first word, casefolded -> the names' words


def name_index(names: Iterable[str]) -> NameIndex:
    """The organisation names by their first word, for :func:`named_organisations`: made once for
    every text that is searched (at 10,000 organisations, once per concept took 0.25 s a build)."""
    starts: NameIndex = {}
    for name in names:
        parts = tuple(re.findall(r"\w+", name))
        if parts:
            starts.setdefault(parts[0].casefold(), []).append(parts)
    return starts


def named_organisations(text: str, starts: NameIndex) -> list[str]:
    """The organisation names (:func:`name_index`) that *text* holds as whole words: a name of several
    words in any case, a one-word name as it is written (``TWERK``, not the verb); linear in the
    text's words."""
    words = re.findall(r"\w+", text)
    folded = [word.casefold() for word in words]
    found: dict[str, None] = {}
    for index, word in enumerate(folded):
        for parts in starts.get(word, ()):
            if len(parts) == 1:
                if words[index] == parts[0] and len(parts[0]) > 2:
                    found[parts[0]] = None
            elif tuple(folded[index : index + len(parts)]) == tuple(part.casefold() for part in parts):
                found[" ".join(words[index : index + len(parts)])] = None
    return list(found)


def _check_definitions(domain: MissiekaartDomain) -> None:
    """No definition names an organisation: the list of who shares a concept is made from the pages,
    and a name written into a definition goes stale when an organisation leaves or is renamed."""
    names = name_index(card.title for card in domain.organisations())
    for concept in domain.concepts():
        found = named_organisations(concept.definition, names)
        if found:
            warn(
                "the definition of concept %r names %s; a definition says what the idea is in the project's "
                "own words: the concept page lists who shares it by itself (a name written here goes stale)",
                (concept.docname, concept.lineno),
                "definition-names-organisation",
                concept.id,
                ", ".join(repr(name) for name in found),
            )


def on_check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """The rules that need every page: duplicates, shared concepts, one mission card per organisation."""
    domain = get_domain(env)
    duplicates = _check_duplicates(env, domain.concept_index(), list(domain.all_concepts()))
    folder = organisation_dir(app.config)
    for card in domain.cards_outside_organisations():
        if folder and card.docname.startswith(folder):
            continue  # an organisation page without a mission card: reported below, once per page
        if card.kind == "value":
            warn(
                "value card %r is not on an organisation page; add a mission-card to this page "
                "or move the card to the organisation's page",
                (card.docname, card.lineno),
                "card-outside-organisation",
                card.title,
            )

    sharers = domain.sharers()
    minimum = app.config.missiekaart_min_organisations
    for concept in domain.concepts():
        count = len(sharers.get(concept.id, ()))
        if count < minimum and concept.id not in duplicates:
            warn(
                "concept %r is used by %d organisation(s), fewer than the %d a shared concept needs; "
                "tag it on the cards or in the text of the organisations that name it, or remove the "
                "concept page",
                (concept.docname, concept.lineno),
                "unshared-concept",
                concept.id,
                count,
                minimum,
            )

    per_organisation = domain.organisation_concepts()
    minimum = app.config.missiekaart_min_concepts
    for card in domain.organisations():
        count = len(per_organisation.get(card.docname, ()))
        if count < minimum:
            warn(
                "organisation %r shares %d concept(s), fewer than the minimum of %d; tag more concepts "
                "on its cards (:concepts:) or in its text ({concept}`...`)",
                (card.docname, card.lineno),
                "too-few-concepts",
                card.title,
                count,
                minimum,
            )
        values = sum(1 for _anchor, kind, _ids in domain.usage(card.docname).cards if kind == "value")
        if values < app.config.missiekaart_min_value_cards:
            warn(
                "organisation %r has %d value card(s), fewer than %d; add a value-card for each value, "
                "principle or goal its text names (see CONTRIBUTING.md)",
                (card.docname, card.lineno),
                "missing-value-card",
                card.title,
                values,
                app.config.missiekaart_min_value_cards,
            )
    _check_definitions(domain)

    if folder:
        for docname in sorted(env.found_docs):
            if (
                docname.startswith(folder)
                and docname != f"{folder}index"
                and domain.organisation(docname) is None
                and not domain.is_empty_page(docname)
            ):
                warn(
                    "this page is in %s but has no mission-card, so it is not shown as an organisation; "
                    "add a mission-card below the page title (see CONTRIBUTING.md)",
                    (docname, 1),
                    "missing-mission-card",
                    folder,
                )
