"""HTML output: the translator's hooks for search, and a Dutch theme.

- Pagefind indexes a page's running text, block by block (``data-pagefind-body``), and its words
  to match (:mod:`missiekaart.extension.searchtext`); generated lists (an organisation's related organisations, a
  concept's "Gedeeld door" and related concepts, the overviews) are never among them and also carry
  ``data-pagefind-ignore``: a page is found for what it says itself, not for what the lists repeat.
- Furo writes a few labels into its templates and its navigation without gettext (the theme
  toggle's ``aria-label``, the icons' ``<title>``, "Toggle navigation of ..."). The templates in
  ``templates/`` pass Furo's markup through :func:`translate_chrome`, which looks each of those
  labels up in Sphinx's catalog, like every label Furo does translate; the Dutch is in the
  project's ``docs/locales/nl/LC_MESSAGES/sphinx.po``.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _ as sphinx_gettext
from sphinx.writers.html5 import HTML5Translator

from missiekaart.core import PACKAGE_DATA
from missiekaart.extension.nodes import PLAIN_LINK
from missiekaart.extension.searchtext import INDEXED

TEMPLATES = PACKAGE_DATA / "templates"

#: Classes of generated content, kept out of the search index.
GENERATED = frozenset(
    {
        "mk-backlinks",
        "mk-backlinks-title",
        "mk-backlinks-count",
        "mk-backlinks-group",
        "mk-related",
        "mk-related-title",
        "mk-card-concepts",
        "mk-organisation-cards",
        "mk-concept-matrix",
        "mk-concept-index",
        "mk-overview-empty",
        "mk-generated",
        "toctree-wrapper",  # a page's list of its subpages: their titles are not what the page says
    }
)

#: Labels Furo 2025.12.19 hard-codes in English, with the markup they stand in.
CHROME_LABELS = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Contents",
    "Menu",
    "Expand",
    "Light mode",
    "Dark mode",
    "Auto light/dark, in light mode",
    "Auto light/dark, in dark mode",
)
NAVIGATION_TOGGLE = "Toggle navigation of "
#: The source of the documents Sphinx renders the navigation and tables of contents from.
PARTIAL = "<partial node>"


class HTMLTranslator(HTML5Translator):
    """Sphinx 9.0 marks toctree captions ``role="heading"`` without the ``aria-level`` that
    ARIA requires (sphinx-doc/sphinx#14030; axe rule ``aria-required-attr``). Furo renders the
    sidebar through the same translator, so this fixes every page's navigation too.

    What Pagefind reads (:mod:`missiekaart.extension.searchtext`): each block of a page's running text and
    its words to match are ``data-pagefind-body``, and an element whose node has ``mk_filter`` a
    filter; nothing else of the page, its theme or the search page is indexed. Generated content
    (:data:`GENERATED`) also says ``data-pagefind-ignore``."""

    def starttag(
        self, node: nodes.Element, tagname: str, suffix: str = "\n", empty: bool = False, **attributes: Any
    ) -> str:
        if GENERATED.intersection(node.get("classes", ())):
            attributes["data-pagefind-ignore"] = "index"
        if node.get(INDEXED) and self.whole_page(self.document):
            attributes["data-pagefind-body"] = ""
        if node.get("mk_filter"):
            attributes["data-pagefind-filter"] = node["mk_filter"]
        if node.get("mk_terms"):
            attributes["data-pagefind-index-attrs"] = "data-mk-terms"
            attributes["data-mk-terms"] = node["mk_terms"]
        if tagname == "a" and node.get(PLAIN_LINK):
            attributes.pop("class", None)  # Sphinx's "reference internal": nothing styles it
        return super().starttag(node, tagname, suffix, empty, **attributes)

    @staticmethod
    def whole_page(node: nodes.Element) -> bool:
        return bool(node.get("source") != PARTIAL)  # Sphinx's StandaloneHTMLBuilder.render_partial

    def visit_title(self, node: nodes.title) -> None:
        start = len(self.body)
        super().visit_title(node)
        for index in range(start, len(self.body)):
            if 'role="heading"' in self.body[index] and "aria-level" not in self.body[index]:
                self.body[index] = self.body[index].replace('role="heading"', 'role="heading" aria-level="2"')


def visit_card_html(self: HTML5Translator, node: nodes.Element) -> None:
    """A card is a ``<div>`` with its own classes, not docutils' ``docutils container`` ones."""
    self.body.append(self.starttag(node, "div"))


def depart_card_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def translate_chrome(markup: str) -> Markup:
    """Furo's markup with its hard-coded English labels (attributes and SVG titles) translated."""
    for label in CHROME_LABELS:
        dutch = html.escape(str(sphinx_gettext(label)))
        markup = markup.replace(f'aria-label="{label}"', f'aria-label="{dutch}"')
        markup = markup.replace(f"<title>{label}</title>", f"<title>{dutch}</title>")
    return Markup(markup)


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Runs after Furo's own handler: its navigation tree is rendered by then."""
    context["mk_translate_chrome"] = translate_chrome
    tree = context.get("furo_navigation_tree")
    if tree:
        toggle = html.escape(str(sphinx_gettext(NAVIGATION_TOGGLE.strip())))
        context["furo_navigation_tree"] = translate_chrome(
            str(tree).replace(f'aria-label="{NAVIGATION_TOGGLE}', f'aria-label="{toggle} ')
        )


def without_root_toctrees(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the landing page's captioned toctrees make the sidebar's sections (and
    the book's chapters); shown on the page as well, they were a second, unstyled copy of the
    sidebar below its text, whose "Waar begin je?" links the same pages. The website leaves them out."""
    if app.builder.name not in ("html", "dirhtml") or docname != app.config.root_doc:
        return  # singlehtml puts every page where the root's toctrees are
    # Toctrees are resolved after this event: a captioned one is a section of the sidebar, one
    # without a caption is the page's own content.
    for toctree in list(doctree.findall(addnodes.toctree)):
        wrapper = toctree.parent
        if toctree.get("caption") and isinstance(wrapper, nodes.compound) and wrapper.parent is not None:
            wrapper.parent.remove(wrapper)


FAVICON = PACKAGE_DATA / "static" / "missiekaart-favicon.svg"


def add_templates(app: Sphinx, config: Any) -> None:
    """``config-inited``: the extension's templates (Furo's pages, translated; the search page), and
    its icon where the project gives none (browsers ask for one: without it, a 404 on every page)."""
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)
    if str(TEMPLATES) not in config.templates_path:
        # A new list: appending would change the default list that every later project shares.
        config.templates_path = [*config.templates_path, str(TEMPLATES)]


def setup(app: Sphinx) -> None:
    """Use the translator for the HTML builders, unless a theme or extension brought its own."""
    for builder in ("html", "dirhtml", "singlehtml"):
        if builder not in app.registry.translators:
            app.set_translator(builder, HTMLTranslator)
    app.connect("config-inited", add_templates)
    app.connect("doctree-resolved", without_root_toctrees)
    app.connect("html-page-context", on_html_page_context, priority=900)
