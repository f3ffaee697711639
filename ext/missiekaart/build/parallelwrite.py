"""A ``-j N`` build writes its pages in N workers that each resolve them too.

Sphinx resolves every page in the main process and only translates it in a worker; on two cores
that made ``-j 2`` no faster than ``-j 1`` (0.96x at 1,000 organisations): the main process was
busy unpickling and post-transforming while the one worker waited. Here each worker does all of
a page, as a serial build does, and the main process collects the images the pages use and which
pages were written (``sphinx_internals`` item 11, where the Sphinx internals this takes are
named). Every handler of the extension that must run in the main process for each page written
listens to :data:`~missiekaart.build.sphinx_internals.PAGE_WRITTEN`, not to ``doctree-resolved``.
"""

from __future__ import annotations

import functools
import os

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from missiekaart.build import processes, sphinx_internals

__all__ = ["setup"]


def on_builder_inited(app: Sphinx) -> None:
    sphinx_internals.read_in_fewer_chunks(app.builder)
    if isinstance(app.builder, StandaloneHTMLBuilder):
        # A worker dies with the build, as Pagefind does: a build killed with ``kill -9`` leaves
        # nothing writing into the output folder after it (tests/test_crash_safety.py).
        build = os.getpid()
        sphinx_internals.resolve_in_workers(app.builder, functools.partial(processes.die_with, build))


def setup(app: Sphinx) -> None:
    app.add_event(sphinx_internals.PAGE_WRITTEN)
    app.connect("doctree-resolved", sphinx_internals.announce_written)
    app.connect("builder-inited", on_builder_inited)
