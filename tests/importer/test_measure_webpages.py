"""The web page measurement (``tests/measure_webpages.py``, run by hand) run on one seed text: every layout
builds, every way reads it, and the importer leaves no word of any page unaccounted for."""

from __future__ import annotations

import measure_webpages  # tests/measure_webpages.py: tests/ is on the path, as for conftest


def test_every_layout_and_way_is_measured_and_the_importer_accounts_for_every_word():
    seed = sorted((measure_webpages.ROOT / "source_texts").glob("*.txt"))[0]
    rows = measure_webpages.measure([seed], list(measure_webpages.WAYS))
    assert len([row for row in rows if row.startswith("| ")]) == 1 + len(measure_webpages.LAYOUTS) + 3
    assert rows[-1].startswith("importer: 0 words neither on a page nor itemised;")


def test_a_large_page_is_timed():
    assert "MB:" in measure_webpages.time_import(0.02)
