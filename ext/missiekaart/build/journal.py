"""What an unfinished build still owes the output folder, journaled before Sphinx saves the environment.

Sphinx saves the environment (``environment.pickle``) before it writes a page. From then on the
environment, the page digests (:mod:`.freshness`) and the export's kept parts say every page is
current, and a page cut in the middle of writing has a fresh time: a build stopped at any moment
after that (a signal, a full disk, a closed laptop) would leave pages, ``missiekaart.json`` and the
search index stale, and every later build would find nothing to do.

So each build keeps a journal, ``<doctrees>/missiekaart-owed-<builder>.json``:

- ``pages``: every page the build will write. It is written before anything is read (the pages
  Sphinx finds outdated), again before the environment is saved (the pages read, the pages whose
  digest changed, the toctree parents of retitled pages, the pages whose output is to be
  removed), and once more before writing if Sphinx writes a page none of these named;
- when every page is written (``build-finished``, first) the pages are done and taken out;
- what is made from the whole site (the export, the source texts, the search index) is owed until
  the very end of a build that met no error, which marks the journal ``finished``.

The next build reads it: it writes the owed pages again (``env-updated``), deletes the owed
removed pages' output, and, after an unfinished build, makes the export again. Pages owed by
several unfinished builds add up. The journal itself is written atomically; if it cannot be
written, the build stops before the environment is saved (:class:`.outputerrors.OutputError`).

Builders share the environment (``make html`` and ``make pdf`` both use ``_build/doctrees``): a
``latex`` build that reads a changed page saves page digests that an ``html`` build would then
find unchanged. So the pages a build owes because the environment changed (not those it owes for
its own output's sake) are also added to the journal of every other builder of that environment.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from missiekaart.build import outputerrors, sphinx_internals
from missiekaart.core.atomic import remove_leftovers, write_atomically
from missiekaart.extension.domain import get_domain

__all__ = ["Journal", "journal_of", "previous_build_unfinished", "setup"]

logger = logging.getLogger(__name__)

JOURNAL = "missiekaart-owed-{}.json"
VERSION = 1


@dataclass
class Journal:
    path: Path
    pages: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    unfinished: bool = False  # the last build did not finish
    owed_before: set[str] = field(default_factory=set)  # the pages the last build left owed
    saved: str = ""  # the text on disk, so an unchanged journal is not written again

    @classmethod
    def load(cls, path: Path) -> Journal:
        journal = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return journal
        except OSError:
            text = ""
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        if isinstance(data, dict) and data.get("version") == VERSION:
            journal.pages = {str(page) for page in data.get("pages", ())}
            journal.removed = {str(page) for page in data.get("removed", ())}
            journal.unfinished = not data.get("finished")
            journal.saved = text
        else:  # cut by a full disk, say: the build did not finish, and what it owed is unknown
            journal.pages, journal.unfinished = {"*"}, True
        journal.owed_before = set(journal.pages)
        return journal

    def owe(self, pages: Iterable[str] = (), removed: Iterable[str] = ()) -> None:
        """Add to what is owed, and write it down before going on."""
        self.pages.update(pages)
        self.removed.update(removed)
        if self.pages or self.removed or self.unfinished:
            self.save()

    def save(self, finished: bool = False) -> None:
        data = {
            "version": VERSION,
            "finished": finished,
            "pages": sorted(self.pages),
            "removed": sorted(self.removed),
        }
        text = json.dumps(data, ensure_ascii=False, indent=0)
        if text == self.saved:
            return
        try:
            write_atomically(self.path, text)
        except OSError as error:
            if outputerrors.is_output_error(error):
                raise outputerrors.OutputError(self.path, error) from error
            raise
        self.saved = text

    def finish(self) -> None:
        """Everything owed is written: the next build owes nothing (the file stays, so that other
        builders know to journal their changes of the environment here)."""
        self.pages, self.removed, self.unfinished = set(), set(), False
        self.save(finished=True)


_journals: dict[str, Journal] = {}  # doctree folder and builder -> this build's journal


def _key(app: Sphinx) -> str:
    return f"{app.doctreedir}\0{app.builder.name}"


def journal_of(app: Sphinx) -> Journal | None:
    return _journals.get(_key(app))


def previous_build_unfinished(app: Sphinx) -> bool:
    """True when the last build into this output folder stopped before it was complete."""
    journal = journal_of(app)
    return journal is not None and journal.unfinished


def watch(app: Sphinx) -> None:
    """``builder-inited``: note what the builder is about to write, and its failed writes."""

    def owe(pages: Iterable[str]) -> None:
        journal = journal_of(app)
        if journal is not None:
            journal.owe(pages)

    sphinx_internals.watch_builder(app.builder, owe, owe)
    sphinx_internals.catch_write_warnings(app, lambda path, error: outputerrors.report(app, path, error))


def start(app: Sphinx) -> None:
    """At the start of every build of the application: read what the last build left owed."""
    outputerrors.reset(app)
    path = Path(app.doctreedir, JOURNAL.format(app.builder.name))
    remove_leftovers(path)
    journal = _journals[_key(app)] = Journal.load(path)
    if journal.unfinished:
        logger.info("missiekaart: the last build did not finish; what it owed is written now")


def owed_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the pages an unfinished build owed are written again (not read again)."""
    journal = journal_of(app)
    if journal is None or not journal.owed_before:
        return []
    owed = env.all_docs.keys() if "*" in journal.owed_before else journal.owed_before & env.all_docs.keys()
    return sorted(owed)


def journal_before_saving(app: Sphinx, env: BuildEnvironment) -> Set[str]:
    """``env-get-updated``, last: the last event before Sphinx saves the environment. Journal every
    page this build is known to write by now, and the pages whose output it is to remove."""
    journal = journal_of(app)
    if journal is None:
        return set()
    data = get_domain(env).data
    changed = {*data.get("reread", ()), *data.get("rewrite", ())}
    for retitled in data.get("retitled", ()):  # their toctree parents show the new title
        changed.update(sphinx_internals.toctree_parents(env).get(retitled, ()))
    changed &= env.found_docs
    removed = set(data.get("removed", ()))
    journal.owe({*changed, *(set(owed_pages(app, env)) & env.found_docs)}, removed)
    for path in sorted(journal.path.parent.glob(JOURNAL.format("*"))):
        if path != journal.path:  # another builder's output, made from this environment
            other = Journal.load(path)
            if not (changed <= other.pages and removed <= other.removed):
                other.pages |= changed
                other.removed |= removed
                other.save(finished=not other.unfinished)
    return set()


def pages_written(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, first: every page is written, so none is owed; the outputs made from the
    whole site still are, until :func:`finish`."""
    journal = journal_of(app)
    if journal is None or exception is not None or outputerrors.failed(app) or not journal.pages:
        return
    journal.pages = set()
    with outputerrors.writing(app, journal.path):
        journal.save()


def finish(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, last: a build without errors owes nothing; a failed one leaves a journal
    even if it owed no page, so the next build makes the outputs of the whole site again."""
    journal = journal_of(app)
    if journal is None:
        return
    if exception is not None or outputerrors.failed(app):
        with contextlib.suppress(OSError, outputerrors.OutputError):  # it was reported; a full disk
            journal.save()
        return
    with outputerrors.writing(app, journal.path):
        journal.finish()


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", watch, priority=100)
    app.connect("env-updated", owed_pages, priority=800)
    app.connect("env-get-updated", journal_before_saving, priority=990)
    app.connect("build-finished", pages_written, priority=1)
    app.connect("build-finished", finish, priority=995)
    sphinx_internals.guard_build(app, start, lambda path, error: outputerrors.report(app, path, error))
