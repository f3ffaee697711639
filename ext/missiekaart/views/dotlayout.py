"""Graphviz as the concept map's layout engine: ``neato`` places the concepts, and removes every
overlap between their label boxes (``overlap=prism``); we draw the picture ourselves.

No text reaches Graphviz: a node is a name of our own (``n0``, ``n1``, ...) with the size of its
label's box, measured by :mod:`missiekaart.views.textwidth`, so a name with quotes, braces or ``<`` cannot
change the graph, and Graphviz's own font metrics do not matter. Graphviz answers in JSON
(``-Tjson``); only the positions are read from it. Its layout is deterministic (a fixed random
seed, the nodes and edges in a fixed order), so the same graph gives the same picture in every
build and every ``-j`` worker. The same input is laid out once per process.

Graphviz comes from the operating system (Debian's package ``graphviz``); without its ``dot`` the
caller is told what to install (:class:`GraphvizMissing`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache

DOT = "dot"
PACKAGE = "graphviz"
INSTALL = f"sudo apt-get install --no-install-recommends {PACKAGE}"
TIMEOUT = 120  # seconds: a few hundred concepts take about one


class GraphvizMissing(RuntimeError):
    """Graphviz's ``dot`` is not installed."""

    def __init__(self) -> None:
        super().__init__(
            f"the concept map needs Graphviz's '{DOT}', which is not installed; install it with: {INSTALL}"
        )


class GraphvizFailed(RuntimeError):
    """``dot`` ran and failed."""


Box = tuple[float, float]  # width, height in points
Position = tuple[float, float]  # the centre, y growing downwards, the drawing's top left at (0, 0)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def dot_source(boxes: list[Box], edges: list[tuple[int, int, int]], separation: float) -> str:
    """The graph in the DOT language: node *i* is ``n{i}``, a fixed-size box of ``boxes[i]``
    points, edges carry their weight; *separation* points at least between two boxes."""
    lines = [
        "graph map {",
        # neato's stress majorization from a seeded random start; prism removes overlaps after it,
        # starting from a layout scaled to twice the average box (overlap_scaling), which keeps the
        # picture compact; straight edges are drawn by us.
        f'graph [layout=neato, start=1, overlap=prism, overlap_scaling=-2, sep="+{_number(separation)}", '
        "splines=false, outputorder=edgesfirst, pack=true];",
        'node [shape=box, fixedsize=true, label=""];',
    ]
    lines += [f"n{i} [width={_number(w / 72)}, height={_number(h / 72)}];" for i, (w, h) in enumerate(boxes)]
    lines += [f"n{a} -- n{b} [weight={weight}];" for a, b, weight in edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def available() -> bool:
    return shutil.which(DOT) is not None


@lru_cache(maxsize=8)
def _run(source: str) -> str:
    executable = shutil.which(DOT)
    if executable is None:
        raise GraphvizMissing()
    try:
        result = subprocess.run(
            [executable, "-Tjson"],
            input=source,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise GraphvizFailed(f"{DOT} took more than {TIMEOUT} s") from error
    if result.returncode != 0:
        raise GraphvizFailed(f"{DOT} failed (exit status {result.returncode}): {result.stderr.strip()[:500]}")
    return result.stdout


def positions(boxes: list[Box], edges: list[tuple[int, int, int]], separation: float) -> list[Position]:
    """The centre of each box, laid out by neato without overlaps, in points from the top left."""
    if not boxes:
        return []
    answer = json.loads(_run(dot_source(boxes, edges, separation)))
    found: dict[int, Position] = {}
    for node in answer.get("objects", []):
        name = node.get("name", "")
        if name.startswith("n") and name[1:].isdigit():
            x, y = (float(value) for value in node["pos"].split(","))
            found[int(name[1:])] = (x, -y)  # Graphviz's y grows upwards
    if len(found) != len(boxes):
        raise GraphvizFailed(f"{DOT} placed {len(found)} of {len(boxes)} nodes")
    return [found[i] for i in range(len(boxes))]
