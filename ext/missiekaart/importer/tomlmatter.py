"""TOML front matter (``+++`` ... ``+++``, as Hugo and Zola write it), read with :mod:`tomllib`.

tomllib gives data without positions; the importer reports every piece of text by its line, so
each key's line is found by a scan of the TOML's lines (``[table]`` and ``[[array]]`` headers,
``key = value`` lines, multi-line strings skipped), and the data is handed on as the YAML node
tree the rest of the importer reads (:func:`as_yaml_node`), each node marked with its key's line.
"""

from __future__ import annotations

import datetime
import re
import tomllib

import yaml

__all__ = ["as_yaml_node", "key_lines", "load_toml"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _PART.findall(dotted))


def key_lines(lines: list[str]) -> dict[tuple[str, ...], int]:
    """The 0-based line of each key path in TOML *lines* (an array of tables: its last entry's)."""
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    closing = ""  # the quotes that end the multi-line string being skipped
    for index, line in enumerate(lines):
        if closing:
            if closing in line:
                closing = ""
            continue
        if header := _HEADER.match(line):
            table = _parts(header.group(2))
            found.setdefault(table, index)
            continue
        if key := _KEY.match(line):
            found[(*table, *_parts(key.group(1)))] = index
            rest = line[key.end() :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) == 1:
                    closing = quotes
    return found


def load_toml(text: str) -> dict[str, object]:
    """The TOML document *text*; :class:`tomllib.TOMLDecodeError` if it is broken."""
    return tomllib.loads(text)


def as_yaml_node(data: object, lines: dict[tuple[str, ...], int], path: tuple[str, ...] = ()) -> yaml.Node:
    """*data* as the YAML node tree the importer reads front matter from, with each key's line."""
    line = lines.get(path, lines.get(path[:-1], 0) if path else 0)
    mark = yaml.Mark("toml", 0, line, 0, "", 0)
    if isinstance(data, dict):
        pairs = [
            (yaml.ScalarNode("tag:yaml.org,2002:str", str(key), mark, mark), as_yaml_node(value, lines, (*path, key)))
            for key, value in data.items()
        ]
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, mark, mark)
    if isinstance(data, list):
        items = [as_yaml_node(item, lines, path) for item in data]
        return yaml.SequenceNode("tag:yaml.org,2002:seq", items, mark, mark)
    if isinstance(data, str):
        return yaml.ScalarNode("tag:yaml.org,2002:str", data, mark, mark)
    kind = "timestamp" if isinstance(data, (datetime.date, datetime.time)) else type(data).__name__
    return yaml.ScalarNode(f"tag:yaml.org,2002:{kind}", str(data), mark, mark)
