"""A test-only Sphinx extension that stops a build at a named point (tests/test_crash_safety.py).

Loaded by the test projects' ``conf.py``; it does nothing unless ``MISSIEKAART_FAULT`` is set to
``<point>:<action>``, optionally ``:<n>``:

- points: ``saved``, right after Sphinx saved the environment (its next step after "pickling
  environment... done" is ``env-check-consistency``; missiekaart/build/envsave.py's child has
  written it); ``cut-env``, the same, with ``environment.pickle`` first cut in half (a build
  stopped while saving it); ``saving``, at that step while the child process is still saving it
  (made to take 30 s: an object in the environment that is slow to pickle); ``writing``, when the
  n-th page (default 3) is about to be written, with that page's last output first cut in half (a
  build stopped in the middle of writing it); ``listing``, when the n-th page that continues a long
  list (missiekaart/views/listwriter.py) is rendered, with that page's last output first cut in half;
  ``indexing``, while Pagefind runs, once it has written a file of a bundle;
- actions: ``KILL``, ``TERM``, ``INT`` (that signal to the build's main process), ``vanish``
  (delete the output folder and go on) or ``fill`` (fill the output folder's file system with
  :data:`FILLER` and go on: a disk that is full from that moment).

The points are events of the build, not times, so a test stops every build at the same step.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

FILLER = ".faultpoint-filler"  # in the output folder; the test deletes it to free the space
MAIN = os.getpid()  # -j workers are forked: they keep the main process's number here
_written: list[str] = []


def _fault() -> tuple[str, str, int]:
    point, _, rest = os.environ.get("MISSIEKAART_FAULT", "").partition(":")
    action, _, n = rest.partition(":")
    return point, action, int(n or 3)


def _cut(path: Path) -> None:
    if path.is_file():
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


def _act(app: Sphinx, action: str) -> None:
    if action == "vanish":
        shutil.rmtree(app.outdir, ignore_errors=True)
        return
    if action == "fill":
        handle = os.open(Path(app.outdir, FILLER), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for size in (1 << 16, 1 << 12, 1):  # to the last byte
                try:
                    while True:
                        os.write(handle, b"\0" * size)
                except OSError:
                    pass
        finally:
            os.close(handle)
        return
    os.kill(MAIN, getattr(signal, f"SIG{action}"))
    time.sleep(30)  # a signal Python handles (INT) is raised here, at the next instruction


class SlowToPickle:
    """Takes 30 s to pickle: the environment's save is still going on when the build is stopped."""

    def __reduce__(self) -> tuple[Any, ...]:
        time.sleep(30)
        return (SlowToPickle, ())


def on_updated(app: Sphinx, env: Any) -> None:
    if _fault()[0] == "saving":
        env.faultpoint_slow = SlowToPickle()


def on_saved(app: Sphinx, env: Any) -> None:
    from missiekaart.build import envsave

    point, action, _n = _fault()
    if point == "saving":
        if envsave.saver() is None:
            raise RuntimeError("faultpoint: the environment is not being saved by a child process")
        _act(app, action)
    if point in ("saved", "cut-env"):
        envsave.wait()  # saved: what the child process writes is in the file
    if point == "cut-env":
        _cut(Path(app.doctreedir, "environment.pickle"))
    if point in ("saved", "cut-env"):
        _act(app, action)


def on_resolved(app: Sphinx, doctree: Any, docname: str) -> None:
    point, action, n = _fault()
    if point != "writing":
        return
    # The main process resolves pages at -j 1; at -j N each worker does (missiekaart's
    # parallelwrite): a worker counts from what the main process had written when it was forked.
    _written.append(docname)
    if len(_written) == n:
        _cut(Path(app.builder.get_outfilename(docname)))  # type: ignore[attr-defined]
        _act(app, action)


def on_page(app: Sphinx, pagename: str, templatename: str, context: Any, doctree: Any) -> None:
    point, action, n = _fault()
    if point != "listing" or pagename in app.env.all_docs or templatename != "page.html":
        return
    _written.append(pagename)
    if len(_written) == n:
        _cut(Path(app.builder.get_outfilename(pagename)))  # type: ignore[attr-defined]
        _act(app, action)


def on_indexing(app: Sphinx, exception: Exception | None) -> None:
    point, action, _n = _fault()
    if point != "indexing" or exception is not None:
        return
    from missiekaart.build.searchindex import _indexing

    indexing = _indexing.get(str(app.outdir))
    if indexing is None:
        raise RuntimeError("faultpoint: no search index is being made in this build")
    folders = [indexing.root / bundle.name for bundle in [*indexing.running, *indexing.todo]]
    deadline = time.monotonic() + 30
    while not any(path.is_file() for folder in folders for path in folder.rglob("*")):
        if time.monotonic() > deadline:
            raise RuntimeError("faultpoint: Pagefind wrote nothing in 30 s")
        time.sleep(0.002)
    _act(app, action)


def setup(app: Sphinx) -> dict[str, Any]:
    if _fault()[1] == "INT" and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        # A build started in the background by a shell (the suite run with "&") ignores Ctrl-C, as
        # its parent did: the build a contributor stops with Ctrl-C in a terminal does not.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    app.connect("env-updated", on_updated)
    app.connect("env-check-consistency", on_saved)
    app.connect("doctree-resolved", on_resolved)
    app.connect("html-page-context", on_page)
    app.connect("build-finished", on_indexing, priority=500)  # Pagefind starts at 100, is waited for at 950
    return {"parallel_read_safe": True, "parallel_write_safe": True}
