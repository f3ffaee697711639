"""Files written whole or not at all: a temporary file beside the target, then a rename.

A reader (a browser, ``sha256sum -c``, the next build) sees the old file or the new one, never
half of one, whatever stops the writer: a signal, a full disk, a power cut. The new file gets the
mode a plain ``open(..., "w")`` would give it (0644 under the usual umask), not the private 0600 of
a temporary file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["read_record", "remove_leftovers", "write_atomically"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporary_names(target: Path) -> tuple[str, str]:
    return f".{target.name}.", ".tmp"


def remove_leftovers(target: Path) -> None:
    """Delete the temporary files of writes of *target* that were stopped before their rename (a
    killed process cleans up nothing), so they do not pile up in an output folder."""
    prefix, suffix = _temporary_names(target)
    try:
        for leftover in target.parent.glob(f"{prefix}*{suffix}") if target.parent.is_dir() else ():
            leftover.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only folder: harmless, and the next write there will say so


def write_atomically(target: Path, data: str | bytes) -> None:
    """Write *data* (text is UTF-8) to *target* through a temporary file in its folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix, suffix = _temporary_names(target)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=suffix)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o666 & ~_umask())
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_record(target: Path) -> Any:
    """The JSON a build saved at *target* with :func:`write_atomically`, or ``None`` when there is
    none or it cannot be read; the temporary files of a write that was stopped are removed first."""
    remove_leftovers(target)
    try:
        return json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
