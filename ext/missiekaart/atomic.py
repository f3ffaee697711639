"""Files written whole or not at all: a temporary file beside the target, then a rename.

A reader (a browser, ``sha256sum -c``, the next build) sees the old file or the new one, never
half of one, whatever stops the writer: a signal, a full disk, a power cut. The new file gets the
mode a plain ``open(..., "w")`` would give it (0644 under the usual umask), not the private 0600 of
a temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(target: Path, data: str | bytes) -> None:
    """Write *data* (text is UTF-8) to *target* through a temporary file in its folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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
