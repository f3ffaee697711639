"""``missiekaart.json``: the organisations and concepts of the project, for other tools.

Written at the end of every HTML build from the domain data, so it is never stale, whatever
was re-read, together with its JSON Schema, ``missiekaart.schema.json`` (shipped in this package),
so whoever re-uses the data finds the format next to it. The README describes the format.

``SCHEMA_VERSION`` is ``MAJOR.MINOR``: adding an optional key raises MINOR (readers ignore keys
they do not know); removing or renaming a key, or changing what one means, raises MAJOR. Change
the schema file and this number in the same commit; the tests validate every build against it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from .domain import Card, MissiekaartDomain, get_domain
from .freshness import nothing_built

logger = logging.getLogger(__name__)

FILENAME = "missiekaart.json"
SCHEMA_FILE = Path(__file__).parent / "missiekaart.schema.json"
SCHEMA_VERSION = "2.0"


def project_data(domain: MissiekaartDomain, uri: Any) -> dict[str, Any]:
    """The export as plain data; *uri* maps ``(docname, anchor)`` to a URL relative to the site root."""
    organisations = domain.organisations()
    docnames = {card.docname for card in organisations}
    uses = domain.uses()

    def card_data(card: Card) -> dict[str, Any]:
        return {
            "title": card.title,
            "url": uri(card.docname, card.anchor),
            "text": card.text,
            "concepts": [concept.id for concept in domain.card_concepts(card)],
        }

    result: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "organisations": [], "concepts": []}
    for mission in organisations:
        values = [card for card in domain.cards_of(mission.docname) if card.kind == "value"]
        result["organisations"].append(
            {
                "id": mission.docname,  # unique, and the name objects.inv exports
                "name": mission.title,
                "page": uri(mission.docname, ""),
                "mission": card_data(mission),
                "fields": dict(mission.fields),
                "value_cards": [card_data(card) for card in values],
                "concepts": sorted(concept_id for concept_id, places in uses.items() if mission.docname in places),
            }
        )
    for concept in domain.concepts():
        places = uses.get(concept.id, {})
        result["concepts"].append(
            {
                "id": concept.id,
                "title": concept.title,
                "aliases": list(concept.aliases),
                "page": uri(concept.docname, concept.anchor),
                "organisations": [card.docname for card in organisations if card.docname in places],
                # Grouped per organisation, as anchors on its page: at 1,000 organisations a list of
                # one full URL per place made the export 6.6 MB, three quarters of it these lists.
                "references": [
                    {
                        "organisation": docname,
                        "cards": [ref.anchor for ref in places[docname] if ref.on_card],
                        "text": [ref.anchor for ref in places[docname] if not ref.on_card],
                    }
                    for docname in sorted(places)
                    if docname in docnames
                ],
            }
        )
    return result


def write_json(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the export into the HTML output directory."""
    if exception is not None or app.builder.format != "html":
        return
    if nothing_built(app.env, Path(app.outdir) / FILENAME):
        return  # no page was read or removed: the export is what the last build wrote
    domain = get_domain(app.env)

    def uri(docname: str, anchor: str) -> str:
        target = app.builder.get_target_uri(docname)
        return f"{target}#{anchor}" if anchor else target

    data = project_data(domain, uri)
    # Compact: at 1,000 organisations the indented export was 8.7 MB; `python -m json.tool` shows it.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    for path, content in (
        (Path(app.outdir) / FILENAME, text),
        (Path(app.outdir) / SCHEMA_FILE.name, SCHEMA_FILE.read_text(encoding="utf-8")),
    ):
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
    logger.info(
        "missiekaart: %d organisations and %d concepts written to %s",
        len(data["organisations"]),
        len(data["concepts"]),
        FILENAME,
    )
