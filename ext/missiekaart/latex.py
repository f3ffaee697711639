"""LaTeX output: cards as framed boxes from the style file the extension ships."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.latex import LaTeXTranslator


def visit_card(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.visit_container(node)


def depart_card(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.depart_container(node)


def setup(app: Sphinx) -> None:
    """Register the style file and LaTeX packages."""
