"""Is a Pagefind bundle complete? Pagefind's exit status does not say.

Pagefind 1.5.2 exits 0 when its writes fail (a full disk leaves a 0-byte ``pagefind-entry.json`` and
0-byte workers), and a build stopped while it runs leaves part of a bundle. A bundle is listed as
made (``pagefind/bundles.json``) only when :func:`bundle_problem` finds nothing wrong:

- ``pagefind-entry.json`` parses and names, per language, the index's metadata file and page count;
- the metadata file (``pagefind.<hash>.pf_meta``: gzip, ``pagefind_dcd``, then CBOR) decompresses
  whole and lists as many pages as the entry counts;
- every fragment, index chunk and filter it lists exists and decompresses whole (gzip checks its
  length and CRC, so a cut file is found);
- the script, the worker and the WebAssembly the search page loads are there, and no file of the
  bundle is empty.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

__all__ = ["ENTRY", "bundle_problem"]

ENTRY = "pagefind-entry.json"
_SIGNATURE = b"pagefind_dcd"
#: What the search page loads from a bundle besides the index (searchindex.py deletes them from
#: bundles that are merged, after this check).
_SCRIPTS = ("pagefind.js", "pagefind-worker.js")


def _cbor(data: bytes, at: int) -> tuple[Any, int]:
    """One CBOR item (RFC 8949) of *data* at *at*, and where the next begins. Pagefind's metadata
    uses unsigned and negative integers, text, bytes, arrays, maps and simple values only."""
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        width = 1 << (info - 24)
        if at + width > len(data):
            raise ValueError("cut")
        value, at = int.from_bytes(data[at : at + width], "big"), at + width
    else:
        raise ValueError(f"CBOR length {info} is not used by Pagefind")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        if at + value > len(data):
            raise ValueError("cut")
        chunk = data[at : at + value]
        return (chunk.decode() if major == 3 else chunk), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _cbor(data, at)
            mapping[key], at = _cbor(data, at)
        return mapping, at
    if major == 7:
        return None, at
    raise ValueError(f"CBOR major type {major} is not used by Pagefind")


def _whole(path: Path) -> bytes | None:
    """The decompressed content of a gzip file of Pagefind's, or None when it is missing, empty or cut."""
    try:
        return gzip.decompress(path.read_bytes()) or None
    except (OSError, EOFError, zlib.error):
        return None


def _metadata(path: Path) -> list[Any] | str:
    data = _whole(path)
    if data is None or not data.startswith(_SIGNATURE):
        return f"{path.name} is missing, empty or cut"
    try:
        meta, end = _cbor(data, len(_SIGNATURE))
    except (ValueError, IndexError, UnicodeDecodeError):
        return f"{path.name} is cut"
    if end != len(data) or not isinstance(meta, list) or len(meta) < 4:
        return f"{path.name} is not the metadata of Pagefind 1.5"
    return meta


def _listed(meta: list[Any]) -> tuple[list[str], list[str]]:
    """The fragments (one per page) and the index chunks and filters the metadata lists."""
    pages, chunks, filters = meta[1], meta[2], meta[3]
    fragments = [f"fragment/{page[0]}.pf_fragment" for page in pages]
    others = [f"index/{chunk[-1]}.pf_index" for chunk in chunks] + [f"filter/{item[-1]}.pf_filter" for item in filters]
    return fragments, others


def bundle_problem(folder: Path, thorough: bool = True) -> str | None:
    """What makes the bundle in *folder* incomplete, in words, or None. ``thorough=False`` checks the
    entry file and the metadata it names only (for bundles an earlier build checked thoroughly)."""
    entry = folder / ENTRY
    try:
        data = json.loads(entry.read_bytes())
    except FileNotFoundError:
        return f"{ENTRY} is missing"
    except (OSError, ValueError):
        return f"{ENTRY} is empty or cut"
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, dict) or not languages:
        return f"{ENTRY} names no language"
    required = list(_SCRIPTS)
    for info in languages.values():
        if not isinstance(info, dict) or not isinstance(info.get("hash"), str):
            return f"{ENTRY} does not name the index's metadata"
        meta_path = folder / f"pagefind.{info['hash']}.pf_meta"
        if not thorough:
            if not meta_path.is_file() or meta_path.stat().st_size == 0:
                return f"{meta_path.name} is missing or empty"
            continue
        meta = _metadata(meta_path)
        if isinstance(meta, str):
            return meta
        try:
            fragments, others = _listed(meta)
        except (TypeError, IndexError, KeyError):
            return f"{meta_path.name} is not the metadata of Pagefind 1.5"
        if len(fragments) != info.get("page_count"):
            return f"{meta_path.name} lists {len(fragments)} pages, {ENTRY} {info.get('page_count')}"
        for name in [*fragments, *others]:
            if _whole(folder / name) is None:
                return f"{name} is missing, empty or cut"
        if info.get("wasm"):
            required.append(f"wasm.{info['wasm']}.pagefind")
    if thorough:
        for name in required:
            if not (folder / name).is_file():
                return f"{name} is missing"
        empty = next((path for path in sorted(folder.rglob("*")) if path.is_file() and path.stat().st_size == 0), None)
        if empty is not None:
            return f"{empty.relative_to(folder).as_posix()} is empty"
    return None
