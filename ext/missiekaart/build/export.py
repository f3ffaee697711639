"""``missiekaart.json``: the organisations and concepts of the project, for other tools.

Written at the end of every HTML build from the domain data, so it is never stale, whatever
was re-read, together with its JSON Schema, ``missiekaart.schema.json`` (shipped in this package),
so whoever re-uses the data finds the format next to it. ARCHITECTURE.md describes the format.

``SCHEMA_VERSION`` is ``MAJOR.MINOR``: adding an optional key raises MINOR (readers ignore keys
they do not know); removing or renaming a key, or changing what one means, raises MAJOR. Change
the schema file and this number in the same commit; the tests validate every build against it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from missiekaart.build import outputerrors
from missiekaart.build.freshness import nothing_built
from missiekaart.core import PACKAGE_DATA
from missiekaart.core.atomic import remove_leftovers, write_atomically
from missiekaart.extension.domain import MissiekaartDomain, get_domain
from missiekaart.extension.records import Card

logger = logging.getLogger(__name__)

FILENAME = "missiekaart.json"
SCHEMA_FILE = PACKAGE_DATA / "missiekaart.schema.json"
SCHEMA_VERSION = "2.0"


def _dumps(data: object) -> str:
    # Compact: at 1,000 organisations the indented export was 8.7 MB; `python -m json.tool` shows it.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def organisation_data(domain: MissiekaartDomain, mission: Card, uri: Any) -> dict[str, Any]:
    """One organisation's entry: its own page's data only, so it changes only when that page is
    read again or the vocabulary changes (and it is kept until then, :meth:`MissiekaartDomain.exported`)."""

    def card_data(card: Card) -> dict[str, Any]:
        return {
            "title": card.title,
            "url": uri(card.docname, card.anchor),
            "text": card.text,
            "concepts": [concept.id for concept in domain.card_concepts(card)],
        }

    values = [card for card in domain.cards_of(mission.docname) if card.kind == "value"]
    return {
        "id": mission.docname,  # unique, and the name objects.inv exports
        "name": mission.title,
        "page": uri(mission.docname, ""),
        "mission": card_data(mission),
        "fields": dict(mission.fields),
        "value_cards": [card_data(card) for card in values],
        "concepts": sorted(domain.page_uses(mission.docname)),
    }


def places_data(domain: MissiekaartDomain, docname: str, concept_id: str) -> dict[str, Any]:
    """Where one organisation uses one concept, as anchors on its page: at 1,000 organisations a
    list of one full URL per place made the export 6.6 MB, three quarters of it these lists."""
    places = domain.places(concept_id, docname)
    return {
        "organisation": docname,
        "cards": [ref.anchor for ref in places if ref.on_card],
        "text": [ref.anchor for ref in places if not ref.on_card],
    }


def kept_parts(domain: MissiekaartDomain, uri: Any, builder: str) -> tuple[list[str], dict[str, list[str]]]:
    """The parts of the export made from one organisation's page alone, as JSON: each
    organisation's entry, and per concept its places in each organisation. Each is dumped once and
    kept with the environment (:meth:`MissiekaartDomain.exported`), so an edited organisation costs
    its own parts, not 1,000 organisations' (0.3 s a build at 1,000). Gathered once per build and
    builder (:func:`remember_export`, then :func:`write_json`: 0.25 s at 10,000)."""
    return domain.memo(f"export parts {builder}", lambda: _kept_parts(domain, uri, builder))


def _kept_parts(domain: MissiekaartDomain, uri: Any, builder: str) -> tuple[list[str], dict[str, list[str]]]:
    sharers = domain.sharers()

    @functools.cache
    def where(docname: str) -> str:  # its links differ per builder and per address of its page
        return f"{builder} {uri(docname, '')}"

    def made(mission: Card) -> tuple[str, dict[str, str]]:  # its entry, and per concept it uses its places
        docname = mission.docname
        places = {
            concept_id: _dumps(places_data(domain, docname, concept_id)) for concept_id in domain.page_uses(docname)
        }
        return _dumps(organisation_data(domain, mission, uri)), places

    # One kept part per organisation, not one per concept it uses: 100,000 look-ups fewer at 10,000.
    missions = domain.organisations()
    parts = [domain.exported(m.docname, f"{where(m.docname)} {m.anchor}", functools.partial(made, m)) for m in missions]
    entries = [entry for entry, _places in parts]
    by_page = {mission.docname: places for mission, (_entry, places) in zip(missions, parts, strict=True)}
    places = {
        concept.id: [by_page[docname][concept.id] for docname in sorted(sharers.get(concept.id, ()))]
        for concept in domain.concepts()
    }
    return entries, places


def export_text(domain: MissiekaartDomain, uri: Any, builder: str) -> str:
    """The export as JSON text (*uri* maps ``(docname, anchor)`` to a URL relative to the site
    root): the same text as dumping the whole at once, from the :func:`kept_parts`."""
    entries, places = kept_parts(domain, uri, builder)
    organisations = domain.organisations()
    sharers = domain.sharers()
    concepts = []
    for concept in domain.concepts():
        head = {
            "id": concept.id,
            "title": concept.title,
            "aliases": list(concept.aliases),
            "page": uri(concept.docname, concept.anchor),
            "organisations": [card.docname for card in organisations if card.docname in sharers.get(concept.id, ())],
        }
        concepts.append(f'{_dumps(head)[:-1]},"references":[{",".join(places[concept.id])}]}}')
    version = _dumps({"schema_version": SCHEMA_VERSION})[:-1]
    return f'{version},"organisations":[{",".join(entries)}],"concepts":[{",".join(concepts)}]}}\n'


def _uri(app: Sphinx) -> Callable[[str, str], str]:
    def uri(docname: str, anchor: str) -> str:
        target = app.builder.get_target_uri(docname)
        return f"{target}#{anchor}" if anchor else target

    return uri


def remember_export(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: make the parts of the export that pages read in this build changed. Sphinx
    saves the environment before it writes, and the export is written last (:func:`write_json`):
    parts first made there would be made again by every build."""
    if app.builder.format == "html" and not get_domain(env).data.get("unchanged"):
        kept_parts(get_domain(env), _uri(app), app.builder.name)


def write_json(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the export into the HTML output directory, each file whole or not
    at all (a temporary file, then a rename): a build stopped while writing it leaves the last one."""
    if exception is not None or app.builder.format != "html" or outputerrors.failed(app):
        return
    if nothing_built(app, Path(app.outdir) / FILENAME):
        return  # no page was read or removed: the export is what the last build wrote
    domain = get_domain(app.env)
    text = export_text(domain, _uri(app), app.builder.name)
    for path, content in (
        (Path(app.outdir) / FILENAME, text),
        (Path(app.outdir) / SCHEMA_FILE.name, SCHEMA_FILE.read_text(encoding="utf-8")),
    ):
        remove_leftovers(path)
        with outputerrors.writing(app, path):
            if not path.exists() or path.read_text(encoding="utf-8", errors="replace") != content:
                write_atomically(path, content)
        if outputerrors.failed(app):
            return
    logger.info(
        "missiekaart: %d organisations and %d concepts written to %s",
        len(domain.organisations()),
        len(domain.concepts()),
        FILENAME,
    )
