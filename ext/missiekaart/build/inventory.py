"""``objects.inv``, written only when what it lists changed.

Sphinx writes the inventory (every page's title, every concept and organisation, for other projects'
intersphinx) whole at the end of every HTML build: 0.3-0.5 s at 10,000 organisations, most of it a
copy of every page's title. Most builds change nothing in it: a word linked, a card's text edited.

So the inventory is written with a record beside the doctrees (``missiekaart-inventory-<builder>.json``):
the digest of everything the file is written from (:func:`~missiekaart.build.sphinx_internals.inventory_inputs`:
the builder and its configuration, the project and version, every document and its title, every
domain's objects), from which the same digest makes the same bytes. A build whose digest is the
recorded one, with the file there, leaves the file as it is; any other writes it. The record is
removed before the file is written and saved after, so a build stopped in between leaves no record,
and the next build writes the file again. A build that read, removed and wrote no page does not
even make the digest (:func:`~missiekaart.build.freshness.nothing_built`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx

from missiekaart.build import outputerrors, sphinx_internals
from missiekaart.build.freshness import nothing_built
from missiekaart.core.atomic import read_record, write_atomically

__all__ = ["RECORD", "setup", "write_or_keep"]

RECORD = "missiekaart-inventory-{}.json"


def _recorded(record: Path) -> str:
    data = read_record(record)
    return str(data.get("inputs", "")) if isinstance(data, dict) else ""


def write_or_keep(app: Sphinx, path: Path, dump: Callable[[], None]) -> None:
    """Where Sphinx writes ``objects.inv`` at *path*: ``dump()`` unless the file is there and made
    from what it would be made from now."""
    if nothing_built(app, path):
        return
    record = Path(app.doctreedir, RECORD.format(app.builder.name))
    digest = hashlib.sha256(sphinx_internals.inventory_inputs(app.builder).encode()).hexdigest()
    if path.is_file() and _recorded(record) == digest:
        return
    with outputerrors.writing(app, record):
        record.unlink(missing_ok=True)  # the file is about to change: until it has, no record
    if outputerrors.failed(app):
        return
    dump()
    with outputerrors.writing(app, record):
        write_atomically(record, json.dumps({"inputs": digest}))


def install(app: Sphinx) -> None:
    """``builder-inited``: have the HTML builder write ``objects.inv`` through :func:`write_or_keep`."""
    sphinx_internals.write_inventory_with(app.builder, lambda path, dump: write_or_keep(app, path, dump))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", install)
