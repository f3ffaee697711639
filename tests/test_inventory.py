"""objects.inv is written only when what it lists changed (missiekaart/build/inventory.py), and a
build stopped while writing it leaves a folder the next build writes it in again."""

from __future__ import annotations

from pathlib import Path

from missiekaart.build.inventory import RECORD

from conftest import copy_test_root, touch_organisation


def test_an_edit_that_lists_nothing_new_keeps_the_inventory_and_its_record(make_app, tmp_path, rootdir):
    srcdir = copy_test_root(rootdir, tmp_path)
    app = make_app("html", srcdir=srcdir)
    app.build()
    inventory, record = Path(app.outdir) / "objects.inv", Path(app.doctreedir) / RECORD.format("html")
    written, recorded = inventory.stat().st_mtime_ns, record.read_bytes()
    touch_organisation(srcdir)
    again = make_app("html", srcdir=srcdir)
    again.build()
    assert again.statuscode == 0
    assert inventory.stat().st_mtime_ns == written and record.read_bytes() == recorded


def test_a_build_stopped_before_the_record_was_saved_writes_the_inventory_again(make_app, tmp_path, rootdir):
    """The record goes before the file is written and comes back after: without it (a build
    stopped in between) the next build writes the file, even for an edit that lists nothing new;
    a record of other inputs (a file written by another build) does too."""
    srcdir = copy_test_root(rootdir, tmp_path)
    app = make_app("html", srcdir=srcdir)
    app.build()
    inventory, record = Path(app.outdir) / "objects.inv", Path(app.doctreedir) / RECORD.format("html")
    expected = inventory.read_bytes()
    for damage in (record.unlink, lambda: record.write_text('{"inputs": "another build\'s"}', encoding="utf-8")):
        inventory.write_bytes(b"# half written")
        damage()
        touch_organisation(srcdir)
        again = make_app("html", srcdir=srcdir)
        again.build()
        assert again.statuscode == 0
        assert inventory.read_bytes() == expected and record.is_file()
