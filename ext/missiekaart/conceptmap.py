"""Concept maps, drawn from the domain data at write time: inline SVG for HTML, TikZ for LaTeX.

Two maps share one graph model and one pair of drawing functions:

- the **global map** shows the concepts only (a circle's area grows with the number of
  organisations using it; a line joins two concepts that organisations combine, thicker the more
  often), so it stays legible at 1,000 organisations;
- an organisation's **own map** shows the organisation, its related organisations and the
  concepts they share with it.

The SVG scales to its container (a ``viewBox`` with every label inside it), so no label leaves a
390 px screen. Each map comes with the same data as a list, for readers who cannot see it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape as xml_escape
from itertools import combinations

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from .domain import MissiekaartDomain, get_domain
from .render import GENERATED, link, ngettext

_ = get_translation("missiekaart")

MAX_EDGES_PER_NODE = 3  # the global map keeps each concept's strongest links only
CHAR_WIDTH = 14  # user units per character at the labels' font size (24, set in missiekaart.css)


@dataclass(frozen=True)
class Point:
    kind: str  # "concept" or "organisation"
    label: str
    docname: str
    anchor: str
    x: float  # in a 0..1000 by 0..height box
    y: float
    size: float  # radius
    count: int  # organisations (concepts) or concepts (organisations)


@dataclass(frozen=True)
class Graph:
    nodes: list[Point]
    edges: list[tuple[int, int, int]]  # (node, node, weight)
    height: float


def concept_graph(domain: MissiekaartDomain) -> Graph:
    """The global map: used concepts on a circle, most used first; edges are co-occurrences."""
    per_organisation = domain.organisation_concepts()
    counts = Counter(concept for concepts in per_organisation.values() for concept in concepts)
    concepts = sorted((c for c in domain.concepts() if counts[c.id]), key=lambda c: (-counts[c.id], c.title.casefold()))
    together: Counter[tuple[str, str]] = Counter()
    for own in per_organisation.values():
        together.update(combinations(sorted(own), 2))
    index = {concept.id: number for number, concept in enumerate(concepts)}
    strongest: set[tuple[int, int, int]] = set()
    for concept in concepts:
        mine = [(weight, pair) for pair, weight in together.items() if concept.id in pair and weight > 0]
        for weight, (a, b) in sorted(mine, key=lambda item: (-item[0], item[1]))[:MAX_EDGES_PER_NODE]:
            strongest.add((min(index[a], index[b]), max(index[a], index[b]), weight))
    most = max(counts.values(), default=1)
    radius, centre = 300.0, 500.0
    points = []
    for number, concept in enumerate(concepts):
        angle = 2 * math.pi * number / max(len(concepts), 1) - math.pi / 2
        points.append(
            Point(
                "concept",
                concept.title,
                concept.docname,
                concept.anchor,
                centre + radius * math.cos(angle),
                centre + radius * math.sin(angle),
                4 + 14 * math.sqrt(counts[concept.id] / most),
                counts[concept.id],
            )
        )
    return Graph(points, sorted(strongest), 1000.0)


def organisation_graph(domain: MissiekaartDomain, docname: str) -> Graph:
    """An organisation's own map: it and its related organisations left, the shared concepts right."""
    own = domain.organisation_concepts().get(docname, set())
    related = domain.related_organisations().get(docname, [])
    shared = sorted({c for other in related for c in other.concepts})
    titles = {concept.id: concept for concept in domain.concepts()}
    cards = [domain.organisation(docname), *(domain.organisation(other.docname) for other in related)]
    rows = max(len(cards), len(shared), 1)
    step = 60.0
    points = [
        Point(
            "organisation",
            card.title,
            card.docname,
            card.anchor,
            330.0,
            step / 2 + step * (row + (rows - len(cards)) / 2),
            9 if row == 0 else 6,
            0,
        )
        for row, card in enumerate(cards)
        if card is not None
    ]
    offset = len(points)
    points += [
        Point(
            "concept",
            titles[c].title,
            titles[c].docname,
            titles[c].anchor,
            670.0,
            step / 2 + step * (row + (rows - len(shared)) / 2),
            6,
            0,
        )
        for row, c in enumerate(shared)
    ]
    uses = [own, *(domain.organisation_concepts().get(other.docname, set()) for other in related)]
    edges = [
        (left, offset + right, 1)
        for left, concepts in enumerate(uses)
        for right, concept in enumerate(shared)
        if concept in concepts and concept in own
    ]
    return Graph(points, edges, rows * step)


def _label_side(point: Point) -> tuple[float, str]:
    """Where a label goes: away from the centre, so labels do not cross the map."""
    if point.x >= 500:
        return point.x + point.size + 6, "start"
    return point.x - point.size - 6, "end"


def _number(value: float) -> str:
    """A coordinate as SVG needs it: one decimal at most, none when it is whole ("330", "12.5")."""
    return f"{value:.1f}".removesuffix(".0")


def to_svg(graph: Graph, hrefs: list[str], title: str) -> str:
    """Inline SVG in a 0..1000-wide ``viewBox`` (labels included), scaled to its container."""
    longest = max((len(point.label) for point in graph.nodes), default=0) * CHAR_WIDTH
    left, right = min(0.0, 500 - 300 - longest - 30), max(1000.0, 500 + 300 + longest + 30)
    top, bottom = -30.0, graph.height + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mk-concept-map" role="group" '
        f'viewBox="{left:.0f} {top:.0f} {right - left:.0f} {bottom - top:.0f}" preserveAspectRatio="xMidYMid meet" '
        f'aria-label="{xml_escape(title)}">',
        '<g class="mk-map-edges">',
    ]
    # One path per line width, each edge a move and a line: a map of 50 edges is 1 KB, not 4.
    segments: dict[str, list[str]] = defaultdict(list)
    for a, b, weight in graph.edges:
        start, end = graph.nodes[a], graph.nodes[b]
        segments[_number(min(1 + weight / 2, 6))].append(
            f"M{_number(start.x)} {_number(start.y)}L{_number(end.x)} {_number(end.y)}"
        )
    parts += [f'<path stroke-width="{width}" d="{"".join(d)}"/>' for width, d in sorted(segments.items())]
    parts.append("</g>")
    # Nodes grouped by kind and label side: the class and the text-anchor (inherited) once per group.
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for point, href in zip(graph.nodes, hrefs, strict=True):
        x, anchor = _label_side(point)
        groups[point.kind, anchor].append(
            f'<a href="{xml_escape(href)}">'
            f'<circle cx="{_number(point.x)}" cy="{_number(point.y)}" r="{_number(point.size)}"/>'
            f'<text x="{_number(x)}" y="{_number(point.y)}">{xml_escape(point.label)}</text></a>'
        )
    for (kind, anchor), links in groups.items():
        align = "" if anchor == "start" else f' text-anchor="{anchor}"'  # "start" is SVG's default
        parts += [f'<g class="mk-map-{kind}"{align}>', *links, "</g>"]
    parts.append("</svg>")
    return "\n".join(parts)


def to_tikz(graph: Graph, labels: list[str], escape: Callable[[str], str]) -> str:
    """The same picture as TikZ; *labels* are the escaped LaTeX labels the names link to
    (``\\detokenize{...}`` from the writer's ``idescape``, or "" for no link); *escape* makes a name LaTeX
    (the writer's own)."""
    scale = 0.012  # cm per unit

    def at(point: Point) -> str:
        return f"({point.x * scale:.2f},{-point.y * scale:.2f})"

    lines = [r"\begin{center}\begin{adjustbox}{max width=\linewidth}", r"\begin{tikzpicture}[font=\small]"]
    for a, b, weight in graph.edges:
        lines.append(
            rf"\draw[black!35, line width={min(0.3 + weight / 4, 2):.1f}pt] "
            rf"{at(graph.nodes[a])} -- {at(graph.nodes[b])};"
        )
    for point, label in zip(graph.nodes, labels, strict=True):
        _x, side = _label_side(point)
        anchor = "west" if side == "start" else "east"
        text = rf"\hyperref[{label}]{{{escape(point.label)}}}" if label else escape(point.label)
        lines.append(rf"\fill {at(point)} circle ({point.size * scale:.2f});")
        lines.append(rf"\node[anchor={anchor}, inner sep={point.size * scale + 0.08:.2f}cm] at {at(point)} {{{text}}};")
    lines += [r"\end{tikzpicture}", r"\end{adjustbox}\end{center}"]
    return "\n".join(lines)


def as_list(graph: Graph, builder: Builder, docname: str) -> list[nodes.Node]:
    """The global map's data as a list: each concept, how many organisations use it, and the
    concepts it is most often combined with."""
    items = nodes.bullet_list(classes=["mk-concept-map-list", GENERATED])
    for number, point in enumerate(graph.nodes):
        paragraph = nodes.paragraph()
        paragraph += link(builder, docname, point.docname, point.anchor, nodes.Text(point.label))
        paragraph += nodes.Text(" — " + ngettext("used by %d organisation", "used by %d organisations", point.count))
        partners = sorted(
            ((weight, b if a == number else a) for a, b, weight in graph.edges if number in (a, b)),
            key=lambda item: (-item[0], item[1]),
        )
        if partners:
            paragraph += nodes.Text(
                "; "
                + _("often combined with")
                + " "
                + ", ".join(f"{graph.nodes[other].label} ({weight})" for weight, other in partners)
            )
        items += nodes.list_item("", paragraph)
    return [items]


def visit_map_html(self: HTML5Translator, node: nodes.Element) -> None:
    graph: Graph = node["graph"]
    domain = get_domain(self.builder.env)
    hrefs = []
    for point in graph.nodes:
        uri = self.builder.get_relative_uri(node["docname"], point.docname)
        anchor = domain.landing(self.builder, node["docname"], point.docname, point.anchor)
        hrefs.append(f"{uri}#{anchor}" if anchor else uri)
    # Generated: not what a page says, so not what Pagefind finds it for (as html.HTMLTranslator marks the rest).
    wrapper = '<div class="mk-concept-map-wrapper" data-pagefind-ignore="index">'
    self.body.append(f"{wrapper}\n{to_svg(graph, hrefs, node['title'])}\n</div>\n")
    raise nodes.SkipNode


def visit_map_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    graph: Graph = node["graph"]
    labels = [
        self.idescape(f"{point.docname}:{point.anchor}") if point.docname in self.builder.docnames else ""
        for point in graph.nodes
    ]
    self.body.append("\n" + to_tikz(graph, labels, self.escape) + "\n")
    raise nodes.SkipNode
