"""HTML output: a workaround for an accessibility bug in Sphinx 9.0's HTML writer."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


class HTMLTranslator(HTML5Translator):
    """Sphinx 9.0 marks toctree captions ``role="heading"`` without the ``aria-level`` that
    ARIA requires (sphinx-doc/sphinx#14030; axe rule ``aria-required-attr``). Furo renders the
    sidebar through the same translator, so this fixes every page's navigation too."""

    def visit_title(self, node: nodes.title) -> None:
        start = len(self.body)
        super().visit_title(node)
        for index in range(start, len(self.body)):
            if 'role="heading"' in self.body[index] and "aria-level" not in self.body[index]:
                self.body[index] = self.body[index].replace('role="heading"', 'role="heading" aria-level="2"')


def setup(app: Sphinx) -> None:
    """Use the translator for the HTML builders, unless a theme or extension brought its own."""
    for builder in ("html", "dirhtml", "singlehtml"):
        if builder not in app.registry.translators:
            app.set_translator(builder, HTMLTranslator)
