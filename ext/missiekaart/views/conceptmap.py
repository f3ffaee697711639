"""Concept maps, drawn from the domain data at write time: inline SVG for HTML, TikZ for LaTeX.

Two maps share one picture model (:class:`Layout`: labels, the lines between them, frames) and one
pair of drawing functions:

- the **global map** shows the concepts only (a dot's area grows with the number of organisations
  using it; a line joins two concepts that organisations combine, thicker the more often). Graphviz's
  ``neato`` lays it out and removes every overlap of the label boxes (:mod:`missiekaart.views.dotlayout`);
  a few hundred concepts take about a second, once per build;
- an organisation's **own map** shows the organisation (left), the concepts it shares with its
  related organisations (middle), grouped by the organisations that share them (right): a line per
  group and organisation rather than one per concept and organisation, which made a hairball. It
  is laid out here, in three columns, in microseconds: 10,000 organisation pages do not start
  10,000 processes.

Every label has a box of its own, measured with wide font metrics (:mod:`missiekaart.views.textwidth`),
and no two boxes meet (:func:`overlapping` checks each layout). The picture is drawn at its natural
size, labels at :data:`FONT` px, and shrinks with its column down to :data:`READABLE` px; where the
column is narrower than that the map gives way to its list (the wrapper's ``mk-map-fits-N`` class,
see ``missiekaart.css``) on a narrow screen, and scrolls sideways in its box on a wide one. In the
PDF it shrinks to the page down to two thirds of its size, or gives way to its list too. Each map
comes with the same data as a list, for readers who cannot see it.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape as xml_escape
from itertools import combinations

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from missiekaart.extension.domain import MissiekaartDomain, get_domain
from missiekaart.extension.problems import warn
from missiekaart.extension.records import Concept
from missiekaart.extension.render import GENERATED, link, ngettext
from missiekaart.views import dotlayout
from missiekaart.views.textwidth import text_width, wrap

_ = get_translation("missiekaart")

MAX_EDGES_PER_NODE = 3  # the global map keeps each concept's strongest links only
FONT = 13.0  # px: a label's size when the map is shown at its natural size
READABLE = 11.0  # px: the smallest a label may be shown
LINE = 1.4 * FONT  # the height of a label's line, and of its box
GAP = 5.0  # between a dot and its label
MARGIN = 4.0  # around the drawing: its empty space
PAD = 3.0  # around a label inside the box Graphviz places, besides Graphviz's own separation
SEPARATION = 4.0  # points Graphviz keeps between two boxes
# The wrapper's class names the narrowest column the map is readable in, rounded up to a step; a
# column narrower than that, on a narrow screen (below the last step), shows the list instead.
FITS_STEP, FITS_MAX = 40, 640
ORGANISATION_WRAP = 170.0  # px: an organisation's name wraps at about 22 characters
CONCEPT_WRAP = 210.0
COLUMN_GAP = 44.0  # between the organisation map's columns: room for the lines
ROW_GAP = 12.0
CONCEPT_GAP = 5.0  # between two concepts in a frame: a name of two lines stays one name
FRAME_PAD = (8.0, 5.0)
TIKZ_UNIT = 0.7  # pt per px: labels of 9.1 pt in the PDF at natural size


@dataclass(frozen=True)
class Point:
    """A concept of the global map: the data, before any layout."""

    kind: str
    label: str
    docname: str
    anchor: str
    size: float  # the dot's radius, px
    count: int  # organisations using it


@dataclass(frozen=True)
class Graph:
    nodes: list[Point]
    edges: list[tuple[int, int, int]]  # (node, node, weight)


@dataclass(frozen=True)
class Label:
    """A linked name on a map: its text box (one or more lines) and, left of it, its dot."""

    kind: str  # "concept" or "organisation"
    text: str
    lines: tuple[str, ...]
    docname: str
    anchor: str
    x: float  # the text's left
    y: float  # the text's top
    width: float
    radius: float = 0.0  # the dot's, 0 for none
    own: bool = False  # the organisation whose page the map is on

    @property
    def height(self) -> float:
        return len(self.lines) * LINE

    @property
    def dot(self) -> tuple[float, float]:
        return self.x - GAP - self.radius, self.y + LINE / 2

    def box(self) -> tuple[float, float, float, float]:
        """The text's box: left, top, right, bottom."""
        return self.x, self.y, self.x + self.width, self.y + self.height

    def extent(self) -> tuple[float, float, float, float]:
        """The box with the dot."""
        left = self.x - GAP - 2 * self.radius if self.radius else self.x
        return left, min(self.y, self.dot[1] - self.radius), self.x + self.width, self.y + self.height

    def moved(self, dx: float, dy: float) -> Label:
        return dataclasses.replace(self, x=self.x + dx, y=self.y + dy)


@dataclass(frozen=True)
class Edge:
    start: tuple[float, float]
    end: tuple[float, float]
    width: float
    curved: bool = False  # a horizontal S-curve (the organisation map's columns), else straight


@dataclass(frozen=True)
class Layout:
    labels: list[Label]
    edges: list[Edge]
    frames: list[tuple[float, float, float, float]]  # left, top, width, height
    width: float
    height: float

    @property
    def readable_width(self) -> int:
        """The narrowest the picture may be shown at (its width in whole px, as drawn): its labels
        at :data:`READABLE` px."""
        return math.ceil(math.ceil(self.width) * READABLE / FONT)

    @property
    def fits_class(self) -> str:
        return f"mk-map-fits-{min(FITS_MAX, math.ceil(self.readable_width / FITS_STEP) * FITS_STEP)}"


# ---------------------------------------------------------------------------- the data


def concept_graph(domain: MissiekaartDomain) -> Graph:
    """The global map's data: the used concepts, most used first; edges are co-occurrences, each
    concept's :data:`MAX_EDGES_PER_NODE` strongest."""
    per_organisation = domain.organisation_concepts()
    counts = Counter(concept for concepts in per_organisation.values() for concept in concepts)
    concepts = sorted((c for c in domain.concepts() if counts[c.id]), key=lambda c: (-counts[c.id], c.title.casefold()))
    index = {concept.id: number for number, concept in enumerate(concepts)}
    together: Counter[tuple[int, int]] = Counter()
    for own in per_organisation.values():
        together.update(combinations(sorted(index[c] for c in own if c in index), 2))
    partners: dict[int, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    for pair, weight in together.items():
        for end in pair:
            partners[end].append((weight, pair))
    strongest: set[tuple[int, int, int]] = set()
    for mine in partners.values():
        for weight, (a, b) in sorted(mine, key=lambda item: (-item[0], item[1]))[:MAX_EDGES_PER_NODE]:
            strongest.add((a, b, weight))
    most = max(counts.values(), default=1)
    points = [
        Point(
            "concept",
            concept.title,
            concept.docname,
            concept.anchor,
            3 + 6 * math.sqrt(counts[concept.id] / most),
            counts[concept.id],
        )
        for concept in concepts
    ]
    return Graph(points, sorted(strongest))


# ---------------------------------------------------------------------------- layouts


def overlapping(labels: list[Label], tolerance: float = 1e-6) -> list[tuple[int, int]]:
    """The pairs of labels whose text boxes overlap (a sweep from left to right); boxes that touch,
    as the lines stacked in a frame do, do not."""
    boxes = sorted((label.box(), number) for number, label in enumerate(labels))
    found: list[tuple[int, int]] = []
    active: list[tuple[tuple[float, float, float, float], int]] = []
    for box, number in boxes:
        active = [(other, n) for other, n in active if other[2] > box[0] + tolerance]
        found += [
            (min(n, number), max(n, number))
            for other, n in active
            if other[1] + tolerance < box[3] and box[1] + tolerance < other[3]
        ]
        active.append((box, number))
    return sorted(found)


def _framed(labels: list[Label], edges: list[Edge], frames: list[tuple[float, float, float, float]]) -> Layout:
    """The layout moved so that its drawing starts :data:`MARGIN` from the top left, and sized to it."""
    extents = [label.extent() for label in labels] + [(x, y, x + w, y + h) for x, y, w, h in frames]
    left, top = min(e[0] for e in extents), min(e[1] for e in extents)
    right, bottom = max(e[2] for e in extents), max(e[3] for e in extents)
    dx, dy = MARGIN - left, MARGIN - top
    return Layout(
        [label.moved(dx, dy) for label in labels],
        [Edge((e.start[0] + dx, e.start[1] + dy), (e.end[0] + dx, e.end[1] + dy), e.width, e.curved) for e in edges],
        [(x + dx, y + dy, w, h) for x, y, w, h in frames],
        right - left + 2 * MARGIN,
        bottom - top + 2 * MARGIN,
    )


def concept_layout(graph: Graph) -> Layout:
    """The global map laid out by Graphviz (neato, overlaps removed): each concept a box holding its
    dot and its name; lines join the dots."""
    boxes = [
        (2 * point.size + GAP + text_width(point.label, FONT) + 2 * PAD, max(2 * point.size, LINE) + 2 * PAD)
        for point in graph.nodes
    ]
    centres = dotlayout.positions(boxes, graph.edges, SEPARATION)

    def place(scale: float) -> list[Label]:
        return [
            Label(
                point.kind,
                point.label,
                (point.label,),
                point.docname,
                point.anchor,
                x * scale - w / 2 + PAD + 2 * point.size + GAP,
                y * scale - LINE / 2,
                text_width(point.label, FONT),
                point.size,
            )
            for point, (w, _h), (x, y) in zip(graph.nodes, boxes, centres, strict=True)
        ]

    # Graphviz leaves no overlap; should a version ever do, the centres move apart until none is left.
    scale = 1.0
    labels = place(scale)
    while overlapping(labels) and scale < 64:
        scale *= 1.1
        labels = place(scale)
    edges = [Edge(labels[a].dot, labels[b].dot, min(0.75 + weight / 2, 4.0)) for a, b, weight in graph.edges]
    return _framed(labels, edges, [])


def _mean(values: Iterable[float]) -> float:
    found = list(values)
    return sum(found) / len(found) if found else 0.0


def organisation_layout(domain: MissiekaartDomain, docname: str) -> Layout | None:
    """An organisation's own map: it (left), the concepts it shares with its related organisations,
    in groups by who shares them (middle), and those organisations (right); None without any."""
    own = domain.organisation(docname)
    related = [
        (other, card)
        for other in domain.related_organisations().get(docname, [])
        if (card := domain.organisation(other.docname)) is not None
    ]
    titles = {concept.id: concept for concept in domain.concepts()}
    sharers: dict[str, set[int]] = defaultdict(set)
    for number, (other, _card) in enumerate(related):
        for concept_id in other.concepts:
            if concept_id in titles:
                sharers[concept_id].add(number)
    if own is None or not sharers:
        return None
    by_sharers: dict[frozenset[int], list[Concept]] = defaultdict(list)
    for concept_id, numbers in sharers.items():
        by_sharers[frozenset(numbers)].append(titles[concept_id])
    groups = [(who, sorted(concepts, key=lambda c: (c.title.casefold(), c.id))) for who, concepts in by_sharers.items()]
    # Order both columns so that few lines cross: each group by the mean place of its organisations,
    # each organisation by the mean place of its groups (two rounds of the barycentre method).
    rank = {number: float(number) for number in range(len(related))}

    def group_key(group: tuple[frozenset[int], list[Concept]]) -> tuple[float, int, list[float], str, str]:
        who, concepts = group
        return _mean(rank[n] for n in who), -len(who), sorted(rank[n] for n in who), concepts[0].title, concepts[0].id

    for _round in range(2):
        groups.sort(key=group_key)
        place = {n: [g for g, (who, _c) in enumerate(groups) if n in who] for n in range(len(related))}
        order = sorted(range(len(related)), key=lambda n: (_mean(place[n]), n))
        rank = {n: float(r) for r, n in enumerate(order)}
    groups.sort(key=group_key)

    labels: list[Label] = []
    edges: list[Edge] = []
    frames: list[tuple[float, float, float, float]] = []
    # The middle column: the groups, framed, one under the other.
    own_lines = tuple(wrap(own.title, FONT, ORGANISATION_WRAP))
    own_radius = 6.0
    own_text = max(text_width(line, FONT) for line in own_lines)
    middle = 2 * own_radius + GAP + own_text + COLUMN_GAP
    y = 0.0
    centres: list[float] = []
    for _who, concepts in groups:
        top, inner = y, y + FRAME_PAD[1]
        widest = 0.0
        for concept in concepts:
            lines = tuple(wrap(concept.title, FONT, CONCEPT_WRAP))
            width = max(text_width(line, FONT) for line in lines)
            widest = max(widest, width)
            x = middle + FRAME_PAD[0]
            labels.append(Label("concept", concept.title, lines, concept.docname, concept.anchor, x, inner, width))
            inner += len(lines) * LINE + CONCEPT_GAP
        y = inner - CONCEPT_GAP + FRAME_PAD[1]
        frames.append((middle, top, widest + 2 * FRAME_PAD[0], y - top))
        centres.append((top + y) / 2)
        y += ROW_GAP
    frame_width = max(w for _x, _y, w, _h in frames)
    # The right column: each organisation near its groups, none overlapping the next.
    right = middle + frame_width + COLUMN_GAP
    radius = 4.5
    wanted = []
    for n in sorted(range(len(related)), key=rank.__getitem__):
        card = related[n][1]
        lines = tuple(wrap(card.title, FONT, ORGANISATION_WRAP))
        target = _mean(centres[g] for g, (who, _c) in enumerate(groups) if n in who)
        wanted.append((n, card, lines, target - len(lines) * LINE / 2))
    tops: list[float] = []
    bottom = -math.inf
    for _n, _card, lines, top in wanted:
        tops.append(max(top, bottom + ROW_GAP))
        bottom = tops[-1] + len(lines) * LINE
    shift = _mean(want[3] - top for want, top in zip(wanted, tops, strict=True))
    ends: dict[int, tuple[float, float]] = {}
    for (n, card, lines, _wanted), top in zip(wanted, tops, strict=True):
        width = max(text_width(line, FONT) for line in lines)
        x = right + 2 * radius + GAP
        label = Label("organisation", card.title, lines, card.docname, card.anchor, x, top + shift, width, radius)
        labels.append(label)
        ends[n] = (label.dot[0] - radius, label.dot[1])
    # The left column: the organisation itself, level with the middle of the groups.
    height = y - ROW_GAP
    x, y = 2 * own_radius + GAP, (height - len(own_lines) * LINE) / 2
    own_label = Label("organisation", own.title, own_lines, own.docname, own.anchor, x, y, own_text, own_radius, True)
    labels.insert(0, own_label)
    start = (own_label.x + own_text + 3, own_label.y + own_label.height / 2)
    for (who, concepts), (x, top, w, h) in zip(groups, frames, strict=True):
        weight = min(0.75 + len(concepts) / 2, 4.0)
        edges.append(Edge(start, (x, top + h / 2), weight, curved=True))
        edges += [Edge((x + w, top + h / 2), ends[n], weight, curved=True) for n in sorted(who, key=rank.__getitem__)]
    return _framed(labels, edges, frames)


GLOBAL_DESCRIPTION = _(
    "Each concept is a dot, larger the more organisations use it; a line joins two concepts that "
    "organisations combine, thicker the more often. The list below the map has the same data."
)
ORGANISATION_DESCRIPTION = _(
    "The organisation on the left; in the middle the concepts it shares, grouped by the related "
    "organisations on the right that share them. The list of related organisations has the same data."
)


def laid_out(graph: Graph, node: nodes.Element) -> Layout | None:
    """The global map's layout; None, after a warning that says why, when Graphviz cannot make it
    (the page then shows the list alone)."""
    try:
        return concept_layout(graph)
    except (dotlayout.GraphvizMissing, dotlayout.GraphvizFailed) as error:
        warn(f"{error}; the page shows the map's list only", (node["docname"], node.line), "missing-graphviz")
        return None


def list_id(node: nodes.Element, listing: nodes.Element, wanted: str) -> str:
    """The HTML id of a map's list (*wanted*, or a unique one made from it), which the note a
    narrow screen shows instead of the map links to."""
    document = node.document
    if document is None:
        return ""
    if listing["ids"]:
        return str(listing["ids"][0])
    if wanted not in document.ids:
        listing["ids"].append(wanted)
        document.ids[wanted] = listing
        return wanted
    return document.set_id(listing, suggested_prefix=wanted)


# ---------------------------------------------------------------------------- drawing


def _number(value: float) -> str:
    """A coordinate as SVG and TikZ need it: one decimal at most, none when it is whole ("330", "12.5")."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _path(edge: Edge, number: Callable[[float], str]) -> str:
    (x1, y1), (x2, y2) = edge.start, edge.end
    if not edge.curved:
        return f"M{number(x1)} {number(y1)}L{number(x2)} {number(y2)}"
    middle = number((x1 + x2) / 2)
    return f"M{number(x1)} {number(y1)}C{middle} {number(y1)} {middle} {number(y2)} {number(x2)} {number(y2)}"


def to_svg(layout: Layout, hrefs: list[str], title: str, description: str = "") -> str:
    """Inline SVG at its natural size (labels at :data:`FONT` px), shrinking with its container down
    to :attr:`Layout.readable_width`; its ``viewBox`` is the drawing and its margin."""
    width, height = math.ceil(layout.width), math.ceil(layout.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mk-concept-map" role="group" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="min-width: {min(width, layout.readable_width)}px" aria-label="{xml_escape(title)}">',
        f"<title>{xml_escape(title)}</title>",
    ]
    if description:
        parts.append(f"<desc>{xml_escape(description)}</desc>")
    if layout.frames:
        parts.append('<g class="mk-map-frames">')
        parts += [
            f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(w)}" height="{_number(h)}" rx="4"/>'
            for x, y, w, h in layout.frames
        ]
        parts.append("</g>")
    # One path per line width: a map of 50 edges is 1 KB, not 4.
    segments: dict[str, list[str]] = defaultdict(list)
    for edge in layout.edges:
        segments[_number(edge.width)].append(_path(edge, _number))
    parts.append('<g class="mk-map-edges">')
    parts += [f'<path stroke-width="{width}" d="{"".join(d)}"/>' for width, d in sorted(segments.items())]
    parts.append("</g>")
    groups: dict[str, list[str]] = defaultdict(list)
    for label, href in zip(layout.labels, hrefs, strict=True):
        attributes = ' class="mk-map-own"' if label.own else ""
        if len(label.lines) > 1:  # the lines joined, without the break between them
            attributes += f' aria-label="{xml_escape(label.text)}"'
        dot = ""
        if label.radius:
            cx, cy = label.dot
            dot = f'<circle cx="{_number(cx)}" cy="{_number(cy)}" r="{_number(label.radius)}"/>'
        x, first = _number(label.x), _number(label.y + LINE / 2)
        text = "".join(
            f'<tspan x="{x}" dy="{_number(LINE)}">{xml_escape(line)}</tspan>' if number else xml_escape(line)
            for number, line in enumerate(label.lines)
        )
        groups[label.kind].append(
            f'<a href="{xml_escape(href)}"{attributes}>{dot}<text x="{x}" y="{first}">{text}</text></a>'
        )
    for kind, links in groups.items():
        parts += [f'<g class="mk-map-{kind}">', *links, "</g>"]
    parts.append("</svg>")
    return "\n".join(parts)


def to_tikz(layout: Layout, labels: list[str], escape: Callable[[str], str], instead: str) -> str:
    """The same picture as TikZ in ``\\missiekaartmap`` (missiekaart.sty), which prints *instead*
    (LaTeX) when the picture would have to shrink past two thirds; *labels* are the escaped LaTeX
    labels the names link to (``\\detokenize{...}`` from the writer's ``idescape``, or "" for no
    link); *escape* makes a name LaTeX (the writer's own)."""

    def at(x: float, y: float) -> str:
        return f"({_number(x)},{_number(y)})"

    font = FONT * TIKZ_UNIT
    lines = [
        r"\missiekaartmap{%",
        rf"\begin{{tikzpicture}}[x={TIKZ_UNIT}pt, y=-{TIKZ_UNIT}pt, "
        rf"font=\sffamily\fontsize{{{font:.1f}}}{{{font * 1.2:.1f}}}\selectfont]",
    ]
    lines += [
        rf"\draw[black!25, rounded corners=2pt] {at(x, y)} rectangle {at(x + w, y + h)};"
        for x, y, w, h in layout.frames
    ]
    for edge in layout.edges:
        (x1, y1), (x2, y2) = edge.start, edge.end
        middle = (x1 + x2) / 2
        path = (
            f"{at(x1, y1)} .. controls {at(middle, y1)} and {at(middle, y2)} .. {at(x2, y2)}"
            if edge.curved
            else f"{at(x1, y1)} -- {at(x2, y2)}"
        )
        lines.append(rf"\draw[black!35, line width={edge.width * TIKZ_UNIT:.1f}pt] {path};")
    for label, target in zip(layout.labels, labels, strict=True):
        if label.radius:
            colour = "black!70" if label.own or label.kind == "concept" else "black!55"
            lines.append(rf"\fill[{colour}] {at(*label.dot)} circle[radius={label.radius * TIKZ_UNIT:.1f}pt];")
        for number_, line in enumerate(label.lines):
            text = rf"\hyperref[{target}]{{{escape(line)}}}" if target else escape(line)
            # On white, as the site's labels stand on the page's background: a line under a name stops at it.
            place = at(label.x, label.y + (number_ + 0.5) * LINE)
            lines.append(rf"\node[anchor=west, inner xsep=0pt, inner ysep=0.6pt, fill=white] at {place} {{{text}}};")
    lines += [r"\end{tikzpicture}}%", f"{{{instead}}}"]
    return "\n".join(lines)


def as_list(graph: Graph, builder: Builder, docname: str) -> nodes.bullet_list:
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
    return items


def visit_map_html(self: HTML5Translator, node: nodes.Element) -> None:
    layout: Layout = node["layout"]
    domain = get_domain(self.builder.env)
    hrefs = []
    for label in layout.labels:
        uri = self.builder.get_relative_uri(node["docname"], label.docname)
        anchor = domain.landing(self.builder, node["docname"], label.docname, label.anchor)
        hrefs.append(f"{uri}#{anchor}" if anchor else uri)
    # Generated: not what a page says, so not what Pagefind finds it for (as html.HTMLTranslator marks the rest).
    wrapper = f'<div class="mk-concept-map-wrapper {layout.fits_class}" data-pagefind-ignore="index">'
    note = ""
    if node.get("list_id"):
        text = xml_escape(str(_("This map does not fit this screen: the list has the same data.")))
        note = f'<p class="mk-map-note"><a href="#{xml_escape(node["list_id"])}">{text}</a></p>\n'
    svg = to_svg(layout, hrefs, node["title"], node.get("description", ""))
    self.body.append(f"{wrapper}\n{svg}\n{note}</div>\n")
    raise nodes.SkipNode


def visit_map_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    layout: Layout = node["layout"]
    labels = [
        self.idescape(f"{label.docname}:{label.anchor}") if label.docname in self.builder.docnames else ""
        for label in layout.labels
    ]
    instead = r"\emph{" + self.escape(str(_("This map is too large for a page: the list has the same data."))) + "}"
    self.body.append("\n" + to_tikz(layout, labels, self.escape, instead) + "\n")
    raise nodes.SkipNode
