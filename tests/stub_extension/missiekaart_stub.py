"""A stand-in for the missiekaart extension: the benchmark's baseline.

It registers the same directive and role names and renders their content as plain paragraphs (the
role as its words), with no cross-links, generated lists, checks or export. A build with it instead of
``missiekaart`` costs what Sphinx, MyST and the theme cost for the same pages and the same
navigation (the sidebar without the hidden toctree of organisations, as the project has it: with
Furo's full tree in every page the baseline itself grows quadratically); the difference to a real
build is the extension's own cost. Loaded by ``tests/benchmark_build.py`` with
``-D extensions=...`` and this folder on ``PYTHONPATH``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from missiekaart.build.freshness import bounded_navigation  # the project's sidebar, the same in both

_TARGET = re.compile(r"\s*<[^<>]*>\s*$")


class AnyOption(dict):
    """An option spec that accepts every option as text, so no page is refused."""

    def __missing__(self, name: str) -> Any:
        return directives.unchanged


class PlainDirective(SphinxDirective):
    """A card, concept or overview: its title and options as one paragraph, then its body parsed."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = AnyOption()

    def run(self) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        head = " ".join([*self.arguments, *(f"{name}: {value}" for name, value in self.options.items())])
        if head:
            result.append(nodes.paragraph("", head))
        if self.content:
            container = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, container)
            result.extend(container.children)
        return result


def concept_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict | None = None,
    content: list | None = None,
) -> tuple[list[nodes.Node], list]:
    """``{concept}`words <id>``` shows *words*, unlinked."""
    return [nodes.Text(_TARGET.sub("", text))], []


NAMES = (
    "organisation-overview",
    "mission-card",
    "value-card",
    "concept",
    "organisation-cards",
    "concept-matrix",
    "concept-index",
    "concept-map",
)
CONFIG = {
    "missiekaart_organisations": "organisations",
    "missiekaart_min_concepts": 3,
    "missiekaart_min_organisations": 2,
    "missiekaart_source_root": "",
    "missiekaart_suggest_links": False,
}


def setup(app: Sphinx) -> dict[str, Any]:
    for name in NAMES:
        app.add_directive(name, PlainDirective)
    app.add_role("concept", concept_role)
    app.connect("html-page-context", bounded_navigation, priority=400)
    for name, default in CONFIG.items():  # conf.py sets them; accept them silently
        app.add_config_value(name, default, "env", type(default))
    return {"version": "0", "parallel_read_safe": True, "parallel_write_safe": True}
