"""Missiekaart: a Sphinx extension and tools for mission statements of social organisations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils.nodes import inline
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

__version__ = "0.1.0"

HERE = Path(__file__).parent
logger = logging.getLogger(__name__)


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Re-write (not re-read) every page whose generated links changed, so none goes stale."""
    from .domain import MissiekaartDomain

    domain = env.domains["mk"]
    assert isinstance(domain, MissiekaartDomain)
    old = domain.data["digests"]
    new = domain.digests()
    domain.data["digests"] = new
    return [docname for docname in sorted(new) if old.get(docname) != new[docname] and docname in env.all_docs]


def on_check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Checks that need every page: duplicate concepts, cards outside organisation pages."""
    from .domain import WARNING_TYPE, MissiekaartDomain, normalise

    domain = env.domains["mk"]
    assert isinstance(domain, MissiekaartDomain)
    seen: dict[str, Any] = {}
    for concept in domain.all_concepts():
        for key in dict.fromkeys(normalise(k) for k in (concept.id, *concept.aliases)):
            first = seen.setdefault(key, concept)
            if first is not concept:
                logger.warning(
                    "concept id or alias %r is already defined by concept %r in %s, line %d; "
                    "an id or alias may belong to one concept only: rename or remove one",
                    key, first.id, env.doc2path(first.docname), first.lineno,
                    location=(concept.docname, concept.lineno), type=WARNING_TYPE, subtype="duplicate-concept",
                )
    for card in domain.all_cards():
        if card.kind == "value" and domain.organisation(card.docname) is None:
            logger.warning(
                "value card %r is not on an organisation page; add a mission-card to this page "
                "or move the card to the organisation's page", card.title,
                location=(card.docname, card.lineno), type=WARNING_TYPE, subtype="card-outside-organisation",
            )


def add_static_path(app: Sphinx) -> None:
    static = str(HERE / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict[str, Any]:
    from . import conceptmap, html, latex
    from .directives import ConceptDirective, ConceptIndex, MissionCard, OverviewDirective, ValueCard
    from .domain import ConceptRole, MissiekaartDomain
    from .export import write_json
    from .nodes import mk_backlinks, mk_card, mk_concept_map, mk_overview
    from .text import depart_card_text, visit_card_text
    from .transforms import RenderGenerated

    app.add_domain(MissiekaartDomain)
    app.add_role("concept", ConceptRole(lowercase=True, innernodeclass=inline, warn_dangling=False))
    app.add_directive("concept", ConceptDirective)
    app.add_directive("mission-card", MissionCard)
    app.add_directive("value-card", ValueCard)
    app.add_directive("organisation-cards", OverviewDirective)
    app.add_directive("concept-matrix", OverviewDirective)
    app.add_directive("concept-index", ConceptIndex)
    app.add_directive("concept-map", OverviewDirective)
    app.add_node(mk_card, latex=(latex.visit_card, latex.depart_card), text=(visit_card_text, depart_card_text))
    app.add_node(mk_backlinks)
    app.add_node(mk_overview)
    app.add_node(mk_concept_map, html=(conceptmap.visit_map_html, None), latex=(conceptmap.visit_map_latex, None))
    app.add_post_transform(RenderGenerated)
    latex.setup(app)
    html.setup(app)
    for package in ("tikz", "adjustbox"):  # the concept map in LaTeX
        app.add_latex_package(package)
    app.add_message_catalog("missiekaart", str(HERE / "locale"))
    app.add_css_file("missiekaart.css")
    app.connect("builder-inited", add_static_path)
    app.connect("env-updated", on_env_updated)
    app.connect("env-check-consistency", on_check_consistency)
    app.connect("build-finished", write_json)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
