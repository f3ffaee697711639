"""Every warning of the project, on every build: the ones an incremental build does not repeat.

Sphinx warns about a page when it reads or writes it, and about the whole project when it checks
consistency. An incremental build reads and writes only what changed, and checks nothing when
nothing did: after one page is fixed, ``make html`` (strict) exited 0 while another page still had
eight warnings, and ``make live`` showed "1 warning". Each build's warnings are therefore kept (in
``<doctrees>/missiekaart-warnings.json``, with the phase that gave them); at the end of the next
build, those it did not give again because it did not read, check or write their page are given
again, as they were (their location, type and subtype). So a build, full or incremental, reports
every outstanding warning of the project, and a strict build fails while one is left.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging as sphinx_logging
from sphinx.util.logging import get_node_location

from missiekaart.build import sphinx_internals
from missiekaart.core.atomic import write_atomically
from missiekaart.extension.problems import repeat

__all__ = ["Warning", "setup"]

STORE = "missiekaart-warnings.json"


class Warning(NamedTuple):
    phase: str  # "read", "check" or "write": what the page (or project) must go through to give it again
    docname: str
    location: str  # as Sphinx shows it: "path:line", "path" or ""
    message: str
    type: str
    subtype: str


class _Recorder(logging.Handler):
    """Keeps the warnings of this build, and gives again the outstanding ones of the last."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self.app = app
        self.kept: list[Warning] = []
        self.previous: list[Warning] = []
        self.read: set[str] = set()
        self.written: set[str] = set()
        self.checked = False
        self.replaying = False
        # Which part of the build is running: Sphinx's own phases give checking consistency and
        # resolving references one value, so the extension's events mark them instead.
        self.stage = ""

    def locate(self, location: Any) -> tuple[str, str]:
        """(docname, location as Sphinx shows it) of a record's location."""
        env: BuildEnvironment = self.app.env
        if isinstance(location, nodes.Node):
            location = get_node_location(location) or ""
        if isinstance(location, tuple):
            docname, line = location
            shown = (
                f"{env.doc2path(docname)}:{line}" if docname and line else str(env.doc2path(docname)) if docname else ""
            )
            return str(docname or ""), shown
        if isinstance(location, str) and location:
            path, _colon, _line = location.rpartition(":") if ":" in location else (location, "", "")
            docname = env.path2doc(path) or ("" if ":" in location else location)
            shown = location if ":" in location else (str(env.doc2path(docname)) if docname else location)
            return docname or "", shown
        return "", ""

    def emit(self, record: logging.LogRecord) -> None:
        if self.replaying or record.levelno < logging.WARNING:
            return
        phase = self.stage
        if not phase:
            return  # given at set-up or at the end: given again by every build
        with contextlib.suppress(Exception):  # a record that cannot be read is not kept, never a crash
            docname, shown = self.locate(getattr(record, "location", None))
            self.kept.append(
                Warning(
                    phase,
                    docname,
                    shown,
                    record.getMessage(),
                    str(getattr(record, "type", "") or ""),
                    str(getattr(record, "subtype", "") or ""),
                )
            )

    def outstanding(self) -> list[Warning]:
        """The last build's warnings that this build did not give again, for pages that still exist."""
        docs = self.app.env.all_docs
        found = []
        for warning in self.previous:
            if warning.docname and warning.docname not in docs:
                continue  # its page is gone
            if (
                (warning.phase == "read" and warning.docname and warning.docname not in self.read)
                or (warning.phase == "check" and not self.checked)
                or (warning.phase == "write" and warning.docname and warning.docname not in self.written)
            ):
                found.append(warning)
        return found


def _store(app: Sphinx) -> Path:
    return Path(app.doctreedir) / STORE


def _load(path: Path) -> list[Warning]:
    try:
        return [Warning(*entry) for entry in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        return []  # none kept (a first build), or a store cut by an earlier build: the build reads anew


def on_builder_inited(app: Sphinx) -> None:
    recorder = _Recorder(app)
    recorder.previous = _load(_store(app))
    app._mk_recorder = recorder  # type: ignore[attr-defined]
    logging.getLogger(sphinx_logging.NAMESPACE).addHandler(recorder)


def _recorder(app: Sphinx) -> _Recorder | None:
    return getattr(app, "_mk_recorder", None)


def on_read(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str]) -> None:
    if recorder := _recorder(app):
        recorder.read.update(docnames)
        recorder.stage = "read"


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if recorder := _recorder(app):
        recorder.stage = "check"  # what follows reading: checking consistency (when anything changed)
    return []


def on_check(app: Sphinx, env: BuildEnvironment) -> None:
    if recorder := _recorder(app):
        recorder.checked = True


def on_write_started(app: Sphinx, builder: object) -> None:
    if recorder := _recorder(app):
        recorder.stage = "write"


def on_written(app: Sphinx, docname: str) -> None:
    if recorder := _recorder(app):
        recorder.written.add(docname)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Give the outstanding warnings again, then keep all of this build's for the next."""
    recorder = _recorder(app)
    if recorder is None:
        return
    logging.getLogger(sphinx_logging.NAMESPACE).removeHandler(recorder)
    if exception is not None:
        return  # the next build starts from the last complete one's warnings
    outstanding = recorder.outstanding()
    recorder.stage = ""
    recorder.replaying = True
    for warning in outstanding:
        repeat(warning.message, warning.location, warning.type, warning.subtype)
    recorder.replaying = False
    kept = sorted(set(recorder.kept) | set(outstanding))
    with contextlib.suppress(OSError):  # a full disk is reported where the output is written
        write_atomically(_store(app), json.dumps([list(warning) for warning in kept], ensure_ascii=False))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", on_builder_inited, priority=100)
    app.connect("env-before-read-docs", on_read)
    app.connect("env-updated", on_env_updated, priority=900)
    app.connect("env-check-consistency", on_check)
    app.connect("write-started", on_write_started, priority=100)
    app.connect(sphinx_internals.PAGE_WRITTEN, on_written)
    app.connect("build-finished", on_build_finished, priority=100)
