"""Every use of Sphinx's internals by the extension, in one place.

Each was checked against Sphinx 9.0.4 (the pin is ``sphinx>=9.0,<9.1``). Items 1-7 are the crash
safety's, tested by ``tests/test_crash_safety.py::test_the_sphinx_internals_we_rely_on``; items 8-14
have tests of their own in ``tests/test_sphinx_internals.py``. Those tests fail when Sphinx's
behaviour changes, so a pin bump is safe to try: read this module again when one fails.

1. A warning's ``location`` is a docname when it is a ``str`` without ``:`` (Sphinx prints
   ``doc2path(location)``, the docname with a source suffix), a ``file:line`` otherwise. A file of
   the output folder is neither: :class:`FileLocation` is a ``str`` Sphinx prints as it is.
2. ``Builder.get_outdated_docs()`` is called once by ``Builder.build_update()``, before reading,
   and every document it returns is written (a ``str`` means every document). The HTML builder
   decides there by output times and ``.buildinfo`` (the configuration the output was made with),
   and re-writes ``.buildinfo`` at once when it differs: after that moment only its return value
   says which pages are owed. It is wrapped, on the builder instance, so the value is journaled
   before anything is read (:func:`watch_builder`).
3. ``Builder.write_documents(docnames)`` gets from ``Builder.write()`` every document the build
   writes: the updated and outdated ones and their toctree parents, after ``write-started``. It is
   wrapped to journal any page the events did not announce (what other extensions and Sphinx's
   own collectors return from ``env-updated`` and ``env-get-updated``).
4. ``.buildinfo`` is read with ``BuildInfo.load`` (a private module); an empty or cut file (a build
   stopped while writing it, a full disk) raises ``IndexError`` or ``ValueError``: a crash report,
   or a warning and no re-write. An unreadable one is removed before Sphinx reads it, and every page
   is owed, as for a changed configuration.
5. ``Sphinx.build()`` is what ``sphinx-build`` calls; for any exception out of it, it prints a
   crash report (a traceback, "please open an issue"). ``Sphinx.build`` itself first deletes the
   saved environment and emits ``build-finished`` with the exception. It is wrapped, on the
   application instance, so an output error becomes one located error line and exit status 1
   (:func:`guard_build`; it also marks the start of each build of the application, which no event
   does). An error in a ``-j`` worker reaches it as a ``SphinxParallelError`` that holds only the
   text of the original exception.
6. ``StandaloneHTMLBuilder.handle_page()`` (every page), and the copying of static files and
   ``.buildinfo``, catch ``OSError`` themselves and log a warning with the error among its
   arguments (``"error writing file %s: %s", path, err``). A filter put first on Sphinx's warning
   handler (:class:`sphinx.util.logging.WarningStreamHandler`, which also receives the warnings of
   ``-j`` workers) turns the first into the output error line and drops the rest
   (:func:`catch_write_warnings`). A ``-j`` worker's warnings arrive formatted, without arguments
   (``logging.convert_serializable``): there the ``<path>: [Errno N] <text>`` of the text is read.
7. ``sphinx-build -w FILE`` (``make html`` keeps it in the build folder) writes each message to
   the terminal, then to FILE (``TeeStripANSI``), and closes FILE at exit. On a full or read-only
   disk each message would end in a "--- Logging error ---" traceback, and the close in one more.
   A failed write of FILE points its descriptor at ``/dev/null``: the terminal still gets every
   message, FILE keeps what was written before (:func:`catch_write_warnings` installs it).
8. ``env.files_to_rebuild`` maps a page to the pages whose toctree lists it. ``Builder.write()``
   adds those parents of every page it writes to the pages it writes (for the titles their
   toctrees show). :func:`toctree_parents` reads it; :func:`show_parents_of_only` gives Sphinx the
   parents of some pages only for one write, :func:`restore_toctree_parents` the whole map back.
9. ``Config`` keeps its options in ``_options`` and their values in the instance ``__dict__``; the
   environment pickles the configuration and compares it with the next build's (``config_status``)
   before the builder is made, so an option a theme registers later (Furo's
   ``pygments_dark_style``) is missing from that comparison and "changes" every build.
   :func:`remember_early_options` and :func:`forget_late_options` keep those out of the pickle.
10. ``env._app.builder`` is the builder during reading and post-transforms (Sphinx's own
    post-transforms use it), and ``env._builder_cls.format`` its format while a page is read
    (``Transform.is_supported`` is asked before the builder exists): :func:`builder_of`,
    :func:`builder_format`.
11. ``Builder._write_parallel(docnames, nproc)`` (called by ``write_documents`` with ``nproc`` =
    ``-j`` - 1) resolves every page in the main process (``get_and_resolve_doctree``: the doctree
    unpickled, the post-transforms, ``doctree-resolved``) and ``write_doc_serialized`` there, and
    forks ``nproc`` workers (``ParallelTasks``, ``make_chunks``) that only translate and write. On
    two cores the main process was the bottleneck: at 10,000 organisations 98 % of its time went
    into resolving (41 % unpickling, 56 % post-transforms), while the one worker waited.
    :func:`resolve_in_workers` gives an HTML builder one where ``-j`` workers each do all of a
    page, as ``_write_serial`` does (``_write_docname``), and the main process only collects: the
    images ``write_doc_serialized`` found (``builder.images``, which ``finish`` copies) and which
    pages were written (:data:`PAGE_WRITTEN`). Sphinx's search index is fed in the main process by
    ``write_doc_serialized`` (``builder.indexer``): a build that has one keeps Sphinx's way.
12. ``Builder._read_parallel(docnames, nproc)`` splits the pages with ``sphinx.builders.make_chunks``
    (about the square root of ten times the pages per process: 15 chunks at 1,000 pages, 45 at
    10,000) and forks a worker per chunk, which sends back the *whole* environment as it has it
    (``pickle.dumps(self.env)``): what the main process had merged when it forked, and its own
    pages. The main process unpickles each one and merges the chunk's pages. So the environment
    crossed between processes about chunks/2 times over, and at 1,000 organisations the main
    process spent 6.4 s of a 19.5 s reading phase unpickling. :func:`read_in_fewer_chunks` has
    ``_read_parallel`` split the pages into two chunks per process (the first two forked with an
    empty environment, the later ones with what is merged by then: 1.75 environments in all).
13. ``env.tocs`` (docname -> the page's headings as a ``bullet_list``) is set by the toctree
    collector when a page is read (``process_doc``, ``merge_other``), dropped by its ``clear_doc``,
    and read by key only: ``get_toc_for`` and ``TocTree.resolve`` (copies), and
    ``assign_section_numbers`` for the pages of numbered toctrees (in place). Sphinx pickles it
    with the environment. :func:`shelve_tocs` makes it a :class:`~missiekaart.core.shelf.Shelf`,
    which keeps each page's headings pickled until a build asks for them.
14. ``StandaloneHTMLBuilder.handle_finish()`` has ``dump_inventory()`` write ``objects.inv``
    (``INVENTORY_FILENAME``) whole on every build, from every domain's objects: 0.3 s at 10,000
    organisations, also when no page was read or written. :func:`write_inventory_with` wraps it, on
    the builder instance, so that a build can leave the file as it is.
    ``InventoryFile.dump`` writes the project and version, then each domain's ``get_objects()``
    with the builder's ``get_target_uri``; the standard domain's are one per document with its
    title (``clean_astext(env.titles[docname])``, a copy of every title: most of the cost), then
    its data (``labels``, ``anonlabels``, ``objects``, ``progoptions``). :func:`inventory_inputs`
    is all of that as text, the titles without the copy, so a build can tell the file would be the same.
15. ``Builder.build()`` saves the environment, when it read or removed a page, with
    ``pickle.dump(self.env, f, pickle.HIGHEST_PROTOCOL)`` into ``f = open(doctreedir /
    ENV_PICKLE_FILENAME, 'wb')``, through ``sphinx.builders``' module global ``pickle``, and
    closes the file before ``env-check-consistency``; the module's only other ``pickle.dump`` is
    of each doctree read (``write_doctree``, into a ``.doctree`` file).
    :func:`dump_environment_with` gives that module a ``pickle`` whose ``dump`` is another
    function, everything else Python's own.
16. The environment holds paths: a ``sphinx.util._pathlib._StrPath`` (a ``pathlib`` path) per
    dependency of a page, and two ``pathlib.Path`` per page in ``env.project`` (30,000 at 10,000
    organisations). Python 3.11's ``PurePath.__reduce__`` pickles a path as its parts and
    unpickles it by parsing them again, ``cls(*parts)``: 0.15 s of the 0.55 s an incremental build
    at 10,000 spends loading the environment. :func:`pickle_paths_by_parts` registers a reduction
    (:mod:`copyreg`) for both classes that unpickles with ``cls._from_parsed_parts(drv, root,
    parts)``, which sets the three slots Python 3.11's paths are made of; with other slots it does
    nothing.
"""

from __future__ import annotations

import contextlib
import copyreg
import logging as std_logging
import os
import pickle
import re
import sys
import types
from collections.abc import Callable, Mapping, Sequence, Set
from pathlib import Path, PurePath
from typing import Any

import sphinx.builders
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder, _write_docname
from sphinx.builders.html import INVENTORY_FILENAME
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxParallelError
from sphinx.locale import __
from sphinx.util._pathlib import _StrPath
from sphinx.util.display import status_iterator
from sphinx.util.logging import NAMESPACE, WarningStreamHandler
from sphinx.util.nodes import clean_astext
from sphinx.util.parallel import ParallelTasks, make_chunks

from missiekaart.build.outputerrors import concerns_output, find_output_error, is_output_error
from missiekaart.core.shelf import Shelf

__all__ = [
    "PAGE_WRITTEN",
    "FileLocation",
    "announce_written",
    "builder_format",
    "builder_of",
    "catch_write_warnings",
    "dump_environment_with",
    "forget_late_options",
    "guard_build",
    "inventory_inputs",
    "pickle_paths_by_parts",
    "read_in_fewer_chunks",
    "remember_early_options",
    "resolve_in_workers",
    "restore_toctree_parents",
    "shelve_tocs",
    "show_parents_of_only",
    "toctree_parents",
    "watch_builder",
    "write_inventory_with",
]

OnError = Callable[[Path | str | None, OSError], None]

#: An OSError after its path in a warning a ``-j`` worker sent formatted ("error writing file %s: %s").
_FORMATTED_OSERROR = re.compile(r"(?P<path>(?:/|[A-Za-z]:[\\/]).*?): \[Errno (?P<code>\d+)\] (?P<text>[^:\n]+)")
#: What ``traceback.format_exception_only`` makes of an OSError in a ``-j`` worker.
_PARALLEL_OSERROR = re.compile(r"^\w*Error: \[Errno (?P<code>\d+)\] (?P<text>[^:]+)(?:: '(?P<path>.*)')?$")


class FileLocation(str):
    """A file's path as the location of a logged problem, printed as it is (``<path>: ERROR: ...``):
    ``SphinxLogRecordTranslator`` leaves a location alone when it holds a ``:``."""

    __slots__ = ()

    def __contains__(self, key: object) -> bool:
        return key == ":" or super().__contains__(str(key))


def _readable_buildinfo(path: Path) -> bool:
    from sphinx.builders.html._build_info import BuildInfo

    try:
        BuildInfo.load(path)
    except (IndexError, ValueError):
        return False
    return True


def watch_builder(
    builder: Builder, on_outdated: Callable[[list[str]], None], on_write: Callable[[Set[str]], None]
) -> None:
    """Call *on_outdated* with the documents the build is about to treat as outdated (before it
    reads), and *on_write* with the documents it writes (before it writes them)."""
    get_outdated_docs, write_documents = builder.get_outdated_docs, builder.write_documents

    def journaled_outdated_docs() -> str | list[str]:
        buildinfo = Path(builder.outdir, ".buildinfo")
        unreadable = buildinfo.is_file() and not _readable_buildinfo(buildinfo)
        if unreadable:
            buildinfo.unlink()  # what the output was made with is not known: write every page
        found = get_outdated_docs()
        every = unreadable or isinstance(found, str)
        docnames = sorted(builder.env.found_docs) if every else list(found)
        on_outdated(docnames)
        if unreadable:
            return "every page, as .buildinfo was unreadable"
        return found if isinstance(found, str) else docnames

    def journaled_write_documents(docnames: Set[str]) -> None:
        on_write(docnames)
        write_documents(docnames)

    builder.get_outdated_docs = journaled_outdated_docs  # type: ignore[method-assign]
    builder.write_documents = journaled_write_documents  # type: ignore[method-assign]


def _parallel_output_error(app: Sphinx, exception: BaseException) -> tuple[Path | None, OSError] | None:
    """The output error a ``-j`` worker met, rebuilt from the text Sphinx keeps of it."""
    if not isinstance(exception, SphinxParallelError):
        return None
    match = _PARALLEL_OSERROR.match(exception.message.strip())
    if match is None:
        return None
    error = OSError(int(match["code"]), match["text"], match["path"])
    if not concerns_output(app, match["path"], error):
        return None
    return Path(match["path"]) if match["path"] else None, error


def guard_build(app: Sphinx, on_start: Callable[[Sphinx], None], on_error: OnError) -> None:
    """Call *on_start* as each build of *app* starts; let an output error out of the build be one
    reported line and exit status 1, not a crash report."""
    build = app.build

    def guarded_build(*args: Any, **kwargs: Any) -> None:
        on_start(app)
        try:
            build(*args, **kwargs)
        except Exception as exception:
            found = find_output_error(app, exception) or _parallel_output_error(app, exception)
            if found is None:
                raise
            on_error(*found)
            app.statuscode = 1

    app.build = guarded_build  # type: ignore[method-assign]


class _WriteWarnings(std_logging.Filter):
    """Turns Sphinx's warnings about failed writes into the output error (see the module's docstring)."""

    def __init__(self, app: Sphinx, on_error: OnError) -> None:
        super().__init__()
        self.app, self.on_error = app, on_error

    def filter(self, record: std_logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        error = next((arg for arg in args if isinstance(arg, OSError) and is_output_error(arg)), None)
        path = None
        if error is None and not args and (found := _FORMATTED_OSERROR.search(str(record.msg))):
            path, error = found["path"], OSError(int(found["code"]), found["text"])
        if error is None or not is_output_error(error):
            return True
        path = path or error.filename
        path = path or next((os.fspath(arg) for arg in args if isinstance(arg, (str, os.PathLike))), None)
        if not concerns_output(self.app, path, error):
            return True  # a source that is missing, say: Sphinx's warning stands
        self.on_error(path, error)
        return False


class _WarningFile:
    """Sphinx's ``-w`` file, given up on (pointed at ``/dev/null``) when a write to it fails."""

    def __init__(self, file: Any) -> None:
        self.file = file

    def write(self, text: str) -> None:
        try:
            self.file.write(text)
        except OSError:
            self.give_up()

    def flush(self) -> None:
        try:
            self.file.flush()
        except OSError:
            self.give_up()

    def give_up(self) -> None:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, self.file.fileno())
        finally:
            os.close(null)
        with contextlib.suppress(OSError, ValueError):
            self.file.flush()  # what is buffered goes nowhere, and the close at exit succeeds


def catch_write_warnings(app: Sphinx, on_error: OnError) -> None:
    """Put the filter first on Sphinx's warning handler (made anew for every application), and
    guard its ``-w`` file."""
    for handler in std_logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.filters = [f for f in handler.filters if not isinstance(f, _WriteWarnings)]
            handler.filters.insert(0, _WriteWarnings(app, on_error))
            tee = getattr(handler.stream, "stream", None)  # SafeEncodingWriter -> TeeStripANSI
            file = getattr(tee, "stream_file", None)
            if file is not None and hasattr(file, "fileno") and not isinstance(file, _WarningFile):
                tee.stream_file = _WarningFile(file)  # type: ignore[union-attr]


# 8. Toctree parents.


def toctree_parents(env: BuildEnvironment) -> Mapping[str, Set[str]]:
    """Each page's toctree parents: the pages whose toctree lists it."""
    return env.files_to_rebuild


def show_parents_of_only(env: BuildEnvironment, docnames: Set[str]) -> None:
    """Until :func:`restore_toctree_parents`, Sphinx sees the toctree parents of *docnames* only, and
    so writes no other page's parents because a page it lists is written."""
    if not hasattr(env, "_missiekaart_parents"):
        env._missiekaart_parents = env.files_to_rebuild  # type: ignore[attr-defined]
        env.files_to_rebuild = {docname: set(env.files_to_rebuild.get(docname, ())) for docname in docnames}


def restore_toctree_parents(env: BuildEnvironment) -> None:
    """Sphinx's whole map of toctree parents back (see :func:`show_parents_of_only`)."""
    if hasattr(env, "_missiekaart_parents"):
        env.files_to_rebuild = env._missiekaart_parents
        del env._missiekaart_parents


# 9. Options registered after the configuration is compared.


def remember_early_options(config: Config) -> None:
    """At ``config-inited``: the options that exist when Sphinx compares the configuration."""
    config._missiekaart_early_options = frozenset(option.name for option in config)


def forget_late_options(config: Config) -> None:
    """The options registered after the comparison, out of the configuration the environment saves
    (their values have been read by then), so an unchanged rebuild compares equal."""
    early = getattr(config, "_missiekaart_early_options", None)
    if early is None:
        return
    for name in [option.name for option in config if option.name not in early]:
        config._options.pop(name, None)
        config.__dict__.pop(name, None)


# 10. The builder, from the environment.


def builder_of(env: BuildEnvironment) -> Builder:
    """The builder, during reading and post-transforms (as Sphinx's own post-transforms find it)."""
    return env._app.builder


def builder_format(env: BuildEnvironment) -> str:
    """The builder's format ("html", "latex", ...), also before the builder is made."""
    return env._builder_cls.format


# 11. Where a parallel build resolves its pages.

#: An event, emitted in the main process for every page a build writes: ``doctree-resolved`` is
#: emitted where the page is resolved, which is a ``-j`` worker with :func:`resolve_in_workers`.
PAGE_WRITTEN = "missiekaart-page-written"
_in_worker = False  # set in a worker of resolve_in_workers: its pages are announced by the main process


def announce_written(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: emit :data:`PAGE_WRITTEN` for the page, unless a worker resolved it
    (then the main process does, when the worker is done)."""
    if not _in_worker:
        app.events.emit(PAGE_WRITTEN, docname)


def resolve_in_workers(builder: Builder, in_worker: Callable[[], None]) -> None:
    """Let the ``-j`` workers of *builder* (an HTML builder) resolve and write whole pages, the main
    process only collecting what they found (see item 11 of the module's docstring). *in_worker*
    is called first in each worker (a forked copy of the build)."""
    sphinx_way = builder._write_parallel

    def write_parallel(docnames: Sequence[str], nproc: int) -> None:
        if getattr(builder, "indexer", None) is not None or not hasattr(builder, "images"):
            sphinx_way(docnames, nproc)
            return
        app, env = builder._app, builder.env
        jobs = max(1, app.parallel)  # the main process waits: every core writes
        first, rest = docnames[0], docnames[1:]
        # The first page in the main process, as Sphinx does: its templates and caches are made
        # once, before the workers are forked.
        _write_docname(first, env=env, builder=builder, tags=builder.tags)

        def write_process(chunk: list[str]) -> dict[str, str]:
            global _in_worker  # this process's own copy: it is a fork
            _in_worker = True
            in_worker()
            for docname in chunk:
                _write_docname(docname, env=env, builder=builder, tags=builder.tags)
            return dict(builder.images)

        chunks = make_chunks(rest, jobs)
        progress = status_iterator(chunks, __("writing output... "), "darkgreen", len(chunks), builder.config.verbosity)

        def on_chunk_done(chunk: list[str], images: dict[str, str]) -> None:
            builder.images.update(images)
            for docname in chunk:
                app.events.emit(PAGE_WRITTEN, docname)
            next(progress)

        tasks = ParallelTasks(jobs)
        for chunk in chunks:
            tasks.add_task(write_process, chunk, on_chunk_done)
        tasks.join()

    builder._write_parallel = write_parallel  # type: ignore[method-assign]


# 12. How a parallel build splits the pages it reads.

#: Chunks per process of a parallel read. Measured at -j 2 on 1,000 generated organisations, the
#: reading phase took 19.5 s with Sphinx's 15 chunks, 15.7 s with 8, 12.9 s with 4 and 13.4 s with
#: 2: fewer chunks send the environment across fewer times, and two per process let a process that
#: finished its pages early take another chunk.
READ_CHUNKS_PER_PROCESS = 2


def read_in_fewer_chunks(builder: Builder) -> None:
    """Let *builder*'s parallel read split the pages into :data:`READ_CHUNKS_PER_PROCESS` chunks per
    process, not Sphinx's many (see item 12 of the module's docstring)."""
    sphinx_way = builder._read_parallel
    module: Any = sys.modules[Builder.__module__]  # sphinx.builders: where _read_parallel finds make_chunks

    def chunks(docnames: Sequence[str], nproc: int, maxbatch: int = 10) -> list[Any]:
        count = min(len(docnames), max(1, nproc) * READ_CHUNKS_PER_PROCESS)  # none for no page, as Sphinx
        return [
            docnames[index * len(docnames) // count : (index + 1) * len(docnames) // count] for index in range(count)
        ]

    def read_parallel(docnames: list[str], nproc: int) -> None:
        module.make_chunks = chunks
        try:
            sphinx_way(docnames, nproc)
        finally:
            module.make_chunks = make_chunks

    builder._read_parallel = read_parallel  # type: ignore[method-assign]


# 13. The pages' headings, kept pickled.


def shelve_tocs(env: BuildEnvironment) -> None:
    """Make ``env.tocs`` a :class:`~missiekaart.core.shelf.Shelf` (see item 13 of the module's
    docstring); a loaded environment has one already."""
    if not isinstance(env.tocs, Shelf):
        env.tocs = Shelf(env.tocs)  # type: ignore[assignment]


# 14. The inventory, written by every build.


def write_inventory_with(builder: Builder, write: Callable[[Path, Callable[[], None]], None]) -> None:
    """Have an HTML builder call ``write(path, dump)`` where it writes ``objects.inv``: *write* decides
    whether ``dump()`` (Sphinx's own) writes the file at *path* or leaves it as it is."""
    dump = getattr(builder, "dump_inventory", None)
    if dump is None:
        return  # not an HTML builder: it writes no inventory

    def dump_or_keep() -> None:
        write(Path(builder.outdir, INVENTORY_FILENAME), dump)

    builder.dump_inventory = dump_or_keep  # type: ignore[attr-defined]


def inventory_inputs(builder: Builder) -> str:
    """Everything ``objects.inv`` is written from (see item 14), as text: the same text, the same
    file. The builder's name and the hash of its configuration stand for its ``get_target_uri``."""
    env = builder.env
    info = getattr(builder, "build_info", None)
    parts = [repr((builder.name, getattr(info, "config_hash", ""), env.config.project, env.config.version))]
    titles = env.titles
    parts += (
        f"{docname}\x1e{_title_text(titles[docname]) if docname in titles else ''}" for docname in sorted(env.all_docs)
    )
    for domain in env.domains.sorted():
        if domain.name == "std":  # its documents are the titles above; the rest is its data
            data = sorted((key, sorted(value.items())) for key, value in domain.data.items() if isinstance(value, dict))
            parts.append(repr(data))
        else:
            parts.append(repr((domain.name, sorted(domain.get_objects()))))
    return "\x1f".join(parts)


def _title_text(title: nodes.Element) -> str:
    """``clean_astext`` of a title (what the inventory shows), without copying a title of text alone."""
    if all(isinstance(child, nodes.Text) for child in title.children):
        return title.astext()
    return clean_astext(title)


# 15. The environment, pickled by Builder.build().


def dump_environment_with(dump: Callable[..., None]) -> None:
    """Have ``Builder.build()`` save the environment with *dump* (``pickle.dump``'s signature, see
    item 15 of the module's docstring) instead of ``pickle.dump``; once per process."""
    module = types.ModuleType("pickle", "Python's pickle with another dump (missiekaart.build.sphinx_internals)")
    module.__dict__.update(vars(pickle))
    module.dump = dump  # type: ignore[attr-defined]
    sphinx.builders.pickle = module  # type: ignore[attr-defined]


# 16. Sphinx's paths, pickled with the environment.

_PATH_SLOTS = ("_drv", "_root", "_parts")  # what a path of Python 3.11 is made of


def pickle_paths_by_parts() -> bool:
    """Have the environment's paths unpickled from their parsed parts, not parsed again (item 16 of
    the module's docstring); False, and nothing registered, where paths are not made of those parts."""
    if not set(_PATH_SLOTS) <= set(getattr(PurePath, "__slots__", ())) or not hasattr(PurePath, "_from_parsed_parts"):
        return False
    for cls in (_StrPath, type(Path())):
        copyreg.pickle(cls, _reduce_path)
    return True


def _reduce_path(path: PurePath) -> tuple[Any, ...]:
    return (_path_from_parts, (type(path), *(getattr(path, slot) for slot in _PATH_SLOTS)))


def _path_from_parts(cls: type[PurePath], drv: str, root: str, parts: list[str]) -> PurePath:
    return cls._from_parsed_parts(drv, root, parts)  # type: ignore[attr-defined,no-any-return]
