"""The concept map: organisations and the concepts they share, as a bipartite graph.

One layout, computed from the domain data at write time, drawn twice: as inline SVG for HTML
(links on every label, colours from Furo's CSS variables, so dark mode works) and as TikZ for
LaTeX (a vector figure in the PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape as xml_escape

from docutils import nodes
from sphinx.util.texescape import escape as tex_escape
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from .domain import MissiekaartDomain


@dataclass(frozen=True)
class Node:
    kind: str  # "organisation" or "concept"
    label: str
    docname: str
    anchor: str
    row: float  # vertical position, in rows from the top
    degree: int


@dataclass(frozen=True)
class Layout:
    organisations: list[Node]
    concepts: list[Node]
    edges: list[tuple[int, int]]  # (organisation index, concept index)

    @property
    def rows(self) -> int:
        return max(len(self.concepts), len(self.organisations), 1)


def _barycentre(neighbours: list[int], positions: dict[int, float]) -> float:
    return sum(positions[n] for n in neighbours) / len(neighbours) if neighbours else float("inf")


def layout(domain: MissiekaartDomain) -> Layout:
    """Organisations left, shared concepts right, ordered to keep lines short (barycentre method)."""
    organisations = domain.organisations()
    uses = domain.uses()
    concepts = [concept for concept in domain.concepts() if uses.get(concept.id)]
    links = {c.id: [i for i, o in enumerate(organisations) if o.docname in uses[c.id]] for c in concepts}
    org_rows = {i: float(i) for i in range(len(organisations))}
    concept_order = concepts
    for _sweep in range(3):
        concept_order = sorted(concepts, key=lambda c: (_barycentre(links[c.id], org_rows), -len(links[c.id]),
                                                        c.title.casefold()))
        concept_rows = {c.id: float(i) for i, c in enumerate(concept_order)}
        by_org = {i: [c.id for c in concepts if i in links[c.id]] for i in org_rows}
        order = sorted(org_rows, key=lambda i: (_barycentre(by_org[i], concept_rows), i))  # type: ignore[arg-type]
        org_rows = {i: float(position) for position, i in enumerate(order)}
    # Spread the organisations over the height of the concept column.
    scale = (len(concept_order) - 1) / max(len(organisations) - 1, 1) if len(concept_order) > 1 else 1.0
    org_nodes = [Node("organisation", o.title, o.docname, o.anchor, org_rows[i] * scale,
                      sum(i in links[c.id] for c in concepts)) for i, o in enumerate(organisations)]
    concept_nodes = [Node("concept", c.title, c.docname, c.anchor, float(row), len(links[c.id]))
                     for row, c in enumerate(concept_order)]
    position = {c.id: row for row, c in enumerate(concept_order)}
    edges = [(i, position[c.id]) for c in concepts for i in links[c.id]]
    return Layout(org_nodes, concept_nodes, sorted(edges))


def to_svg(graph: Layout, href: Callable[[Node], str], title: str) -> str:
    """Inline SVG; *href* gives each node's link, relative to the page."""
    row, char = 26, 7.6  # px per row, px per character at the label size
    left = max((len(n.label) for n in graph.organisations), default=10) * char + 10
    gap = 220
    width = left + gap + 20 + max((len(n.label) for n in graph.concepts), default=10) * char + 10
    height = graph.rows * row + 10
    x_org, x_concept = left + 8, left + 8 + gap

    def y(node: Node) -> float:
        return 5 + row / 2 + node.row * row

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mk-concept-map" role="group" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" aria-labelledby="mk-concept-map-title">',
        f'<title id="mk-concept-map-title">{xml_escape(title)}</title>',
        '<g class="mk-map-edges">',
    ]
    for o, c in graph.edges:
        parts.append(f'<line x1="{x_org:.1f}" y1="{y(graph.organisations[o]):.1f}" '
                     f'x2="{x_concept:.1f}" y2="{y(graph.concepts[c]):.1f}"/>')
    parts.append("</g>")
    for nodes_, x, anchor, dx in ((graph.organisations, x_org, "end", -10),
                                  (graph.concepts, x_concept, "start", 10)):
        for node in nodes_:
            radius = 3 + node.degree if node.kind == "concept" else 5
            parts.append(
                f'<a href="{xml_escape(href(node))}" class="mk-map-{node.kind}">'
                f'<circle cx="{x:.1f}" cy="{y(node):.1f}" r="{radius}"/>'
                f'<text x="{x + dx:.1f}" y="{y(node):.1f}" text-anchor="{anchor}" dominant-baseline="middle">'
                f'{xml_escape(node.label)}</text></a>')
    parts.append("</svg>")
    return "\n".join(parts)


def to_tikz(graph: Layout, label: Callable[[Node], str]) -> str:
    """A TikZ picture; *label* gives the LaTeX label a node's name links to."""
    row = 0.55  # cm per row
    x_org, x_concept = 0.0, 4.0

    def y(node: Node) -> str:
        return f"{-node.row * row:.2f}"

    lines = [r"\begin{center}\begin{adjustbox}{max width=\linewidth}",
             r"\begin{tikzpicture}[font=\small]"]
    for o, c in graph.edges:
        lines.append(rf"\draw[black!35] ({x_org},{y(graph.organisations[o])}) -- "
                     rf"({x_concept},{y(graph.concepts[c])});")
    for node in graph.organisations + graph.concepts:
        x, side = (x_org, "west") if node.kind == "organisation" else (x_concept, "east")
        size = 0.09 if node.kind == "organisation" else 0.05 + 0.02 * node.degree
        text = rf"\hyperref[\detokenize{{{label(node)}}}]{{{tex_escape(node.label)}}}"
        anchor, label_x = ("east", x - 0.15) if side == "west" else ("west", x + 0.15)
        lines.append(rf"\fill ({x},{y(node)}) circle ({size:.2f});")
        lines.append(rf"\node[anchor={anchor}] at ({label_x:.2f},{y(node)}) {{{text}}};")
    lines += [r"\end{tikzpicture}", r"\end{adjustbox}\end{center}"]
    return "\n".join(lines)


def to_text(graph: Layout) -> list[tuple[str, list[str]]]:
    """For builders without pictures: each organisation with its concepts."""
    return [(org.label, [graph.concepts[c].label for o, c in graph.edges if o == index])
            for index, org in enumerate(graph.organisations)]


def visit_map_html(self: HTML5Translator, node: nodes.Element) -> None:
    def href(target: Node) -> str:
        uri = self.builder.get_relative_uri(node["docname"], target.docname)
        return f"{uri}#{target.anchor}"

    svg = to_svg(node["graph"], href, node["title"])
    self.body.append(f'<div class="mk-concept-map-wrapper">\n{svg}\n</div>\n')
    raise nodes.SkipNode


def visit_map_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append("\n" + to_tikz(node["graph"], lambda target: f"{target.docname}:{target.anchor}") + "\n")
    raise nodes.SkipNode
