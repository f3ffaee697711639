"""Child processes (Pagefind) that end with the build, however the build ends.

A build killed with ``kill -9`` runs no handler of its own, and a child process would go on
writing into the output folder after it. So on Linux each child asks the kernel to kill it when the
build's process dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)`` in the child before it starts Pagefind;
the signal follows the thread that started the child, here always the build's main thread). The
child stays in the build's process group, so a Ctrl-C in the terminal reaches it too. A build that
ends otherwise (an exception, ``sys.exit``, SIGINT) kills what is still running at exit
(:mod:`atexit`). On other systems only the latter two apply.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

__all__ = ["DIES_WITH_PARENT", "die_with", "start", "stop", "wait"]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_running: set[subprocess.Popen[str]] = set()


_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
DIES_WITH_PARENT = _libc is not None  # die_with() does something here


def die_with(parent: int) -> None:
    """In a process the build started (Pagefind between fork and exec, a ``-j`` worker): ask the
    kernel to kill it when *parent*, the build's process, dies; if that already happened, die now.
    Linux only (elsewhere nothing happens)."""
    if _libc is None:
        return
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the prctl call: nobody would signal
        os.kill(os.getpid(), signal.SIGKILL)


def _die_with_parent() -> Callable[[], None] | None:
    if _libc is None:
        return None
    return functools.partial(die_with, os.getpid())  # between fork and exec: no object of the build is touched


def start(command: Sequence[str]) -> subprocess.Popen[str]:
    """Start *command* with its output captured as text; it dies with the build."""
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        preexec_fn=_die_with_parent(),  # safe: a build starts children from its main thread only
    )
    _running.add(process)
    return process


def wait(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Wait for *process*: its standard output and error."""
    try:
        stdout, stderr = process.communicate()
    except BaseException:  # interrupted (Ctrl-C): it must not outlive the build
        stop(process)
        raise
    _running.discard(process)
    return stdout, stderr


def stop(process: subprocess.Popen[str]) -> None:
    """Kill *process* (if it still runs) and reap it."""
    if process.poll() is None:
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError, OSError):
        process.communicate(timeout=10)
    _running.discard(process)


@atexit.register
def _stop_all() -> None:
    for process in list(_running):
        stop(process)
