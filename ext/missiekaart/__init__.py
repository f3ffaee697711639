"""Missiekaart: a Sphinx extension and tools for mission statements of social organisations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils.nodes import inline
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

__version__ = "0.1.0"

HERE = Path(__file__).parent
logger = logging.getLogger(__name__)


def resolve_source_root(app: Sphinx, config: Config) -> None:
    """``mk-source`` paths in front matter are relative to the project: the folder of conf.py.

    A folder of source texts inside the Sphinx source folder is excluded from it: a Markdown
    export there would otherwise be built as a page of its own, raw HTML and all.
    """
    if not config.missiekaart_source_root:
        config.missiekaart_source_root = str(app.confdir)
    texts = (Path(config.missiekaart_source_root) / config.missiekaart_source_texts).resolve()
    if texts.is_relative_to(Path(app.srcdir).resolve()):
        pattern = texts.relative_to(Path(app.srcdir).resolve()).as_posix()
        if pattern != "." and pattern not in config.exclude_patterns:
            config.exclude_patterns = [*config.exclude_patterns, pattern]


def add_static_path(app: Sphinx, config: Config) -> None:
    """At ``config-inited``, so the value compares equal between builds (no needless re-read)."""
    static = [str(HERE / "static")]
    if app.config.html_theme and "sphinx_design" in app.extensions:
        from sphinx_design.extension import STATIC_DIR  # added again by sphinx-design; see dedupe_static_path

        static.append(str(STATIC_DIR))
    config.html_static_path = list(dict.fromkeys([*config.html_static_path, *static]))


def dedupe_static_path(app: Sphinx) -> None:
    """sphinx-design appends its static folder at ``builder-inited``; with it already in the list
    (from the last build's saved configuration), keep one copy, so the saved configuration equals
    the next build's and Sphinx does not report it changed."""
    app.config.html_static_path = list(dict.fromkeys(app.config.html_static_path))


def setup(app: Sphinx) -> dict[str, Any]:
    from missiekaart.build import envsave, inventory, journal, memory, outstanding, parallelwrite
    from missiekaart.build.export import remember_export, write_json
    from missiekaart.build.freshness import (
        bounded_navigation,
        count_written,
        load_lemmas,
        on_env_get_outdated,
        on_env_updated,
        remember_options,
        remove_stale_output,
        restore_toctree_parents,
        save_lemmas,
        write_retitled_parents_only,
    )
    from missiekaart.build.sphinx_internals import PAGE_WRITTEN
    from missiekaart.extension import html, latex, paging, sourcecheck
    from missiekaart.extension.checks import on_check_consistency
    from missiekaart.extension.directives import (
        ConceptDirective,
        LimitedOverview,
        MissionCard,
        OverviewDirective,
        ValueCard,
        name_after_page_title,
    )
    from missiekaart.extension.domain import MissiekaartDomain, remember_kept
    from missiekaart.extension.nodes import (
        depart_mark_html,
        mk_backlinks,
        mk_card,
        mk_concept_map,
        mk_facets,
        mk_mark,
        mk_overview,
        mk_overview_item,
        mk_presence,
        visit_mark_html,
    )
    from missiekaart.extension.pagechecks import on_source_read
    from missiekaart.extension.rawhtml import show_html_as_text
    from missiekaart.extension.roles import ConceptRole
    from missiekaart.extension.suggest import SuggestLinks
    from missiekaart.extension.text import depart_card_text, visit_card_text
    from missiekaart.views import conceptmap, facets, listwriter, matrix, orgpage, search
    from missiekaart.views.transforms import RenderGenerated, RenderGeneratedHTML, on_doctree_read, remember_builder

    app.setup_extension("sphinx_design")  # the organisation grid is a sphinx-design grid
    app.add_domain(MissiekaartDomain)
    app.add_role("concept", ConceptRole(lowercase=True, innernodeclass=inline, warn_dangling=False))
    app.add_directive("concept", ConceptDirective)
    app.add_directive("mission-card", MissionCard)
    app.add_directive("value-card", ValueCard)
    app.add_directive("organisation-overview", OverviewDirective)
    app.add_directive("organisation-cards", LimitedOverview)
    app.add_directive("concept-matrix", OverviewDirective)
    app.add_directive("concept-index", LimitedOverview)
    app.add_directive("concept-map", OverviewDirective)
    app.add_node(
        mk_card,
        html=(html.visit_card_html, html.depart_card_html),
        latex=(latex.visit_card, latex.depart_card),
        text=(visit_card_text, depart_card_text),
    )
    app.add_node(mk_backlinks)
    app.add_node(mk_overview)
    app.add_node(mk_mark, html=(visit_mark_html, depart_mark_html))
    app.add_node(
        mk_presence,
        html=(matrix.visit_presence_html, None),
        latex=(matrix.visit_presence_latex, None),
        text=(matrix.visit_presence_text, None),
    )
    app.add_node(
        mk_facets,
        html=(facets.visit_facets_html, None),
        latex=(facets.skip, None),
        text=(facets.skip, None),
        man=(facets.skip, None),
        texinfo=(facets.skip, None),
    )
    app.add_node(mk_overview_item, html=(facets.visit_item_html, facets.depart_item_html))
    app.add_node(mk_concept_map, html=(conceptmap.visit_map_html, None), latex=(conceptmap.visit_map_latex, None))
    app.add_post_transform(SuggestLinks)
    app.add_post_transform(RenderGenerated)
    app.add_post_transform(RenderGeneratedHTML)
    # The content rules (CONTRIBUTING.md): where organisation pages live and how much they must share.
    app.add_config_value("missiekaart_organisations", "organisations", "env", str)
    app.add_config_value("missiekaart_min_concepts", 3, "env", int)
    app.add_config_value("missiekaart_min_organisations", 2, "env", int)
    app.add_config_value("missiekaart_min_value_cards", 1, "env", int)  # per organisation page
    app.add_config_value("missiekaart_definition_sentences", (3, 6), "env", tuple)  # a concept definition's
    app.add_config_value("missiekaart_source_root", "", "env", str)
    # The folder of source texts, relative to the source root: mk-source must resolve inside it.
    app.add_config_value("missiekaart_source_texts", "source_texts", "env", str)
    # Opt-in: warn about concept names in running text that carry no {concept} role.
    app.add_config_value("missiekaart_suggest_links", False, "env", bool)
    # Bounds on generated content, whatever the number of organisations.
    app.add_config_value("missiekaart_related", 5, "env", int)  # related organisations per organisation
    app.add_config_value("missiekaart_group_above", 30, "env", int)  # concept pages group by region past this
    app.add_config_value("missiekaart_matrix_limit", 30, "env", int)  # the matrix becomes counts past this
    # The website's long lists are paged (paging.py): entries per page. The book shows them whole.
    app.add_config_value("missiekaart_overview_page_size", paging.OVERVIEW_PAGE_SIZE, "html", int)
    app.add_config_value("missiekaart_concept_page_size", paging.CONCEPT_PAGE_SIZE, "html", int)
    app.add_config_value("missiekaart_index_page_size", paging.INDEX_PAGE_SIZE, "html", int)
    # country -> provinces a mission card's :country: and :province: are chosen from (places.PROVINCES)
    app.add_config_value("missiekaart_places", None, "env", (dict, type(None)))
    parallelwrite.setup(app)  # -j workers resolve the pages they write (first: it adds an event)
    latex.setup(app)
    html.setup(app)
    orgpage.setup(app)
    search.setup(app)
    memory.setup(app)
    sourcecheck.setup(app)
    outstanding.setup(app)  # every warning of the project on every build, not only of what it read
    journal.setup(app)  # what an interrupted build still owes the output folder
    listwriter.setup(app)  # the pages that continue long lists on the website
    inventory.setup(app)  # objects.inv, written when what it lists changed
    envsave.setup(app)  # the environment saved by a child process while pages are written
    for package in ("tikz", "adjustbox"):  # the concept map in LaTeX
        app.add_latex_package(package)
    app.add_message_catalog("missiekaart", str(HERE / "locale"))
    app.add_css_file("missiekaart.css")
    app.add_js_file(facets.SCRIPT, loading_method="defer")
    app.connect("builder-inited", remember_builder)
    app.connect("config-inited", add_static_path)
    app.connect("config-inited", remember_options, priority=900)  # after every extension's own setup
    app.connect("builder-inited", dedupe_static_path, priority=900)
    app.connect("config-inited", resolve_source_root)
    app.connect("config-inited", show_html_as_text)  # HTML in contributors' Markdown is text (rawhtml.py)
    app.connect("source-read", on_source_read)
    app.connect("doctree-read", name_after_page_title)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("env-check-consistency", on_check_consistency)
    app.connect("builder-inited", load_lemmas)
    app.connect("build-finished", save_lemmas)
    app.connect("env-updated", on_env_updated)
    app.connect("env-updated", remember_kept)
    app.connect("env-updated", remember_export)
    app.connect(PAGE_WRITTEN, count_written)
    app.connect("write-started", write_retitled_parents_only)
    app.connect("build-finished", restore_toctree_parents, priority=0)
    app.connect("html-page-context", bounded_navigation, priority=400)  # before the theme's own handler
    app.connect("build-finished", remove_stale_output)
    app.connect("build-finished", write_json)
    return {
        "version": __version__,
        # 7: a concept keeps its definition's text; 8: pages index their running text only (every
        # page is written again, and so indexed again); 9: overviews shown whole are known (paging);
        # 10: a mission card keeps its :added: date, and related organisations rank by classes of
        # weights and by seniority (ranking.py); 11: the modules moved into a folder per layer (the
        # environment pickles the domain's classes by their module's name)
        "env_version": 11,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
