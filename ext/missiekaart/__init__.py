"""Missiekaart: a Sphinx extension and tools for mission statements of social organisations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils.nodes import inline
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

__version__ = "0.1.0"

HERE = Path(__file__).parent
logger = logging.getLogger(__name__)


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Re-write (not re-read) every page whose generated links changed, so none goes stale."""
    from .domain import get_domain

    domain = get_domain(env)
    old = domain.data["digests"]
    new = domain.digests()
    domain.data["digests"] = new
    return [docname for docname in sorted(new) if old.get(docname) != new[docname] and docname in env.all_docs]


def resolve_source_root(app: Sphinx, config: Config) -> None:
    """``mk-source`` paths in front matter are relative to the project: the folder of conf.py."""
    if not config.missiekaart_source_root:
        config.missiekaart_source_root = str(app.confdir)


def add_static_path(app: Sphinx) -> None:
    static = str(HERE / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict[str, Any]:
    from . import conceptmap, html, latex, orgpage, search
    from .checks import on_check_consistency
    from .directives import (
        ConceptDirective,
        ConceptIndex,
        MissionCard,
        OverviewDirective,
        ValueCard,
        name_after_page_title,
    )
    from .pagechecks import on_source_read
    from .suggest import SuggestLinks
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
    app.add_post_transform(SuggestLinks)
    # The content rules (CONTRIBUTING.md): where organisation pages live and how much they must share.
    app.add_config_value("missiekaart_organisations", "organisations", "env", str)
    app.add_config_value("missiekaart_min_concepts", 3, "env", int)
    app.add_config_value("missiekaart_min_organisations", 2, "env", int)
    app.add_config_value("missiekaart_source_root", "", "env", str)
    # Opt-in: warn about concept names in running text that carry no {concept} role.
    app.add_config_value("missiekaart_suggest_links", False, "env", bool)
    latex.setup(app)
    html.setup(app)
    orgpage.setup(app)
    search.setup(app)
    for package in ("tikz", "adjustbox"):  # the concept map in LaTeX
        app.add_latex_package(package)
    app.add_message_catalog("missiekaart", str(HERE / "locale"))
    app.add_css_file("missiekaart.css")
    app.connect("builder-inited", add_static_path)
    app.connect("env-updated", on_env_updated)
    app.connect("config-inited", resolve_source_root)
    app.connect("source-read", on_source_read)
    app.connect("doctree-read", name_after_page_title)
    app.connect("env-check-consistency", on_check_consistency)
    app.connect("build-finished", write_json)
    return {
        "version": __version__,
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
