"""objects.inv is written only when what it lists changed (missiekaart/build/inventory.py), and a
build stopped while writing it leaves a folder the next build writes it in again."""

from __future__ import annotations

import shutil
from pathlib import Path

from missiekaart.build.inventory import RECORD


def _project(tmp_path: Path, rootdir: Path) -> Path:
    srcdir = tmp_path / "missiekaart"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    return srcdir


def _touch_page(srcdir: Path, text: str = "\nNog een zin.\n") -> None:
    page = srcdir / "orgs" / "a.md"
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_edit_that_lists_nothing_new_keeps_the_inventory_and_its_record(make_app, tmp_path, rootdir):
    srcdir = _project(tmp_path, rootdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    inventory, record = Path(app.outdir) / "objects.inv", Path(app.doctreedir) / RECORD.format("html")
    written, recorded = inventory.stat().st_mtime_ns, record.read_bytes()
    _touch_page(srcdir)
    again = make_app("html", srcdir=srcdir)
    again.build()
    assert again.statuscode == 0
    assert inventory.stat().st_mtime_ns == written and record.read_bytes() == recorded


def test_a_build_stopped_before_the_record_was_saved_writes_the_inventory_again(make_app, tmp_path, rootdir):
    """The record goes before the file is written and comes back after: without it (a build
    stopped in between) the next build writes the file, even for an edit that lists nothing new;
    a record of other inputs (a file written by another build) does too."""
    srcdir = _project(tmp_path, rootdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    inventory, record = Path(app.outdir) / "objects.inv", Path(app.doctreedir) / RECORD.format("html")
    expected = inventory.read_bytes()
    for damage in (record.unlink, lambda: record.write_text('{"inputs": "another build\'s"}', encoding="utf-8")):
        inventory.write_bytes(b"# half written")
        damage()
        _touch_page(srcdir)
        again = make_app("html", srcdir=srcdir)
        again.build()
        assert again.statuscode == 0
        assert inventory.read_bytes() == expected and record.is_file()
