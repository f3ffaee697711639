"""The environment saved by a child process while the build goes on writing.

After reading, Sphinx pickles the whole environment into ``environment.pickle`` and only then
writes the pages (``Builder.build``, :mod:`.sphinx_internals` item 15). At 10,000 organisations that
pickle is 160 MB and takes 0.65-0.9 s: a seventh of a build that re-reads one edited organisation,
spent while the second core waits. Here the build forks at that moment: the child pickles the
environment as it is at the fork (the same bytes Sphinx would have written; a forked process is a
copy of its parent's memory) into the file Sphinx opened, while the build writes its pages.

The build waits for the child before it finishes (``build-finished``, after the search index and
before the journal marks the build finished, :mod:`.journal`), before a later build of the same
process loads an environment (``config-inited``), and at exit. If the child fails, the saved
environment is removed and the build fails with what the child reported: the next build reads
every page again, as after a build that stopped while Sphinx saved it. The child dies with the
build (Linux's parent-death signal): a killed build leaves no process behind that would finish a
file after the next build started. Where that signal does not exist, Sphinx saves the environment
itself, as before.

The child touches nothing but the environment and the open file: no collection of garbage (whose
finalizers could close or delete what the build still uses), no logging, no ``atexit`` handlers
(:func:`os._exit`).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pickle
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.typing import ExtensionMetadata

from missiekaart.build import processes, sphinx_internals

__all__ = ["SaveFailed", "dump", "saver", "setup", "wait"]


class SaveFailed(RuntimeError):
    """The child that saved the environment did not finish it."""


@dataclass
class _Saving:
    pid: int
    path: Path
    errors: int  # the read end of a pipe the child writes its error to


_saving: dict[int, _Saving] = {}  # by the parent's process id, one at a time
_forking: set[int] = set()  # id() of the environments saved in a child; others are pickled here


def _can_fork() -> bool:
    return processes.DIES_WITH_PARENT and hasattr(os, "fork")


def dump(obj: Any, file: IO[bytes], protocol: int | None = None, **options: Any) -> None:
    """``pickle.dump``, with an environment :func:`setup` was called for saved by a child process."""
    if id(obj) not in _forking or not isinstance(obj, BuildEnvironment) or not _can_fork() or options:
        pickle.dump(obj, file, protocol, **options)
        return
    wait()  # one save at a time
    file.flush()
    errors, report = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: pickle, report, and leave without running anything of the parent's
        _child(obj, file, protocol, parent, errors, report)
    os.close(report)
    _saving[os.getpid()] = _Saving(pid, Path(file.name), errors)


def _child(obj: Any, file: IO[bytes], protocol: int | None, parent: int, errors: int, report: int) -> None:
    gc.disable()
    status = 1
    try:
        os.close(errors)
        processes.die_with(parent)
        pickle.dump(obj, file, protocol)
        file.flush()
        status = 0
    except BaseException:
        with contextlib.suppress(BaseException):
            os.write(report, traceback.format_exc(limit=4).encode("utf-8", "replace")[-4000:])
    finally:
        os._exit(status)


def saver() -> int | None:
    """The process id of the child saving this process's environment now, if one is."""
    saving = _saving.get(os.getpid())
    return saving.pid if saving else None


def wait() -> None:
    """Wait for the environment being saved by a child of this process, if any; raise
    :class:`SaveFailed` (the half-written file removed) if the child did not save it."""
    saving = _saving.pop(os.getpid(), None)
    if saving is None:
        return
    with os.fdopen(saving.errors, "rb") as stream:  # the child holds the other end until it ends
        reported = stream.read().decode("utf-8", "replace")
    try:
        status = os.waitstatus_to_exitcode(os.waitpid(saving.pid, 0)[1])
    except ChildProcessError:  # reaped by someone else: what it reported is all there is to judge by
        status = 1 if reported else 0
    if status != 0:
        saving.path.unlink(missing_ok=True)
        raise SaveFailed(f"the environment could not be saved ({saving.path}): {reported or 'stopped'}")


def _save_in_child(app: Sphinx) -> None:
    """``builder-inited``: this build's environment is saved in a child process."""
    _forking.add(id(app.env))


def _done(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the environment is saved before the build is finished. After a failed
    build (which removed the saved environment) a failed save is no news."""
    _forking.discard(id(app.env))
    if exception is None:
        wait()
    else:
        _wait_quietly()


def _wait_quietly() -> None:
    """:func:`wait`, where nobody is told: the file is whole, or removed. At exit too, if no
    ``build-finished`` came."""
    with contextlib.suppress(SaveFailed):
        wait()


def _before_loading(app: Sphinx, config: Any) -> None:
    """``config-inited``: an environment this process is still saving is saved before one is loaded."""
    wait()


def setup(app: Sphinx) -> ExtensionMetadata:
    sphinx_internals.dump_environment_with(dump)
    atexit.unregister(_wait_quietly)  # once per process, however many builds it runs
    atexit.register(_wait_quietly)
    app.connect("config-inited", _before_loading, priority=0)
    app.connect("builder-inited", _save_in_child)
    app.connect("build-finished", _done, priority=990)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
