"""``source_texts/SHA256SUMS``: the digests that keep the organisations' texts verbatim.

The manifest is in the format of ``sha256sum`` (``<hex>  <filename>`` per line, sorted by file
name), so ``cd source_texts && sha256sum -c SHA256SUMS`` checks it too. ``missiekaart import``
records each text it imports; ``missiekaart checksums`` verifies every text, and
``missiekaart checksums --accept FILE`` records a deliberate change (or a deliberate removal).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .sourcefile import SourceError

__all__ = [
    "MANIFEST",
    "ManifestError",
    "accept_command",
    "digest",
    "forget",
    "manifest_for",
    "read",
    "record",
    "verify",
]

MANIFEST = "SHA256SUMS"
_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


class ManifestError(SourceError):
    """A manifest that cannot be read, or a recorded text that changed."""


def shown(path: Path) -> str:
    """*path* as a contributor types it: relative to the working directory when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def accept_command(path: Path) -> str:
    """The exact command that accepts the current state of *path* into its manifest."""
    return f".venv/bin/missiekaart checksums --accept {shown(path)}"


def _changed(path: Path, manifest: Path) -> str:
    return (
        f"changed since its SHA-256 was recorded in {shown(manifest)}; source texts are kept verbatim: "
        f"restore the original, or accept the change deliberately with: {accept_command(path)}"
    )


def manifest_for(path: Path) -> Path:
    """The manifest that pins *path*: the ``SHA256SUMS`` next to it."""
    return path.parent / MANIFEST


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read(manifest: Path) -> dict[str, str]:
    """File name -> SHA-256 hex digest; an absent manifest is empty. Raises :class:`ManifestError`."""
    if not manifest.exists():
        return {}
    entries: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        match = _LINE.match(line)
        if not match:
            raise ManifestError(
                shown(manifest),
                number,
                "not a sha256sum line ('<64 hex digits>  <file name>'); "
                "fix or delete the line, then run 'missiekaart checksums --accept' for its file",
            )
        if match.group(2) in entries:
            raise ManifestError(shown(manifest), number, f"{match.group(2)} is listed twice; delete one line")
        entries[match.group(2)] = match.group(1)
    return entries


def _write(manifest: Path, entries: dict[str, str]) -> None:
    manifest.write_text("".join(f"{entries[name]}  {name}\n" for name in sorted(entries)), encoding="utf-8")


def record(path: Path, *, accept_change: bool = False) -> str:
    """Record *path*'s digest in its manifest and return the digest.

    A text already recorded with another digest has changed: that raises :class:`ManifestError`
    unless *accept_change* says the change is deliberate.
    """
    manifest = manifest_for(path)
    entries = read(manifest)
    value = digest(path)
    recorded = entries.get(path.name)
    if recorded != value:
        if recorded is not None and not accept_change:
            raise ManifestError(shown(path), 0, _changed(path, manifest))
        entries[path.name] = value
        _write(manifest, entries)
    return value


def forget(path: Path) -> bool:
    """Drop a deleted *path* from its manifest; return whether it was listed."""
    manifest = manifest_for(path)
    entries = read(manifest)
    if entries.pop(path.name, None) is None:
        return False
    _write(manifest, entries)
    return True


def verify(directory: Path, pattern: str = "*.txt") -> list[str]:
    """Every problem with the texts in *directory* and its manifest; an empty list when all match."""
    manifest = directory / MANIFEST
    try:
        entries = read(manifest)
    except ManifestError as error:
        return [str(error)]
    problems: list[str] = []
    if not manifest.exists():
        problems.append(
            f"{shown(manifest)}: error: missing; record every source text with: {accept_command(directory / pattern)}"
        )
    for path in sorted(directory.glob(pattern)):
        recorded = entries.get(path.name)
        if recorded is None:
            if manifest.exists():
                problems.append(
                    f"{shown(path)}: error: not in {shown(manifest)}; `missiekaart import` records "
                    f"the texts it imports; record this one with: {accept_command(path)}"
                )
        elif recorded != digest(path):
            problems.append(f"{shown(path)}: error: {_changed(path, manifest)}")
    for name in sorted(entries):
        if not (directory / name).is_file():
            problems.append(
                f"{shown(manifest)}: error: lists {name}, which does not exist; if it was removed "
                f"deliberately, run: {accept_command(directory / name)}"
            )
    return problems
