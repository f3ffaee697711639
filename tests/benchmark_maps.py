"""Map layout benchmark: what each map costs, on the generated data of tests/test_maps.py.

Run with ``.venv/bin/python tests/benchmark_maps.py [--concepts 20 200 400] [--repeat R]``. Reported:
for the global map, Graphviz's layout time (neato, overlaps removed; median of R, the process's
cache cleared each time), the picture's natural size and the narrowest column it is readable in;
for an organisation's own map, the time of the in-process three-column layout, and, for comparison,
what one ``dot`` process costs for a graph of that size (what 10,000 organisation pages would pay
if each page ran Graphviz). Not a test: pytest does not collect it, and nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_maps import FakeDomain, generated_graph

from missiekaart.views import dotlayout
from missiekaart.views.conceptmap import concept_layout, organisation_layout


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        dotlayout._run.cache_clear()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concepts", type=int, nargs="+", default=[20, 200, 400])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print("global map (Graphviz neato, overlap=prism)")
    for count in options.concepts:
        graph = generated_graph(count)
        seconds = timed(lambda graph=graph: concept_layout(graph), options.repeat)
        layout = concept_layout(graph)
        print(
            f"  {count:4d} concepts: {seconds:6.3f} s, {layout.width:5.0f} x {layout.height:4.0f} px, "
            f"readable from a {layout.readable_width} px column"
        )
    domain = FakeDomain(12, 40)
    docnames = sorted(domain.cards)
    started = time.perf_counter()
    for _ in range(20):
        for docname in docnames:
            organisation_layout(domain, docname)  # type: ignore[arg-type]
    per_page = (time.perf_counter() - started) / (20 * len(docnames))
    layouts = [organisation_layout(domain, docname) for docname in docnames]  # type: ignore[arg-type]
    labels = statistics.median(len(layout.labels) for layout in layouts if layout is not None)
    source = dotlayout.dot_source([(120.0, 20.0)] * int(labels), [(0, n, 1) for n in range(1, int(labels))], 4)
    started = time.perf_counter()
    for _ in range(10):
        subprocess.run(["dot", "-Tjson"], input=source, capture_output=True, text=True, check=True)
    per_process = (time.perf_counter() - started) / 10
    print(f"organisation map ({labels:.0f} labels): {per_page * 1e3:.2f} ms in process")
    pages = per_process * 10_000
    print(f"  one dot process for a graph that size: {per_process * 1e3:.1f} ms ({pages:.0f} s for 10,000 pages)")


if __name__ == "__main__":
    main()
