"""Garbage collection during a build: what lives for the whole build is not scanned over and over.

CPython's cyclic collector scans its oldest generation every time enough objects have survived
the younger ones. A build keeps each doctree it has read (Sphinx caches them for the write phase),
the environment and the domain's data alive until the end, so every full collection scans more of
them: at 1,000 organisations 16 s of a 146 s build went to the collector (the stub baseline's
build: 6.5 s of 104 s). Docutils trees link children and parents both ways, so they are exactly
the objects the collector has to visit.

Loading the saved environment of an incremental build makes millions of objects (the tables of
contents alone are a docutils tree per page), all of which live on: with the collector running it
took 1.5 s at 1,000 organisations, without it 0.4 s. So the collector is paused from
``config-inited`` (just before Sphinx loads the environment) to ``builder-inited`` (just after), and
what was loaded is frozen at once.

After each document is read, and once more when all are, what is alive is moved into the
collector's permanent generation (:func:`gc.freeze`: the generation lists are spliced, it costs
nothing), so later collections only look at what is new. Just before, one collection takes the
garbage of reading that page (the parser's, in reference cycles): it only looks at what is new since
the last freeze, one page's objects (1.3 ms a page), and frozen that garbage would have stayed until
the build ends: at 1,000 organisations a million objects, 150 MB of a peak of 800 MB, and 5 % of the
build's time in a heap grown by it. At the end of the build, also a failed
one, it is handed back (:func:`gc.unfreeze`), and whatever of it has become garbage (doctrees
already written) is collected as usual. Nothing is kept beyond the build.

When the process ends, Python collects garbage once more while it shuts down, over everything still
alive: at 1,000 organisations ``sphinx-build`` spent 1.7 s of a 7 s incremental build after the
build was done. The operating system takes the memory back anyway, so at exit everything alive is
frozen (:func:`freeze_at_exit`, an :mod:`atexit` handler) and that collection skips it. Only the
process's end is concerned: a process that builds more than once collects as usual in between.

What is loaded is also less: each page's headings (``env.tocs``, a docutils tree per page) stay
pickled until the build asks for that page's (:mod:`missiekaart.core.shelf`, :func:`shelve`): an incremental build
of 10,000 organisations no longer unpickles and pickles 36 MB of them. And Sphinx's paths in it (30,000 at
10,000 organisations) are unpickled from their parsed parts instead of being parsed again
(:func:`.sphinx_internals.pickle_paths_by_parts`): 0.15 s of a 0.55 s load.
"""

from __future__ import annotations

import atexit
import gc
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from missiekaart.build import sphinx_internals

__all__ = ["freeze", "freeze_at_exit", "freeze_read", "pause", "resume", "shelve", "unfreeze"]


def pause(app: Sphinx, *args: Any) -> None:
    """``config-inited``, last: the environment is loaded next; no collections while it is."""
    gc.disable()


def resume(app: Sphinx) -> None:
    """``builder-inited``, first: the environment is loaded; it lives on, so freeze it."""
    gc.enable()
    gc.freeze()


def shelve(app: Sphinx) -> None:
    """``builder-inited``: keep the pages' headings pickled until they are used (a new environment's;
    a loaded one keeps them so already)."""
    sphinx_internals.shelve_tocs(app.env)


def freeze(app: Sphinx, *args: Any) -> None:
    """``doctree-read``: what is alive now lives on; leave it out of collections.
    The garbage of reading the page goes first: frozen, it would stay until the build ends."""
    gc.collect()
    gc.freeze()


def freeze_read(app: Sphinx, *args: Any) -> None:
    """``env-updated``: everything read lives on. No collection first: each page's garbage went at
    its ``doctree-read``, and what is new since is the data the build computed from all pages and
    what it unpickled (:mod:`missiekaart.core.shelf`), which lives on: a collection over it found
    nothing and took 0.4 s at 10,000 organisations."""
    gc.freeze()


def unfreeze(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: hand everything back to the collector."""
    gc.enable()  # already, unless a handler failed in between
    gc.unfreeze()


def freeze_at_exit() -> None:
    """At interpreter exit: leave what is alive out of the collections Python runs as it shuts down.

    Files are closed by ``with`` blocks and :mod:`atexit` handlers still run (those registered
    before this one, after it); only garbage in reference cycles is left for the operating system."""
    gc.freeze()


def setup(app: Sphinx) -> ExtensionMetadata:
    sphinx_internals.pickle_paths_by_parts()  # 30,000 paths at 10,000 organisations, loaded faster
    atexit.unregister(freeze_at_exit)  # once per process, however many builds it runs
    atexit.register(freeze_at_exit)
    app.connect("config-inited", pause, priority=999)
    app.connect("builder-inited", resume, priority=1)
    app.connect("builder-inited", shelve)
    app.connect("doctree-read", freeze, priority=900)  # after the extension's own handlers
    app.connect("env-updated", freeze_read, priority=900)
    app.connect("build-finished", unfreeze, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
