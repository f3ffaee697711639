"""The maps' layouts as rules, on generated data: no two labels meet, the drawing fills its picture,
the same input gives the same bytes, text reaches SVG only escaped, and a missing Graphviz is a
warning that names the package.

The data is made here, not read from the project: many concepts with long names that differ in
one word or number (boxes of equal sizes tie, which is where a layout engine stacks them), and
organisations with long names, sharing concepts at random. The browser tests measure the same
rules on the rendered pages (tests/test_browser.py), the PDF tests in the PDF (tests/test_pdf.py).
"""

from __future__ import annotations

import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from missiekaart.core.ranking import Related
from missiekaart.extension.records import Card, Concept
from missiekaart.views import dotlayout
from missiekaart.views.conceptmap import FONT, MARGIN, Graph, Layout, Point, concept_layout, organisation_layout, to_svg
from missiekaart.views.textwidth import text_width

TESTS = Path(__file__).resolve().parent
STEMS = [
    "Samenwerking met partners in de wijk",
    "Samenwerking met partners in de regio",
    "Participatie van kwetsbare groepen",
    "Participatie van kwetsbare gezinnen",
    "Integraal werken",
    "Ervaringsdeskundigheid",
]
HOSTILE = ["A & B <c>", 'Kennis "}{" \\end{tikzpicture}', "Ééndracht … ‘samen’", "</svg><script>x</script>"]


def concept_names(count: int) -> list[str]:
    """*count* names: near-duplicates of a few long stems, and a few hostile ones."""
    names = [*HOSTILE[:count]]
    number = 0
    while len(names) < count:
        names.append(f"{STEMS[number % len(STEMS)]} {number // len(STEMS) + 1}")
        number += 1
    return names


def generated_graph(count: int, seed: int = 0) -> Graph:
    """A global map of *count* concepts, each joined to up to three others."""
    rnd = random.Random(seed)
    points = [
        Point("concept", name, f"concepts/c{i}", f"concept-c{i}", 3 + 6 * rnd.random(), rnd.randint(2, 40))
        for i, name in enumerate(concept_names(count))
    ]
    edges: dict[tuple[int, int], int] = {}
    for a in range(count):
        for b in rnd.sample(range(count), min(3, count)):
            if a != b:
                edges[min(a, b), max(a, b)] = rnd.randint(1, 9)
    return Graph(points, sorted((a, b, weight) for (a, b), weight in edges.items()))


class FakeDomain:
    """What organisation_layout reads of the domain: names, concepts, related organisations."""

    def __init__(self, organisations: int, concepts: int, seed: int = 0) -> None:
        rnd = random.Random(seed)
        self.cards = {
            f"orgs/o{i}": Card("mission", f"orgs/o{i}", f"mission-o{i}", name, (), (), "", 1)
            for i, name in enumerate(
                [f"Stichting Welzijn en Samenwerking Regio Noord-Oost {i}" for i in range(organisations - 2)]
                + ["TWERK", "Wijk-werkorganisatie Leie en Schelde & <Partners>"]
            )
        }
        self.all_concepts = [
            Concept(f"c{i}", f"concepts/c{i}", f"concept-c{i}", name, (), 1)
            for i, name in enumerate(concept_names(concepts))
        ]
        docnames = sorted(self.cards)
        ids = [concept.id for concept in self.all_concepts]
        self.related = {
            docname: [
                Related(other, 1.0, tuple(rnd.sample(ids, rnd.randint(1, len(ids)))))
                for other in rnd.sample([d for d in docnames if d != docname], 5)
            ]
            for docname in docnames
        }

    def organisation(self, docname: str) -> Card | None:
        return self.cards.get(docname)

    def related_organisations(self) -> dict[str, list[Related]]:
        return self.related

    def concepts(self) -> list[Concept]:
        return self.all_concepts


def meeting(layout: Layout) -> list[tuple[str, str]]:
    """Every two labels whose text boxes overlap, compared pair by pair (not by the code under test).
    Lines stacked in a frame touch: their boxes are a line's height, 1.4 times the font size."""
    boxes = [(label.text, label.box()) for label in layout.labels]
    e = 1e-6
    return [
        (a, b)
        for i, (a, (l1, t1, r1, b1)) in enumerate(boxes)
        for b, (l2, t2, r2, b2) in boxes[i + 1 :]
        if l1 + e < r2 and l2 + e < r1 and t1 + e < b2 and t2 + e < b1
    ]


def assert_fills_its_picture(layout: Layout) -> None:
    """Every label inside the picture, and the drawing reaching each side but for its margin."""
    extents = [label.extent() for label in layout.labels] + [(x, y, x + w, y + h) for x, y, w, h in layout.frames]
    for left, top, right, bottom in extents:
        assert left >= 0 and top >= 0 and right <= layout.width and bottom <= layout.height
    assert min(e[0] for e in extents) == pytest.approx(MARGIN)
    assert min(e[1] for e in extents) == pytest.approx(MARGIN)
    assert max(e[2] for e in extents) == pytest.approx(layout.width - MARGIN)
    assert max(e[3] for e in extents) == pytest.approx(layout.height - MARGIN)


@pytest.mark.parametrize("count", [2, 20, 200])
def test_the_concept_map_has_no_labels_that_meet_and_no_empty_border(count):
    layout = concept_layout(generated_graph(count))
    assert len(layout.labels) == count
    assert meeting(layout) == []
    for label in layout.labels:
        assert label.width >= text_width(label.text, FONT)
    assert_fills_its_picture(layout)


@pytest.mark.parametrize(("organisations", "concepts"), [(7, 12), (12, 60)])
def test_an_organisation_map_has_no_labels_that_meet_and_no_empty_border(organisations, concepts):
    domain = FakeDomain(organisations, concepts)
    for docname in sorted(domain.cards):
        layout = organisation_layout(domain, docname)  # type: ignore[arg-type]
        assert layout is not None
        shared = {c for related in domain.related[docname] for c in related.concepts}
        assert len(layout.labels) == 1 + len(domain.related[docname]) + len(shared)
        assert [label.own for label in layout.labels].count(True) == 1 and layout.labels[0].own
        assert meeting(layout) == []
        # No label reaches into a frame it is not in, nor a frame into another.
        for label in layout.labels:
            left, top, right, bottom = label.box()
            inside = [f for f in layout.frames if f[0] <= left and right <= f[0] + f[2] and f[1] <= top <= f[1] + f[3]]
            others = [f for f in layout.frames if f not in inside]
            assert all(not (left < x + w and x < right and top < y + h and y < bottom) for x, y, w, h in others)
            assert len(inside) == (label.kind == "concept")
        assert_fills_its_picture(layout)


SCRIPT = """
import sys
sys.path[:0] = {paths!r}
from test_maps import FakeDomain, generated_graph
from missiekaart.views.conceptmap import concept_layout, organisation_layout, to_svg
layout = concept_layout(generated_graph(60))
print(to_svg(layout, ["#"] * len(layout.labels), "t"))
layout = organisation_layout(FakeDomain(9, 30), "orgs/o3")
print(to_svg(layout, ["#"] * len(layout.labels), "t"))
"""


def test_the_same_data_gives_the_same_svg_bytes_in_every_process():
    """Each -j worker and each build lays out alone: the picture may depend on nothing else than its
    data (not on Python's hash seed, not on a random start)."""
    paths = [str(TESTS), *sys.path]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", SCRIPT.format(paths=paths)],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert "<svg" in next(iter(outputs))


def test_names_reach_the_svg_as_text_only():
    layout = concept_layout(generated_graph(len(HOSTILE)))
    svg = to_svg(layout, ['x.html#a"b<'] * len(layout.labels), 'Kaart <&> "titel"', "d & <e>")
    tree = ET.fromstring(svg)  # well-formed XML: nothing broke out of its attribute or text
    namespace = {"svg": "http://www.w3.org/2000/svg"}
    assert sorted("".join(text.itertext()) for text in tree.iterfind(".//svg:text", namespace)) == sorted(HOSTILE)
    assert {a.get("href") for a in tree.iterfind(".//svg:a", namespace)} == {'x.html#a"b<'}
    assert tree.find("svg:title", namespace).text == 'Kaart <&> "titel"'
    assert tree.find(".//svg:script", namespace) is None


def test_a_long_name_wraps_and_keeps_its_whole_name_as_the_links_name():
    domain = FakeDomain(7, 5)
    layout = organisation_layout(domain, "orgs/o0")  # type: ignore[arg-type]
    assert layout is not None
    wrapped = [label for label in layout.labels if len(label.lines) > 1]
    assert wrapped, "no name was long enough to wrap"
    soup = BeautifulSoup(to_svg(layout, ["#"] * len(layout.labels), "t"), "html.parser")
    names = {a.get("aria-label") or a.get_text() for a in soup.select("a")}
    assert {label.text for label in layout.labels} == names
    for label in wrapped:
        assert " ".join(label.lines) == " ".join(label.text.split())


@pytest.mark.sphinx("html", testroot="missiekaart", srcdir="missiekaart-no-graphviz", freshenv=True)
def test_without_graphviz_the_build_warns_naming_the_package_and_shows_the_list(app, monkeypatch):
    monkeypatch.setattr(dotlayout, "DOT", "missiekaart-test-no-such-dot")
    dotlayout._run.cache_clear()
    app.build()
    warnings = app.warning.getvalue()
    assert "[missiekaart.missing-graphviz]" in warnings
    assert "apt-get install --no-install-recommends graphviz" in warnings
    assert "overview.md" in warnings  # where the map stands
    overview = BeautifulSoup((Path(app.outdir) / "overview.html").read_text(encoding="utf-8"), "html.parser")
    assert overview.select("svg.mk-concept-map") == []
    assert len(overview.select("ul.mk-concept-map-list > li")) == 2
    # An organisation's own map needs no Graphviz.
    org = BeautifulSoup((Path(app.outdir) / "orgs" / "a.html").read_text(encoding="utf-8"), "html.parser")
    assert org.select("svg.mk-concept-map")
