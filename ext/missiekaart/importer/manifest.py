"""``source_texts/SHA256SUMS``: the digests that keep the organisations' texts verbatim.

The manifest is in the format of ``sha256sum`` (``<hex>  <filename>`` per line, sorted by file
name; a name with a backslash or a line break is escaped as GNU coreutils does, the line starting
with ``\\``), so ``cd source_texts && sha256sum -c SHA256SUMS`` checks it too. ``missiekaart import``
records each text it imports; ``missiekaart checksums`` verifies every text, and
``missiekaart checksums --accept FILE`` records a deliberate change (or a deliberate removal).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from missiekaart.core.atomic import write_atomically
from missiekaart.importer.sourcefile import SOURCE_SUFFIXES, SourceError, inside, read_bytes

__all__ = [
    "MANIFEST",
    "ManifestError",
    "accept_command",
    "check",
    "digest",
    "forget",
    "manifest_for",
    "read",
    "record",
    "sources",
    "verify",
]

MANIFEST = "SHA256SUMS"
_LINE = re.compile(r"^(\\?)([0-9a-f]{64}) [ *](.+)$")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_ESCAPED = re.compile(r"\\(.)")


class ManifestError(SourceError):
    """A manifest that cannot be read, or a recorded text that changed."""


def shown(path: Path) -> str:
    """*path* as a contributor types it: relative to the working directory when it is below it."""
    try:  # absolute, but links not followed: the path as given
        return Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()).as_posix()  # noqa: PTH100
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
    """The SHA-256 of the text *path* (a regular file of bounded size; :class:`SourceError` if not)."""
    return hashlib.sha256(read_bytes(path)).hexdigest()


def _line(name: str, value: str) -> str:
    """One line of the manifest, the name escaped as ``sha256sum`` escapes it."""
    if any(char in name for char in _ESCAPES):
        return "\\" + f"{value}  " + "".join(_ESCAPES.get(char, char) for char in name) + "\n"
    return f"{value}  {name}\n"


def _unescape(name: str) -> str:
    return _ESCAPED.sub(lambda match: {"n": "\n", "r": "\r"}.get(match.group(1), match.group(1)), name)


def read(manifest: Path) -> dict[str, str]:
    """File name -> SHA-256 hex digest; an absent manifest is empty. Raises :class:`ManifestError`."""
    if not manifest.exists():
        return {}
    entries: dict[str, str] = {}
    # Lines end at line feeds only: a file name may hold any other line separator (U+2028, ...).
    for number, line in enumerate(manifest.read_text(encoding="utf-8").split("\n"), start=1):
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if not match:
            raise ManifestError(
                shown(manifest),
                number,
                "not a sha256sum line ('<64 hex digits>  <file name>'); "
                "fix or delete the line, then run 'missiekaart checksums --accept' for its file",
            )
        name = _unescape(match.group(3)) if match.group(1) else match.group(3)
        if name in entries:
            raise ManifestError(shown(manifest), number, f"{name!r} is listed twice; delete one line")
        entries[name] = match.group(2)
    return entries


def _write(manifest: Path, entries: dict[str, str]) -> None:
    write_atomically(manifest, "".join(_line(name, entries[name]) for name in sorted(entries)))


def check(path: Path) -> str:
    """The digest of *path*; :class:`ManifestError` if its manifest records another one. Writes nothing."""
    value = digest(path)
    recorded = read(manifest_for(path)).get(path.name)
    if recorded is not None and recorded != value:
        raise ManifestError(shown(path), 0, _changed(path, manifest_for(path)))
    return value


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


def sources(directory: Path) -> list[Path]:
    """The source texts in *directory*: every file of a format the importer reads (:data:`SOURCE_SUFFIXES`:
    text, Markdown, PDF, Word), sorted by name."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.suffix.lower() in SOURCE_SUFFIXES)


def verify(directory: Path) -> list[str]:
    """Every problem with the source texts in *directory* (:func:`sources`) and its manifest; an empty
    list when all match."""
    manifest = directory / MANIFEST
    try:
        entries = read(manifest)
    except ManifestError as error:
        return [str(error)]
    problems: list[str] = []
    found = sources(directory)
    if not manifest.exists():
        patterns = sorted({f"*{path.suffix}" for path in found}) or ["*.txt"]
        command = accept_command(directory / patterns[0]) + "".join(
            f" {shown(directory / pattern)}" for pattern in patterns[1:]
        )
        problems.append(f"{shown(manifest)}: error: missing; record every source text with: {command}")
    for path in found:
        recorded = entries.get(path.name)
        try:
            inside(path, directory, shown(directory))  # a link to a file elsewhere is not a source text
            value = digest(path)
        except SourceError as error:
            problems.append(f"{shown(path)}: error: {error.message}")
            continue
        if recorded is None:
            if manifest.exists():
                problems.append(
                    f"{shown(path)}: error: not in {shown(manifest)}; `missiekaart import` records "
                    f"the texts it imports; record this one with: {accept_command(path)}"
                )
        elif recorded != value:
            problems.append(f"{shown(path)}: error: {_changed(path, manifest)}")
    for name in sorted(entries):
        if not (directory / name).is_file():
            problems.append(
                f"{shown(manifest)}: error: lists {name}, which does not exist; if it was removed "
                f"deliberately, run: {accept_command(directory / name)}"
            )
    return problems
