"""Errors of the output folder: one located error line, a non-zero exit, no traceback.

A full disk (ENOSPC, EDQUOT), a read-only file system (EROFS), a folder the build may not write
(EACCES, EPERM) or one removed while the build runs (ENOENT) is not a mistake in the project and
not a bug in Sphinx: the contributor needs the path and the cause, and to know that the next build
completes the output (:mod:`missiekaart.build.journal` keeps what is owed). So the first such error of a
build is reported once, as ``<path>: ERROR: ...``; the exit status
is made non-zero; what fails after it for the same reason is only noted at info level, and the
outputs made from the whole site (the export, the source texts, the search index) are not
attempted, since they would fail the same way.

The extension's own writers call :func:`report` (or use :func:`writing`). Sphinx's own writes are
turned into the same line in :mod:`missiekaart.build.sphinx_internals`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError, SphinxError
from sphinx.util import logging

__all__ = [
    "OUTPUT_ERRNOS",
    "OutputError",
    "concerns_output",
    "failed",
    "find_output_error",
    "is_output_error",
    "report",
    "reset",
    "writing",
]

logger = logging.getLogger(__name__)

#: The causes of a failed write that lie in the output folder, with what to do about each.
OUTPUT_ERRNOS: dict[int, str] = {
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space",
    errno.EROFS: "the file system is read-only; build into a writable folder",
    errno.EACCES: "make the folder writable",
    errno.EPERM: "make the folder writable",
    errno.ENOENT: "the folder was removed during the build",
}

_failed: dict[str, Path] = {}  # output folder -> the path of the first error this build reported


class OutputError(SphinxError):
    """An :class:`OSError` of the output folder, with the path it concerns, raised where the build
    must stop (the journal cannot be written before the environment is saved)."""

    category = "Output error"

    def __init__(self, path: Path | str, error: OSError) -> None:
        super().__init__(f"{path}: {describe(error)}")
        self.path = Path(path)
        self.error = error


#: Causes that only a write can meet; a missing or forbidden file may also be one the build reads
#: (a source, a download, Pagefind's program), so those count only inside the build's folders.
_ONLY_WRITES = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


def is_output_error(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in OUTPUT_ERRNOS


def concerns_output(app: Sphinx, path: object, error: OSError) -> bool:
    """Is *error* (met at *path*) an error of the output folder or the doctree folder?"""
    if not is_output_error(error):
        return False
    if error.errno in _ONLY_WRITES:
        return True
    if not isinstance(path, (str, os.PathLike)):
        return False
    where = Path(os.path.abspath(path))  # noqa: PTH100  # the folder may be gone: no resolve()
    folders = (Path(app.outdir).resolve(), Path(app.doctreedir).resolve())
    return any(where.is_relative_to(folder) for folder in folders)


def describe(error: OSError) -> str:
    """The cause in words, e.g. "No space left on device (ENOSPC): free some space"."""
    code = error.errno or 0
    name = errno.errorcode.get(code, str(code))
    return f"{error.strerror or os.strerror(code)} ({name}): {OUTPUT_ERRNOS.get(code, 'check the output folder')}"


def find_output_error(app: Sphinx, exception: BaseException) -> tuple[Path | None, OSError] | None:
    """The output error (:func:`concerns_output`) behind *exception*, if any: the exception itself,
    what it was raised from or while handling (``__cause__``, ``__context__``), or what an event
    handler raised (Sphinx wraps it in an :class:`~sphinx.errors.ExtensionError`). The first error
    in time is the cause: a failed write is often followed by a failed clean-up of the same folder."""
    found: tuple[int, Path | None, OSError] | None = None  # the deepest: the earliest
    seen: set[int] = set()
    pending: list[tuple[int, BaseException]] = [(0, exception)]
    while pending:
        depth, current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        here: tuple[Path | None, OSError] | None = None
        if isinstance(current, OutputError):
            here = (current.path, current.error)
        elif isinstance(current, OSError) and concerns_output(app, current.filename, current):
            here = (Path(current.filename) if current.filename else None, current)
        if here is not None and (found is None or depth > found[0]):
            found = (depth, *here)
        if isinstance(current, OutputError):
            continue  # raised from its own OSError: the path is what it adds
        inner: list[BaseException | None] = [current.__cause__, current.__context__]
        if isinstance(current, ExtensionError):
            inner.append(current.orig_exc)
        pending.extend((depth + 1, error) for error in inner if error is not None)
    return None if found is None else (found[1], found[2])


def failed(app: Sphinx) -> bool:
    """True when this build has met an output error: its output is incomplete (and owed)."""
    return str(app.outdir) in _failed


def reset(app: Sphinx) -> None:
    """``builder-inited``: a new build has met no error yet."""
    _failed.pop(str(app.outdir), None)


def report(app: Sphinx, path: Path | str | None, error: OSError) -> None:
    """Report an output error: the first of the build as one located error line (exit status 1),
    later ones at info level (they follow from the first)."""
    where = str(path or error.filename or app.outdir)
    if failed(app):
        logger.info("missiekaart: also not written: %s (%s)", where, describe(error))
        return
    _failed[str(app.outdir)] = Path(where)
    from missiekaart.build.sphinx_internals import FileLocation

    # No warning type: this is not a mistake in the project (those are registered in problems.py),
    # and suppress_warnings must not hide that the output is incomplete.
    logger.error(
        "could not write the build's output: %s; the next build completes it",
        describe(error),
        location=FileLocation(where),
    )
    app.statuscode = 1


@contextmanager
def writing(app: Sphinx, path: Path | str) -> Iterator[None]:
    """Run the block; an output error in it is reported (naming *path* if the error names no file)
    and ends the block, any other error propagates."""
    try:
        yield
    except OSError as error:
        if not concerns_output(app, error.filename or path, error):
            raise
        report(app, error.filename or path, error)
