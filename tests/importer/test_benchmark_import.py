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


def test_the_table_has_a_row_per_class_and_the_ratio_to_prose(tmp_path):
    results = [(name, benchmark_import.run_class(name, 2_000, tmp_path)) for name in ("prose", "bullets")]
    table = benchmark_import.table([*results, ("space-runs", None)], 2_000, 10)
    lines = table.split("\n")
    assert lines[0].startswith("| class | size |")
    assert [line.split("|")[1].strip() for line in lines[2:]] == ["prose", "bullets", "space-runs"]
    assert lines[2].endswith("| 1.00 |")
    assert "> 10" in lines[4]
