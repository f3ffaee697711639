"""The import benchmark's classes, each run once at a small size: every class is there and imports.

Nothing here measures time (``tests/benchmark_import.py`` does, run by hand); this keeps the
benchmark's generators and its run working as the importer changes.
"""

from __future__ import annotations

import benchmark_import  # tests/benchmark_import.py: tests/ is on the path, as for conftest
import pytest

SIZE = 64_000
CLASSES = [
    "prose",
    "prose-markdown",
    "bullets",
    "nested-lists",
    "emphasis-runs",
    "long-lines",
    "space-runs",
    "numbered-paragraphs",
    "repeated-footers",
    "unclosed-templates",
]


def test_every_class_of_the_issue_is_benchmarked():
    assert list(benchmark_import.CLASSES) == CLASSES


@pytest.mark.parametrize("name", CLASSES)
def test_a_class_imports_drafts_and_checks_at_a_small_size(name, tmp_path):
    result = benchmark_import.run_class(name, SIZE, tmp_path)
    assert result.name == name
    assert result.size >= SIZE
    assert result.page > 0
    page = next(tmp_path.glob(f"{name}.html")).read_text(encoding="utf-8")
    assert "<main>" in page


def test_the_table_has_a_row_per_class_and_the_ratios_to_prose(tmp_path):
    names = ("prose", "prose-markdown", "bullets", "unclosed-templates")
    results = [(name, benchmark_import.run_class(name, 2_000, tmp_path)) for name in names]
    table = benchmark_import.table([*results, ("space-runs", None)], 2_000, 10)
    lines = table.split("\n")
    assert lines[0].startswith("| class | format | size |")
    rows = {line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]] for line in lines[2:]}
    assert list(rows) == [*names, "space-runs"]
    assert rows["prose"][0] == "text" and rows["prose"][-2:] == ["1.00", "1.00"]
    assert rows["prose-markdown"][0] == "markdown" and rows["prose-markdown"][-1] == "1.00"
    assert rows["prose-markdown"][-2] != "1.00"  # against plain prose too
    markdown, templates = (results[i][1] for i in (1, 3))
    assert rows["unclosed-templates"][-1] == f"{templates.seconds / markdown.seconds:.2f}"
    assert rows["bullets"][0] == "text"
    assert "> 10" in rows["space-runs"]


def test_a_result_is_the_best_of_its_runs_stage_by_stage(tmp_path):
    runs = [benchmark_import.run_class("bullets", 2_000, tmp_path) for _ in range(3)]
    best = benchmark_import.best_of(runs)
    assert best.import_seconds == min(run.import_seconds for run in runs)
    assert best.check_seconds == min(run.check_seconds for run in runs)
    assert best.seconds <= min(run.seconds for run in runs)
