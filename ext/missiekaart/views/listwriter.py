"""Writing the pages that continue long lists (:mod:`missiekaart.views.listpages`) at the end of an
HTML build, each only when what it shows changed, and deleting those no list needs any more.

At ``html-collect-pages`` the list the last build left (``<doctrees>/missiekaart-lists-<builder>.json``)
says which generated pages and filter data the output folder holds, and each page's digest:

- a page whose digest changed, or whose file is missing, is rendered by the theme into a
  temporary file beside it, which replaces the page (whole, never half written; an unchanged
  page keeps its file and its time); filter data is written likewise when its text changed;
- a page or filter data that no list needs any more is deleted.

A build that read, removed and wrote no page, after one that finished, with the same site around
the lists and every listed file there, makes no list at all (:func:`up_to_date`): a build of 10,000
organisations in which nothing changed does not spend seconds finding that nothing did.

The list is saved before anything is written, with the pages to write and to delete and no
digest (owed), and again when all is done: a build stopped in between leaves nothing that the
next build does not write again or delete. Sphinx is given no page to write: it would write every
one of them on every build.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from missiekaart.build import outputerrors
from missiekaart.build.freshness import nothing_built
from missiekaart.core.atomic import read_record, remove_leftovers, write_atomically
from missiekaart.extension.paging import is_paged
from missiekaart.views.listpages import ListPage, chrome_digest, data_files, list_pages

__all__ = ["Manifest", "setup", "write_lists"]

logger = logging.getLogger(__name__)

MANIFEST = "missiekaart-lists-{}.json"


@dataclass
class Manifest:
    """The generated pages and data files an output folder holds (name -> digest, "" while owed)."""

    path: Path
    outdir: str
    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    chrome: str = ""  # the chrome digest (listpages.chrome_digest) the pages were written with

    @classmethod
    def load(cls, path: Path, outdir: str) -> Manifest:
        manifest = cls(path, outdir)
        data = read_record(path)
        if isinstance(data, dict) and data.get("outdir") == outdir:
            manifest.pages = {str(name): str(digest) for name, digest in dict(data.get("pages", {})).items()}
            files = data.get("files", {})
            manifest.files = (
                {str(name): str(digest) for name, digest in dict(files).items()} if isinstance(files, dict) else {}
            )
            manifest.chrome = str(data.get("chrome", ""))
        return manifest

    def save(self) -> None:
        data = {
            "outdir": self.outdir,
            "chrome": self.chrome,
            "pages": dict(sorted(self.pages.items())),
            "files": dict(sorted(self.files.items())),
        }
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=0))


def render(app: Sphinx, page: ListPage, target: Path) -> None:
    """The page through the theme, into a temporary file that replaces *target* if it differs."""
    builder: Any = app.builder
    context: dict[str, Any] = {
        "body": page.article(builder),
        "title": escape(page.title),
        "meta": None,
        "metatags": "",
        "parents": [],
        "sourcename": "",
        "page_source_suffix": "",
        "display_toc": False,
    }
    for key, neighbour in zip(("prev", "next"), page.neighbours, strict=True):
        if neighbour is not None:
            context[key] = {
                "link": builder.get_relative_uri(page.pagename, neighbour[0]),
                "title": escape(neighbour[1]),
            }
    remove_leftovers(target)  # of a build stopped while it wrote this page
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # the names atomic.py cleans up
    target.parent.mkdir(parents=True, exist_ok=True)
    builder.handle_page(page.pagename, context, "page.html", outfilename=temporary)
    if target.is_file() and target.read_bytes() == temporary.read_bytes():
        temporary.unlink()
    else:
        temporary.replace(target)


def up_to_date(app: Sphinx, manifest: Manifest, chrome: str) -> bool:
    """Whether the lists the last build wrote are the lists now, without making them (at 10,000
    organisations that takes seconds): this build read, removed and wrote no page, the last one
    finished (:func:`.freshness.nothing_built`), the site around the lists is the same, and every page
    and file the last build listed is there, none owed."""
    builder: Any = app.builder
    return (
        bool(manifest.chrome)
        and manifest.chrome == chrome
        and "" not in manifest.pages.values()
        and "" not in manifest.files.values()
        and nothing_built(
            app,
            manifest.path,
            *(Path(builder.get_outfilename(pagename)) for pagename in manifest.pages),
            *(Path(app.outdir, name) for name in manifest.files),
        )
    )


def write_lists(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: write the generated pages and data files that changed, delete the
    ones no list needs; Sphinx is given none to write (it would write every one on every build)."""
    builder: Any = app.builder
    if not is_paged(builder):
        return []
    manifest = Manifest.load(Path(app.doctreedir, MANIFEST.format(builder.name)), str(app.outdir))
    chrome = chrome_digest(app)
    if up_to_date(app, manifest, chrome):
        return []
    pages = list_pages(app, chrome)
    files = data_files(app, chrome)
    new_chrome, manifest.chrome = manifest.chrome != chrome, chrome
    current = {page.pagename for page in pages}
    owed = [
        page
        for page in pages
        if manifest.pages.get(page.pagename) != page.digest
        or not Path(builder.get_outfilename(page.pagename)).is_file()
    ]
    stale = sorted(manifest.pages.keys() - current)
    stale_files = sorted(manifest.files.keys() - files.keys())
    owed_files = [
        name
        for name, (digest, _make) in files.items()
        if manifest.files.get(name) != digest or not Path(app.outdir, name).is_file()
    ]
    if owed or stale or stale_files or owed_files:
        for page in owed:
            manifest.pages[page.pagename] = ""
        for name in owed_files:
            manifest.files[name] = ""
        with outputerrors.writing(app, manifest.path):
            manifest.save()
    if outputerrors.failed(app):
        return []
    for page in owed:
        target = Path(builder.get_outfilename(page.pagename))
        with outputerrors.writing(app, target):
            render(app, page, target)
            manifest.pages[page.pagename] = page.digest
    for name in owed_files:
        target = Path(app.outdir, name)
        digest, make = files[name]
        with outputerrors.writing(app, target):
            text = make()
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                write_atomically(target, text)
            manifest.files[name] = digest
    for pagename in stale:
        target = Path(builder.get_outfilename(pagename))
        with outputerrors.writing(app, target):
            target.unlink(missing_ok=True)
            manifest.pages.pop(pagename, None)
    for name in stale_files:
        with outputerrors.writing(app, Path(app.outdir, name)):
            Path(app.outdir, name).unlink(missing_ok=True)
            del manifest.files[name]
    if owed or stale or stale_files:
        logger.info("missiekaart: %d list pages written, %d removed", len(owed), len(stale))
    if not outputerrors.failed(app) and (owed or stale or stale_files or owed_files or new_chrome):
        with outputerrors.writing(app, manifest.path):
            manifest.save()
    return []


def setup(app: Sphinx) -> None:
    app.connect("html-collect-pages", write_lists)
